package dev.bastion.app.runtime;

import static java.util.Objects.requireNonNull;

import dev.bastion.app.config.BastionConfig;
import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.sanitize.ErrorSanitizer;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The created provider instances: one per configured alias of every enabled provider. */
public final class ProviderInstances implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderInstances.class);

    /** One created instance with where its provider came from and its configuration. */
    public record Entry(DiscoveredProvider source, ProviderConfig config, ProviderInstance instance) {
        public Entry {
            requireNonNull(source, "source is null");
            requireNonNull(config, "config is null");
            requireNonNull(instance, "instance is null");
        }
    }

    private final List<Entry> entries;

    private ProviderInstances(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Creates every configured instance. A provider that refuses its configuration stops startup
     * with its own message; instances already created are closed.
     */
    static ProviderInstances create(List<DiscoveredProvider> discovered, BastionConfig config,
                                    ProviderContext context, ErrorSanitizer sanitizer) {
        List<Entry> created = new ArrayList<>();
        try {
            for (DiscoveredProvider provider : discovered) {
                for (ProviderConfig instanceConfig : config.instances(provider.id())) {
                    String name = provider.id() + "/" + instanceConfig.alias();
                    Provider instance;
                    try {
                        instance = provider.factory().create(instanceConfig, context);
                    } catch (ProviderConfigException e) {
                        throw new StartupException("Provider " + name + " cannot start: " + e.getMessage());
                    } catch (RuntimeException e) {
                        throw new StartupException("Provider " + name + " failed to start: "
                                + sanitizer.sanitize("provider " + name, e));
                    }
                    created.add(new Entry(provider, instanceConfig, new ProviderInstance(provider.id(),
                            provider.factory().toolPrefix(), instanceConfig.alias(),
                            provider.factory().instanceArgument(), instance)));
                    LOG.info("provider {} ready ({} tools, from {})", name, instance.tools().size(), provider.source());
                }
            }
        } catch (RuntimeException e) {
            created.forEach(entry -> closeQuietly(entry.instance()));
            throw e;
        }
        return new ProviderInstances(created);
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<ProviderInstance> instances() {
        return entries.stream().map(Entry::instance).toList();
    }

    private static void closeQuietly(ProviderInstance instance) {
        try {
            instance.provider().close();
        } catch (RuntimeException e) {
            LOG.warn("provider {}/{} did not close cleanly: {}", instance.providerId(), instance.alias(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        entries.forEach(entry -> closeQuietly(entry.instance()));
    }
}
