package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One resilience4j rate limiter per client (or per client and tool), kept in a bounded LRU map.
 *
 * <p>Design. resilience4j's {@link AtomicRateLimiter} grants {@code limitForPeriod} permits per
 * refresh period and lets unused permits accumulate up to {@code limitForPeriod}; its first period
 * starts when the limiter is created, with all permits available. Configured with
 * {@code limitForPeriod = burst_size} and {@code limitRefreshPeriod = burst_size × 60 s ÷
 * requests_per_minute}, it is a bucket that holds at most {@code burst_size} permits and refills
 * {@code burst_size} permits per period: exactly {@code burst_size} immediate calls for a new
 * client, then on average {@code requests_per_minute} per minute. The refill comes in steps of
 * {@code burst_size} rather than one permit at a time; that keeps to the configured rate and burst
 * and needs no hand-written bucket. At the defaults (60 per minute, burst 10) the period is 10 s.
 *
 * <p>A limiter is created on a client's first call, so the acceptance "a client gets exactly 10
 * immediate calls and is then throttled, while a second client is unaffected" holds without any
 * dependency on wall-clock alignment. The map keeps at most {@code max_clients} limiters and drops
 * the least recently used; a forgotten client starts again with a full burst, which bounds memory
 * under a flood of distinct principals at the price of at most one extra burst for the evicted.
 */
public final class ClientRateLimits {

    /** The outcome of one attempt. */
    public record Decision(boolean allowed, Duration retryAfter) {
        static final Decision ALLOWED = new Decision(true, Duration.ZERO);
    }

    private final RateLimitConfig config;
    private final RateLimiterConfig limiterConfig;
    private final Map<String, RateLimiter> limiters;

    public ClientRateLimits(RateLimitConfig config) {
        this.config = requireNonNull(config, "config is null");
        long periodNanos = Math.max(1, config.burstSize() * 60_000_000_000L / config.requestsPerMinute());
        this.limiterConfig = RateLimiterConfig.custom()
                .limitForPeriod(config.burstSize())
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(Duration.ZERO)
                .build();
        int max = config.maxClients();
        this.limiters = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
                return size() > max;
            }
        };
    }

    public RateLimitConfig config() {
        return config;
    }

    /** Takes one permit for {@code client} (and {@code tool} when limits are per tool), if one is left. */
    public Decision tryAcquire(String client, String tool) {
        requireNonNull(client, "client is null");
        requireNonNull(tool, "tool is null");
        if (!config.enabled()) {
            return Decision.ALLOWED;
        }
        RateLimiter limiter = limiter(config.perTool() ? client + '\u0000' + tool : client);
        if (limiter.acquirePermission()) {
            return Decision.ALLOWED;
        }
        long nanos = limiter instanceof AtomicRateLimiter atomic
                ? atomic.getDetailedMetrics().getNanosToWait()
                : limiterConfig.getLimitRefreshPeriod().toNanos();
        return new Decision(false, Duration.ofNanos(Math.max(0, nanos)));
    }

    /** How many limiters are held now; never more than {@code max_clients}. */
    public int trackedClients() {
        synchronized (limiters) {
            return limiters.size();
        }
    }

    private RateLimiter limiter(String key) {
        synchronized (limiters) {
            return limiters.computeIfAbsent(key, k -> new AtomicRateLimiter("client", limiterConfig));
        }
    }
}
