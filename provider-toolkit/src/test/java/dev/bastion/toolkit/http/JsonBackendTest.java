package dev.bastion.toolkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.TestCallContext;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonBackendTest {

    private static final String KEY = "acme-key-0123456789abcdef0123456789";
    private final ObjectMapper json = new ObjectMapper();
    private final SecretRedactor redactor = SecretRedactor.withSecrets(java.util.List.of(KEY));
    private MockWebServer server;
    private JsonBackend backend;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        OutboundHttp outbound = new OutboundHttp(redactor, "test", Map.of());
        Supplier<OkHttpClient> http = outbound.lazyClient(BackendSpec.builder("acme/test")
                .allowInsecureLoopback(true).callTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2))
                .build());
        backend = JsonBackend.builder("Acme instance test", server.url("/api/"), http, json, redactor)
                .credential("API key", "api_key")
                .timeout(Duration.ofSeconds(2), "ask for less.")
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private void answer(int status, String body) {
        server.enqueue(new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body));
    }

    private String failure(BackendRequest request) {
        try {
            request.send(new TestCallContext());
        } catch (BackendFailure e) {
            return e.getMessage();
        }
        throw new AssertionError("no failure");
    }

    @Test
    void aTokenEndpointsRefusalIsAnAuthenticationFailureNamingTheSettingsNotANetworkError() {
        String secret = "client-secret-PLANTED-0123456789abcdef";
        server.enqueue(new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                .setBody("{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}"));
        OutboundHttp outbound = new OutboundHttp(redactor, "test", Map.of());
        BackendSpec.Builder spec = BackendSpec.builder("acme/test").allowInsecureLoopback(true)
                .callTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2));
        dev.bastion.toolkit.credentials.OAuthClientCredentials oauth = dev.bastion.toolkit.credentials
                .OAuthClientCredentials.builder("acme/test", server.url("/oauth/token").uri(), "client-1",
                        dev.bastion.core.spi.Secret.of(secret))
                .build(outbound, spec.build());
        JsonBackend withOauth = JsonBackend.builder("Acme instance test", server.url("/api/"),
                outbound.lazyClient(spec.credentials(oauth).build()), json, redactor).build();

        BackendFailure failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> withOauth.get("items").send(new TestCallContext()), BackendFailure.class);

        assertThat(failure.kind()).isEqualTo(BackendFailure.Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("invalid_client").contains("check client_id and client_secret")
                .doesNotContain("network").doesNotContain(secret);
        assertThat(server.getRequestCount()).as("the backend is not called without a token").isEqualTo(1);

        server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
        server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
        server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
        dev.bastion.toolkit.credentials.OAuthClientCredentials failing = dev.bastion.toolkit.credentials
                .OAuthClientCredentials.builder("acme/test", server.url("/oauth/token").uri(), "client-1",
                        dev.bastion.core.spi.Secret.of(secret))
                .build(outbound, spec.build());
        JsonBackend withFailingSso = JsonBackend.builder("Acme instance test", server.url("/api/"),
                outbound.lazyClient(BackendSpec.builder("acme/test2").allowInsecureLoopback(true)
                        .callTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2)).credentials(failing)
                        .build()), json, redactor).build();
        BackendFailure unavailable = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> withFailingSso.get("items").send(new TestCallContext()), BackendFailure.class);
        assertThat(unavailable.kind()).as("a failing token endpoint is not a credentials problem")
                .isEqualTo(BackendFailure.Kind.UNREACHABLE);
        assertThat(unavailable.getMessage()).contains("503");
    }

    @Test
    void pathSegmentsAndQueryValuesAreEncodedNeverConcatenated() throws Exception {
        answer(200, "{\"ok\":true}");
        assertThat(backend.get("items", "a/../b?c", "x y").query("q", "a&b=c").query("none", null)
                .send(new TestCallContext()).path("ok").asBoolean()).isTrue();
        RecordedRequest request = server.takeRequest();
        HttpUrl url = request.getRequestUrl();
        assertThat(url.pathSegments()).containsExactly("api", "items", "a/../b?c", "x y");
        assertThat(url.queryParameterNames()).containsExactly("q");
        assertThat(url.queryParameter("q")).isEqualTo("a&b=c");
        assertThatThrownBy(() -> backend.get("..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPostSendsItsJsonBodyAndAnEmptyAnswerIsAnEmptyObject() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        assertThat(backend.post(json.readTree("{\"a\":1}"), "items").send(new TestCallContext()).isEmpty()).isTrue();
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getBody().readUtf8()).isEqualTo("{\"a\":1}");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    }

    @Test
    void aFailureNamesTheBackendsRequestIdWhenItSendsAWellFormedOne() {
        JsonBackend withIds = JsonBackend.builder("Acme instance test", server.url("/api/"), () -> new OkHttpClient(),
                json, redactor).requestIdHeader("acme-request-id").build();
        server.enqueue(new MockResponse().setResponseCode(500).setHeader("acme-request-id", "7F3A/11/C2")
                .setBody("{}"));
        server.enqueue(new MockResponse().setResponseCode(500).setHeader("acme-request-id", "<script>")
                .setBody("{}"));

        assertThat(failure(withIds.get("items"))).endsWith("acme-request-id: 7F3A/11/C2.");
        assertThat(failure(withIds.get("items"))).doesNotContain("acme-request-id").doesNotContain("<script>");
    }

    @Test
    void aBadRequestListsAtMostTenViolationsAndCountsTheRest() {
        StringBuilder errors = new StringBuilder("{\"errors\":[");
        for (int i = 0; i < 3000; i++) {
            errors.append(i == 0 ? "" : ",").append("{\"field\":\"f").append(i).append("\",\"message\":\"bad\"}");
        }
        answer(400, errors.append("]}").toString());
        JsonBackend listing = JsonBackend.builder("Acme instance test", server.url("/api/"), () -> new OkHttpClient(),
                json, redactor).errors(body -> new ErrorDetail("invalid", ErrorDetail.lines(body.path("errors"),
                        e -> e.path("field").asText() + ": " + e.path("message").asText()))).build();
        String message = failure(listing.get("items"));
        assertThat(message).startsWith("Acme instance test rejected the request (400): f0: bad; f1: bad;")
                .endsWith("f9: bad; and 2990 more.");
        assertThat(message.length()).isLessThan(400);
    }

    @Test
    void everyStatusHasItsOwnActionableMessageWithoutTheCredential() {
        answer(401, "{\"message\":\"key " + KEY + " is unknown\"}");
        assertThat(failure(backend.get("items"))).isEqualTo("Acme instance test rejected the API key (401: key"
                + " [REDACTED] is unknown); it is missing, invalid, expired or revoked. Check the api_key setting.");
        answer(403, "{\"message\":\"nope\"}");
        assertThat(failure(backend.get("items"))).isEqualTo("Acme instance test refused access (403: nope); the API"
                + " key in api_key lacks a permission.");
        answer(404, "{}");
        assertThat(failure(backend.get("items", "7").notFound("Item 7"))).isEqualTo("Item 7 not found in Acme"
                + " instance test.");
        answer(409, "{\"message\":\"version mismatch\"}");
        assertThat(failure(backend.put(json.createObjectNode(), "items", "7"))).contains("(409: version mismatch)")
                .endsWith("read the current state and try again.");
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7").setBody("{}"));
        assertThat(failure(backend.post(json.createObjectNode(), "items")))
                .isEqualTo("Acme instance test is rate limiting requests (429); retry after 7 s.");
        answer(500, "{\"message\":\"boom\"}");
        assertThat(failure(backend.post(json.createObjectNode(), "items")))
                .isEqualTo("Acme instance test failed with HTTP 500 (boom); try again later.");
        server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
                .setBody("<html>bad gateway</html>"));
        assertThat(failure(backend.post(json.createObjectNode(), "items")))
                .startsWith("Acme instance test answered HTTP 502 with an HTML page instead of API JSON");
        answer(200, "{\"items\":[");
        assertThat(failure(backend.get("items"))).isEqualTo("Acme instance test answered HTTP 200 with a body that"
                + " is not valid JSON; a proxy may be rewriting responses.");
    }

    @Test
    void aPlainTextErrorBodyIsTheMessage() {
        server.enqueue(new MockResponse().setResponseCode(500).setBody("Internal error: no such workflow"));
        assertThat(failure(backend.post(json.createObjectNode(), "items")))
                .isEqualTo("Acme instance test failed with HTTP 500 (Internal error: no such workflow); try again later.");
    }

    @Test
    void aTimeoutAndACancellationSaySo() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        assertThat(failure(backend.post(json.createObjectNode(), "slow")))
                .isEqualTo("Acme instance test did not answer within 2 s (timeout); ask for less.");
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        TestCallContext cancelled = new TestCallContext();
        cancelled.cancel("test");
        assertThatThrownBy(() -> backend.get("items").send(cancelled)).isInstanceOf(BackendFailure.class)
                .hasMessage("The call to Acme instance test was cancelled.");
    }

    @Test
    void anUnreachableBackendNamesTheSettingToCheck() throws Exception {
        server.shutdown();
        assertThat(failure(backend.get("items"))).startsWith("Cannot reach Acme instance test: the connection was"
                + " refused; check the url and proxy settings.");
    }

    @Test
    void theReplyCarriesTheHeadersForPagingByHeader() {
        server.enqueue(new MockResponse().setHeader("opc-next-page", "p2").setBody("[]"));
        JsonBackend.Reply reply = backend.get("items").exchange(new TestCallContext());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("OPC-Next-Page")).contains("p2");
        assertThat(reply.body().isArray()).isTrue();
    }
}
