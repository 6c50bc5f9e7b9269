package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.security.outbound.PlantedSecrets.RefreshableToken;
import dev.bastion.security.outbound.PlantedSecrets.SecretRedactor;
import java.io.IOException;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private final SecretRedactor redactor = new SecretRedactor();
    private final OutboundHttp outbound = new OutboundHttp(redactor, "1.2.3", Map.of());
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

    private OkHttpClient client(RefreshableToken credentials) {
        return outbound.client(BackendSpec.builder("dt/prod").credentials(credentials).allowInsecureLoopback(true)
                .build());
    }

    private Response get(OkHttpClient client) throws IOException {
        return client.newCall(new Request.Builder().url(server.url("/api/v2/problems")).build()).execute();
    }

    @Test
    void appliesCredentialsAndUserAgentToEveryRequest() throws Exception {
        server.enqueue(new MockResponse().setBody("{}"));
        RefreshableToken credentials = new RefreshableToken(PlantedSecrets.TOKEN, false);

        try (Response response = get(client(credentials))) {
            assertThat(response.code()).isEqualTo(200);
        }
        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeader("Authorization")).isEqualTo("Api-Token " + PlantedSecrets.TOKEN + "-1");
        assertThat(request.getHeader("User-Agent")).isEqualTo("bastion/1.2.3");
    }

    @Test
    void registersCredentialSecretsWithRedactor() {
        client(new RefreshableToken(PlantedSecrets.TOKEN, false));

        assertThat(redactor.secrets()).contains(PlantedSecrets.TOKEN);
    }

    @Test
    void retriesOnceWithRefreshedCredentialsAfter401() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401));
        server.enqueue(new MockResponse().setBody("{\"problems\":[]}"));
        RefreshableToken credentials = new RefreshableToken(PlantedSecrets.TOKEN, true);

        try (Response response = get(client(credentials))) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("{\"problems\":[]}");
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(server.takeRequest().getHeader("Authorization")).endsWith("-1");
        RecordedRequest retry = server.takeRequest();
        assertThat(retry.getHeaders().values("Authorization")).containsExactly("Api-Token " + PlantedSecrets.TOKEN + "-2");
        assertThat(retry.getHeader("User-Agent")).isEqualTo("bastion/1.2.3");
        assertThat(credentials.invalidations).hasValue(1);
    }

    @Test
    void givesUpOnSecond401AfterRefresh() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401));
        server.enqueue(new MockResponse().setResponseCode(401));
        server.enqueue(new MockResponse().setResponseCode(401));
        RefreshableToken credentials = new RefreshableToken(PlantedSecrets.TOKEN, true);

        try (Response response = get(client(credentials))) {
            assertThat(response.code()).isEqualTo(401);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(credentials.invalidations).hasValue(1);
    }

    @Test
    void returns401AtOnceWhenCredentialsCannotBeRefreshed() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401));
        server.enqueue(new MockResponse().setResponseCode(200));
        RefreshableToken credentials = new RefreshableToken(PlantedSecrets.TOKEN, false);

        try (Response response = get(client(credentials))) {
            assertThat(response.code()).isEqualTo(401);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(credentials.invalidations).hasValue(1);
    }

    @Test
    void dropsCredentialHeadersOnRedirectToAnotherHost() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.enqueue(new MockResponse().setBody("elsewhere"));
            other.start();
            server.enqueue(new MockResponse().setResponseCode(302)
                    .setHeader("Location", "http://127.0.0.1:" + other.getPort() + "/moved"));
            OkHttpClient client = outbound.client(BackendSpec.builder("itential")
                    .credentials(request -> Map.of("X-Auth-Key", PlantedSecrets.TOKEN))
                    .allowInsecureLoopback(true).build());

            try (Response response = client.newCall(new Request.Builder().url(server.url("/start")).build())
                    .execute()) {
                assertThat(response.body().string()).isEqualTo("elsewhere");
            }

            assertThat(server.takeRequest().getHeader("X-Auth-Key")).isEqualTo(PlantedSecrets.TOKEN);
            RecordedRequest redirected = other.takeRequest();
            assertThat(redirected.getPath()).isEqualTo("/moved");
            assertThat(redirected.getHeader("X-Auth-Key")).isNull();
            assertThat(redirected.getHeader("User-Agent")).isEqualTo("bastion/1.2.3");
        }
    }

    @Test
    void keepsCredentialHeadersOnRedirectWithinTheSameOrigin() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", "/api/v2/moved"));
        server.enqueue(new MockResponse().setBody("moved"));
        OkHttpClient client = outbound.client(BackendSpec.builder("itential")
                .credentials(request -> Map.of("X-Auth-Key", PlantedSecrets.TOKEN))
                .allowInsecureLoopback(true).build());

        try (Response response = get(client)) {
            assertThat(response.body().string()).isEqualTo("moved");
        }
        server.takeRequest();
        assertThat(server.takeRequest().getHeader("X-Auth-Key")).isEqualTo(PlantedSecrets.TOKEN);
    }
}
