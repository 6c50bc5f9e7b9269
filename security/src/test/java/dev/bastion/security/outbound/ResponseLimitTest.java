package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponseLimitTest {

    private static final int LIMIT = 1024;

    private final OutboundHttp outbound = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of());
    private MockWebServer server;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = outbound.client(BackendSpec.builder("dt/prod").allowInsecureLoopback(true).maxResponseBytes(LIMIT)
                .build());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Request get() {
        return new Request.Builder().url(server.url("/api")).build();
    }

    @Test
    void failsAtOnceWhenContentLengthExceedsLimit() {
        server.enqueue(new MockResponse().setBody("x".repeat(LIMIT + 1)));

        assertThatThrownBy(() -> client.newCall(get()).execute())
                .isInstanceOf(ResponseTooLargeException.class)
                .hasMessage("The response from dt/prod is larger than the limit of 1024 bytes (1025 bytes announced);"
                        + " narrow the request (time range, filters, page size) or raise max_response_bytes");
    }

    @Test
    void failsWhileReadingChunkedBodyPastLimit() throws IOException {
        server.enqueue(new MockResponse().setChunkedBody("y".repeat(LIMIT * 4), 100));

        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.body().contentLength()).isEqualTo(-1);
            assertThatThrownBy(() -> response.body().string())
                    .isInstanceOf(ResponseTooLargeException.class)
                    .hasMessageContaining("larger than the limit of 1024 bytes");
        }
    }

    @Test
    void capsDecompressedSizeOfGzipBody() throws IOException {
        Buffer gzipped = new Buffer();
        try (okio.BufferedSink sink = okio.Okio.buffer(new okio.GzipSink(gzipped))) {
            sink.writeUtf8("z".repeat(LIMIT * 50));
        }
        assertThat(gzipped.size()).isLessThan(LIMIT);
        server.enqueue(new MockResponse().setHeader("Content-Encoding", "gzip").setBody(gzipped));

        try (Response response = client.newCall(get()).execute()) {
            assertThatThrownBy(() -> response.body().string()).isInstanceOf(ResponseTooLargeException.class);
        }
    }

    @Test
    void deliversBodiesUpToTheLimit() throws IOException {
        server.enqueue(new MockResponse().setBody("a".repeat(LIMIT)));
        server.enqueue(new MockResponse().setChunkedBody("b".repeat(LIMIT), 64));

        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.body().string()).hasSize(LIMIT);
        }
        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.body().string()).hasSize(LIMIT);
        }
    }

    @Test
    void refusesRequestsBeyondClientSideRateLimitWithoutSendingThem() throws IOException {
        OkHttpClient limited = outbound.client(BackendSpec.builder("dt/prod").allowInsecureLoopback(true)
                .maxRequestsPerSecond(0.001).callTimeout(Duration.ofMillis(500)).build());
        server.enqueue(new MockResponse().setBody("first"));
        server.enqueue(new MockResponse().setBody("second"));

        try (Response response = limited.newCall(get()).execute()) {
            assertThat(response.body().string()).isEqualTo("first");
        }
        assertThatThrownBy(() -> limited.newCall(get()).execute())
                .isInstanceOf(ClientRateLimitException.class)
                .hasMessage("Too many requests to dt/prod: the client-side limit of 0.001 requests per second is"
                        + " used up; try again shortly");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void rejectsInvalidSpecValues() {
        assertThatThrownBy(() -> BackendSpec.builder("x").maxResponseBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxResponseBytes must be positive");
        assertThatThrownBy(() -> BackendSpec.builder("x").maxRequestsPerSecond(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRequestsPerSecond must be 0 (no limit) or a positive number");
        assertThatThrownBy(() -> BackendSpec.builder("x").readTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readTimeout must not be negative");
    }
}
