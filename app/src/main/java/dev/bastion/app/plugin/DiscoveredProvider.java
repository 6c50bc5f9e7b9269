package dev.bastion.app.plugin;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderFactory;

/**
 * A provider factory found at startup.
 *
 * @param factory the factory
 * @param source {@value #CLASSPATH} or the path of the plugin jar it came from
 */
public record DiscoveredProvider(ProviderFactory factory, String source) {

    public static final String CLASSPATH = "classpath";

    public DiscoveredProvider {
        requireNonNull(factory, "factory is null");
        requireNonNull(source, "source is null");
    }

    public String id() {
        return factory.id();
    }
}
