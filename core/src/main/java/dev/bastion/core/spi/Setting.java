package dev.bastion.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One declared configuration setting of a provider (or of the server itself).
 *
 * @param key the YAML key in {@code snake_case}; dots address nested maps ({@code rate_limit.burst_size})
 * @param envNames the environment variables that feed it, first match wins (the seed servers' own names work)
 * @param type how the value is converted
 * @param defaultValue the default as text, or {@code null} when there is none
 * @param required whether startup fails when the setting has no value
 * @param secret whether the value is a credential: masked everywhere and registered with the redactor
 * @param description one sentence for the configuration reference
 * @param format an optional format check, run at startup
 */
public record Setting(
        String key,
        List<String> envNames,
        SettingType type,
        String defaultValue,
        boolean required,
        boolean secret,
        String description,
        FormatCheck format) {

    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$");

    public Setting {
        requireNonNull(key, "key is null");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("setting key must be snake_case, dot-separated: " + key);
        }
        envNames = List.copyOf(requireNonNull(envNames, "envNames is null"));
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
    }

    public Optional<FormatCheck> formatCheck() {
        return Optional.ofNullable(format);
    }

    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultValue);
    }

    public static Builder builder(String key, SettingType type) {
        return new Builder(key, type);
    }

    public static final class Builder {
        private final String key;
        private final SettingType type;
        private List<String> envNames = List.of();
        private String defaultValue;
        private boolean required;
        private boolean secret;
        private String description = "";
        private FormatCheck format;

        private Builder(String key, SettingType type) {
            this.key = key;
            this.type = type;
        }

        public Builder env(String... names) {
            this.envNames = List.of(names);
            return this;
        }

        public Builder defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder secret() {
            this.secret = true;
            return this;
        }

        public Builder description(String text) {
            this.description = text;
            return this;
        }

        public Builder format(FormatCheck check) {
            this.format = check;
            return this;
        }

        public Setting build() {
            return new Setting(key, envNames, type, defaultValue, required, secret, description, format);
        }
    }
}
