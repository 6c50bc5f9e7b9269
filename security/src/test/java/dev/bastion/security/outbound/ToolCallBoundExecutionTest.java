package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ToolCallBoundExecutionTest {

    private MockWebServer server;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of())
                .client(BackendSpec.builder("dt/prod").allowInsecureLoopback(true).build());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Request get() {
        return new Request.Builder().url(server.url("/api")).build();
    }

    @Test
    void runsRequestWithinToolCall() throws IOException {
        server.enqueue(new MockResponse().setBody("ok"));

        try (Response response = OutboundHttp.execute(client, get(), new ToolCall(Instant.now().plusSeconds(30)))) {
            assertThat(response.body().string()).isEqualTo("ok");
        }
    }

    @Test
    void doesNotSendRequestOfAlreadyCancelledToolCall() {
        ToolCall toolCall = new ToolCall(Instant.now().plusSeconds(30));
        toolCall.cancel("client cancelled");
        server.enqueue(new MockResponse().setBody("ok"));

        assertThatThrownBy(() -> OutboundHttp.execute(client, get(), toolCall)).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(BackendErrors.describe((IOException) e, "dt/prod"))
                        .isEqualTo("The call to dt/prod was cancelled"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void cancellingToolCallCancelsRunningRequest() throws Exception {
        ToolCall toolCall = new ToolCall(Instant.now().plusSeconds(30));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        Thread canceller = new Thread(() -> {
            try {
                server.takeRequest(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            toolCall.cancel("client cancelled");
        });
        canceller.start();

        assertThatThrownBy(() -> OutboundHttp.execute(client, get(), toolCall)).isInstanceOf(IOException.class);
        canceller.join();
    }

    @Test
    void shortensCallTimeoutToToolCallDeadlineSoRetryWaitsAreSkipped() throws IOException {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "5"));
        server.enqueue(new MockResponse().setBody("never reached"));

        try (Response response = OutboundHttp.execute(client, get(), new ToolCall(Instant.now().plusSeconds(2)))) {
            assertThat(response.code()).isEqualTo(503);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    /** The parts of a tool call's context that matter here: deadline and cancellation. */
    private static final class ToolCall implements CallContext {
        private final Instant deadline;
        private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
        private volatile boolean cancelled;

        ToolCall(Instant deadline) {
            this.deadline = deadline;
        }

        @Override
        public Principal principal() {
            return Principal.local();
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void cancel(String reason) {
            cancelled = true;
            onCancel.forEach(Runnable::run);
        }

        @Override
        public void onCancel(Runnable action) {
            if (cancelled) {
                action.run();
            } else {
                onCancel.add(action);
            }
        }

        @Override
        public ProgressReporter progress() {
            return ProgressReporter.NONE;
        }

        @Override
        public void log(LogLevel level, String message) {
        }

        @Override
        public ClientRequests client() {
            throw new UnsupportedOperationException("not used by outbound calls");
        }
    }
}
