package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderFactory;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A named part of the configuration and the settings it accepts: a top-level server section such as
 * {@code server}, {@code logging} or {@code security}, or a provider section {@code providers.<id>}.
 * The YAML key of a setting is the section name followed by the setting key.
 *
 * @param name the section name: one snake_case word, or {@code providers.} followed by a provider id
 * @param spec the settings of the section
 * @param check builds the section's typed settings from its resolved values, so that the rules that
 *     join several settings (and the typed records' own invariants) are checked when the
 *     configuration is loaded: by {@code bastion config} as by {@code serve}, once
 */
public record ConfigSection(String name, ConfigSpec spec, Check check) {

    /** The typed reading of a section; a problem is a {@link ProviderConfigException} that names the setting. */
    @FunctionalInterface
    public interface Check {
        Check NONE = (section, environment) -> { };

        void check(ProviderConfig section, Map<String, String> environment);
    }

    static final String PROVIDERS = "providers";
    private static final Pattern SERVER_NAME = Pattern.compile("^[a-z][a-z0-9_]*$");
    private static final Pattern PROVIDER_NAME = Pattern.compile("^providers\\.[a-z0-9][a-z0-9-]*$");

    public ConfigSection {
        requireNonNull(name, "name is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(check, "check is null");
        boolean serverSection = SERVER_NAME.matcher(name).matches() && !name.equals(PROVIDERS);
        if (!serverSection && !PROVIDER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("section name must be a snake_case word or providers.<id>: " + name);
        }
    }

    public ConfigSection(String name, ConfigSpec spec) {
        this(name, spec, Check.NONE);
    }

    /** The section of a provider, named {@code providers.<id>}. */
    public static ConfigSection forProvider(ProviderFactory factory) {
        requireNonNull(factory, "factory is null");
        return new ConfigSection(PROVIDERS + "." + factory.id(), factory.configSpec());
    }

    /** Whether this is a provider section rather than a server section. */
    public boolean isProvider() {
        return name.startsWith(PROVIDERS + ".");
    }
}
