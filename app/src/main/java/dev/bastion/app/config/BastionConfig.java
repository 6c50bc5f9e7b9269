package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.security.policy.InstancePolicy;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resolved configuration of the whole server: every server section and every configured
 * instance of every enabled provider, typed and checked. Built by {@link ConfigLoader}; immutable.
 */
public final class BastionConfig {

    private final Optional<Path> file;
    private final Map<String, ResolvedSection> sections;
    private final Map<String, List<ResolvedSection>> providers;
    private final List<String> secretValues;

    BastionConfig(Optional<Path> file, List<ResolvedSection> sections,
            Map<String, List<ResolvedSection>> providers, List<String> secretValues) {
        this.file = requireNonNull(file, "file is null");
        Map<String, ResolvedSection> byName = new LinkedHashMap<>();
        for (ResolvedSection section : sections) {
            byName.put(section.section(), section);
        }
        this.sections = Collections.unmodifiableMap(byName);
        Map<String, List<ResolvedSection>> copy = new LinkedHashMap<>();
        providers.forEach((id, instances) -> copy.put(id, List.copyOf(instances)));
        this.providers = Collections.unmodifiableMap(copy);
        this.secretValues = List.copyOf(secretValues);
    }

    /** The YAML file the configuration was read from, if any. */
    public Optional<Path> file() {
        return file;
    }

    /**
     * The resolved values of a server section, such as {@code server} or {@code security}.
     *
     * @throws IllegalArgumentException when the loader was not given a section of that name
     */
    public ProviderConfig section(String name) {
        ResolvedSection section = sections.get(name);
        if (section == null) {
            throw new IllegalArgumentException("no configuration section named " + name);
        }
        return section.config();
    }

    /** The server sections, in the order they were given to the loader. */
    public List<ResolvedSection> sections() {
        return List.copyOf(sections.values());
    }

    /** The ids of the enabled providers, in discovery order. */
    public Set<String> enabledProviders() {
        return providers.keySet();
    }

    /** The configured instances of a provider, first instance first; empty when the provider is not enabled. */
    public List<ProviderConfig> instances(String providerId) {
        return providers.getOrDefault(providerId, List.of()).stream().map(ResolvedSection::config).toList();
    }

    /** Every enabled provider's resolved instances, with the source of each value. */
    public Map<String, List<ResolvedSection>> providers() {
        return providers;
    }

    /**
     * The policy of every configured provider instance ({@code read_only} and {@code approval} in
     * its configuration), by provider id and alias in configuration order; an instance that sets
     * neither is {@link InstancePolicy#INHERIT}.
     */
    public Map<String, Map<String, InstancePolicy>> instancePolicies() {
        Map<String, Map<String, InstancePolicy>> policies = new LinkedHashMap<>();
        providers.forEach((id, instances) -> {
            Map<String, InstancePolicy> byAlias = new LinkedHashMap<>();
            instances.forEach(instance -> byAlias.put(instance.config().alias(), instance.policy()));
            policies.put(id, Collections.unmodifiableMap(byAlias));
        });
        return Collections.unmodifiableMap(policies);
    }

    /**
     * Every resolved secret value, for registration with the redactor before anything is logged.
     * Never print or log this list.
     */
    public List<String> secretValues() {
        return secretValues;
    }

    @Override
    public String toString() {
        // Sections hold Secrets, whose toString masks them; the plain secret list is left out.
        return "BastionConfig[file=" + file.map(Path::toString).orElse("none")
                + ", sections=" + sections.keySet() + ", providers=" + providers.keySet() + "]";
    }
}
