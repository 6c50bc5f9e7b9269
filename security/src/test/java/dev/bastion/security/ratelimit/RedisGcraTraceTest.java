package dev.bastion.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.security.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The GCRA of {@code gcra.lua} against a real redis-server gives the same decisions, on the same
 * trace, as {@link ClientRateLimits}: the Lua script restates the Java algorithm, and this is what
 * keeps the two in step.
 */
class RedisGcraTraceTest {

    /** Microseconds of an epoch-like clock, so the script's arithmetic is tested at real magnitudes. */
    private static final long START_MICROS = 1_790_000_000_000_000L;

    private static RedisServerProcess server;
    private static UnifiedJedis redis;

    private final AtomicLong nowMicros = new AtomicLong(START_MICROS);

    @BeforeAll
    static void startRedis() {
        server = RedisServerProcess.start();
        redis = RedisClient.create("127.0.0.1", server.port());
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** One step of a trace: a take or a give-back by a client on a tool, {@code afterMillis} after the previous step. */
    private record Step(long afterMillis, String operation, String client, String tool) {
    }

    private static List<Step> trace() {
        List<Step> steps = new ArrayList<>();
        // A burst of parallel calls, more than the budget.
        for (int i = 0; i < 12; i++) {
            steps.add(new Step(0, "take", "alice", "problems_list"));
        }
        // A refused call's permit comes back, then calls at a slower and a faster pace than the rate.
        steps.add(new Step(0, "give", "alice", "problems_list"));
        for (int i = 0; i < 8; i++) {
            steps.add(new Step(1500, "take", "alice", "problems_list"));
        }
        for (int i = 0; i < 8; i++) {
            steps.add(new Step(250, "take", "alice", i % 2 == 0 ? "problems_list" : "entities_get"));
        }
        // A second client, a give-back for a client with no bucket, and a long pause that refills everything.
        for (int i = 0; i < 4; i++) {
            steps.add(new Step(10, "take", "bob", "entities_get"));
        }
        steps.add(new Step(0, "give", "carol", "problems_list"));
        steps.add(new Step(60_000, "take", "alice", "problems_list"));
        steps.add(new Step(1, "give", "alice", "problems_list"));
        steps.add(new Step(1, "give", "alice", "problems_list"));
        for (int i = 0; i < 12; i++) {
            steps.add(new Step(333, "take", "alice", "entities_get"));
        }
        return steps;
    }

    /** Each step's outcome: "allowed", "given" or the wait in microseconds. */
    private List<String> replayInProcess(RateLimitConfig config) {
        AtomicLong nanos = new AtomicLong(START_MICROS * 1000);
        ClientRateLimits limits = new ClientRateLimits(config, nanos::get);
        List<String> outcomes = new ArrayList<>();
        for (Step step : trace()) {
            nanos.addAndGet(Duration.ofMillis(step.afterMillis()).toNanos());
            if (step.operation().equals("give")) {
                limits.giveBack(step.client(), step.tool());
                outcomes.add("given");
            } else {
                RateLimitStore.Decision decision = limits.tryAcquire(step.client(), step.tool());
                outcomes.add(decision.allowed() ? "allowed" : Long.toString(decision.retryAfter().toNanos() / 1000));
            }
        }
        return outcomes;
    }

    private List<String> replayInRedis(RateLimitConfig config, String prefix) {
        RedisGcra gcra = new RedisGcra(redis, config, prefix, nowMicros::get);
        List<String> outcomes = new ArrayList<>();
        for (Step step : trace()) {
            nowMicros.addAndGet(step.afterMillis() * 1000);
            if (step.operation().equals("give")) {
                gcra.giveBack(step.client(), step.tool());
                outcomes.add("given");
            } else {
                OptionalLong wait = gcra.take(step.client(), step.tool());
                outcomes.add(wait.isEmpty() ? "allowed" : Long.toString(wait.getAsLong() / 1000));
            }
        }
        return outcomes;
    }

    @Test
    void redisScriptDecidesTheTraceExactlyAsTheInProcessLimiter() {
        RateLimitConfig config = new RateLimitConfig(true, 60, 10, false, 100);

        List<String> inProcess = replayInProcess(config);

        assertThat(inProcess).filteredOn("allowed"::equals).hasSizeGreaterThan(20);
        assertThat(inProcess).filteredOn(outcome -> outcome.matches("[0-9]+")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(replayInRedis(config, "trace:per-client:")).containsExactlyElementsOf(inProcess);
    }

    @Test
    void redisScriptDecidesTheTraceExactlyAsTheInProcessLimiterPerTool() {
        RateLimitConfig config = new RateLimitConfig(true, 120, 3, true, 100);

        assertThat(replayInRedis(config, "trace:per-tool:")).containsExactlyElementsOf(replayInProcess(config));
    }

    @Test
    void keysAreHashedUnderThePrefixAndExpireOnceTheBucketIsFullAgain() {
        RateLimitConfig config = new RateLimitConfig(true, 60, 2, true, 100);
        RedisGcra gcra = new RedisGcra(redis, config, "bastion:rl:test-keys:");

        assertThat(gcra.take("alice@example.com", "problems_list")).isEmpty();

        String key = gcra.key("alice@example.com", "problems_list");
        assertThat(key).matches("bastion:rl:test-keys:[0-9a-f]{64}").doesNotContain("alice").doesNotContain("problems");
        assertThat(redis.keys("bastion:rl:test-keys:*")).containsExactly(key);
        // One interval (1 s) until the bucket is full again, plus the second of slack.
        assertThat(redis.pttl(key)).isBetween(1L, 2_000L);
        assertThat(gcra.key("alice@example.com", "entities_get")).isNotEqualTo(key);
    }

    @Test
    void serverClockGivesTheBurstThenRefusesAndAGiveBackRestoresOnePermit() {
        RedisGcra gcra = new RedisGcra(redis, new RateLimitConfig(true, 6, 3, false, 100), "bastion:rl:test-time:");

        for (int i = 0; i < 3; i++) {
            assertThat(gcra.take("dave", "t")).as("call %d", i + 1).isEmpty();
        }
        OptionalLong wait = gcra.take("dave", "t");
        assertThat(wait).isPresent();
        assertThat(Duration.ofNanos(wait.getAsLong())).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));

        gcra.giveBack("dave", "t");

        assertThat(gcra.take("dave", "t")).isEmpty();
        assertThat(gcra.take("dave", "t")).isPresent();
    }

    @Test
    void aServerThatForgotTheScriptGetsItAgain() {
        RedisGcra gcra = new RedisGcra(redis, new RateLimitConfig(true, 60, 5, false, 100), "bastion:rl:test-noscript:");
        gcra.load();
        redis.scriptFlush();

        assertThat(gcra.take("erin", "t")).isEmpty();
        assertThat(redis.scriptExists(List.of(RedisGcra.SCRIPT_SHA1))).containsExactly(true);
    }
}
