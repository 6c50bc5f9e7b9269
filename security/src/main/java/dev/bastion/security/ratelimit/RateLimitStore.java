package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.HealthStatus;
import java.time.Duration;

/**
 * Where the per-client budgets live: in this process ({@link ClientRateLimits}) or shared by
 * every replica ({@link SharedRateLimits}, Redis). Both run the same generic cell rate algorithm
 * with the same settings, so the choice changes only who shares a budget, never how it is spent.
 */
public interface RateLimitStore extends AutoCloseable {

    /** The outcome of one attempt. */
    record Decision(Outcome outcome, Duration retryAfter) {
        public static final Decision ALLOWED = new Decision(Outcome.ALLOWED, Duration.ZERO);
        /** Refused because the shared store cannot be reached and the limits fail closed. */
        public static final Decision STORE_UNREACHABLE = new Decision(Outcome.STORE_UNREACHABLE, Duration.ZERO);

        public Decision {
            requireNonNull(outcome, "outcome is null");
            requireNonNull(retryAfter, "retryAfter is null");
        }

        public static Decision limited(Duration retryAfter) {
            return new Decision(Outcome.LIMITED, retryAfter);
        }

        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    enum Outcome {
        ALLOWED,
        /** The client has used up its budget; {@link Decision#retryAfter} says when the next permit comes. */
        LIMITED,
        STORE_UNREACHABLE
    }

    RateLimitConfig config();

    /** Takes one permit for {@code client} (and {@code tool} when limits are per tool), if one is left. */
    Decision tryAcquire(String client, String tool);

    /** Returns the permit of a call that was refused before it reached its tool. */
    void giveBack(String client, String tool);

    /**
     * Whether the store can be used now; the in-process store always can. The detail names no
     * host and no credential, so {@code /readyz} and {@code bastion check} may show it.
     */
    default HealthStatus health() {
        return HealthStatus.up("rate limits are kept in this process");
    }

    /** Releases connections; the in-process store holds none. */
    @Override
    default void close() {
    }
}
