package dev.bastion.security.limits;

import static dev.bastion.security.pipelinesupport.Calls.call;
import static dev.bastion.security.pipelinesupport.Calls.readTool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.pipelinesupport.TestCallContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyInterceptorTest {

    private static ToolCall callBy(String client) {
        return call(readTool("oci_list_metrics"),
                TestCallContext.of(new Principal(client, Set.of("*")), Instant.now().plusSeconds(30)));
    }

    @Test
    void capsConcurrentCallsPerClientAndLeavesOtherClientsAlone() throws Exception {
        ConcurrencyInterceptor concurrency = new ConcurrencyInterceptor(2, 100);
        ToolCallChain chain = ToolCallChain.of(List.of(concurrency));
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ToolCallChain.Terminal blocking = c -> {
            running.countDown();
            release.await(30, TimeUnit.SECONDS);
            return ToolResult.text("done");
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ToolResult> first = pool.submit(() -> chain.execute(callBy("alice"), blocking));
            Future<ToolResult> second = pool.submit(() -> chain.execute(callBy("alice"), blocking));
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

            ToolCall third = callBy("alice");
            ToolResult refused = chain.execute(third, c -> ToolResult.text("ran"));
            assertThat(refused.isError()).isTrue();
            assertThat(refused.allText()).isEqualTo("Too many concurrent calls for alice: at most 2 at a time "
                    + "(security.max_concurrent_calls). Wait for a running call to finish, then retry.");
            assertThat(third.decision().decision()).isEqualTo("too_many_concurrent_calls");
            assertThat(chain.execute(callBy("bob"), c -> ToolResult.text("ran")).allText()).isEqualTo("ran");

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).allText()).isEqualTo("done");
            assertThat(second.get(10, TimeUnit.SECONDS).allText()).isEqualTo("done");
        } finally {
            pool.shutdownNow();
        }
        assertThat(concurrency.activeClients()).isZero();
        assertThat(chain.execute(callBy("alice"), c -> ToolResult.text("ran")).allText()).isEqualTo("ran");
    }

    @Test
    void releasesTheSlotWhenTheToolThrows() throws Exception {
        ConcurrencyInterceptor concurrency = new ConcurrencyInterceptor(1, 100);
        ToolCallChain chain = ToolCallChain.of(List.of(concurrency));

        for (int i = 0; i < 3; i++) {
            try {
                chain.execute(callBy("alice"), c -> {
                    throw new IllegalStateException("tool failed");
                });
            } catch (IllegalStateException expected) {
                // the slot must be free again
            }
        }

        assertThat(concurrency.activeClients()).isZero();
        assertThat(chain.execute(callBy("alice"), c -> ToolResult.text("ran")).allText()).isEqualTo("ran");
    }
}
