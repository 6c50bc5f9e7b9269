package dev.bastion.app.runtime;

import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.core.spi.Sandbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

    /**
     * Starts every provider's sandbox at once (each generates its data, and the OCI sandbox its keys,
     * on its own thread) and waits for all of them; if one fails, the others are closed.
     */
    static Sandboxes start(List<DiscoveredProvider> providers) {
        Map<String, CompletableFuture<Optional<Sandbox>>> starting = new LinkedHashMap<>();
        for (DiscoveredProvider provider : providers) {
            CompletableFuture<Optional<Sandbox>> future = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    future.complete(provider.factory().startSandbox());
                } catch (RuntimeException | Error e) {
                    future.completeExceptionally(e);
                }
            }, "bastion-sandbox-" + provider.id());
            thread.setDaemon(true);
            thread.start();
            starting.put(provider.id(), future);
        }
        Map<String, Sandbox> running = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (Map.Entry<String, CompletableFuture<Optional<Sandbox>>> entry : starting.entrySet()) {
            try {
                entry.getValue().join().ifPresent(started -> {
                    running.put(entry.getKey(), started);
                    LOG.info("sandbox for {} started ({} instance(s))", entry.getKey(), started.instances().size());
                });
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (failure == null) {
                    failure = new StartupException("A provider sandbox could not start: " + cause.getMessage());
                }
            }
        }
        if (failure != null) {
            running.values().forEach(Sandbox::close);
            throw failure;
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
