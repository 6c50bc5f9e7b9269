package dev.bastion.transport.http;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the open GET event streams, per principal and server-wide. A stream holds a connection for as
 * long as it lasts; without a cap one caller could hold every connection the server accepts, and
 * then nobody (not even a health check) gets an answer. The server-wide cap is kept well below the
 * connection limit (see {@link HttpSettings}), so calls and health checks always find a connection.
 * Memory is bounded: a principal's count is dropped when its last stream ends.
 */
final class StreamLimiter {

    /** What an attempt to open a stream got. */
    sealed interface Admission permits Granted, Refused {
    }

    /** A permit; {@link #release} is idempotent and must run when the stream ends. */
    static final class Granted implements Admission {
        private final StreamLimiter limiter;
        private final String principal;
        private final AtomicBoolean released = new AtomicBoolean();

        private Granted(StreamLimiter limiter, String principal) {
            this.limiter = limiter;
            this.principal = principal;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                limiter.release(principal);
            }
        }
    }

    /**
     * @param reason {@code principal_limit} or {@code server_limit} (the metric's label)
     * @param status 429 for the caller's own cap, 503 for the server's
     */
    record Refused(String reason, int status, String message) implements Admission {
    }

    private final int maxStreams;
    private final int maxPerPrincipal;
    private final Map<String, Integer> byPrincipal = new HashMap<>();
    private int open;

    StreamLimiter(int maxStreams, int maxPerPrincipal) {
        if (maxStreams < 1 || maxPerPrincipal < 1) {
            throw new IllegalArgumentException("maxStreams and maxPerPrincipal must be positive");
        }
        this.maxStreams = maxStreams;
        this.maxPerPrincipal = Math.min(maxPerPrincipal, maxStreams);
    }

    synchronized Admission acquire(String principal) {
        int held = byPrincipal.getOrDefault(principal, 0);
        if (held >= maxPerPrincipal) {
            return new Refused("principal_limit", 429, "Too Many Requests: you already hold " + held + " open event "
                    + "streams, the most one caller may hold; close one before opening another");
        }
        if (open >= maxStreams) {
            return new Refused("server_limit", 503, "Service Unavailable: the server holds its maximum of "
                    + maxStreams + " open event streams; try again later");
        }
        byPrincipal.put(principal, held + 1);
        open++;
        return new Granted(this, principal);
    }

    private synchronized void release(String principal) {
        open--;
        byPrincipal.computeIfPresent(principal, (name, held) -> held <= 1 ? null : held - 1);
    }

    synchronized int open() {
        return open;
    }

    synchronized int principals() {
        return byPrincipal.size();
    }
}
