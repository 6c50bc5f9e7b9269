package dev.bastion.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two bundled jars ({@code bastion serve --transport http --sandbox}) behind a real nginx that
 * balances round-robin, as docs/operations.md ("Scaling") describes the deployment: a 2026-07-28
 * client needs no stickiness, its approval round answered on one replica and retried on the other
 * (they share {@code security.request_state_key}), while a replica with another key refuses the
 * state; a 2025-11-25 client whose session request reaches the other replica gets 404 and
 * initializes again, unless the balancer hashes the client's address ({@code /sticky/}). nginx names
 * the replica that answered in a response header
 * ({@code X-Upstream: $upstream_addr}), and each replica's audit file says what it ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final String MODERN = "2026-07-28";
    private static final String LEGACY = "2025-11-25";
    private static final String WRITE_TOOL = "dynatrace_managed_ingest_event";
    private static final String UPSTREAM_HEADER = "X-Upstream";

    @TempDir
    static Path temp;

    private final List<Replica> replicas = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private Replica first;
    private Replica second;
    private Replica otherKey;
    private NginxProcess nginx;

    @BeforeAll
    void start() throws Exception {
        NginxProcess.requireInstalled();
        String sharedKey = randomKey();
        // Started together: three JVMs start faster side by side than one after another.
        first = new Replica("first", sharedKey);
        second = new Replica("second", sharedKey);
        otherKey = new Replica("other-key", randomKey());
        for (Replica replica : replicas) {
            replica.awaitListening();
        }
        nginx = NginxProcess.start(temp.resolve("nginx"), """
                    upstream bastion {
                        server 127.0.0.1:%d;
                        server 127.0.0.1:%d;
                    }
                    upstream bastion_sticky {
                        hash $remote_addr consistent;
                        server 127.0.0.1:%d;
                        server 127.0.0.1:%d;
                    }
                    server {
                        listen 127.0.0.1:$PORT;
                        location /sticky/ {
                            proxy_pass http://bastion_sticky/;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_buffering off;
                            add_header %s $upstream_addr always;
                        }
                        location / {
                            proxy_pass http://bastion;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_buffering off;
                            proxy_read_timeout 300s;
                            add_header %s $upstream_addr always;
                        }
                    }
                """.formatted(first.port, second.port, first.port, second.port, UPSTREAM_HEADER, UPSTREAM_HEADER));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        for (Replica replica : replicas) {
            replica.stop();
        }
    }

    @Test
    void anApprovalAskedOnOneReplicaIsAnsweredOnTheOtherAndAReplicaWithAnotherKeyRefusesIt() throws Exception {
        ObjectNode params = toolCall(WRITE_TOOL, JSON.readTree("""
                {"event_type":"CUSTOM_DEPLOYMENT","title":"Deploy checkout 4.2","entity_type":"SERVICE",
                 "entity_name":"checkout","entity_name_match":"equals","properties":{"version":"4.2"}}"""));

        Answer asked = modern(balancer(), "tools/call", params);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(200);
        JsonNode round = asked.message().path("result");
        assertThat(round.path("resultType").asText()).as(asked.toString()).isEqualTo("input_required");
        assertThat(round.path("inputRequests").path("approval").path("method").asText()).isEqualTo("elicitation/create");
        String state = round.path("requestState").asText();
        assertThat(state).isNotEmpty();
        Replica askedBy = replicaAt(asked.upstream());

        ObjectNode retry = params.deepCopy();
        retry.putObject("inputResponses").set("approval",
                JSON.readTree("{\"action\":\"accept\",\"content\":{\"confirm\":true}}"));
        retry.put("requestState", state);
        Answer done = modern(balancer(), "tools/call", retry);
        Replica answeredBy = replicaAt(done.upstream());
        assertThat(answeredBy).as("round-robin sends the retry to the other replica").isNotSameAs(askedBy);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        JsonNode result = done.message().path("result");
        assertThat(result.path("resultType").asText()).as(done.toString()).isEqualTo("complete");
        assertThat(result.path("isError").asBoolean()).as(done.toString()).isFalse();
        assertThat(result.path("structuredContent").path("report_count").asInt()).isEqualTo(1);

        // What each replica did, in its own words.
        assertThat(askedBy.audit()).singleElement().satisfies(record -> {
            assertThat(record.path("tool").asText()).isEqualTo(WRITE_TOOL);
            assertThat(record.path("outcome").asText()).isEqualTo("input_required");
        });
        assertThat(answeredBy.audit()).singleElement().satisfies(record -> {
            assertThat(record.path("tool").asText()).isEqualTo(WRITE_TOOL);
            assertThat(record.path("outcome").asText()).isEqualTo("ok");
        });
        assertThat(askedBy.metrics()).contains(toolCalls("input_required") + " 1").doesNotContain(toolCalls("success"));
        assertThat(answeredBy.metrics()).contains(toolCalls("success") + " 1").doesNotContain(toolCalls("input_required"));

        Answer refused = modern(otherKey.endpoint(), "tools/call", retry);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        JsonNode error = refused.message().path("error");
        assertThat(error.path("code").asInt()).as(refused.toString()).isEqualTo(-32602);
        assertThat(error.path("message").asText()).startsWith("Invalid params: requestState refused");
        assertThat(otherKey.audit()).noneMatch(record -> record.path("outcome").asText().equals("ok"));
    }

    @Test
    void aLegacySessionRequestOnTheOtherReplicaGets404AndTheClientInitializesAgainAndContinues() throws Exception {
        Answer initialized = initialize();
        Replica sessionHolder = replicaAt(initialized.upstream());

        Answer elsewhere = legacy(notification("notifications/initialized"), initialized.sessionId());
        assertThat(replicaAt(elsewhere.upstream())).as("round-robin").isNotSameAs(sessionHolder);
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(404);
        assertThat(elsewhere.message().path("error").path("message").asText()).startsWith("Session not found");

        // As the specification allows: a new session, without the old id.
        Answer again = initialize();
        String session = again.sessionId();
        assertThat(session).isNotEqualTo(initialized.sessionId());
        Replica holder = replicaAt(again.upstream());
        // Another client's requests in between (of the stateless protocol, which any replica serves)
        // are what put this client's requests on its replica under round-robin.
        anotherClientsRequestLandsBeside(holder);
        Answer acknowledged = legacy(notification("notifications/initialized"), session);
        assertThat(replicaAt(acknowledged.upstream())).isSameAs(holder);
        assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(202);
        anotherClientsRequestLandsBeside(holder);
        Answer listed = legacy(request("tools/list", JSON.createObjectNode()), session);
        assertThat(replicaAt(listed.upstream())).isSameAs(holder);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.message().path("result").path("tools")).isNotEmpty();
    }

    @Test
    void aLegacySessionStaysOnItsReplicaWhenTheBalancerHashesTheClientAddress() throws Exception {
        URI sticky = URI.create("http://127.0.0.1:" + nginx.port() + "/sticky/mcp");
        Answer initialized = initialize(sticky);
        Replica holder = replicaAt(initialized.upstream());
        String session = initialized.sessionId();
        List<Answer> answers = List.of(
                legacy(sticky, notification("notifications/initialized"), session),
                legacy(sticky, request("tools/list", JSON.createObjectNode()), session),
                legacy(sticky, request("tools/list", JSON.createObjectNode()), session),
                legacy(sticky, request("ping", JSON.createObjectNode()), session));
        for (Answer answer : answers) {
            assertThat(replicaAt(answer.upstream())).isSameAs(holder);
            assertThat(answer.status()).as(answer.toString()).isIn(200, 202);
        }
        assertThat(answers.get(1).message().path("result").path("tools")).isNotEmpty();
    }

    private void anotherClientsRequestLandsBeside(Replica holder) throws Exception {
        Answer discover = modern(balancer(), "server/discover", meta(JSON.createObjectNode(), false));
        assertThat(discover.status()).as(discover.toString()).isEqualTo(200);
        assertThat(replicaAt(discover.upstream())).isNotSameAs(holder);
    }

    // ---------------------------------------------------------------------------------------------

    /** One {@code bastion serve --transport http --sandbox} process, its audit file and everything it printed. */
    private final class Replica {
        final String name;
        final int port;
        final Path auditFile;
        final Process process;
        private final ServerProcess server;

        Replica(String name, String stateKey) throws IOException {
            this.name = name;
            this.port = ServerProcess.freePort();
            this.auditFile = temp.resolve(name + "-audit.jsonl");
            server = ServerProcess.start("replica " + name, BastionJar.command("serve", "--transport", "http",
                    "--sandbox", "--port", Integer.toString(port)), Map.of("BASTION_HTTP_AUTH_MODE", "none",
                    "BASTION_READ_ONLY", "false", "BASTION_APPROVAL", "writes", "BASTION_REQUEST_STATE_KEY", stateKey,
                    "BASTION_AUDIT_FILE", auditFile.toString()), port);
            process = server.process();
            replicas.add(this);
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + port + "/mcp");
        }

        String output() {
            return server.output();
        }

        List<JsonNode> audit() throws IOException {
            List<JsonNode> records = new ArrayList<>();
            if (Files.exists(auditFile)) {
                for (String line : Files.readAllLines(auditFile)) {
                    records.add(JSON.readTree(line));
                }
            }
            return records;
        }

        String metrics() throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        void awaitListening() throws Exception {
            server.awaitHealthy(Duration.ofSeconds(90));
        }

        void stop() throws InterruptedException {
            server.stop();
        }

        @Override
        public String toString() {
            return "replica " + name + " (port " + port + ")";
        }
    }

    /** One HTTP answer: its status, the replica nginx took it to, the session it opened and its last JSON-RPC message. */
    private record Answer(int status, String upstream, String sessionId, JsonNode message, String body) {
        @Override
        public String toString() {
            return status + " from " + upstream + ": " + body;
        }
    }

    private URI balancer() {
        return URI.create("http://127.0.0.1:" + nginx.port() + "/mcp");
    }

    private Replica replicaAt(String upstream) {
        for (Replica replica : replicas) {
            if (upstream.equals("127.0.0.1:" + replica.port)) {
                return replica;
            }
        }
        throw new AssertionError("nginx answered from no replica (" + UPSTREAM_HEADER + ": " + upstream + ")\n"
                + nginx.errorLog());
    }

    private static String toolCalls(String outcome) {
        return "bastion_tool_calls_total{tool=\"" + WRITE_TOOL + "\",outcome=\"" + outcome + "\"}";
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static ObjectNode toolCall(String tool, JsonNode arguments) {
        ObjectNode params = JSON.createObjectNode();
        params.put("name", tool);
        params.set("arguments", arguments);
        return meta(params, true);
    }

    private static ObjectNode meta(ObjectNode params, boolean elicitation) {
        ObjectNode meta = params.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", MODERN);
        ObjectNode capabilities = meta.putObject("io.modelcontextprotocol/clientCapabilities");
        if (elicitation) {
            capabilities.putObject("elicitation");
        }
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "replicas-it").put("version", "1");
        return params;
    }

    /** A 2026-07-28 request with the headers that protocol requires. */
    private Answer modern(URI endpoint, String method, ObjectNode params) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(Map.of("MCP-Protocol-Version", MODERN, "Mcp-Method", method));
        if (params.has("name")) {
            headers.put("Mcp-Name", params.get("name").asText());
        }
        return post(endpoint, request(method, params), headers);
    }

    private Answer initialize() throws Exception {
        return initialize(balancer());
    }

    private Answer initialize(URI endpoint) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("protocolVersion", LEGACY);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "replicas-it-legacy").put("version", "1");
        Answer answer = post(endpoint, request("initialize", params), Map.of());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.sessionId()).as(answer.toString()).isNotEmpty();
        assertThat(answer.message().path("result").path("protocolVersion").asText()).isEqualTo(LEGACY);
        return answer;
    }

    /** A 2025-11-25 message of {@code session}. */
    private Answer legacy(ObjectNode message, String session) throws Exception {
        return legacy(balancer(), message, session);
    }

    private Answer legacy(URI endpoint, ObjectNode message, String session) throws Exception {
        return post(endpoint, message, Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", LEGACY));
    }

    private ObjectNode request(String method, ObjectNode params) {
        ObjectNode request = notification(method);
        request.put("id", ids.incrementAndGet());
        request.set("params", params);
        return request;
    }

    private static ObjectNode notification(String method) {
        ObjectNode message = JSON.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        return message;
    }

    private static Answer post(URI endpoint, ObjectNode body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(builder::header);
        HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode last = JSON.missingNode();
        String text = response.body();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            for (String line : text.split("\n")) {
                if (line.startsWith("data:") && !line.substring(5).isBlank()) {
                    last = JSON.readTree(line.substring(5).strip());
                }
            }
        } else if (!text.isBlank()) {
            last = JSON.readTree(text);
        }
        return new Answer(response.statusCode(), response.headers().firstValue(UPSTREAM_HEADER).orElse("none"),
                response.headers().firstValue("Mcp-Session-Id").orElse(""), last, text);
    }
}
