package dev.bastion.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.security.validate.ArgumentValidationInterceptor;
import dev.bastion.security.validate.SchemaValidator;
import dev.bastion.security.validate.StructuralLimits;
import dev.bastion.security.validate.TestCalls;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Replays an interactive desktop agent's trace through the real rate limiter, on a clock the test
 * moves: at the defaults, an ordinary agent is never refused, a runaway loop still is, and calls the
 * argument validation refuses do not use up the budget.
 */
class DesktopAgentTraceTest {

    private static final String INPUT = """
            {"type":"object","required":["query"],"properties":{"query":{"type":"string"}}}""";

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ToolDescriptor tool = TestCalls.tool("problems_list", INPUT, null);
    private final AtomicInteger toolRuns = new AtomicInteger();

    private ToolCallChain chain(RateLimitConfig config) {
        return ToolCallChain.of(List.of(new RateLimitInterceptor(new ClientRateLimits(config, now::get)),
                new ArgumentValidationInterceptor(new SchemaValidator(new SecretRedactor()),
                        StructuralLimits.DEFAULTS)));
    }

    private ToolResult call(ToolCallChain chain, String arguments) throws Exception {
        ToolCall call = TestCalls.call(tool, arguments);
        return chain.execute(call, c -> {
            toolRuns.incrementAndGet();
            return ToolResult.text("ok");
        });
    }

    private void advanceSeconds(double seconds) {
        now.addAndGet((long) (seconds * TimeUnit.SECONDS.toNanos(1)));
    }

    @Test
    void theDefaultsHoldTwentyParallelCallsThenOneASecond() throws Exception {
        ToolCallChain chain = chain(RateLimitConfig.defaults());

        for (int i = 0; i < 20; i++) {
            assertThat(call(chain, "{\"query\":\"q\"}").isError()).as("parallel call %d", i + 1).isFalse();
        }
        for (int second = 1; second <= 300; second++) {
            advanceSeconds(1);
            assertThat(call(chain, "{\"query\":\"q\"}").isError()).as("call at %d s", second).isFalse();
        }
        // The same again after a pause: a second burst of parallel calls, five minutes in.
        advanceSeconds(15);
        for (int i = 0; i < 20; i++) {
            assertThat(call(chain, "{\"query\":\"q\"}").isError()).as("second burst call %d", i + 1).isFalse();
        }
        assertThat(toolRuns).hasValue(340);
    }

    @Test
    void theDefaultsStillStopALoopThatCallsAsFastAsItCan() throws Exception {
        ToolCallChain chain = chain(RateLimitConfig.defaults());
        int allowed = 0;
        // Ten calls a second for a minute.
        for (int i = 0; i < 600; i++) {
            if (!call(chain, "{\"query\":\"q\"}").isError()) {
                allowed++;
            }
            advanceSeconds(0.1);
        }

        // The burst, then the sustained rate of 120 a minute: nowhere near the 600 attempted.
        assertThat(allowed).isBetween(RateLimitConfig.DEFAULT_BURST_SIZE + 118,
                RateLimitConfig.DEFAULT_BURST_SIZE + RateLimitConfig.DEFAULT_REQUESTS_PER_MINUTE + 1);
    }

    @Test
    void afterABurstPermitsComeBackOneAtATime() throws Exception {
        // 60 a minute, burst 10: one permit back every second, not ten every ten seconds.
        ToolCallChain chain = chain(new RateLimitConfig(true, 60, 10, false, 100));
        for (int i = 0; i < 10; i++) {
            assertThat(call(chain, "{\"query\":\"q\"}").isError()).isFalse();
        }
        assertThat(call(chain, "{\"query\":\"q\"}").isError()).as("the burst is spent").isTrue();

        advanceSeconds(1);
        assertThat(call(chain, "{\"query\":\"q\"}").isError()).as("one second later").isFalse();
        assertThat(call(chain, "{\"query\":\"q\"}").isError()).as("only one permit came back").isTrue();
    }

    @Test
    void callsWithInvalidArgumentsGiveTheirPermitBack() throws Exception {
        ToolCallChain chain = chain(new RateLimitConfig(true, 60, 3, false, 100));

        for (int i = 0; i < 10; i++) {
            ToolResult refused = call(chain, "{\"limit\":5}");
            assertThat(refused.allText()).as("invalid call %d", i + 1).startsWith("Invalid arguments for problems_list");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(call(chain, "{\"query\":\"q\"}").isError()).as("valid call %d", i + 1).isFalse();
        }
        assertThat(call(chain, "{\"query\":\"q\"}").allText()).startsWith("Rate limit exceeded");
        assertThat(toolRuns).hasValue(3);
    }
}
