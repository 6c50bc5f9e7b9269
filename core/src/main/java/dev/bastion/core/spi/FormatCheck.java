package dev.bastion.core.spi;

import java.util.Optional;

/**
 * Checks the format of a configuration value at startup, typically a credential. A mix-up (an
 * OAuth client id where an API token belongs) is reported with the variable's name and the
 * expected kind, and never with the value.
 *
 * <p>The message convention: the source, a space, then what is wrong, as in
 * {@code DT_API_TOKEN is not an API token} or {@code providers.x.api_key does not look like a key}.
 * Never {@code source: text} or {@code source=text}: every message is printed through the
 * redactor, which reads {@code api_key: does} as a credential named {@code api_key} and hides
 * {@code does}. The server rewrites a message that starts with {@code source:} or {@code source=}
 * to {@code source is invalid: text} ({@link #apply}), so such a message is still shown whole.
 */
@FunctionalInterface
public interface FormatCheck {
    /**
     * @param source where the value came from, such as {@code DT_API_TOKEN} or {@code providers.x.api_token}
     * @param value the value to check
     * @return a message that names {@code source} and describes the problem, or empty when the value is fine
     */
    Optional<String> check(String source, String value);

    /** An integer setting within {@code min..max}; a value that is not an integer is left to the type conversion. */
    static FormatCheck range(long min, long max) {
        return (source, value) -> {
            try {
                long number = Long.parseLong(value.strip());
                return number < min || number > max
                        ? Optional.of(source + " must be between " + min + " and " + max)
                        : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        };
    }

    /** An integer setting of at least {@code min}; a value that is not an integer is left to the type conversion. */
    static FormatCheck atLeast(long min) {
        return (source, value) -> {
            try {
                return Long.parseLong(value.strip()) < min
                        ? Optional.of(source + " must be at least " + min)
                        : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        };
    }

    /** A duration setting longer than zero; a value that is not a duration is left to the type conversion. */
    static FormatCheck positiveDuration() {
        return (source, value) -> {
            try {
                return SettingValues.parseDuration(value.strip()).isZero()
                        ? Optional.of(source + " must be longer than zero")
                        : Optional.empty();
            } catch (SettingValues.InvalidValueException e) {
                return Optional.empty();
            }
        };
    }

    /**
     * Runs {@code check} the way the server does: a check that throws is reported as a problem
     * (never with its exception text, which may quote the value), and a message in the form
     * {@code source: text} or {@code source=text} is rewritten to {@code source is invalid: text}.
     */
    static Optional<String> apply(FormatCheck check, String source, String value) {
        Optional<String> problem;
        try {
            problem = check.check(source, value);
        } catch (RuntimeException e) {
            return Optional.of(source + " could not be checked");
        }
        return problem.map(message -> conventional(source, message));
    }

    private static String conventional(String source, String message) {
        if (message.length() > source.length() && message.startsWith(source)) {
            char separator = message.charAt(source.length());
            if (separator == ':' || separator == '=') {
                // "is invalid:" reads well before any text, and no credential is called "invalid".
                return source + " is invalid: " + message.substring(source.length() + 1).strip();
            }
        }
        return message;
    }
}
