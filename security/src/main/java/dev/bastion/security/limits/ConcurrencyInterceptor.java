package dev.bastion.security.limits;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Caps the calls one client (principal) may have running at once ({@code max_concurrent_calls}).
 * A client's counter exists only while it has calls running, so the map never holds more entries
 * than there are running calls; {@code maxClients} bounds it further against a flood of principals.
 */
public final class ConcurrencyInterceptor implements ToolCallInterceptor {

    public static final int DEFAULT_MAX_CLIENTS = 10_000;

    private final int maxConcurrentCalls;
    private final int maxClients;
    private final ConcurrentMap<String, Integer> running = new ConcurrentHashMap<>();

    public ConcurrencyInterceptor(int maxConcurrentCalls, int maxClients) {
        if (maxConcurrentCalls < 1 || maxClients < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls and maxClients must be positive");
        }
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.maxClients = maxClients;
    }

    public ConcurrencyInterceptor(LimitsConfig config) {
        this(config.maxConcurrentCalls(), DEFAULT_MAX_CLIENTS);
    }

    @Override
    public Stage stage() {
        return Stage.CONCURRENCY;
    }

    /** Clients with calls running now. */
    public int activeClients() {
        return running.size();
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        String client = call.context().principal().name();
        if (!running.containsKey(client) && running.size() >= maxClients) {
            return call.deny("overloaded", "The server is serving calls for too many clients (" + maxClients
                    + ") and cannot start " + call.tool().name() + " now; retry in a moment.");
        }
        boolean[] admitted = {false};
        running.compute(client, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxConcurrentCalls) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            return call.deny("too_many_concurrent_calls", "Too many concurrent calls for " + client + ": at most "
                    + maxConcurrentCalls + " at a time (security.max_concurrent_calls). Wait for a running call to "
                    + "finish, then retry.");
        }
        try {
            return chain.proceed(call);
        } finally {
            running.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
        }
    }
}
