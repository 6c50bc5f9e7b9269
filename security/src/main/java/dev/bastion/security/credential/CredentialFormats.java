package dev.bastion.security.credential;

import dev.bastion.core.spi.FormatCheck;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Startup format checks for credentials. Each check recognises the common mix-ups (a Dynatrace
 * token of another kind, a JWT, quotes or whitespace around the value, an {@code Authorization}
 * scheme pasted in with it) and says what it found and what was expected, naming the source and
 * never the value: {@code DT_API_TOKEN looks like an OAuth client id (dt0s02); expected an API
 * token (dt0c01)}.
 *
 * <p>Dynatrace tokens have three dot-separated parts, {@code prefix.public.secret}: a 24-character
 * public part and a 64-character secret for API and platform tokens, an 8-character public part
 * for OAuth clients. The character classes are lenient (upper and lower case letters and digits)
 * because real tokens have been seen outside the documented base32 alphabet.
 */
public final class CredentialFormats {

    private static final Pattern API_TOKEN_SHAPE = Pattern.compile("dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}");
    private static final Pattern PLATFORM_TOKEN_SHAPE = Pattern.compile("dt0s16\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}");
    private static final Pattern OAUTH_CLIENT_ID_SHAPE = Pattern.compile("dt0s0[2-9]\\.[A-Za-z0-9]{6,12}");
    private static final Pattern OAUTH_CLIENT_SECRET_SHAPE =
            Pattern.compile("dt0s0[2-9]\\.[A-Za-z0-9]{6,12}\\.[A-Za-z0-9]{64}");
    private static final Pattern DYNATRACE_PREFIX = Pattern.compile("dt0[a-z][0-9]{2}");
    private static final Pattern JWT_SHAPE =
            Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    /** The value must not be empty or only whitespace. */
    public static final FormatCheck NOT_BLANK = (source, value) -> value == null || value.isBlank()
            ? Optional.of(source + " is empty")
            : Optional.empty();

    /** The value must not contain whitespace, quotes around it, or an Authorization scheme. */
    public static final FormatCheck NO_WHITESPACE = CredentialFormats::commonMistakes;

    /** A classic Dynatrace API (access) token: {@code dt0c01.<24>.<64>}. */
    public static final FormatCheck DYNATRACE_API_TOKEN =
            (source, value) -> dynatrace(source, value, Kind.API_TOKEN);

    /** A Dynatrace platform token: {@code dt0s16.<24>.<64>}. */
    public static final FormatCheck DYNATRACE_PLATFORM_TOKEN =
            (source, value) -> dynatrace(source, value, Kind.PLATFORM_TOKEN);

    /** A Dynatrace OAuth client id: {@code dt0s02.<8>} (any of {@code dt0s02} to {@code dt0s09}). */
    public static final FormatCheck DYNATRACE_OAUTH_CLIENT_ID =
            (source, value) -> dynatrace(source, value, Kind.OAUTH_CLIENT_ID);

    /** A Dynatrace OAuth client secret: {@code dt0s02.<8>.<64>}. */
    public static final FormatCheck DYNATRACE_OAUTH_CLIENT_SECRET =
            (source, value) -> dynatrace(source, value, Kind.OAUTH_CLIENT_SECRET);

    private CredentialFormats() {
    }

    /** Runs {@code checks} in order and reports the first problem. */
    public static FormatCheck allOf(FormatCheck... checks) {
        FormatCheck[] copy = checks.clone();
        return (source, value) -> {
            for (FormatCheck check : copy) {
                Optional<String> problem = check.check(source, value);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        };
    }

    private enum Kind {
        API_TOKEN("an API token (dt0c01)", API_TOKEN_SHAPE, "dt0c01.<24 characters>.<64 characters>"),
        PLATFORM_TOKEN("a platform token (dt0s16)", PLATFORM_TOKEN_SHAPE, "dt0s16.<24 characters>.<64 characters>"),
        OAUTH_CLIENT_ID("an OAuth client id (dt0s02)", OAUTH_CLIENT_ID_SHAPE, "dt0s02.<8 characters>"),
        OAUTH_CLIENT_SECRET("an OAuth client secret (dt0s02)", OAUTH_CLIENT_SECRET_SHAPE,
                "dt0s02.<8 characters>.<64 characters>");

        private final String description;
        private final Pattern pattern;
        private final String shape;

        Kind(String description, Pattern pattern, String shape) {
            this.description = description;
            this.pattern = pattern;
            this.shape = shape;
        }
    }

    private static Optional<String> dynatrace(String source, String value, Kind expected) {
        Optional<String> mistake = commonMistakes(source, value);
        if (mistake.isPresent()) {
            return mistake;
        }
        if (expected.pattern.matcher(value).matches()) {
            return Optional.empty();
        }
        if (JWT_SHAPE.matcher(value).matches()) {
            return Optional.of(source + " looks like a JWT (an OAuth access token); expected " + expected.description);
        }
        if (value.length() > 7 && value.charAt(6) == '.' && DYNATRACE_PREFIX.matcher(value.substring(0, 6)).matches()) {
            String prefix = value.substring(0, 6);
            Kind found = kindOf(prefix, value.split("\\.", -1).length);
            if (found == expected) {
                return Optional.of(source + " has the prefix of " + expected.description + " but not its shape "
                        + expected.shape + " (the value has " + value.length() + " characters)");
            }
            return Optional.of(source + " looks like " + describe(found, prefix) + "; expected " + expected.description);
        }
        return Optional.of(source + " is not " + expected.description + "; expected the shape " + expected.shape);
    }

    /** The kind a Dynatrace prefix stands for, or {@code null} for kinds Bastion does not use. */
    private static Kind kindOf(String prefix, int parts) {
        if ("dt0c01".equals(prefix)) {
            return Kind.API_TOKEN;
        }
        if ("dt0s16".equals(prefix)) {
            return Kind.PLATFORM_TOKEN;
        }
        if (prefix.startsWith("dt0s0") && prefix.charAt(5) >= '2' && prefix.charAt(5) <= '9' && prefix.charAt(5) != '6') {
            return parts >= 3 ? Kind.OAUTH_CLIENT_SECRET : Kind.OAUTH_CLIENT_ID;
        }
        return null;
    }

    private static String describe(Kind kind, String prefix) {
        if (kind == Kind.OAUTH_CLIENT_ID) {
            return "an OAuth client id (" + prefix + ")";
        }
        if (kind == Kind.OAUTH_CLIENT_SECRET) {
            return "an OAuth client secret (" + prefix + ")";
        }
        if (kind != null) {
            return kind.description;
        }
        return switch (prefix) {
            case "dt0s01" -> "an account API token (dt0s01)";
            case "dt0s06" -> "an OAuth refresh token (dt0s06)";
            default -> "a Dynatrace token of another kind (" + prefix + ")";
        };
    }

    private static Optional<String> commonMistakes(String source, String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(source + " is empty");
        }
        String trimmed = value.strip();
        if (trimmed.length() >= 2 && (trimmed.charAt(0) == '"' || trimmed.charAt(0) == '\'')
                && trimmed.charAt(trimmed.length() - 1) == trimmed.charAt(0)) {
            return Optional.of(source + " is wrapped in quotes; set the value without them");
        }
        if (!trimmed.equals(value)) {
            return Optional.of(source + " has leading or trailing whitespace; remove it");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"bearer ", "api-token ", "basic "}) {
            if (lower.startsWith(scheme)) {
                return Optional.of(source + " starts with the Authorization scheme '"
                        + value.substring(0, scheme.length() - 1) + "'; set only the credential itself");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return Optional.of(source + " contains whitespace; a credential is a single word");
            }
        }
        return Optional.empty();
    }
}
