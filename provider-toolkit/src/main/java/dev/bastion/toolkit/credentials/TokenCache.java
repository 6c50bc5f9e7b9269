package dev.bastion.toolkit.credentials;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One fetched token, shared by every caller, renewed single-flight: when it is missing or due,
 * the first caller fetches and every concurrent caller waits for that same fetch (its token or
 * its failure), so a burst of calls sends one token request. The due check and the decision to
 * fetch happen under one lock, so no caller can see a stale token as fresh, or start a second
 * fetch, between the two.
 *
 * <p>After a {@code 401} ({@link #invalidate()}) the token is dropped once; the token fetched in
 * its place is marked, and a {@code 401} to that one gives up instead of fetching again. Which
 * token a {@code 401} answered is known per thread: OkHttp runs a call's whole chain, the
 * credentials interceptor and the {@code 401} authenticator included, on one thread, so the token
 * this thread was last handed is the one the backend refused. That keeps a burst of requests that
 * were all sent with the old token from giving up on the new one.
 */
final class TokenCache {

    /** Fetches a fresh token; called by one caller at a time. */
    @FunctionalInterface
    interface Fetcher {
        Fetched fetch() throws IOException;
    }

    /** What a fetch returns: the token and when it is due for renewal. */
    record Fetched(String value, Instant renewAt) {
        Fetched {
            requireNonNull(value, "value is null");
            requireNonNull(renewAt, "renewAt is null");
        }

        @Override
        public String toString() {
            return "Fetched[renewAt=" + renewAt + "]";
        }
    }

    /** A cached token; {@code afterRejection} when it was fetched because the previous one got a 401. */
    record Issued(String value, Instant renewAt, long generation, boolean afterRejection) {
        @Override
        public String toString() {
            return "Issued[generation=" + generation + ", renewAt=" + renewAt + "]";
        }
    }

    private final Fetcher fetcher;
    private final Clock clock;
    private final Object lock = new Object();
    /** The generation of the token last handed to this thread, to tell which token a 401 answered. */
    private final ThreadLocal<Long> handedOut = new ThreadLocal<>();

    private volatile Issued current;
    /** The fetch under way, or {@code null}; guarded by {@link #lock}. */
    private CompletableFuture<Issued> inFlight;
    /** The next fetch replaces a token the backend refused; guarded by {@link #lock}. */
    private boolean replacingRejected;
    private long generations;

    TokenCache(Fetcher fetcher, Clock clock) {
        this.fetcher = requireNonNull(fetcher, "fetcher is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A token that is not due, fetched now (once for all concurrent callers) when needed. */
    Issued get() throws IOException {
        Issued token = current;
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            handedOut.set(token.generation());
            return token;
        }
        CompletableFuture<Issued> flight;
        boolean leader = false;
        boolean afterRejection = false;
        synchronized (lock) {
            token = current;
            if (token != null && clock.instant().isBefore(token.renewAt())) {
                handedOut.set(token.generation());
                return token;
            }
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                leader = true;
                afterRejection = replacingRejected;
                replacingRejected = false;
            }
            flight = inFlight;
        }
        Issued issued = leader ? lead(flight, afterRejection) : await(flight);
        handedOut.set(issued.generation());
        return issued;
    }

    private Issued lead(CompletableFuture<Issued> flight, boolean afterRejection) throws IOException {
        Issued issued;
        try {
            Fetched fetched = fetcher.fetch();
            synchronized (lock) {
                issued = new Issued(fetched.value(), fetched.renewAt(), ++generations, afterRejection);
                current = issued;
                inFlight = null;
            }
        } catch (IOException | RuntimeException | Error e) {
            synchronized (lock) {
                inFlight = null;
                if (afterRejection) {
                    // The replacement could not be had; the next fetch is the second try, not a third.
                    replacingRejected = true;
                }
            }
            flight.completeExceptionally(e);
            throw e;
        }
        flight.complete(issued);
        return issued;
    }

    private static Issued await(CompletableFuture<Issued> flight) throws IOException {
        try {
            return flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a backend token");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CredentialException credentials) {
                // A copy, so each caller's stack trace is its own; the message and the kind are the same.
                throw new CredentialException(cause.getMessage(), credentials.refused());
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        }
    }

    /**
     * After a {@code 401}: drops the token this thread sent, unless it was itself the replacement
     * of a refused token. Returns whether a retry may get a different token.
     */
    boolean invalidate() {
        Long sent = handedOut.get();
        synchronized (lock) {
            Issued token = current;
            if (token == null) {
                return true;
            }
            if (sent != null && sent != token.generation()) {
                // Another caller already replaced the token this request carried.
                return true;
            }
            if (token.afterRejection()) {
                return false;
            }
            current = null;
            replacingRejected = true;
            return true;
        }
    }

    /** Drops {@code token} when it is still the current one (a keepalive found it dead). */
    void drop(Issued token) {
        synchronized (lock) {
            if (current == token) {
                current = null;
            }
        }
    }

    /** The cached token, due or not, without fetching; {@code null} when there is none. */
    Issued peek() {
        return current;
    }
}
