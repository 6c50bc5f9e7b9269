package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The GCRA of {@link ClientRateLimits}, run in Redis by {@code gcra.lua} so that a take or a
 * give-back is one atomic step for every replica. The script is sent once ({@code SCRIPT LOAD})
 * and then called by its SHA-1 ({@code EVALSHA}); a server that forgot it (restart, {@code SCRIPT
 * FLUSH}) answers {@code NOSCRIPT} and gets the whole script ({@code EVAL}), which loads it again.
 *
 * <p>Key naming. A bucket's key is the configured prefix ({@code bastion:rl:}) plus the hex
 * SHA-256 of the client (and {@code \0} and the tool when limits are per tool), so no principal
 * or tool name appears in the Redis key space ({@code KEYS}, {@code MONITOR}, slow logs). A hash
 * hides names from a casual reader but not from someone who can guess them; the Redis ACL is what
 * keeps the keys private.
 *
 * <p>Every Redis failure is thrown as a {@link redis.clients.jedis.exceptions.JedisException};
 * {@link SharedRateLimits} decides what a call gets then.
 */
final class RedisGcra {

    static final String SCRIPT = readScript();
    static final String SCRIPT_SHA1 = sha1(SCRIPT);

    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final boolean perTool;
    private final String intervalMicros;
    private final String toleranceMicros;
    private final LongSupplier nowMicros;

    /** Using the Redis server's clock. */
    RedisGcra(UnifiedJedis redis, RateLimitConfig config, String keyPrefix) {
        this(redis, config, keyPrefix, null);
    }

    /** With {@code nowMicros} as the clock instead of the server's {@code TIME}, so a trace can be replayed (tests). */
    RedisGcra(UnifiedJedis redis, RateLimitConfig config, String keyPrefix, LongSupplier nowMicros) {
        this.redis = requireNonNull(redis, "redis is null");
        this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix is null");
        this.perTool = config.perTool();
        this.intervalMicros = Long.toString(Math.max(1, config.intervalNanos() / 1000));
        this.toleranceMicros = Long.toString(config.toleranceNanos() / 1000);
        this.nowMicros = nowMicros;
    }

    /** Loads the script; a failure here means the store is unusable. */
    void load() {
        String loaded = redis.scriptLoad(SCRIPT);
        if (!SCRIPT_SHA1.equals(loaded)) {
            throw new IllegalStateException("Redis returned an unexpected SHA-1 for the rate-limit script");
        }
    }

    /** Empty when a permit was taken, else how many nanoseconds until one is available. */
    OptionalLong take(String client, String tool) {
        long early = run("take", client, tool);
        return early == 0 ? OptionalLong.empty() : OptionalLong.of(early * 1000);
    }

    void giveBack(String client, String tool) {
        run("give", client, tool);
    }

    String key(String client, String tool) {
        String name = perTool ? client + '\u0000' + tool : client;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return keyPrefix + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }

    private long run(String operation, String client, String tool) {
        List<String> keys = List.of(key(client, tool));
        List<String> args = List.of(operation, intervalMicros, toleranceMicros,
                nowMicros == null ? "" : Long.toString(nowMicros.getAsLong()));
        Object answer;
        try {
            answer = redis.evalsha(SCRIPT_SHA1, keys, args);
        } catch (JedisNoScriptException e) {
            answer = redis.eval(SCRIPT, keys, args);
        }
        if (!(answer instanceof Long micros)) {
            throw new IllegalStateException("the rate-limit script returned " + (answer == null ? "nothing"
                    : "a " + answer.getClass().getSimpleName()) + " instead of a number");
        }
        return micros;
    }

    private static String readScript() {
        try (InputStream in = RedisGcra.class.getResourceAsStream("gcra.lua")) {
            if (in == null) {
                throw new IllegalStateException("gcra.lua is missing from the security module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-1", e);
        }
    }
}
