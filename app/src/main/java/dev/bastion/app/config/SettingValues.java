package dev.bastion.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.spi.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts setting text to the Java type of its {@link dev.bastion.core.spi.SettingType}. Error
 * messages never quote the offending value, which may be a credential in the wrong setting.
 */
final class SettingValues {

    private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d+)(ms|s|m|h|d)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SettingValues() {
    }

    /**
     * @param setting the setting
     * @param text the value as text (for LIST: comma-separated; for JSON: JSON text)
     * @param source where the value came from, named in the error
     * @param problems receives a problem when the text does not convert
     */
    static Optional<Object> fromText(Setting setting, String text, String source, Problems problems) {
        String trimmed = text.strip();
        try {
            Object value = switch (setting.type()) {
                case STRING -> text;
                case INTEGER -> parseInteger(trimmed);
                case BOOLEAN -> parseBoolean(trimmed);
                case DURATION -> parseDuration(trimmed);
                case URL -> parseUrl(trimmed);
                case PATH -> parsePath(trimmed);
                case LIST -> splitList(text);
                case JSON -> parseJson(trimmed);
            };
            return Optional.of(value);
        } catch (InvalidValue invalid) {
            problems.add(source + ": " + describe(setting, text) + invalid.getMessage());
            return Optional.empty();
        }
    }

    /** A list from a YAML sequence of scalars. */
    static List<String> fromSequence(List<String> items) {
        return items.stream().map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    private static String describe(Setting setting, String text) {
        // Values are never quoted: a credential pasted into the wrong setting must not reach the error output.
        return setting.secret() ? "the secret value " : "the value ";
    }

    private static Integer parseInteger(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new InvalidValue("is not an integer");
        }
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> throw new InvalidValue("is not a boolean (use true/false, yes/no or 1/0)");
        };
    }

    static Duration parseDuration(String text) {
        Matcher shortForm = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        Duration duration;
        if (shortForm.matches()) {
            long amount;
            try {
                amount = Long.parseLong(shortForm.group(1));
            } catch (NumberFormatException e) {
                throw new InvalidValue("is too large a duration");
            }
            duration = switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new InvalidValue("is not a duration (use 250ms, 30s, 5m, 1h, 1d or ISO-8601 such as PT30S)");
            }
        }
        if (duration.isNegative()) {
            throw new InvalidValue("is a negative duration");
        }
        return duration;
    }

    private static URI parseUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidValue("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InvalidValue("is not an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials in a URL end up in logs and printed configuration; they belong in secret settings.
            throw new InvalidValue("must not contain credentials (user:password@); use the secret settings");
        }
        return uri;
    }

    private static Path parsePath(String text) {
        if (text.isEmpty()) {
            throw new InvalidValue("is not a path (empty)");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidValue("is not a valid path");
        }
    }

    private static List<String> splitList(String text) {
        return fromSequence(Arrays.asList(text.split(",")));
    }

    private static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidValue("is not valid JSON");
        }
    }

    /** A conversion failure; its message completes the sentence "'value' ...". */
    private static final class InvalidValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidValue(String message) {
            super(message, null, false, false);
        }
    }
}
