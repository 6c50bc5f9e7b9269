package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

/** Opens the store {@code security.rate_limit.store} names. */
public final class RateLimitStores {

    private RateLimitStores() {
    }

    /**
     * The in-process limits, or the shared Redis store when one is configured and limits are on
     * (a disabled limiter never connects). Close it when the server stops.
     */
    public static RateLimitStore open(RateLimitConfig config) {
        requireNonNull(config, "config is null");
        if (config.enabled() && config.sharedStore().isPresent()) {
            return SharedRateLimits.open(config);
        }
        return new ClientRateLimits(config);
    }
}
