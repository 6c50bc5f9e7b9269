package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpsOnlyTest {

    private final OutboundHttp outbound = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of());
    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void refusesPlainHttpToRemoteHostWithClearMessage() {
        OkHttpClient client = outbound.client(BackendSpec.builder("remote").allowInsecureLoopback(true).build());

        assertThatThrownBy(() -> client.newCall(new Request.Builder().url("http://api.example.com/api/v2").build())
                .execute())
                .isInstanceOf(InsecureSchemeException.class)
                .hasMessage("Refusing plain http to api.example.com: backends are reached over HTTPS only");
    }

    @Test
    void refusesPlainHttpToLoopbackUnlessSpecAllowsItAndNoRequestReachesServer() {
        server.enqueue(new MockResponse().setBody("ok"));
        OkHttpClient client = outbound.client(BackendSpec.builder("local").build());

        assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/")).build()).execute())
                .isInstanceOf(InsecureSchemeException.class)
                .hasMessageStartingWith("Refusing plain http to " + server.getHostName())
                .hasMessageContaining("allowInsecureLoopback");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void allowsPlainHttpToLoopbackWhenSpecAllowsIt() throws IOException {
        server.enqueue(new MockResponse().setBody("ok"));
        OkHttpClient client = outbound.client(BackendSpec.builder("sandbox").allowInsecureLoopback(true).build());

        try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("ok");
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refusesRedirectFromLoopbackToPlainHttpRemoteHostBeforeSendingIt() throws IOException {
        try (MockWebServer remote = new MockWebServer()) {
            remote.enqueue(new MockResponse().setBody("must not be served"));
            remote.start();
            server.enqueue(new MockResponse().setResponseCode(302)
                    .setHeader("Location", "http://api.example.com:" + remote.getPort() + "/stolen"));
            OkHttpClient client = outbound.client(BackendSpec.builder("sandbox").allowInsecureLoopback(true).build())
                    .newBuilder()
                    // Send the "remote" host to the second server so only the guard can stop the request.
                    .dns(hostname -> List.of(InetAddress.getLoopbackAddress()))
                    .build();

            assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/start")).build()).execute())
                    .isInstanceOf(InsecureSchemeException.class)
                    .hasMessage("Refusing plain http to api.example.com: backends are reached over HTTPS only");
            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(remote.getRequestCount()).isZero();
        }
    }

    @Test
    void recognisesLoopbackLiteralsOnly() {
        assertThat(HttpsOnlyInterceptor.isLoopback("localhost")).isTrue();
        assertThat(HttpsOnlyInterceptor.isLoopback("LOCALHOST")).isTrue();
        assertThat(HttpsOnlyInterceptor.isLoopback("127.0.0.1")).isTrue();
        assertThat(HttpsOnlyInterceptor.isLoopback("127.12.0.9")).isTrue();
        assertThat(HttpsOnlyInterceptor.isLoopback("::1")).isTrue();
        assertThat(HttpsOnlyInterceptor.isLoopback("[::1]")).isTrue();
        assertThat(HttpsOnlyInterceptor.isLoopback("128.0.0.1")).isFalse();
        assertThat(HttpsOnlyInterceptor.isLoopback("10.0.0.1")).isFalse();
        assertThat(HttpsOnlyInterceptor.isLoopback("localhost.example.com")).isFalse();
        assertThat(HttpsOnlyInterceptor.isLoopback("127.0.0.1.nip.io")).isFalse();
        assertThat(HttpsOnlyInterceptor.isLoopback("::2")).isFalse();
    }
}
