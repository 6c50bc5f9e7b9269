package dev.bastion.core.spi;

import java.util.Optional;

/**
 * Checks the format of a configuration value at startup, typically a credential. A mix-up (an
 * OAuth client id where an API token belongs) is reported with the variable's name and the
 * expected kind, and never with the value.
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
                        ? Optional.of(source + ": must be between " + min + " and " + max)
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
                        ? Optional.of(source + ": must be at least " + min)
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
                        ? Optional.of(source + ": must be longer than zero")
                        : Optional.empty();
            } catch (SettingValues.InvalidValueException e) {
                return Optional.empty();
            }
        };
    }
}
