package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.security.policy.InstancePolicy;
import java.util.Map;
import java.util.Optional;

/**
 * One resolved section or provider instance: its typed values and where each came from.
 *
 * @param section the section name ({@code server}, {@code providers.dynatrace-managed}, ...)
 * @param spec the settings the section accepts
 * @param config the resolved, typed values; secrets are {@link dev.bastion.core.spi.Secret}s
 * @param sources the source of every value in {@code config}, by setting key
 * @param policy a provider instance's own {@code read_only} and {@code approval}, which are not
 *     provider settings and never appear in {@code config}; {@link InstancePolicy#INHERIT} for a
 *     server section and for an instance that sets neither
 */
public record ResolvedSection(String section, ConfigSpec spec, ProviderConfig config, Map<String, ValueSource> sources,
                              InstancePolicy policy) {

    public ResolvedSection {
        requireNonNull(section, "section is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(config, "config is null");
        sources = Map.copyOf(requireNonNull(sources, "sources is null"));
        requireNonNull(policy, "policy is null");
    }

    /** A server section, or an instance without a policy of its own. */
    public ResolvedSection(String section, ConfigSpec spec, ProviderConfig config, Map<String, ValueSource> sources) {
        this(section, spec, config, sources, InstancePolicy.INHERIT);
    }

    ResolvedSection withPolicy(InstancePolicy instancePolicy) {
        return new ResolvedSection(section, spec, config, sources, instancePolicy);
    }

    public Optional<ValueSource> source(String key) {
        return Optional.ofNullable(sources.get(key));
    }
}
