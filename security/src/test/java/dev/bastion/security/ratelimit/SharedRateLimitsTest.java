package dev.bastion.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.pipelinesupport.Calls;
import dev.bastion.security.pipelinesupport.TestCallContext;
import dev.bastion.security.testing.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link SharedRateLimits} against a real redis-server that the tests stop and start again. */
class SharedRateLimitsTest {

    private static final String PLANTED_PASSWORD = "plantedredispassword5c1e7a9b03d4f268";
    private static final Duration PROBE = Duration.ofMillis(300);

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SharedRateLimits.class);
    private RedisServerProcess redis;

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(logs);
        if (redis != null) {
            redis.stop();
        }
    }

    private static RateLimitConfig config(RedisServerProcess server, int burst, SharedStoreConfig.WhenUnavailable when,
                                          String password) {
        return new RateLimitConfig(true, 6, burst, false, 100).withSharedStore(new SharedStoreConfig(
                "127.0.0.1", server.port(), 0, false, Optional.empty(),
                Optional.ofNullable(password).map(Secret::of), Optional.empty(), when, Duration.ofMillis(300),
                SharedStoreConfig.DEFAULT_KEY_PREFIX));
    }

    private List<String> logged(Level level) {
        return logs.list.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static void awaitProbe() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(PROBE.toMillis() + 100);
    }

    @Test
    void twoReplicasSpendOneBudget() {
        redis = RedisServerProcess.start();
        RateLimitConfig config = config(redis, 4, SharedStoreConfig.WhenUnavailable.FAIL_OPEN, null);
        try (SharedRateLimits first = SharedRateLimits.open(config, PROBE);
             SharedRateLimits second = SharedRateLimits.open(config, PROBE)) {
            for (int i = 0; i < 4; i++) {
                assertThat((i % 2 == 0 ? first : second).tryAcquire("alice", "t").allowed()).as("call %d", i + 1)
                        .isTrue();
            }
            assertThat(first.tryAcquire("alice", "t").outcome()).isEqualTo(RateLimitStore.Outcome.LIMITED);
            assertThat(second.tryAcquire("alice", "t").outcome()).isEqualTo(RateLimitStore.Outcome.LIMITED);
            assertThat(second.tryAcquire("bob", "t").allowed()).isTrue();
            assertThat(first.health().healthy()).isTrue();
        }
        assertThat(logged(Level.INFO)).contains("rate limits are shared across replicas through " + redis.url());
    }

    @Test
    void failOpenLimitsLocallyDuringAnOutageLogsItOnceAndSharesAgainWhenRedisIsBack() throws Exception {
        redis = RedisServerProcess.start();
        try (SharedRateLimits limits = SharedRateLimits.open(
                config(redis, 3, SharedStoreConfig.WhenUnavailable.FAIL_OPEN, null), PROBE)) {
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
            redis.stop();

            // The in-process limiter takes over with its own (full) budget; Redis is not asked on every call.
            long started = System.nanoTime();
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
            assertThat(limits.tryAcquire("alice", "t").outcome()).isEqualTo(RateLimitStore.Outcome.LIMITED);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            HealthStatus down = limits.health();
            assertThat(down.healthy()).isFalse();
            assertThat(down.detail()).isEqualTo("the shared rate-limit store is unreachable; each replica limits"
                    + " calls on its own (store_unavailable: fail_open)");
            awaitProbe();
            assertThat(limits.tryAcquire("alice", "t").allowed()).isFalse();
            assertThat(logged(Level.WARN)).singleElement().asString()
                    .startsWith("the shared rate-limit store " + redis.url() + " is unreachable (no connection")
                    .contains("each replica limits calls on its own");

            redis.startAgain();
            awaitProbe();

            // The restarted Redis is empty: alice has a full shared budget again, kept in Redis.
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
            assertThat(limits.reachable()).isTrue();
            assertThat(limits.health()).isEqualTo(HealthStatus.up("the shared rate-limit store is reachable"));
            assertThat(logged(Level.INFO)).contains("the shared rate-limit store " + redis.url()
                    + " is reachable again; rate limits are shared across replicas again");
            assertThat(logged(Level.WARN)).hasSize(1);
        }
    }

    @Test
    void failClosedRefusesWhileRedisIsUnreachableEvenAtStartAndServesWhenItIsBack() throws Exception {
        redis = RedisServerProcess.start();
        redis.stop();
        try (SharedRateLimits limits = SharedRateLimits.open(
                config(redis, 3, SharedStoreConfig.WhenUnavailable.FAIL_CLOSED, null), PROBE)) {
            assertThat(limits.tryAcquire("alice", "t")).isEqualTo(RateLimitStore.Decision.STORE_UNREACHABLE);
            assertThat(limits.failsClosed()).isTrue();
            assertThat(limits.health().detail()).endsWith("rate-limited calls are refused (store_unavailable:"
                    + " fail_closed)");
            assertThat(logged(Level.WARN)).singleElement().asString().contains("unreachable at start");
            ToolCall call = Calls.call(Calls.readTool("problems_list"),
                    TestCallContext.of(new Principal("alice", Set.of("*")), Instant.now().plusSeconds(30)));
            ToolResult refused = ToolCallChain.of(List.of(new RateLimitInterceptor(limits)))
                    .execute(call, c -> ToolResult.text("ok"));
            assertThat(refused.isError()).isTrue();
            assertThat(refused.allText()).isEqualTo("The shared rate-limit store is unreachable, and this server"
                    + " refuses rate-limited calls until it is back (security.rate_limit.store_unavailable:"
                    + " fail_closed). Retry in a few seconds.");
            assertThat(call.decision().decision()).isEqualTo(RateLimitInterceptor.STORE_UNREACHABLE);

            redis.startAgain();
            awaitProbe();

            assertThat(limits.health().healthy()).isTrue();
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsReportedWithoutTheConfiguredOrTheRightOne() {
        redis = RedisServerProcess.start(PLANTED_PASSWORD);
        String wrong = "plantedwrongpassword9d8c7b6a5f4e3d2c";
        try (SharedRateLimits limits = SharedRateLimits.open(
                config(redis, 3, SharedStoreConfig.WhenUnavailable.FAIL_CLOSED, wrong), PROBE)) {
            assertThat(limits.tryAcquire("alice", "t")).isEqualTo(RateLimitStore.Decision.STORE_UNREACHABLE);
            HealthStatus health = limits.health();
            assertThat(logged(Level.WARN)).singleElement().asString()
                    .contains("it refused the configured user name or password");
            assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                    .doesNotContain(wrong).doesNotContain(PLANTED_PASSWORD));
            assertThat(health.detail()).doesNotContain(wrong);
            assertThat(config(redis, 3, SharedStoreConfig.WhenUnavailable.FAIL_CLOSED, wrong).toString())
                    .doesNotContain(wrong);
        }
        try (SharedRateLimits limits = SharedRateLimits.open(
                config(redis, 3, SharedStoreConfig.WhenUnavailable.FAIL_CLOSED, PLANTED_PASSWORD), PROBE)) {
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
        }
    }
}
