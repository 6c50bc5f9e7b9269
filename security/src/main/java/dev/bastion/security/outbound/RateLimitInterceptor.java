package dev.bastion.security.outbound;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The per-backend client-side request rate limit. Every attempt, retries included, takes one
 * permit; a request waits for its permit at most {@code maxWait} (and stops waiting when its call
 * is cancelled), then fails with {@link ClientRateLimitException} without being sent.
 */
final class RateLimitInterceptor implements Interceptor {

    private final String backendName;
    private final double maxRequestsPerSecond;
    private final RateLimiter limiter;

    RateLimitInterceptor(String backendName, double maxRequestsPerSecond, Duration maxWait) {
        this.backendName = backendName;
        this.maxRequestsPerSecond = maxRequestsPerSecond;
        // Allow a burst of up to one second's worth of requests (at least one), refilled at the
        // configured average rate: 2.5/s becomes 2 permits every 800 ms, 0.5/s 1 permit every 2 s.
        int permits = (int) Math.max(1, Math.floor(maxRequestsPerSecond));
        long periodNanos = Math.max(1, Math.round(permits * 1_000_000_000d / maxRequestsPerSecond));
        this.limiter = RateLimiter.of(backendName, RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(maxWait)
                .build());
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        long waitNanos = limiter.reservePermission();
        if (waitNanos < 0) {
            throw new ClientRateLimitException(backendName, maxRequestsPerSecond);
        }
        if (waitNanos > 0) {
            CallAwareSleep.sleep(chain.call(), waitNanos);
        }
        return chain.proceed(chain.request());
    }
}
