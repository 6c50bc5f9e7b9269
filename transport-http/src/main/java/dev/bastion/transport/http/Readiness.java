package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.CallContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /readyz}: runs every provider instance's health check in parallel (each bounded by a
 * timeout: the check runs as a {@link BackgroundCall} with that deadline, cancelled when it is
 * overrun, so its backend requests stop too) and caches the outcome for a few seconds, so probes cannot hammer the backends. The
 * answer says only ok or failing per instance; details (which may name hosts) go to the log.
 */
final class Readiness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    /** One evaluated readiness. */
    record Outcome(boolean ready, ObjectNode body, long atNanos) {
    }

    private final Map<String, Function<CallContext, HealthStatus>> checks;
    private final long cacheNanos;
    private final Duration timeout;
    private final ExecutorService executor;
    private Outcome last;

    Readiness(Map<String, Function<CallContext, HealthStatus>> checks, Duration cache) {
        this(checks, cache, CHECK_TIMEOUT);
    }

    Readiness(Map<String, Function<CallContext, HealthStatus>> checks, Duration cache, Duration timeout) {
        this.checks = Map.copyOf(requireNonNull(checks, "checks is null"));
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
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", ready ? "ready" : "not_ready");
        body.set("providers", providers);
        last = new Outcome(ready, body, System.nanoTime());
        return last;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
