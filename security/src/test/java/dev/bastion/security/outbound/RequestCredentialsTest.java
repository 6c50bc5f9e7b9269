package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bastion.core.auth.BackendCredentials;
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
import org.slf4j.LoggerFactory;

/** One request sent with its own credentials instead of the backend's configured ones. */
class RequestCredentialsTest {

    private static final String CALLER_TOKEN = "caller-PLANTED-5d1e8f0b7a";

    private final OutboundHttp outbound = new OutboundHttp(new SecretRedactor(), "1.2.3", Map.of());
    private final RefreshableToken configured = new RefreshableToken(PlantedSecrets.TOKEN, true);
    private MockWebServer server;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = outbound.client(BackendSpec.builder("dt/prod").credentials(configured).allowInsecureLoopback(true)
                .build());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Response get(BackendCredentials own) throws IOException {
        Request.Builder request = new Request.Builder().url(server.url("/api/v2/problems"));
        if (own != null) {
            RequestCredentials.use(request, own);
        }
        return client.newCall(request.build()).execute();
    }

    @Test
    void aTaggedRequestCarriesItsOwnCredentialsAndTheNextUntaggedOneTheConfiguredOnes() throws Exception {
        server.enqueue(new MockResponse().setBody("{}"));
        server.enqueue(new MockResponse().setBody("{}"));

        get(request -> Map.of("Authorization", "Api-Token " + CALLER_TOKEN)).close();
        get(null).close();

        RecordedRequest own = server.takeRequest();
        assertThat(own.getHeaders().values("Authorization")).containsExactly("Api-Token " + CALLER_TOKEN);
        assertThat(own.getHeader("User-Agent")).isEqualTo("bastion/1.2.3");
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Api-Token " + PlantedSecrets.TOKEN + "-1");
    }

    @Test
    void everyBusyRetryCarriesTheRequestsOwnCredentials() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0"));
        server.enqueue(new MockResponse().setBody("{}"));

        try (Response response = get(request -> Map.of("Authorization", "Api-Token " + CALLER_TOKEN))) {
            assertThat(response.code()).isEqualTo(200);
        }

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Api-Token " + CALLER_TOKEN);
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Api-Token " + CALLER_TOKEN);
    }

    @Test
    void a401ToOwnStaticCredentialsEndsItWithoutTouchingTheConfiguredOnes() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401));
        server.enqueue(new MockResponse().setBody("{}"));

        try (Response response = get(request -> Map.of("Authorization", "Api-Token " + CALLER_TOKEN))) {
            assertThat(response.code()).isEqualTo(401);
        }

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(configured.invalidations).hasValue(0);
    }

    @Test
    void a401ToOwnRefreshableCredentialsRefreshesThoseOnce() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401));
        server.enqueue(new MockResponse().setBody("{}"));
        RefreshableToken own = new RefreshableToken(CALLER_TOKEN, true);

        try (Response response = get(own)) {
            assertThat(response.code()).isEqualTo(200);
        }

        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Api-Token " + CALLER_TOKEN + "-1");
        assertThat(server.takeRequest().getHeaders().values("Authorization"))
                .containsExactly("Api-Token " + CALLER_TOKEN + "-2");
        assertThat(own.invalidations).hasValue(1);
        assertThat(configured.invalidations).hasValue(0);
    }

    @Test
    void theTraceLogMasksTheHeadersOwnCredentialsSet() throws Exception {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger("dev.bastion.security.outbound");
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        try {
            server.enqueue(new MockResponse().setBody("{}"));
            // Neither a sensitive header name nor a registered secret: only the credentials tag hides it.
            try (Response response = get(request -> Map.of("X-Caller-Key", CALLER_TOKEN))) {
                response.body().string();
            }
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(null);
        }

        assertThat(server.takeRequest().getHeader("X-Caller-Key")).isEqualTo(CALLER_TOKEN);
        String log = String.join("\n", appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertThat(log).contains("X-Caller-Key: [REDACTED]").doesNotContain(CALLER_TOKEN);
    }
}
