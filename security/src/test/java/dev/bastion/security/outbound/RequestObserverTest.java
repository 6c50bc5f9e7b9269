package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The observer sees each request, then its final status or its failure: what the contract test builds on. */
class RequestObserverTest {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final OutboundHttp outbound = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of(),
            new OutboundHttp.RequestObserver() {
                @Override
                public void onRequest(String backend, String method, String url, boolean idempotent) {
                    seen.add("request " + backend + " " + method + " " + url);
                }

                @Override
                public void onRequestHeaders(String backend, okhttp3.Headers headers) {
                    seen.add("headers " + headers.names());
                }

                @Override
                public void onResponse(String backend, String method, String url, int status) {
                    seen.add("response " + method + " " + url + " " + status);
                }

                @Override
                public void onFailure(String backend, String method, String url, IOException failure) {
                    seen.add("failure " + method + " " + url);
                }
            });
    private MockWebServer server;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = outbound.client(BackendSpec.builder("observed").allowInsecureLoopback(true).build());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void reportsTheFinalStatusAfterBusyRetries() throws IOException {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0"));
        server.enqueue(new MockResponse().setResponseCode(404));
        String url = server.url("/api/v2/problems").toString();

        try (Response response = client.newCall(new Request.Builder().url(url).header("X-Trace", "1").build())
                .execute()) {
            assertThat(response.code()).isEqualTo(404);
        }

        // The headers are the provider's own: credentials and User-Agent are added after the observer.
        assertThat(seen).containsExactly("request observed GET " + url, "headers [X-Trace]",
                "response GET " + url + " 404");
    }

    @Test
    void reportsARequestThatGotNoResponse() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/api";

        assertThatThrownBy(() -> client.newCall(new Request.Builder().url(url).build()).execute())
                .isInstanceOf(IOException.class);

        assertThat(seen).containsExactly("request observed GET " + url, "headers []", "failure GET " + url);
    }

    @Test
    void anObserverWithOnlyOnRequestStillCompiles() throws IOException {
        List<String> methods = new CopyOnWriteArrayList<>();
        OkHttpClient plain = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of(),
                (backend, method, url, idempotent) -> methods.add(method))
                .client(BackendSpec.builder("plain").allowInsecureLoopback(true).build());
        server.enqueue(new MockResponse().setBody("{}"));

        try (Response response = plain.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }

        assertThat(methods).containsExactly("GET");
    }
}
