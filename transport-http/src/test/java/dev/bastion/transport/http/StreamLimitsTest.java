package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.transport.http.auth.StaticToken;
import dev.bastion.transport.http.auth.StaticTokenAuthenticator;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Caps on GET event streams and on sessions, as callers see them over HTTP. */
class StreamLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "alice-token-0123456789-abcdefghijklmnop";
    private static final String BOB = "bob-token-0123456789-abcdefghijklmnopqrs";

    private final McpEngine engine = HttpFixture.engine();
    private final HttpClient streamClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<InputStream> open = new ArrayList<>();
    private HttpTransport transport;

    @AfterEach
    void stop() {
        for (InputStream stream : open) {
            try {
                stream.close();
            } catch (IOException e) {
                // already gone
            }
        }
        if (transport != null) {
            transport.close();
        }
        engine.close();
    }

    private static HttpSettings.Limits limits(int maxConnections) {
        return new HttpSettings.Limits(1 << 20, 8192, maxConnections, Duration.ofSeconds(30), Duration.ofSeconds(10),
                50);
    }

    private HttpSettings.Auth twoTokens() {
        return new HttpSettings.Auth(HttpSettings.AuthMode.STATIC, List.of(
                new StaticToken("alice", StaticTokenAuthenticator.sha256(ALICE), Set.of("bastion:read")),
                new StaticToken("bob", StaticTokenAuthenticator.sha256(BOB), Set.of("bastion:read"))),
                null, null, null, null, false, List.of(), List.of(), List.of("bastion:read"), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    private String initialize(String token) throws Exception {
        HttpRequest.Builder request = HttpFixture.post(transport, HttpFixture.INITIALIZE);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpFixture.send(request.build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    /** Opens a GET stream; a granted one stays open until the test ends. */
    private HttpResponse<InputStream> stream(String session, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(transport.endpoint()).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = streamClient.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(5, TimeUnit.SECONDS);
        open.add(response.body());
        return response;
    }

    private static JsonNode errorBody(HttpResponse<InputStream> response) throws IOException {
        return JSON.readTree(new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
    }

    private void assertHealthAnswersPromptly() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> health = streamClient.sendAsync(HttpRequest.newBuilder(HttpFixture.uri(transport,
                "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    @Timeout(120)
    void aThousandStreamAttemptsFromOnePrincipalAreCappedAndHealthKeepsAnswering() throws Exception {
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withLimits(limits(100))
                .withSessions(new HttpSettings.Sessions(Duration.ofMinutes(30), 10_000, 256)
                        .withStreams(40, 5, Duration.ofMinutes(5))));
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            sessions.add(initialize(null));
        }
        int granted = 0;
        int refused = 0;
        for (int attempt = 0; attempt < 1000; attempt++) {
            HttpResponse<InputStream> response = stream(sessions.get(attempt % sessions.size()), null);
            if (response.statusCode() == 200) {
                granted++;
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                JsonNode body = errorBody(response);
                assertThat(body.path("jsonrpc").asText()).isEqualTo("2.0");
                assertThat(body.path("error").path("message").asText()).contains("open event streams");
                refused++;
            }
            if (attempt % 100 == 0) {
                assertHealthAnswersPromptly();
            }
        }
        assertHealthAnswersPromptly();
        assertThat(granted).isEqualTo(5);
        assertThat(refused).isEqualTo(995);
        assertThat(transport.streamCount()).isEqualTo(5);
        assertThat(initialize(null)).as("a new client can still initialize").isNotBlank();
        assertThat(transport.metrics().scrape())
                .contains("bastion_event_streams_refused_total{reason=\"principal_limit\"} 995\n")
                .contains("bastion_event_streams_active 5\n");
    }

    @Test
    @Timeout(60)
    void theServerWideCapAnswers503AndAnEndedSessionGivesItsStreamsBack() throws Exception {
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withAuth(twoTokens())
                .withSessions(new HttpSettings.Sessions(Duration.ofMinutes(30), 10_000, 256)
                        .withStreams(3, 2, Duration.ofMinutes(5))));
        String alice1 = initialize(ALICE);
        String alice2 = initialize(ALICE);
        String alice3 = initialize(ALICE);
        String bob1 = initialize(BOB);
        String bob2 = initialize(BOB);
        assertThat(stream(alice1, ALICE).statusCode()).isEqualTo(200);
        assertThat(stream(alice2, ALICE).statusCode()).isEqualTo(200);
        assertThat(stream(alice3, ALICE).statusCode()).as("alice's own cap").isEqualTo(429);
        assertThat(stream(bob1, BOB).statusCode()).isEqualTo(200);
        HttpResponse<InputStream> full = stream(bob2, BOB);
        assertThat(full.statusCode()).as("the server-wide cap").isEqualTo(503);
        assertThat(errorBody(full).path("error").path("message").asText()).contains("maximum of 3 open event streams");

        HttpResponse<String> deleted = HttpFixture.send(HttpRequest.newBuilder(transport.endpoint())
                .header("Mcp-Session-Id", alice1).header("Authorization", "Bearer " + ALICE).DELETE().build());
        assertThat(deleted.statusCode()).isLessThan(300);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (transport.streamCount() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stream(bob2, BOB).statusCode()).isEqualTo(200);
        assertThat(transport.metrics().scrape())
                .contains("bastion_event_streams_refused_total{reason=\"principal_limit\"} 1\n")
                .contains("bastion_event_streams_refused_total{reason=\"server_limit\"} 1\n");
    }

    @Test
    @Timeout(30)
    void aStreamThatCarriesNoEventForTheIdleLimitEndsAndGivesItsPermitBack() throws Exception {
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults()
                .withSessions(new HttpSettings.Sessions(Duration.ofMinutes(30), 10_000, 256)
                        .withStreams(10, 1, Duration.ofMillis(400))));
        String session = initialize(null);
        HttpResponse<InputStream> first = stream(session, null);
        assertThat(first.statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        byte[] everything = first.body().readAllBytes();
        assertThat(new String(everything, StandardCharsets.UTF_8)).startsWith("id: 0-1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (transport.streamCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(transport.streamCount()).isZero();
        assertThat(stream(session, null).statusCode()).as("the permit came back").isEqualTo(200);
    }

    @Test
    @Timeout(60)
    void aFullServerRefusesANewPrincipalsSessionWith503AndKeepsEveryoneElses() throws Exception {
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withAuth(twoTokens())
                .withSessions(new HttpSettings.Sessions(Duration.ofMinutes(30), 3, 256).withMaxSessionsPerPrincipal(3)));
        String alice1 = initialize(ALICE);
        initialize(ALICE);
        initialize(ALICE);
        HttpResponse<String> refused = HttpFixture.send(HttpFixture.post(transport, HttpFixture.INITIALIZE)
                .header("Authorization", "Bearer " + BOB).build());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
                .contains("maximum of 3 sessions");
        HttpResponse<String> ping = HttpFixture.send(HttpFixture.post(transport,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").header("Authorization", "Bearer " + ALICE)
                .header("Mcp-Session-Id", alice1).build());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(transport.metrics().scrape()).contains("bastion_sessions_refused_total{reason=\"server_limit\"} 1\n");
    }
}
