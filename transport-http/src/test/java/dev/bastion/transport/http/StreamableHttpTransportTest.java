package dev.bastion.transport.http;

import static dev.bastion.transport.http.HttpFixture.INITIALIZE;
import static dev.bastion.transport.http.HttpFixture.post;
import static dev.bastion.transport.http.HttpFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.spi.ListChange;
import dev.bastion.testkit.McpTestClient;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Streamable HTTP protocol as clients see it, over real HTTP on loopback. */
class StreamableHttpTransportTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpEngine engine = HttpFixture.engine();
    private HttpTransport transport;

    private HttpTransport start(HttpSettings settings) {
        transport = HttpFixture.start(engine, settings);
        return transport;
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        engine.close();
    }

    @Test
    void answersASimpleCallWithJsonAndACallWithProgressWithAnEventStream() {
        start(HttpSettings.loopbackDefaults());
        try (McpTestClient client = McpTestClient.http(transport.endpoint()).timeout(Duration.ofSeconds(20))) {
            JsonNode init = client.initialize();
            assertThat(init.path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
            assertThat(client.sessionId()).matches("[A-Za-z0-9_-]{43}");

            JsonNode simple = client.callTool("test_simple_text", F.objectNode());
            assertThat(simple.path("content").get(0).path("text").asText())
                    .isEqualTo("This is a simple text response for testing.");

            ObjectNode params = F.objectNode();
            params.put("name", "test_tool_with_progress");
            params.putObject("arguments");
            params.putObject("_meta").put("progressToken", "p-1");
            JsonNode progressed = client.request("tools/call", params);
            assertThat(progressed.path("result").path("content").get(0).path("text").asText())
                    .isEqualTo("Progress test completed");
            assertThat(client.notifications("notifications/progress")).extracting(n -> n.path("params")
                    .path("progress").asInt()).containsExactly(0, 50, 100);
            assertThat(client.httpContentTypes()).contains("application/json").anyMatch(type ->
                    type.startsWith("text/event-stream"));
            assertThat(client.eventIds()).isNotEmpty().allMatch(id -> id.matches("\\d+-\\d+"));
        }
    }

    @Test
    void carriesAnElicitationRequestAndItsAnswerAcrossTwoPosts() {
        start(HttpSettings.loopbackDefaults());
        try (McpTestClient client = McpTestClient.http(transport.endpoint()).timeout(Duration.ofSeconds(20))) {
            client.onServerRequest(request -> {
                ObjectNode result = F.objectNode();
                result.put("action", "accept");
                result.putObject("content").put("username", "ada").put("email", "ada@example.com");
                return result;
            });
            ObjectNode capabilities = F.objectNode();
            capabilities.putObject("elicitation");
            client.initialize(capabilities);
            ObjectNode arguments = F.objectNode();
            arguments.put("message", "Who are you?");
            JsonNode result = client.callTool("test_elicitation", arguments);
            assertThat(result.toString()).contains("ada@example.com");
            assertThat(client.httpStatuses()).contains(202);
        }
    }

    @Test
    void standaloneStreamDeliversListChangesAndDeleteEndsTheSession() throws Exception {
        start(HttpSettings.loopbackDefaults());
        try (McpTestClient client = McpTestClient.http(transport.endpoint()).timeout(Duration.ofSeconds(20))) {
            client.initialize();
            assertThat(client.openEventStream(null)).isEqualTo(200);
            engine.listChanged(ListChange.TOOLS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.notifications("notifications/tools/list_changed").isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(client.notifications("notifications/tools/list_changed")).hasSize(1);
            assertThat(client.deleteSession()).isEqualTo(200);
            assertThat(client.deleteSession()).isEqualTo(404);
            assertThat(transport.sessionCount()).isZero();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void replaysMissedEventsAfterLastEventId() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String session = HttpFixture.initialize(transport);
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"test_tool_with_progress\",\"arguments\":{},\"_meta\":{\"progressToken\":\"t\"}}}";
        HttpResponse<InputStream> response = HttpFixture.CLIENT.send(post(transport, call)
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        String firstId;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            // The priming event: an id and empty data. The client "loses" the connection right after it.
            firstId = reader.readLine().substring(4);
        }
        HttpResponse<String> resumed = HttpFixture.CLIENT.send(HttpRequest.newBuilder(transport.endpoint())
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                .header("Last-Event-ID", firstId).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.statusCode()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        for (String line : resumed.body().split("\n")) {
            if (line.startsWith("data: ") && line.length() > 6) {
                events.add(JSON.readTree(line.substring(6)));
            }
        }
        assertThat(events).extracting(e -> e.path("method").asText("response"))
                .containsExactly("notifications/progress", "notifications/progress", "notifications/progress",
                        "response");
        assertThat(events.get(3).path("id").asInt()).isEqualTo(7);
        assertThat(resumed.body()).doesNotContain("id: " + firstId + "\n");
    }

    @Test
    void refusesToResumeFromAnEventThatIsNoLongerBuffered() throws Exception {
        start(HttpSettings.loopbackDefaults().withSessions(new HttpSettings.Sessions(Duration.ofMinutes(5), 10, 2)));
        String session = HttpFixture.initialize(transport);
        String call = "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"test_tool_with_progress\",\"arguments\":{},\"_meta\":{\"progressToken\":\"t\"}}}";
        HttpResponse<String> whole = send(post(transport, call).header("Mcp-Session-Id", session).build());
        String firstId = whole.body().lines().filter(line -> line.startsWith("id: ")).findFirst().orElseThrow()
                .substring(4);
        HttpResponse<String> resumed = send(HttpRequest.newBuilder(transport.endpoint())
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                .header("Last-Event-ID", firstId).GET().build());
        assertThat(resumed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(resumed.body()).path("error").path("message").asText())
                .contains("no longer buffered");
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(transport.endpoint())
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                .header("Last-Event-ID", "999-1").GET().build());
        assertThat(unknown.statusCode()).isEqualTo(400);
    }

    @Test
    void answersNotificationsWith202AndRefusesAnInvalidProtocolVersionWith400() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String session = HttpFixture.initialize(transport);
        HttpResponse<String> notification = send(post(transport,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":99}}")
                .header("Mcp-Session-Id", session).build());
        assertThat(notification.statusCode()).isEqualTo(202);
        assertThat(notification.body()).isEmpty();

        HttpResponse<String> badVersion = send(post(transport, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "1999-01-01").build());
        assertThat(badVersion.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badVersion.body()).path("error").path("message").asText())
                .contains("unsupported MCP-Protocol-Version");
        assertThat(JSON.readTree(badVersion.body()).path("id").asInt()).as("the request's id is kept").isEqualTo(2);
    }

    @Test
    void aRejectedRequestWhoseIdCouldBeReadKeepsItsId() throws Exception {
        start(HttpSettings.loopbackDefaults());
        HttpResponse<String> noSession = send(post(transport, "{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"ping\"}")
                .build());
        HttpResponse<String> unknownSession = send(post(transport, "{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"ping\"}")
                .header("Mcp-Session-Id", "no-such-session").build());
        HttpResponse<String> notification = send(post(transport, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\"}")
                .build());
        HttpResponse<String> unreadable = send(post(transport, "{\"jsonrpc\":").build());
        HttpResponse<String> badVersionGet = send(HttpRequest.newBuilder(transport.endpoint())
                .header("Accept", "text/event-stream").header("MCP-Protocol-Version", "1999-01-01").GET().build());

        assertThat(noSession.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noSession.body()).path("id").asText()).isEqualTo("a-1");
        assertThat(unknownSession.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownSession.body()).path("id").asInt()).isEqualTo(41);
        assertThat(JSON.readTree(notification.body()).path("id").isNull()).as("a notification has no id").isTrue();
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unreadable.body()).path("id").isNull()).as("no id could be read").isTrue();
        assertThat(badVersionGet.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badVersionGet.body()).path("id").isNull()).as("a GET carries no id").isTrue();
    }

    /**
     * Bodiless answers (202, 204, DELETE's 200) followed by ordinary requests on one kept-alive
     * connection. Completing an uncommitted response through the handler's callback raced in Jetty
     * 12.1 (jetty/jetty.project#14745) and left the connection's next request failing with "last
     * already written"; every exchange here must get its own, whole answer.
     */
    @Test
    void keepsAKeptAliveConnectionUsableAfterBodilessAnswers() throws Exception {
        start(HttpSettings.loopbackDefaults());
        for (int round = 0; round < 200; round++) {
            String session = HttpFixture.initialize(transport);
            HttpResponse<String> notification = send(post(transport,
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}")
                    .header("Mcp-Session-Id", session).build());
            assertThat(notification.statusCode()).as("notification in round %d", round).isEqualTo(202);
            HttpResponse<String> ping = send(post(transport, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")
                    .header("Mcp-Session-Id", session).build());
            assertThat(ping.statusCode()).as("ping in round %d", round).isEqualTo(200);
            assertThat(JSON.readTree(ping.body()).path("result").isObject()).as("ping result in round %d", round)
                    .isTrue();
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(transport.endpoint())
                    .header("Origin", "http://localhost")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(preflight.statusCode()).as("preflight in round %d", round).isEqualTo(204);
            HttpResponse<String> delete = send(HttpRequest.newBuilder(transport.endpoint())
                    .header("Mcp-Session-Id", session).DELETE().build());
            assertThat(delete.statusCode()).as("delete in round %d", round).isEqualTo(200);
        }
    }

    /**
     * The race needs the body to arrive after the handler has started waiting for it; here every
     * notification's body follows its headers after a short, varying pause, on one connection.
     */
    @Test
    void keepsAKeptAliveConnectionUsableWhenBodiesArriveAfterTheirHeaders() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String session = HttpFixture.initialize(transport);
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}";
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            for (int round = 0; round < 3000; round++) {
                out.write(head(session, notification.length()).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long pause = System.nanoTime() + (round % 50) * 2_000L;
                while (System.nanoTime() < pause) {
                    Thread.onSpinWait();
                }
                out.write(notification.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readAnswer(in)).as("notification in round %d", round).startsWith("202 ");
                out.write((head(session, ping.length()) + ping).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readAnswer(in)).as("ping in round %d", round).startsWith("200 ").contains("\"result\"");
            }
        }
    }

    private String head(String session, int length) {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + transport.port() + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + session + "\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
    }

    /** Reads one response; returns its status code, reason and body. */
    private static String readAnswer(BufferedInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "connection closed after: " + head;
            }
            head.append((char) b);
        }
        String headers = head.toString();
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
        byte[] body = in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        return headers.substring(9, headers.indexOf("\r\n")) + " " + new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void requiresASessionAndAnswersUnknownOrExpiredSessionsWith404() throws Exception {
        HttpSettings settings = HttpSettings.loopbackDefaults().withSessions(
                new HttpSettings.Sessions(Duration.ofMillis(300), 100, 16));
        start(settings);
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
        assertThat(send(post(transport, ping).build()).statusCode()).isEqualTo(400);
        assertThat(send(post(transport, ping).header("Mcp-Session-Id", "no-such-session").build()).statusCode())
                .isEqualTo(404);

        String session = HttpFixture.initialize(transport);
        assertThat(send(post(transport, ping).header("Mcp-Session-Id", session).build()).statusCode()).isEqualTo(200);
        Thread.sleep(700);
        HttpResponse<String> expired = send(post(transport, ping).header("Mcp-Session-Id", session).build());
        assertThat(expired.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(expired.body()).path("error").path("message").asText())
                .startsWith("Session not found");
    }

    @Test
    void capsTheNumberOfSessionsOverHttpByEndingTheLeastRecentlyUsed() throws Exception {
        start(HttpSettings.loopbackDefaults().withSessions(new HttpSettings.Sessions(Duration.ofMinutes(30), 500, 16)));
        String first = HttpFixture.initialize(transport);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> opened = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                opened.add(clients.submit(() -> HttpFixture.initialize(transport)));
            }
            for (var session : opened) {
                assertThat(session.get(30, TimeUnit.SECONDS)).isNotBlank();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(transport.sessionCount()).isEqualTo(500);
        HttpResponse<String> evicted = send(post(transport, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")
                .header("Mcp-Session-Id", first).build());
        assertThat(evicted.statusCode()).isEqualTo(404);
    }

    @Test
    void answersACallThatRunsLongerThanTheConnectionIdleTimeout() throws Exception {
        start(HttpSettings.loopbackDefaults().withLimits(new HttpSettings.Limits(1 << 20, 8192, 100,
                Duration.ofMillis(1000), Duration.ofSeconds(10), 50)));
        String session = HttpFixture.initialize(transport);
        HttpResponse<String> slow = send(post(transport, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"caller_sleep\",\"arguments\":{\"millis\":2500}}}")
                .header("Mcp-Session-Id", session).build());
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(slow.body()).contains("slept");
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void sendsKeepAliveCommentsOnAQuietEventStream() throws Exception {
        start(HttpSettings.loopbackDefaults().withLimits(new HttpSettings.Limits(1 << 20, 8192, 100,
                Duration.ofMillis(600), Duration.ofSeconds(10), 50)));
        String session = HttpFixture.initialize(transport);
        HttpResponse<InputStream> stream = HttpFixture.CLIENT.send(HttpRequest.newBuilder(transport.endpoint())
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", session).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("id: 0-");
            String line;
            do {
                line = reader.readLine();
            } while (line != null && !line.startsWith(":"));
            assertThat(line).isEqualTo(": keep-alive");
        }
    }

    @Test
    void allowsConcurrentPostsInOneSession() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String session = HttpFixture.initialize(transport);
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(HttpFixture.CLIENT.sendAsync(post(transport, "{\"jsonrpc\":\"2.0\",\"id\":" + (100 + i)
                    + ",\"method\":\"tools/list\"}").header("Mcp-Session-Id", session).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesLivenessReadinessAndPrometheusMetrics() throws Exception {
        start(HttpSettings.loopbackDefaults());
        try (McpTestClient client = McpTestClient.http(transport.endpoint())) {
            client.initialize();
            client.callTool("test_simple_text", F.objectNode());
        }
        HttpResponse<String> health = send(HttpRequest.newBuilder(HttpFixture.uri(transport, "/healthz")).build());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> ready = send(HttpRequest.newBuilder(HttpFixture.uri(transport, "/readyz")).build());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("providers").path("caller/default").asText()).isEqualTo("ok");
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(HttpFixture.uri(transport, "/metrics")).build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("bastion_http_requests_total{endpoint=\"mcp\",method=\"POST\",status=\"200\"}")
                .contains("bastion_http_request_duration_seconds_bucket{endpoint=\"mcp\",le=\"+Inf\"}")
                .contains("bastion_sessions_active ")
                .contains("bastion_rate_limit_rejections_total 0");
    }

    @Test
    void readinessFailsWithoutRevealingTheProvidersDetail() throws Exception {
        McpEngine failing = HttpFixture.engine(dev.bastion.core.spi.HealthStatus.down("secret-host.internal:443 "
                + "refused the token tok-123"));
        HttpTransport server = HttpTransport.builder(failing, HttpSettings.loopbackDefaults())
                .healthChecks(java.util.Map.of("caller/default", call -> dev.bastion.core.spi.HealthStatus.down(
                        "secret-host.internal:443 refused the token tok-123")))
                .build();
        server.start();
        try {
            HttpResponse<String> ready = send(HttpRequest.newBuilder(HttpFixture.uri(server, "/readyz")).build());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"caller/default\":\"failing\"").doesNotContain("secret-host", "tok-123");
        } finally {
            server.close();
            failing.close();
        }
    }

    @Test
    void passesTheCallersBackendCredentialToItsProviderAndValidatesItOnce() throws Exception {
        start(HttpSettings.loopbackDefaults());
        int before = HttpFixture.VALIDATIONS.get();
        String token = "good-" + System.nanoTime();
        try (McpTestClient client = McpTestClient.http(transport.endpoint(),
                java.util.Map.of("X-Backend-Token", token))) {
            client.initialize();
            JsonNode first = client.callTool("caller_whoami", F.objectNode());
            JsonNode second = client.callTool("caller_whoami", F.objectNode());
            assertThat(first.path("content").get(0).path("text").asText()).startsWith("account-");
            assertThat(second).isEqualTo(first);
            assertThat(first.toString()).doesNotContain(token);
        }
        assertThat(HttpFixture.VALIDATIONS.get() - before).isEqualTo(1);
        try (McpTestClient anonymous = McpTestClient.http(transport.endpoint())) {
            anonymous.initialize();
            assertThat(anonymous.callTool("caller_whoami", F.objectNode()).path("isError").asBoolean()).isTrue();
        }
    }

    @Test
    void answersAPostWithoutInitializeOrWithAnInvalidBodyWithJsonRpcErrors() throws Exception {
        start(HttpSettings.loopbackDefaults());
        HttpResponse<String> malformed = send(post(transport, "{not json").build());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("error").path("code").asInt()).isEqualTo(-32700);
        HttpResponse<String> wrongType = send(HttpRequest.newBuilder(transport.endpoint())
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build());
        assertThat(wrongType.statusCode()).isEqualTo(415);
    }
}
