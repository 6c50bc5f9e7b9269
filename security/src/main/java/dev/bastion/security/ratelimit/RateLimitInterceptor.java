package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.validate.ArgumentValidationInterceptor;

/**
 * Refuses a call when its client (the principal; on stdio the local process owner) has used up its
 * rate: {@code rate_limit.requests_per_minute} with a burst of {@code rate_limit.burst_size}. A call
 * the argument validation refuses gives its permit back. Where the budgets live (this process or
 * Redis, shared by replicas) is the {@link RateLimitStore}'s business.
 */
public final class RateLimitInterceptor implements ToolCallInterceptor {

    /** The refusal code while a fail-closed shared store is unreachable. */
    public static final String STORE_UNREACHABLE = "rate_limit_store_unreachable";

    private final RateLimitStore limits;

    public RateLimitInterceptor(RateLimitStore limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    public RateLimitInterceptor(RateLimitConfig config) {
        this(new ClientRateLimits(config));
    }

    @Override
    public Stage stage() {
        return Stage.RATE_LIMIT;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        String client = call.context().principal().name();
        RateLimitStore.Decision decision = limits.tryAcquire(client, call.tool().name());
        if (decision.allowed()) {
            ToolResult result = chain.proceed(call);
            if (call.decision().denied()
                    && ArgumentValidationInterceptor.INVALID_ARGUMENTS.equals(call.decision().decision())) {
                // Refused before any tool ran: the agent fixing its arguments keeps its budget.
                limits.giveBack(client, call.tool().name());
            }
            return result;
        }
        if (decision.outcome() == RateLimitStore.Outcome.STORE_UNREACHABLE) {
            return call.deny(STORE_UNREACHABLE, "The shared rate-limit store is unreachable, and this server refuses"
                    + " rate-limited calls until it is back (security.rate_limit.store_unavailable: fail_closed)."
                    + " Retry in a few seconds.");
        }
        RateLimitConfig config = limits.config();
        long seconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
        String scope = config.perTool() ? client + " on tool " + call.tool().name() : client;
        return call.deny("rate_limited", "Rate limit exceeded for " + scope + ": " + config.requestsPerMinute()
                + " requests per minute (burst " + config.burstSize() + "). Retry after " + seconds + " s.");
    }
}
