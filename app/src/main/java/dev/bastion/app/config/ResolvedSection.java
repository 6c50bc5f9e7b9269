package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import java.util.Map;
import java.util.Optional;

/**
 * One resolved section or provider instance: its typed values and where each came from.
 *
 * @param section the section name ({@code server}, {@code providers.dynatrace-managed}, ...)
 * @param spec the settings the section accepts
 * @param config the resolved, typed values; secrets are {@link dev.bastion.core.spi.Secret}s
 * @param sources the source of every value in {@code config}, by setting key
 */
public record ResolvedSection(String section, ConfigSpec spec, ProviderConfig config, Map<String, ValueSource> sources) {

    public ResolvedSection {
        requireNonNull(section, "section is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(config, "config is null");
        sources = Map.copyOf(requireNonNull(sources, "sources is null"));
    }

    public Optional<ValueSource> source(String key) {
        return Optional.ofNullable(sources.get(key));
    }
}
