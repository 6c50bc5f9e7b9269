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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineInterceptorTest {

    private static final Duration GRACE = Duration.ofMillis(200);

    private final ScheduledExecutorService timer = DeadlineInterceptor.timer();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static TestCallContext contextUntil(Instant deadline) {
        return TestCallContext.of(Principal.local(), deadline);
    }

    @Test
    void passesTheToolResultThrough() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(timer, 4, GRACE)));

        ToolResult result = chain.execute(call(readTool("fast_tool"), contextUntil(Instant.now().plusSeconds(30))),
                c -> ToolResult.text("fast"));

        assertThat(result.allText()).isEqualTo("fast");
    }

    @Test
    void propagatesTheToolsException() {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(timer, 4, GRACE)));

        assertThatThrownBy(() -> chain.execute(call(readTool("failing_tool"), contextUntil(Instant.now().plusSeconds(30))),
                c -> {
                    throw new IOException("backend unreachable");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("backend unreachable");
    }

    @Test
    void timesOutCancelsTheContextAndInterruptsTheTool() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(timer, 4, GRACE)));
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
        assertThat(Thread.currentThread().isInterrupted()).as("the deadline's interrupt stays with the tool").isFalse();
        assertThat(call.decision().abandoned()).as("a tool that stops in time is not abandoned").isFalse();
    }

    @Test
    void runsTheToolOnTheCallingThread() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(timer, 4, GRACE)));
        Thread caller = Thread.currentThread();

        ToolResult result = chain.execute(call(readTool("fast_tool"), contextUntil(Instant.now().plusSeconds(30))),
                c -> ToolResult.text(Thread.currentThread() == caller ? "same thread" : "other thread"));

        assertThat(result.allText()).isEqualTo("same thread");
    }

    @Test
    void callPastItsDeadlineDoesNotRunTheTool() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(timer, 4, GRACE)));
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
        ToolCallChain chain = ToolCallChain.of(List.of(new DeadlineInterceptor(timer, 4, GRACE)));
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
    void abandonsACallWhoseToolIgnoresItsDeadlineAndBoundsSuchCalls() throws Exception {
        DeadlineInterceptor deadline = new DeadlineInterceptor(timer, 2, GRACE);
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
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<ToolCall> calls = new ArrayList<>();
            List<CompletableFuture<ToolResult>> answers = new ArrayList<>();
            List<Future<ToolResult>> returns = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ToolCall call = call(readTool("stubborn_tool"), contextUntil(Instant.now().plusMillis(100)));
                CompletableFuture<ToolResult> answer = new CompletableFuture<>();
                call.decision().onAbandoned(answer::complete);
                calls.add(call);
                answers.add(answer);
                returns.add(callers.submit(() -> chain.execute(call, stubborn)));
            }
            for (int i = 0; i < 2; i++) {
                ToolResult answer = answers.get(i).get(10, TimeUnit.SECONDS);
                assertThat(answer.isError()).isTrue();
                assertThat(answer.allText()).matches("Tool stubborn_tool timed out after \\d+ ms; narrow the query or "
                        + "raise security.call_timeout\\.");
                assertThat(calls.get(i).decision().decision()).isEqualTo("timeout");
                assertThat(returns.get(i).isDone()).as("the tool still holds its thread").isFalse();
            }

            ToolCall refused = call(readTool("stubborn_tool"), contextUntil(Instant.now().plusSeconds(5)));
            ToolResult overloaded = chain.execute(refused, stubborn);
            assertThat(overloaded.allText()).contains("running too many tool calls (2)");
            assertThat(refused.decision().decision()).isEqualTo("overloaded");
            assertThat(deadline.tasksInFlight()).isEqualTo(2);

            release.countDown();
            for (Future<ToolResult> returned : returns) {
                assertThat(returned.get(10, TimeUnit.SECONDS).allText()).as("the late result is discarded")
                        .contains("timed out");
            }
            assertThat(deadline.tasksInFlight()).isZero();
            assertThat(chain.execute(call(readTool("fast_tool"), contextUntil(Instant.now().plusSeconds(5))),
                    c -> ToolResult.text("ok")).allText()).isEqualTo("ok");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void describesWaitsInConfiguredUnits() {
        assertThat(DeadlineInterceptor.describe(Duration.ofMillis(30_004))).isEqualTo("30 s");
        assertThat(DeadlineInterceptor.describe(Duration.ofMillis(29_800))).isEqualTo("30 s");
        assertThat(DeadlineInterceptor.describe(Duration.ofMillis(250))).isEqualTo("250 ms");
    }
}
