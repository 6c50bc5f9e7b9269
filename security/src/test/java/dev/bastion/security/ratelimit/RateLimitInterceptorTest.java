package dev.bastion.security.ratelimit;

import static dev.bastion.security.pipelinesupport.Calls.call;
import static dev.bastion.security.pipelinesupport.Calls.readTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.pipelinesupport.TestCallContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RateLimitInterceptorTest {

    private static ToolCall callBy(String client, String tool) {
        return call(readTool(tool), TestCallContext.of(new Principal(client, Set.of("*")), Instant.now().plusSeconds(30)));
    }

    @Test
    void clientGetsExactlyTheBurstThenIsThrottledWhileASecondClientIsUnaffected() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new RateLimitInterceptor(RateLimitConfig.defaults())));
        ToolCallChain.Terminal tool = c -> ToolResult.text("ok");

        for (int i = 0; i < 30; i++) {
            assertThat(chain.execute(callBy("alice", "oci_list_metrics"), tool).isError()).as("call %d", i + 1).isFalse();
        }
        ToolCall overBurst = callBy("alice", "oci_list_metrics");
        ToolResult throttled = chain.execute(overBurst, tool);

        assertThat(throttled.isError()).isTrue();
        Matcher message = Pattern.compile("Rate limit exceeded for alice: 120 requests per minute \\(burst 30\\)\\. "
                + "Retry after (\\d+) s\\.").matcher(throttled.allText());
        assertThat(message.matches()).as(throttled.allText()).isTrue();
        assertThat(Integer.parseInt(message.group(1))).isEqualTo(1);
        assertThat(overBurst.decision().decision()).isEqualTo("rate_limited");
        for (int i = 0; i < 30; i++) {
            assertThat(chain.execute(callBy("bob", "oci_list_metrics"), tool).isError()).as("bob call %d", i + 1).isFalse();
        }
        assertThat(chain.execute(callBy("bob", "oci_list_metrics"), tool).isError()).isTrue();
    }

    @Test
    void permitsRefillAfterTheRefreshPeriod() throws Exception {
        // 600 per minute with a burst of 1: one permit every 100 ms.
        ClientRateLimits limits = new ClientRateLimits(new RateLimitConfig(true, 600, 1, false, 100));

        assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
        RateLimitStore.Decision denied = limits.tryAcquire("alice", "t");
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter().toMillis()).isBetween(0L, 100L);
        Thread.sleep(250);
        assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
    }

    @Test
    void perToolLimitsGiveEachToolItsOwnBudget() {
        ClientRateLimits limits = new ClientRateLimits(new RateLimitConfig(true, 60, 2, true, 100));

        assertThat(limits.tryAcquire("alice", "a").allowed()).isTrue();
        assertThat(limits.tryAcquire("alice", "a").allowed()).isTrue();
        assertThat(limits.tryAcquire("alice", "a").allowed()).isFalse();
        assertThat(limits.tryAcquire("alice", "b").allowed()).isTrue();
    }

    @Test
    void perToolMessageNamesTheTool() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new RateLimitInterceptor(new RateLimitConfig(true, 60, 1, true, 100))));

        chain.execute(callBy("alice", "oci_list_metrics"), c -> ToolResult.text("ok"));
        ToolResult denied = chain.execute(callBy("alice", "oci_list_metrics"), c -> ToolResult.text("ok"));

        assertThat(denied.allText()).startsWith("Rate limit exceeded for alice on tool oci_list_metrics: 60 requests per "
                + "minute (burst 1).");
    }

    @Test
    void disabledLimitAllowsEverything() {
        ClientRateLimits limits = new ClientRateLimits(new RateLimitConfig(false, 1, 1, false, 10));

        for (int i = 0; i < 100; i++) {
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
        }
        assertThat(limits.trackedClients()).isZero();
    }

    @Test
    void hundredThousandDistinctClientsLeaveAtMostMaxClientsLimiters() {
        ClientRateLimits limits = new ClientRateLimits(RateLimitConfig.defaults());

        for (int i = 0; i < 100_000; i++) {
            assertThat(limits.tryAcquire("client-" + i, "t").allowed()).isTrue();
        }

        assertThat(limits.trackedClients()).isEqualTo(10_000);
    }

    @Test
    void evictsTheLeastRecentlyUsedClient() {
        ClientRateLimits limits = new ClientRateLimits(new RateLimitConfig(true, 60, 1, false, 2));

        limits.tryAcquire("a", "t");
        limits.tryAcquire("b", "t");
        assertThat(limits.tryAcquire("a", "t").allowed()).isFalse();
        limits.tryAcquire("c", "t");

        // "b" was least recently used and was evicted; "a" is still throttled.
        assertThat(limits.tryAcquire("a", "t").allowed()).isFalse();
        assertThat(limits.tryAcquire("b", "t").allowed()).isTrue();
    }

    @Test
    void readsConfigDefaultsExplicitValuesAndTelemetryFlowNames() {
        assertThat(RateLimitConfig.from(new ProviderConfig("security", "default", Map.of())))
                .isEqualTo(new RateLimitConfig(true, 120, 30, false, 10_000));
        assertThat(RateLimitConfig.from(new ProviderConfig("security", "default", Map.of(
                "rate_limit.enabled", false, "rate_limit.requests_per_minute", 120, "rate_limit.burst_size", 5,
                "rate_limit.per_tool", true, "rate_limit.max_clients", 50))))
                .isEqualTo(new RateLimitConfig(false, 120, 5, true, 50));
        assertThat(RateLimitConfig.settings()).flatExtracting(s -> s.envNames())
                .contains("TELEMETRYFLOW_MCP_RATE_LIMIT_ENABLED", "TELEMETRYFLOW_MCP_RATE_LIMIT_REQUESTS_PER_MINUTE",
                        "TELEMETRYFLOW_MCP_RATE_LIMIT_BURST_SIZE");
        assertThatThrownBy(() -> new RateLimitConfig(true, 0, 10, false, 10))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("security.rate_limit.requests_per_minute");
    }
}
