package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.security.outbound.TrustedCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Rate limits shared by every replica through Redis ({@code security.rate_limit.store:
 * redis://…}): the same budget per client whichever replica a call reaches, spent by
 * {@link RedisGcra} in one atomic script on the Redis server's clock.
 *
 * <p>Outages. A Redis that does not answer within {@code store_timeout} (300 ms by default) is
 * taken as gone: the call that found out and every call after it get what
 * {@code store_unavailable} says, {@code fail_open} (this replica's own {@link ClientRateLimits},
 * so a client gets at most one budget per replica) or {@code fail_closed} (a refusal that says the
 * store is unreachable). Redis is not asked again on every call, which would add the timeout to
 * each: one call (or readiness probe) every {@link #PROBE_INTERVAL} tries it, and the first that
 * succeeds brings the shared limits back. The loss and the recovery are each logged once, with the
 * store's location and never its credentials. An unreachable store at start-up is the same
 * outage, not a start-up failure, so replicas can start before their Redis.
 *
 * <p>A permit given back ({@link #giveBack}) goes to the store in use at that moment; across a
 * loss or recovery between take and give-back it is lost, which costs one permit at most.
 */
public final class SharedRateLimits implements RateLimitStore {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimits.class);
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final RateLimitConfig config;
    private final SharedStoreConfig store;
    private final UnifiedJedis redis;
    private final RedisGcra gcra;
    private final ClientRateLimits local;
    private final LongSupplier nanoTime;
    private final long probeIntervalNanos;
    private final AtomicBoolean reachable = new AtomicBoolean(false);
    private final AtomicLong nextProbeNanos = new AtomicLong();

    SharedRateLimits(RateLimitConfig config, UnifiedJedis redis, RedisGcra gcra, LongSupplier nanoTime,
                     Duration probeInterval) {
        this.config = requireNonNull(config, "config is null");
        this.store = config.sharedStore().orElseThrow(() -> new IllegalArgumentException("no shared store configured"));
        this.redis = requireNonNull(redis, "redis is null");
        this.gcra = requireNonNull(gcra, "gcra is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.probeIntervalNanos = probeInterval.toNanos();
        this.local = new ClientRateLimits(config, nanoTime);
        startUp();
    }

    /**
     * Connects to the store {@code config} names; an unreachable store is logged and handled as an
     * outage, not thrown.
     *
     * @throws ProviderConfigException when the CA file cannot be used
     */
    public static SharedRateLimits open(RateLimitConfig config) {
        return open(config, PROBE_INTERVAL);
    }

    /** With another probe interval (tests). */
    static SharedRateLimits open(RateLimitConfig config, Duration probeInterval) {
        SharedStoreConfig store = config.sharedStore()
                .orElseThrow(() -> new IllegalArgumentException("no shared store configured"));
        UnifiedJedis redis = client(store);
        return new SharedRateLimits(config, redis, new RedisGcra(redis, config, store.keyPrefix()), System::nanoTime,
                probeInterval);
    }

    private static UnifiedJedis client(SharedStoreConfig store) {
        int timeout = (int) store.timeout().toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .database(store.database())
                .clientName("bastion-rate-limits");
        store.username().ifPresent(client::user);
        store.password().ifPresent(password -> client.password(password.reveal()));
        if (store.tls()) {
            SSLParameters parameters = new SSLParameters();
            // Jedis checks no host name by itself; the JDK does it with this set.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            client.ssl(true).sslParameters(parameters);
            if (store.caFile().isPresent()) {
                Path caFile = store.caFile().get();
                try {
                    client.sslSocketFactory(TrustedCertificates.trusting(caFile, TrustedCertificates.readPem(caFile))
                            .socketFactory());
                } catch (ProviderConfigException e) {
                    // Its messages start with "ca_file": name the whole setting.
                    throw new ProviderConfigException("security.rate_limit.store_" + e.getMessage());
                }
            }
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(32);
        pool.setMaxIdle(8);
        pool.setMinIdle(0);
        // Waiting for a pooled connection is bounded like the commands, so a stuck store never stalls a call.
        pool.setMaxWait(store.timeout());
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(false);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return RedisClient.builder().hostAndPort(store.host(), store.port()).clientConfig(client.build())
                .poolConfig(pool).build();
    }

    private void startUp() {
        nextProbeNanos.set(nanoTime.getAsLong() + probeIntervalNanos);
        try {
            gcra.load();
            reachable.set(true);
            LOG.info("rate limits are shared across replicas through {}", store.location());
        } catch (JedisException | IllegalStateException e) {
            LOG.warn("the shared rate-limit store {} is unreachable at start ({}); {} until it is, trying again"
                    + " every {} ms", store.location(), describe(e), effect(), probeIntervalNanos / 1_000_000);
        }
    }

    @Override
    public RateLimitConfig config() {
        return config;
    }

    @Override
    public Decision tryAcquire(String client, String tool) {
        requireNonNull(client, "client is null");
        requireNonNull(tool, "tool is null");
        if (!config.enabled()) {
            return Decision.ALLOWED;
        }
        if (useStore()) {
            try {
                OptionalLong wait = gcra.take(client, tool);
                recovered();
                return wait.isEmpty() ? Decision.ALLOWED : Decision.limited(Duration.ofNanos(wait.getAsLong()));
            } catch (JedisException | IllegalStateException e) {
                lost(e);
            }
        }
        return store.whenUnavailable() == SharedStoreConfig.WhenUnavailable.FAIL_OPEN
                ? local.tryAcquire(client, tool)
                : Decision.STORE_UNREACHABLE;
    }

    @Override
    public void giveBack(String client, String tool) {
        requireNonNull(client, "client is null");
        requireNonNull(tool, "tool is null");
        if (!config.enabled()) {
            return;
        }
        if (reachable.get()) {
            try {
                gcra.giveBack(client, tool);
                return;
            } catch (JedisException | IllegalStateException e) {
                lost(e);
            }
        }
        local.giveBack(client, tool);
    }

    /**
     * Asks Redis (a {@code PING} while it is reachable, the probe while it is not), so a store that
     * went away between calls or came back is noticed by readiness probes too.
     */
    @Override
    public HealthStatus health() {
        if (reachable.get() || probeDue()) {
            try {
                if (reachable.get()) {
                    redis.ping();
                } else {
                    gcra.load();
                }
                recovered();
            } catch (JedisException | IllegalStateException e) {
                lost(e);
            }
        }
        return reachable.get()
                ? HealthStatus.up("the shared rate-limit store is reachable")
                : HealthStatus.down("the shared rate-limit store is unreachable; " + effect());
    }

    /** Whether a call is refused while the store is unreachable, which makes the server not ready then. */
    public boolean failsClosed() {
        return store.whenUnavailable() == SharedStoreConfig.WhenUnavailable.FAIL_CLOSED;
    }

    /** The store's URL without credentials. */
    public String location() {
        return store.location();
    }

    /** Whether the last attempt reached the store. */
    public boolean reachable() {
        return reachable.get();
    }

    @Override
    public void close() {
        redis.close();
    }

    /** While reachable, always; while not, only for the one caller that wins the due probe. */
    private boolean useStore() {
        return reachable.get() || probeDue();
    }

    private boolean probeDue() {
        long next = nextProbeNanos.get();
        long now = nanoTime.getAsLong();
        return now - next >= 0 && nextProbeNanos.compareAndSet(next, now + probeIntervalNanos);
    }

    private void recovered() {
        if (reachable.compareAndSet(false, true)) {
            LOG.info("the shared rate-limit store {} is reachable again; rate limits are shared across replicas"
                    + " again", store.location());
        }
    }

    private void lost(Exception e) {
        nextProbeNanos.set(nanoTime.getAsLong() + probeIntervalNanos);
        if (reachable.compareAndSet(true, false)) {
            LOG.warn("the shared rate-limit store {} is unreachable ({}); {} until it is back, trying again every {} ms",
                    store.location(), describe(e), effect(), probeIntervalNanos / 1_000_000);
        } else {
            LOG.debug("the shared rate-limit store {} is still unreachable ({})", store.location(), describe(e));
        }
    }

    private String effect() {
        return failsClosed() ? "rate-limited calls are refused (store_unavailable: fail_closed)"
                : "each replica limits calls on its own (store_unavailable: fail_open)";
    }

    /**
     * What went wrong, from the exception's kind and its root cause's JDK message (connection
     * refused, read timed out); Redis's own replies name no credential.
     */
    private String describe(Exception e) {
        if (e instanceof JedisAccessControlException) {
            return "it refused the configured user name or password";
        }
        if (e instanceof JedisDataException) {
            return "it answered with an error: " + firstLine(e.getMessage());
        }
        if (e instanceof JedisConnectionException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root == e ? "" : " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())) + ")";
            return "no connection or no answer within " + store.timeout().toMillis() + " ms" + why;
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
