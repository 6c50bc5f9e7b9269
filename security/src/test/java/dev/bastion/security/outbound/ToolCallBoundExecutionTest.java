package dev.bastion.security.outbound;

import dev.bastion.security.pipelinesupport.TestCallContext;

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

        try (Response response = OutboundHttp.execute(client, get(), TestCallContext.of(Principal.local(), Instant.now().plusSeconds(30)))) {
            assertThat(response.body().string()).isEqualTo("ok");
        }
    }

    @Test
    void doesNotSendRequestOfAlreadyCancelledToolCall() {
        TestCallContext toolCall = TestCallContext.of(Principal.local(), Instant.now().plusSeconds(30));
        toolCall.cancel("client cancelled");
        server.enqueue(new MockResponse().setBody("ok"));

        assertThatThrownBy(() -> OutboundHttp.execute(client, get(), toolCall)).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(BackendErrors.describe((IOException) e, "dt/prod"))
                        .isEqualTo("The call to dt/prod was cancelled"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void cancellingToolCallCancelsRunningRequest() throws Exception {
        TestCallContext toolCall = TestCallContext.of(Principal.local(), Instant.now().plusSeconds(30));
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

        try (Response response = OutboundHttp.execute(client, get(), TestCallContext.of(Principal.local(), Instant.now().plusSeconds(2)))) {
            assertThat(response.code()).isEqualTo(503);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }


}
