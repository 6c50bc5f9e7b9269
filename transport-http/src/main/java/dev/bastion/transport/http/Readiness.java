package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.CallContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /readyz}: runs every provider instance's health check in parallel (each bounded by a
 * timeout: the check runs as a {@link BackgroundCall} with that deadline, cancelled when it is
 * overrun, so its backend requests stop too) and caches the outcome for a few seconds, so probes cannot hammer the backends. The
 * answer says only ok or failing per instance; details (which may name hosts) go to the log.
 *
 * <p>Server components (the shared rate-limit store) are reported under {@code components}: a
 * failing {@linkplain Component#required required} one makes the server not ready (503); a
 * failing optional one, which the server works around, is {@code degraded} and the server stays
 * ready (200), so a load balancer does not take every replica out for an outage they survive.
 * Components log their own state changes, so readiness does not repeat them on every probe.
 */
final class Readiness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    /** One evaluated readiness. */
    record Outcome(boolean ready, ObjectNode body, long atNanos) {
    }

    /** A server component's check; {@code required}: the server cannot serve while it fails. */
    record Component(String name, Supplier<HealthStatus> check, boolean required) {
        Component {
            requireNonNull(name, "name is null");
            requireNonNull(check, "check is null");
        }
    }

    private final Map<String, Function<CallContext, HealthStatus>> checks;
    private final List<Component> components;
    private final long cacheNanos;
    private final Duration timeout;
    private final ExecutorService executor;
    private Outcome last;

    Readiness(Map<String, Function<CallContext, HealthStatus>> checks, Duration cache) {
        this(checks, List.of(), cache, CHECK_TIMEOUT);
    }

    Readiness(Map<String, Function<CallContext, HealthStatus>> checks, List<Component> components, Duration cache) {
        this(checks, components, cache, CHECK_TIMEOUT);
    }

    Readiness(Map<String, Function<CallContext, HealthStatus>> checks, Duration cache, Duration timeout) {
        this(checks, List.of(), cache, timeout);
    }

    Readiness(Map<String, Function<CallContext, HealthStatus>> checks, List<Component> components, Duration cache,
              Duration timeout) {
        this.checks = Map.copyOf(requireNonNull(checks, "checks is null"));
        this.components = List.copyOf(requireNonNull(components, "components is null"));
        this.cacheNanos = cache.toNanos();
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "bastion-readyz");
            thread.setDaemon(true);
            return thread;
        });
    }

    synchronized Outcome evaluate() {
        long now = System.nanoTime();
        if (last != null && now - last.atNanos() < cacheNanos) {
            return last;
        }
        Map<String, CompletableFuture<HealthStatus>> running = new LinkedHashMap<>();
        Map<String, BackgroundCall> calls = new LinkedHashMap<>();
        checks.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            BackgroundCall call = BackgroundCall.within(timeout);
            calls.put(entry.getKey(), call);
            running.put(entry.getKey(), CompletableFuture.supplyAsync(() -> entry.getValue().apply(call), executor));
        });
        ObjectNode providers = JsonNodeFactory.instance.objectNode();
        boolean ready = true;
        for (Map.Entry<String, CompletableFuture<HealthStatus>> entry : running.entrySet()) {
            boolean ok;
            try {
                long left = Math.max(1, calls.get(entry.getKey()).remaining().toMillis());
                HealthStatus status = entry.getValue().get(left, TimeUnit.MILLISECONDS);
                ok = status.healthy();
                if (!ok) {
                    LOG.warn("readiness: provider {} is failing: {}", entry.getKey(), status.detail());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                calls.get(entry.getKey()).cancel("the readiness check timed out");
                entry.getValue().cancel(true);
                LOG.warn("readiness: provider {} did not answer its health check within {} ms", entry.getKey(),
                        timeout.toMillis());
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("readiness: the health check of provider {} failed", entry.getKey());
                ok = false;
            }
            providers.put(entry.getKey(), ok ? "ok" : "failing");
            ready &= ok;
        }
        ObjectNode parts = JsonNodeFactory.instance.objectNode();
        for (Component component : components) {
            boolean ok;
            try {
                ok = component.check().get().healthy();
            } catch (RuntimeException e) {
                LOG.warn("readiness: the check of {} failed: {}", component.name(), e.getClass().getSimpleName());
                ok = false;
            }
            parts.put(component.name(), ok ? "ok" : component.required() ? "failing" : "degraded");
            ready &= ok || !component.required();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", ready ? "ready" : "not_ready");
        body.set("providers", providers);
        if (!components.isEmpty()) {
            body.set("components", parts);
        }
        last = new Outcome(ready, body, System.nanoTime());
        return last;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
