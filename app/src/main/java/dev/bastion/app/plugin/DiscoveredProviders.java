package dev.bastion.app.plugin;

import dev.bastion.core.spi.ProviderFactory;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers found at startup, in discovery order (classpath first, then plugin jars by name).
 * Holds the plugin jars' class loaders: close it only when the server stops, after every provider
 * has been closed, since providers may still load classes lazily.
 */
public final class DiscoveredProviders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveredProviders.class);

    private final List<DiscoveredProvider> providers;
    private final List<URLClassLoader> loaders;

    DiscoveredProviders(List<DiscoveredProvider> providers, List<URLClassLoader> loaders) {
        this.providers = List.copyOf(providers);
        this.loaders = List.copyOf(loaders);
    }

    public List<DiscoveredProvider> all() {
        return providers;
    }

    /** The factories alone, for {@link dev.bastion.app.config.ConfigLoader.Builder#providers}. */
    public List<ProviderFactory> factories() {
        return providers.stream().map(DiscoveredProvider::factory).toList();
    }

    public Optional<DiscoveredProvider> byId(String id) {
        return providers.stream().filter(provider -> provider.id().equals(id)).findFirst();
    }

    @Override
    public void close() {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("Could not close a plugin class loader: {}", e.getMessage());
            }
        }
    }
}
