package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down guessing: per client address, a bucket of {@code burst} failed authentications that
 * refills by one every {@code refill}. While an address's bucket is empty its requests are refused
 * with 429 before any credential is checked, so a guess made then teaches nothing, right or wrong.
 * A brute force is held to one guess per {@code refill} per address.
 *
 * <p>Memory is bounded: at most {@code maxAddresses} addresses are tracked, the least recently
 * failing one is forgotten first, and a bucket that has refilled completely is dropped when next
 * seen. The address is the connection's peer: behind a proxy every client shares the proxy's.
 */
final class AuthFailureThrottle {

    static final int DEFAULT_BURST = 10;
    static final Duration DEFAULT_REFILL = Duration.ofSeconds(1);
    static final int DEFAULT_MAX_ADDRESSES = 10_000;

    /** Failures still allowed, in refill units ({@code refillNanos} each), and when it was computed. */
    private static final class Bucket {
        double failuresLeft;
        long updatedNanos;
    }

    private final int burst;
    private final long refillNanos;
    private final int maxAddresses;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Bucket> buckets;

    AuthFailureThrottle(int burst, Duration refill, int maxAddresses, LongSupplier nanoClock) {
        if (burst < 1 || maxAddresses < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("burst, refill and maxAddresses must be positive");
        }
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.maxAddresses = maxAddresses;
        this.clock = requireNonNull(nanoClock, "nanoClock is null");
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > AuthFailureThrottle.this.maxAddresses;
            }
        };
    }

    static AuthFailureThrottle defaults() {
        return new AuthFailureThrottle(DEFAULT_BURST, DEFAULT_REFILL, DEFAULT_MAX_ADDRESSES, System::nanoTime);
    }

    /** How long {@code address} must wait before its credentials are checked again; 0 when it may try now. */
    synchronized long waitNanos(String address) {
        Bucket bucket = refreshed(address);
        if (bucket == null || bucket.failuresLeft >= 1) {
            return 0;
        }
        return (long) Math.ceil((1 - bucket.failuresLeft) * refillNanos);
    }

    /**
     * Records a failed authentication from {@code address}.
     *
     * @return true when this failure used up the address's last allowed failure (log it once)
     */
    synchronized boolean failed(String address) {
        Bucket bucket = refreshed(address);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.failuresLeft = burst;
            bucket.updatedNanos = clock.getAsLong();
            buckets.put(address, bucket);
        }
        boolean hadOne = bucket.failuresLeft >= 1;
        bucket.failuresLeft = Math.max(0, bucket.failuresLeft - 1);
        return hadOne && bucket.failuresLeft < 1;
    }

    /** The address's bucket refilled to now, or null when it is not tracked (or refilled completely). */
    private Bucket refreshed(String address) {
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            return null;
        }
        long now = clock.getAsLong();
        bucket.failuresLeft = Math.min(burst, bucket.failuresLeft + (double) (now - bucket.updatedNanos) / refillNanos);
        bucket.updatedNanos = now;
        if (bucket.failuresLeft >= burst) {
            buckets.remove(address);
            return null;
        }
        return bucket;
    }

    int burst() {
        return burst;
    }

    long refillMillis() {
        return refillNanos / 1_000_000;
    }

    synchronized int tracked() {
        return buckets.size();
    }
}
