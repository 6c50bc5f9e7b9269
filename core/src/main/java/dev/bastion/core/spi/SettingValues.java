package dev.bastion.core.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts setting values to the Java type of their {@link SettingType}, the one place that knows
 * how {@code 30s}, {@code yes} or a comma list become values. Error messages never quote the
 * offending value, which may be a credential pasted into the wrong setting.
 */
public final class SettingValues {

    private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d+)(ms|s|m|h|d)$");

    /** Created on first use: only JSON settings need it, and a mapper is costly in a cold start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private SettingValues() {
    }

    /** A value that does not convert; the message completes "the value …" ("is not an integer"). */
    public static final class InvalidValueException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidValueException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Converts {@code text} (for LIST: comma-separated; for JSON: JSON text). Secrets are not wrapped
     * here; see {@link #bind}.
     */
    public static Object fromText(Setting setting, String text) throws InvalidValueException {
        String trimmed = text.strip();
        return switch (setting.type()) {
            case STRING -> text;
            case INTEGER -> parseInteger(trimmed);
            case BOOLEAN -> parseBoolean(trimmed);
            case DURATION -> parseDuration(trimmed);
            case URL -> parseUrl(trimmed);
            case PATH -> parsePath(trimmed);
            case LIST -> fromSequence(Arrays.asList(text.split(",")));
            case JSON -> parseJson(trimmed);
        };
    }

    /** A list from a sequence of scalars: trimmed, empty items dropped. */
    public static List<String> fromSequence(List<String> items) {
        return items.stream().map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /**
     * Binds one instance's raw values (as a sandbox or a test gives them: strings, numbers,
     * booleans, lists, maps) to a typed {@link ProviderConfig} with the server's own rules
     * ({@link SettingBinder}, as for a sandbox instance): nested maps address dotted keys, unknown
     * keys, missing required settings, unconvertible values and failed format checks fail with a
     * {@link ProviderConfigException} that names every problem, with secret values masked. An
     * {@code alias} entry names the instance ({@link ProviderConfig#DEFAULT_ALIAS} without one).
     * Environment variables are not read.
     */
    public static ProviderConfig bind(String providerId, ConfigSpec spec, Map<String, Object> raw) {
        List<String> problems = new ArrayList<>();
        List<String> mask = new ArrayList<>();
        SettingBinder binder = new SettingBinder(Map.of(), problems::add, mask::add, mask::add);
        ObjectNode tree = SettingBinder.tree(raw);
        String alias = ProviderConfig.DEFAULT_ALIAS;
        if (raw.containsKey(SettingBinder.ALIAS_KEY)) {
            alias = binder.alias(tree.get(SettingBinder.ALIAS_KEY), providerId).orElse(alias);
        }
        Map<String, SettingBinder.Given> given = binder.flatten(spec, tree, providerId,
                Set.of(SettingBinder.ALIAS_KEY), providerId);
        ProviderConfig config = binder.resolve(providerId, alias, spec, providerId, given,
                SettingBinder.Scalars.LITERAL, false, SettingBinder.Sources.IGNORE);
        if (!problems.isEmpty()) {
            List<String> masked = new ArrayList<>();
            for (String problem : problems) {
                String text = problem;
                for (String secret : mask) {
                    // One to three characters would garble the messages and are no credential anyway.
                    if (secret.length() >= 4) {
                        text = text.replace(secret, Secret.MASK);
                    }
                }
                masked.add(text);
            }
            throw new ProviderConfigException(String.join("; ", masked));
        }
        return config;
    }

    private static Integer parseInteger(String text) throws InvalidValueException {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("is not an integer");
        }
    }

    private static Boolean parseBoolean(String text) throws InvalidValueException {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> throw new InvalidValueException("is not a boolean (use true/false, yes/no or 1/0)");
        };
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601 such as {@code PT30S}. */
    public static Duration parseDuration(String text) throws InvalidValueException {
        Matcher shortForm = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        Duration duration;
        if (shortForm.matches()) {
            long amount;
            try {
                amount = Long.parseLong(shortForm.group(1));
            } catch (NumberFormatException e) {
                throw new InvalidValueException("is too large a duration");
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
                throw new InvalidValueException(
                        "is not a duration (use 250ms, 30s, 5m, 1h, 1d or ISO-8601 such as PT30S)");
            }
        }
        if (duration.isNegative()) {
            throw new InvalidValueException("is a negative duration");
        }
        return duration;
    }

    private static URI parseUrl(String text) throws InvalidValueException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidValueException("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InvalidValueException("is not an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials in a URL end up in logs and printed configuration; they belong in secret settings.
            throw new InvalidValueException("must not contain credentials (user:password@); use the secret settings");
        }
        return uri;
    }

    private static Path parsePath(String text) throws InvalidValueException {
        if (text.isEmpty()) {
            throw new InvalidValueException("is not a path (empty)");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidValueException("is not a valid path");
        }
    }

    private static JsonNode parseJson(String text) throws InvalidValueException {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("is not valid JSON");
        }
    }
}
