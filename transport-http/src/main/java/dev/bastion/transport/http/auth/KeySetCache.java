package dev.bastion.transport.http.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization server's key set, fetched on a background thread so a request never waits long
 * for it. A request thread waits at most {@code maxWait} for a fetch in flight, then the request is
 * answered 503 with {@code Retry-After}: a hanging key set endpoint cannot hold the server's request
 * threads, nor let the slow-client guard cut requests off without an answer.
 *
 * <p>Fetches happen: at construction; ahead of time, once half the cache lifetime has passed; and
 * when a token names a key id the set does not hold, at most once per refresh interval. A key set
 * older than its lifetime is no longer used. Only one fetch runs at a time.
 */
final class KeySetCache implements JWKSource<SecurityContext> {

    private static final Logger LOG = LoggerFactory.getLogger(KeySetCache.class);

    private record Snapshot(JWKSet keys, long fetchedNanos) {
    }

    private final URL url;
    private final ResourceRetriever retriever;
    private final long ttlNanos;
    private final long refreshNanos;
    private final long maxWaitNanos;
    private final LongSupplier clock;
    private final ThreadPoolExecutor fetcher;
    private volatile Snapshot snapshot;
    private CompletableFuture<Void> inFlight;
    private long lastFetchStartNanos;
    private boolean fetchedOnce;

    KeySetCache(URL url, ResourceRetriever retriever, Duration ttl, Duration refreshInterval, Duration maxWait,
                LongSupplier nanoClock) {
        this.url = requireNonNull(url, "url is null");
        this.retriever = requireNonNull(retriever, "retriever is null");
        this.ttlNanos = ttl.toNanos();
        this.refreshNanos = refreshInterval.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
        this.clock = requireNonNull(nanoClock, "nanoClock is null");
        // One thread at most, gone when idle: an authenticator that is dropped leaves nothing running.
        this.fetcher = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "bastion-jwks-fetch");
            thread.setDaemon(true);
            return thread;
        });
        fetch(true);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = clock.getAsLong();
        Snapshot current = snapshot;
        if (current == null || now - current.fetchedNanos() > ttlNanos) {
            current = await(fetch(false), now);
        } else if (now - current.fetchedNanos() > ttlNanos / 2) {
            fetch(false);
        }
        List<JWK> matches = selector.select(current.keys());
        if (!matches.isEmpty()) {
            return matches;
        }
        CompletableFuture<Void> refresh = fetch(false);
        if (refresh == null) {
            // Fetched within the refresh interval and the key is not there: the caller's fault (401).
            return matches;
        }
        return selector.select(await(refresh, now).keys());
    }

    /**
     * Starts a fetch unless one runs or the last one started within the refresh interval.
     *
     * @return the fetch in flight (new or running), or null when none runs and none may start
     */
    private synchronized CompletableFuture<Void> fetch(boolean initial) {
        if (inFlight != null && !inFlight.isDone()) {
            return inFlight;
        }
        long now = clock.getAsLong();
        if (fetchedOnce && now - lastFetchStartNanos < refreshNanos && !initial) {
            return null;
        }
        fetchedOnce = true;
        lastFetchStartNanos = now;
        inFlight = CompletableFuture.runAsync(this::retrieve, fetcher);
        return inFlight;
    }

    private void retrieve() {
        try {
            JWKSet keys = JWKSet.parse(retriever.retrieveResource(url).getContent());
            snapshot = new Snapshot(keys, clock.getAsLong());
        } catch (Exception e) {
            // Once per fetch, and fetches are rate-limited: this cannot flood the log.
            LOG.warn("the authorization server's key set could not be fetched: {}", e.getMessage());
            throw new IllegalStateException("the key set could not be fetched", e);
        }
    }

    /** The snapshot once {@code fetch} completes, waiting at most {@code maxWait}; or a 503 for the caller. */
    private Snapshot await(CompletableFuture<Void> fetch, long startedNanos) throws KeySourceException {
        if (fetch != null) {
            long left = maxWaitNanos - (clock.getAsLong() - startedNanos);
            try {
                fetch.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new KeySourceException("the key set is still being fetched");
            } catch (ExecutionException e) {
                // logged by retrieve(); the outcome below decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeySourceException("interrupted while waiting for the key set");
            }
        }
        Snapshot current = snapshot;
        if (current == null || clock.getAsLong() - current.fetchedNanos() > ttlNanos) {
            throw new KeySourceException("no current key set");
        }
        return current;
    }
}
