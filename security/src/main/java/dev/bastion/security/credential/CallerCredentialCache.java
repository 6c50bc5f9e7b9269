package dev.bastion.security.credential;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Validates per-caller backend credentials (a token a caller sends with each HTTP request, see
 * {@code ProviderFactory.callerCredentialHeader()}) once, and remembers the outcome for a while.
 * Entries are keyed by the SHA-256 of the credential, so the cache never holds the value itself;
 * refusals are remembered too, so a caller with a bad token cannot make the server hammer the
 * backend. Concurrent first uses of one credential share a single validation. The number of
 * entries is bounded; the least recently used one goes first.
 *
 * @param <T> what a successful validation yields (the account, the token's scopes, a client)
 */
public final class CallerCredentialCache<T> {

    /** Checks a credential against the backend. */
    @FunctionalInterface
    public interface Validator<T> {
        /**
         * @return what the credential grants
         * @throws CallerCredentialException when the backend refuses it; the message is shown to the caller
         */
        T validate(Secret credential) throws CallerCredentialException;
    }

    /** A refused credential; the message must not contain the credential. */
    public static final class CallerCredentialException extends Exception {
        private static final long serialVersionUID = 1L;

        public CallerCredentialException(String message) {
            super(message, null, false, false);
        }
    }

    private record Entry<T>(CompletableFuture<T> outcome, Instant expires) {
    }

    private final Duration ttl;
    private final Duration refusalTtl;
    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param ttl how long a valid credential is trusted without asking the backend again
     * @param refusalTtl how long a refused credential stays refused
     * @param maxEntries the most credentials remembered
     */
    public CallerCredentialCache(Duration ttl, Duration refusalTtl, int maxEntries, Clock clock) {
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.refusalTtl = requireNonNull(refusalTtl, "refusalTtl is null");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * What {@code credential} grants, validated with {@code validator} on first use and then taken
     * from the cache until its entry expires.
     */
    public T resolve(Secret credential, Validator<T> validator) throws CallerCredentialException, InterruptedException {
        requireNonNull(credential, "credential is null");
        requireNonNull(validator, "validator is null");
        String key = fingerprint(credential);
        Instant now = clock.instant();
        CompletableFuture<T> outcome;
        boolean mine = false;
        synchronized (entries) {
            Entry<T> entry = entries.get(key);
            if (entry == null || !entry.expires().isAfter(now)) {
                outcome = new CompletableFuture<>();
                // Until it is known, the entry lives as long as a success would.
                entries.put(key, new Entry<>(outcome, now.plus(ttl)));
                trim();
                mine = true;
            } else {
                outcome = entry.outcome();
            }
        }
        if (mine) {
            try {
                outcome.complete(validator.validate(credential));
            } catch (CallerCredentialException e) {
                outcome.completeExceptionally(e);
                synchronized (entries) {
                    entries.computeIfPresent(key, (k, entry) -> entry.outcome() == outcome
                            ? new Entry<>(outcome, clock.instant().plus(refusalTtl)) : entry);
                }
            } catch (RuntimeException e) {
                // An unexpected failure (backend down) is not a verdict on the credential: forget it.
                outcome.completeExceptionally(new CallerCredentialException(
                        "The credential could not be checked now; retry later."));
                synchronized (entries) {
                    entries.computeIfPresent(key, (k, entry) -> entry.outcome() == outcome ? null : entry);
                }
            }
        }
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CallerCredentialException refused) {
                throw new CallerCredentialException(refused.getMessage());
            }
            throw new CallerCredentialException("The credential could not be checked.");
        }
    }

    /** Forgets a credential (the backend refused it later, say). */
    public void invalidate(Secret credential) {
        synchronized (entries) {
            entries.remove(fingerprint(credential));
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void trim() {
        Iterator<Map.Entry<String, Entry<T>>> eldest = entries.entrySet().iterator();
        while (entries.size() > maxEntries && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    /** The hex SHA-256 of a credential: the cache key, safe to log. */
    public static String fingerprint(Secret credential) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(credential.reveal().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
