package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BusyRetryTest {

    private final OutboundHttp outbound = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of());
    private MockWebServer server;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = outbound.client(BackendSpec.builder("busy").allowInsecureLoopback(true).build());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private static MockResponse busy(int code, String retryAfter) {
        return new MockResponse().setResponseCode(code).setHeader("Retry-After", retryAfter);
    }

    private Request get() {
        return new Request.Builder().url(server.url("/api")).build();
    }

    private Request post() {
        return new Request.Builder().url(server.url("/api"))
                .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
    }

    @Test
    void retriesGetAfter503HonouringRetryAfter() throws IOException {
        server.enqueue(busy(503, "0"));
        server.enqueue(new MockResponse().setBody("done"));

        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("done");
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void retriesAfter429WithRetryAfterOfOneSecond() throws IOException {
        server.enqueue(busy(429, "1"));
        server.enqueue(new MockResponse().setBody("done"));

        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void stopsAfterThreeAttemptsAndReturnsTheLastBusyAnswer() throws IOException {
        server.enqueue(busy(429, "0"));
        server.enqueue(busy(503, "0"));
        server.enqueue(busy(429, "0").setBody("still busy"));
        server.enqueue(new MockResponse().setBody("never reached"));

        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.code()).isEqualTo(429);
            assertThat(response.body().string()).isEqualTo("still busy");
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void neverRetriesUntaggedPost() throws IOException {
        server.enqueue(busy(503, "0"));
        server.enqueue(new MockResponse().setBody("done"));

        try (Response response = client.newCall(post()).execute()) {
            assertThat(response.code()).isEqualTo(503);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retriesPostTaggedIdempotent() throws IOException {
        server.enqueue(busy(503, "0"));
        server.enqueue(new MockResponse().setBody("done"));
        Request request = Idempotent.mark(post().newBuilder()).build();

        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void returnsBusyAnswerAtOnceWhenRetryAfterExceedsTheCallBudget() throws IOException {
        server.enqueue(busy(429, "120"));
        server.enqueue(new MockResponse().setBody("never reached"));

        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.code()).isEqualTo(429);
            assertThat(BackendErrors.retryAfter(response)).contains(Duration.ofSeconds(120));
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void returnsBusyAnswerAtOnceWhenRetryAfterExceedsTheLongestSingleWait() throws IOException {
        OkHttpClient patient = outbound.client(BackendSpec.builder("busy").allowInsecureLoopback(true)
                .callTimeout(Duration.ZERO).build());
        server.enqueue(busy(503, "31"));
        server.enqueue(new MockResponse().setBody("never reached"));

        try (Response response = patient.newCall(get()).execute()) {
            assertThat(response.code()).isEqualTo(503);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void readsRetryAfterAsHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(90).atZone(ZoneOffset.UTC));
        Response response = new Response.Builder().request(get()).protocol(okhttp3.Protocol.HTTP_1_1).code(503)
                .message("Service Unavailable").header("Retry-After", date).build();

        assertThat(BackendErrors.retryAfter(response)).hasValueSatisfying(wait ->
                assertThat(wait).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(90)));
    }

    @Test
    void ignoresUnreadableRetryAfter() {
        Response response = new Response.Builder().request(get()).protocol(okhttp3.Protocol.HTTP_1_1).code(503)
                .message("Service Unavailable").header("Retry-After", "soon").build();

        assertThat(BackendErrors.retryAfter(response)).isEmpty();
    }

    @Test
    void cancellingTheCallStopsTheRetryWait() throws Exception {
        server.enqueue(busy(503, "25"));
        server.enqueue(new MockResponse().setBody("never reached"));
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Call call = client.newCall(get());
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                outcome.complete(e);
            }

            @Override
            public void onResponse(Call succeeded, Response response) {
                response.close();
                outcome.complete(response.code());
            }
        });
        server.takeRequest(10, TimeUnit.SECONDS);

        call.cancel();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
