package dev.bastion.app.runtime;

import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.core.spi.Sandbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backend simulators started for {@code --sandbox}, one per provider that ships one. */
public final class Sandboxes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandboxes.class);

    private final Map<String, Sandbox> running;

    private Sandboxes(Map<String, Sandbox> running) {
        this.running = running;
    }

    static Sandboxes none() {
        return new Sandboxes(Map.of());
    }

    static Sandboxes start(List<DiscoveredProvider> providers) {
        Map<String, Sandbox> running = new LinkedHashMap<>();
        try {
            for (DiscoveredProvider provider : providers) {
                Optional<Sandbox> sandbox = provider.factory().startSandbox();
                sandbox.ifPresent(started -> {
                    running.put(provider.id(), started);
                    LOG.info("sandbox for {} started ({} instance(s))", provider.id(), started.instances().size());
                });
            }
        } catch (RuntimeException e) {
            running.values().forEach(Sandbox::close);
            throw new StartupException("A provider sandbox could not start: " + e.getMessage());
        }
        return new Sandboxes(running);
    }

    /** The instance configurations of every sandboxed provider, by provider id. */
    Map<String, List<Map<String, Object>>> instances() {
        Map<String, List<Map<String, Object>>> instances = new LinkedHashMap<>();
        running.forEach((id, sandbox) -> instances.put(id, sandbox.instances()));
        return instances;
    }

    <T extends Sandbox> Optional<T> find(Class<T> type) {
        return running.values().stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    boolean isEmpty() {
        return running.isEmpty();
    }

    @Override
    public void close() {
        running.values().forEach(Sandbox::close);
    }
}
