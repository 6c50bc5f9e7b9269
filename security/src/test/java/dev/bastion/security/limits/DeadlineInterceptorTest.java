package dev.bastion.security.limits;

import static dev.bastion.security.pipelinesupport.Calls.call;
import static dev.bastion.security.pipelinesupport.Calls.readTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.pipelinesupport.TestCallContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineInterceptorTest {

    private final ExecutorService executor = DeadlineInterceptor.toolExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static TestCallContext contextUntil(Instant deadline) {
        return TestCallContext.of(Principal.local(), deadline);
    }

    @Test
    void passesTheToolResultThrough() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(executor, 4)));

        ToolResult result = chain.execute(call(readTool("fast_tool"), contextUntil(Instant.now().plusSeconds(30))),
                c -> ToolResult.text("fast"));

        assertThat(result.allText()).isEqualTo("fast");
    }

    @Test
    void propagatesTheToolsException() {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(executor, 4)));

        assertThatThrownBy(() -> chain.execute(call(readTool("failing_tool"), contextUntil(Instant.now().plusSeconds(30))),
                c -> {
                    throw new IOException("backend unreachable");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("backend unreachable");
    }

    @Test
    void timesOutCancelsTheContextAndInterruptsTheTool() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(executor, 4)));
        TestCallContext context = contextUntil(Instant.now().plusMillis(200));
        ToolCall call = call(readTool("slow_tool"), context);
        CountDownLatch interrupted = new CountDownLatch(1);

        ToolResult result = chain.execute(call, c -> {
            try {
                Thread.sleep(60_000);
                return ToolResult.text("too late");
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).matches("Tool slow_tool timed out after \\d+ ms; narrow the query or raise "
                + "security.call_timeout\\.");
        assertThat(call.decision().decision()).isEqualTo("timeout");
        assertThat(context.cancelReason()).isEqualTo("deadline exceeded");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void callPastItsDeadlineDoesNotRunTheTool() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(executor, 4)));
        AtomicBoolean ran = new AtomicBoolean();

        ToolResult result = chain.execute(call(readTool("late_tool"), contextUntil(Instant.now().minusSeconds(1))), c -> {
            ran.set(true);
            return ToolResult.text("ran");
        });

        assertThat(result.allText()).startsWith("Tool late_tool timed out after");
        assertThat(ran).isFalse();
    }

    @Test
    void clientCancellationEndsTheWait() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(executor, 4)));
        TestCallContext context = contextUntil(Instant.now().plusSeconds(30));
        CountDownLatch started = new CountDownLatch(1);
        Thread canceller = new Thread(() -> {
            try {
                started.await();
                context.cancel("client cancelled");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();

        ToolResult result = chain.execute(call(readTool("slow_tool"), context), c -> {
            started.countDown();
            Thread.sleep(60_000);
            return ToolResult.text("too late");
        });

        assertThat(result.allText()).isEqualTo("Tool slow_tool was cancelled before it finished.");
        canceller.join();
    }

    @Test
    void toolsThatIgnoreInterruptionCannotExhaustTheExecutor() throws Exception {
        DeadlineInterceptor deadline = new DeadlineInterceptor(executor, 2);
        ToolCallChain chain = ToolCallChain.of(List.of(deadline));
        CountDownLatch release = new CountDownLatch(1);
        ToolCallChain.Terminal stubborn = c -> {
            while (true) {
                try {
                    if (release.await(10, TimeUnit.SECONDS)) {
                        return ToolResult.text("finally");
                    }
                } catch (InterruptedException ignored) {
                    // deliberately ignores interruption, like a blocking library call
                }
            }
        };

        for (int i = 0; i < 2; i++) {
            ToolResult timedOut = chain.execute(call(readTool("stubborn_tool"), contextUntil(Instant.now().plusMillis(50))),
                    stubborn);
            assertThat(timedOut.allText()).contains("timed out");
        }
        ToolCall refused = call(readTool("stubborn_tool"), contextUntil(Instant.now().plusSeconds(5)));
        ToolResult overloaded = chain.execute(refused, stubborn);

        assertThat(overloaded.allText()).contains("running too many tool calls (2)");
        assertThat(refused.decision().decision()).isEqualTo("overloaded");
        assertThat(deadline.tasksInFlight()).isEqualTo(2);

        release.countDown();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (deadline.tasksInFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(deadline.tasksInFlight()).isZero();
        assertThat(chain.execute(call(readTool("fast_tool"), contextUntil(Instant.now().plusSeconds(5))),
                c -> ToolResult.text("ok")).allText()).isEqualTo("ok");
    }

    @Test
    void describesWaitsInConfiguredUnits() {
        assertThat(DeadlineInterceptor.describe(Duration.ofMillis(30_004))).isEqualTo("30 s");
        assertThat(DeadlineInterceptor.describe(Duration.ofMillis(29_800))).isEqualTo("30 s");
        assertThat(DeadlineInterceptor.describe(Duration.ofMillis(250))).isEqualTo("250 ms");
    }
}
