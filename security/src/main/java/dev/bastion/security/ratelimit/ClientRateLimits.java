package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per client (or per client and tool), kept in a bounded LRU map.
 *
 * <p>Design. Each bucket holds at most {@code burst_size} permits and gains one permit every
 * {@code 60 s ÷ requests_per_minute}, one at a time, computed as the generic cell rate algorithm
 * (one "theoretical arrival time" per client, no timer): a call is allowed when that time is at most
 * {@code (burst_size − 1)} intervals ahead of now, and moves it one interval on. So a new client gets
 * exactly {@code burst_size} immediate calls and, after a burst, its next call as soon as one
 * interval has passed, which is what an interactive agent does (a burst of parallel calls, then one
 * every second or so).
 *
 * <p>This replaced resilience4j's {@code AtomicRateLimiter}, which refills {@code limitForPeriod}
 * permits in one step per period: configured as a bucket of {@code burst_size}, it refused every call
 * for a whole period ({@code burst_size × 60 s ÷ requests_per_minute}, 10 s at the old defaults)
 * after a burst, however slowly the client continued.
 *
 * <p>A permit given for a call that the argument validation then refused is given back
 * ({@link #giveBack}): the call reached no tool, and an agent correcting its arguments should not
 * pay for its mistake in budget. The map keeps at most {@code max_clients} buckets and drops the
 * least recently used; a forgotten client starts again with a full burst, which bounds memory under
 * a flood of distinct principals at the price of at most one extra burst for the evicted.
 *
 * <p>{@link SharedRateLimits} runs the same algorithm in Redis ({@code gcra.lua} restates
 * {@link Bucket#take} and {@link Bucket#giveBack}); a change here must be made there too, and
 * {@code RedisGcraTraceTest} proves the two agree.
 */
public final class ClientRateLimits implements RateLimitStore {

    private final RateLimitConfig config;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final long toleranceNanos;
    private final Map<String, Bucket> buckets;

    public ClientRateLimits(RateLimitConfig config) {
        this(config, System::nanoTime);
    }

    /** With {@code nanoTime} as the clock ({@link System#nanoTime} in production), so a trace can be replayed. */
    public ClientRateLimits(RateLimitConfig config, LongSupplier nanoTime) {
        this.config = requireNonNull(config, "config is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.intervalNanos = config.intervalNanos();
        this.toleranceNanos = config.toleranceNanos();
        int max = config.maxClients();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public RateLimitConfig config() {
        return config;
    }

    @Override
    public Decision tryAcquire(String client, String tool) {
        requireNonNull(client, "client is null");
        requireNonNull(tool, "tool is null");
        if (!config.enabled()) {
            return Decision.ALLOWED;
        }
        long wait = bucket(key(client, tool)).take(nanoTime.getAsLong(), intervalNanos, toleranceNanos);
        return wait == 0 ? Decision.ALLOWED : Decision.limited(Duration.ofNanos(wait));
    }

    /** Returns the permit of a call that was refused before it reached its tool (see the class comment). */
    @Override
    public void giveBack(String client, String tool) {
        requireNonNull(client, "client is null");
        requireNonNull(tool, "tool is null");
        if (!config.enabled()) {
            return;
        }
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.get(key(client, tool));
        }
        if (bucket != null) {
            bucket.giveBack(nanoTime.getAsLong(), intervalNanos);
        }
    }

    /** How many buckets are held now; never more than {@code max_clients}. */
    public int trackedClients() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private String key(String client, String tool) {
        return config.perTool() ? client + '\u0000' + tool : client;
    }

    private Bucket bucket(String key) {
        synchronized (buckets) {
            return buckets.computeIfAbsent(key, k -> new Bucket(nanoTime.getAsLong()));
        }
    }

    /** One client's theoretical arrival time: when its bucket would be full again. */
    private static final class Bucket {
        private long theoreticalArrival;

        Bucket(long now) {
            this.theoreticalArrival = now;
        }

        /** 0 when a permit was taken, else how long until one is available, in nanoseconds. */
        synchronized long take(long now, long interval, long tolerance) {
            long arrival = Math.max(theoreticalArrival, now);
            long early = arrival - now - tolerance;
            if (early > 0) {
                return early;
            }
            theoreticalArrival = arrival + interval;
            return 0;
        }

        synchronized void giveBack(long now, long interval) {
            theoreticalArrival = Math.max(now, theoreticalArrival - interval);
        }
    }
}
