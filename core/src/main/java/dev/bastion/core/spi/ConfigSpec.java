package dev.bastion.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting a provider understands. The server reads YAML and environment variables against
 * this spec: unknown keys are errors with a "did you mean" hint, required settings must be present,
 * secrets are masked wherever configuration is shown and registered with the redactor.
 *
 * @param settings the declared settings, in the order the configuration reference shows them
 */
public record ConfigSpec(List<Setting> settings) {

    public ConfigSpec {
        settings = List.copyOf(requireNonNull(settings, "settings is null"));
        Map<String, Setting> seen = new LinkedHashMap<>();
        for (Setting setting : settings) {
            if (seen.put(setting.key(), setting) != null) {
                throw new IllegalArgumentException("duplicate setting key: " + setting.key());
            }
        }
    }

    public static ConfigSpec of(Setting... settings) {
        return new ConfigSpec(List.of(settings));
    }

    public Optional<Setting> setting(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).findFirst();
    }
}
