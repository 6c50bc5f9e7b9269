package dev.bastion.core.spi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved, type-checked configuration of one provider instance. Values have already been
 * converted to the {@link SettingType} of their {@link Setting}: strings, {@link Integer},
 * {@link Boolean}, {@link Duration}, {@link URI}, {@link Path}, {@code List<String>}, and
 * {@link Secret} for every secret setting.
 *
 * @param providerId the provider's id
 * @param alias the instance alias ({@code default} for a provider configured once)
 * @param values the resolved values by setting key; absent optional settings have no entry
 */
public record ProviderConfig(String providerId, String alias, Map<String, Object> values) {

    public static final String DEFAULT_ALIAS = "default";

    public ProviderConfig {
        requireNonNull(providerId, "providerId is null");
        requireNonNull(alias, "alias is null");
        values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    public Optional<String> string(String key) {
        return typed(key, String.class);
    }

    public String requireString(String key) {
        return string(key).orElseThrow(() -> missing(key));
    }

    public Optional<Integer> integer(String key) {
        return typed(key, Integer.class);
    }

    public Optional<Boolean> bool(String key) {
        return typed(key, Boolean.class);
    }

    public Optional<Duration> duration(String key) {
        return typed(key, Duration.class);
    }

    public Optional<URI> url(String key) {
        return typed(key, URI.class);
    }

    public URI requireUrl(String key) {
        return url(key).orElseThrow(() -> missing(key));
    }

    public Optional<Path> path(String key) {
        return typed(key, Path.class);
    }

    public Optional<Secret> secret(String key) {
        return typed(key, Secret.class);
    }

    public Secret requireSecret(String key) {
        return secret(key).orElseThrow(() -> missing(key));
    }

    public Optional<com.fasterxml.jackson.databind.JsonNode> json(String key) {
        return typed(key, com.fasterxml.jackson.databind.JsonNode.class);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object value = values.get(key);
        return value == null ? List.of() : (List<String>) value;
    }

    private <T> Optional<T> typed(String key, Class<T> type) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            throw new IllegalStateException("setting " + providerId + "." + key + " is a "
                    + value.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return Optional.of(type.cast(value));
    }

    private IllegalStateException missing(String key) {
        return new IllegalStateException("setting " + providerId + "." + key + " has no value");
    }

    @Override
    public String toString() {
        // values may hold Secrets, whose toString masks them; nothing else is sensitive.
        return "ProviderConfig[" + providerId + "/" + alias + " " + values + "]";
    }
}
