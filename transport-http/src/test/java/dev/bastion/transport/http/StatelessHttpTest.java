package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.McpEngine;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Protocol 2026-07-28 over Streamable HTTP: no session, _meta on every request, the header rules. */
class StatelessHttpTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "2026-07-28";

    private final McpEngine engine = HttpFixture.engine();
    private HttpTransport transport;

    @BeforeEach
    void start() {
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults());
    }

    @AfterEach
    void stop() {
        transport.close();
        engine.close();
    }

    private static ObjectNode meta() {
        ObjectNode meta = F.objectNode();
        meta.put("io.modelcontextprotocol/protocolVersion", VERSION);
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "stateless-test").put("version", "1");
        return meta;
    }

    private static ObjectNode request(int id, String method, ObjectNode params) {
        ObjectNode request = F.objectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", id);
        request.put("method", method);
        request.set("params", params);
        return request;
    }

    private static ObjectNode params(ObjectNode meta) {
        ObjectNode params = F.objectNode();
        if (meta != null) {
            params.set("_meta", meta);
        }
        return params;
    }

    private HttpResponse<String> post(JsonNode body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(transport.endpoint())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(builder::header);
        return HttpFixture.send(builder.build());
    }

    /** With the standard headers of a 2026-07-28 request. */
    private HttpResponse<String> post(ObjectNode body) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("MCP-Protocol-Version", VERSION,
                "Mcp-Method", body.path("method").asText()));
        JsonNode params = body.path("params");
        if (params.has("name")) {
            headers.put("Mcp-Name", params.get("name").asText());
        } else if (params.has("uri")) {
            headers.put("Mcp-Name", params.get("uri").asText());
        }
        return post(body, headers);
    }

    /** Every JSON-RPC message of a response, JSON or SSE. */
    private static List<JsonNode> messages(HttpResponse<String> response) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            for (String line : response.body().split("\n")) {
                if (line.startsWith("data: ") && line.length() > 6) {
                    messages.add(JSON.readTree(line.substring(6)));
                }
            }
        } else {
            messages.add(JSON.readTree(response.body()));
        }
        return messages;
    }

    private static JsonNode last(HttpResponse<String> response) throws Exception {
        List<JsonNode> all = messages(response);
        return all.get(all.size() - 1);
    }

    @Test
    void discoverNamesTheVersionsTheCapabilitiesAndTheServerWithCachingHints() throws Exception {
        HttpResponse<String> response = post(request(1, "server/discover", params(meta())));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = last(response).path("result");
        assertThat(result.path("resultType").asText()).isEqualTo("complete");
        assertThat(result.path("supportedVersions")).extracting(JsonNode::asText).containsExactly(VERSION);
        assertThat(result.path("capabilities").has("tools")).isTrue();
        assertThat(result.path("capabilities").path("tools").path("listChanged").asBoolean())
                .as("changes come through subscriptions/listen").isTrue();
        assertThat(result.path("ttlMs").isIntegralNumber()).isTrue();
        assertThat(result.path("cacheScope").asText()).isIn("public", "private");
        assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText())
                .isEqualTo("bastion");
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
    }

    @Test
    void theMetaAndHeaderChecksRunInTheSpecifiedOrderAndKeepTheRequestId() throws Exception {
        HttpResponse<String> noMeta = post(request(101, "server/discover", params(null)));
        assertThat(noMeta.statusCode()).isEqualTo(400);
        assertThat(last(noMeta).path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(last(noMeta).path("id").asInt()).isEqualTo(101);

        ObjectNode withoutCapabilities = meta();
        withoutCapabilities.remove("io.modelcontextprotocol/clientCapabilities");
        HttpResponse<String> missingField = post(request(104, "server/discover", params(withoutCapabilities)));
        assertThat(missingField.statusCode()).isEqualTo(400);
        assertThat(last(missingField).path("error").path("message").asText())
                .contains("io.modelcontextprotocol/clientCapabilities");

        HttpResponse<String> noHeader = post(request(102, "server/discover", params(meta())),
                Map.of("Mcp-Method", "server/discover"));
        assertThat(noHeader.statusCode()).isEqualTo(400);
        assertThat(last(noHeader).path("error").path("code").asInt()).isEqualTo(-32020);

        ObjectNode future = meta();
        future.put("io.modelcontextprotocol/protocolVersion", "v999.0.0");
        HttpResponse<String> mismatch = post(request(302, "server/discover", params(future)));
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(last(mismatch).path("error").path("code").asInt()).as("header before version").isEqualTo(-32020);
        assertThat(last(mismatch).path("id").asInt()).isEqualTo(302);

        HttpResponse<String> unsupported = post(request(301, "server/discover", params(future)),
                Map.of("MCP-Protocol-Version", "v999.0.0", "Mcp-Method", "server/discover"));
        assertThat(unsupported.statusCode()).isEqualTo(400);
        JsonNode error = last(unsupported).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32022);
        assertThat(error.path("data").path("supported")).extracting(JsonNode::asText).containsExactly(VERSION);
        assertThat(error.path("data").path("requested").asText()).isEqualTo("v999.0.0");
        assertThat(last(unsupported).path("id").asInt()).isEqualTo(301);
    }

    @Test
    void mcpMethodAndMcpNameMustMatchTheBody() throws Exception {
        ObjectNode call = params(meta());
        call.put("name", "test_simple_text");
        ObjectNode body = request(7, "tools/call", call);
        HttpResponse<String> wrongMethod = post(body, Map.of("MCP-Protocol-Version", VERSION,
                "Mcp-Method", "TOOLS/CALL", "Mcp-Name", "test_simple_text"));
        assertThat(wrongMethod.statusCode()).isEqualTo(400);
        assertThat(last(wrongMethod).path("error").path("code").asInt()).isEqualTo(-32020);
        HttpResponse<String> noName = post(body, Map.of("MCP-Protocol-Version", VERSION, "Mcp-Method", "tools/call"));
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(last(noName).path("error").path("message").asText()).contains("Mcp-Name");
        HttpResponse<String> wrongName = post(body, Map.of("MCP-Protocol-Version", VERSION, "Mcp-Method", "tools/call",
                "Mcp-Name", "another_tool"));
        assertThat(wrongName.statusCode()).isEqualTo(400);
        HttpResponse<String> padded = post(body, Map.of("MCP-Protocol-Version", VERSION, "Mcp-Method", "tools/call",
                "Mcp-Name", "  test_simple_text  "));
        assertThat(padded.statusCode()).isEqualTo(200);
        JsonNode result = last(padded).path("result");
        assertThat(result.path("resultType").asText()).isEqualTo("complete");
        assertThat(result.path("content").get(0).path("text").asText()).isNotEmpty();
    }

    @Test
    void sessionMethodsDoNotExistAndUnknownMethodsAre404() throws Exception {
        for (String removed : List.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
                "resources/unsubscribe", "unknown/method")) {
            HttpResponse<String> response = post(request(500, removed, params(meta())));
            assertThat(response.statusCode()).as(removed).isEqualTo(404);
            assertThat(last(response).path("error").path("code").asInt()).as(removed).isEqualTo(-32601);
            assertThat(last(response).path("id").asInt()).isEqualTo(500);
        }
        HttpResponse<String> get = HttpFixture.send(HttpRequest.newBuilder(transport.endpoint())
                .header("Accept", "text/event-stream").header("MCP-Protocol-Version", VERSION).GET().build());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        HttpResponse<String> delete = HttpFixture.send(HttpRequest.newBuilder(transport.endpoint())
                .header("MCP-Protocol-Version", VERSION).DELETE().build());
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void listsCarryCachingHintsAndAnUnknownResourceIsInvalidParamsWithItsUri() throws Exception {
        for (String list : List.of("tools/list", "prompts/list", "resources/list", "resources/templates/list")) {
            JsonNode result = last(post(request(20, list, params(meta())))).path("result");
            assertThat(result.path("resultType").asText()).as(list).isEqualTo("complete");
            assertThat(result.path("ttlMs").asLong(-1)).as(list).isGreaterThanOrEqualTo(0);
            assertThat(result.path("cacheScope").asText()).as(list).isIn("public", "private");
        }
        ObjectNode read = params(meta());
        read.put("uri", "test://nonexistent");
        HttpResponse<String> missing = post(request(21, "resources/read", read));
        JsonNode error = last(missing).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32602);
        assertThat(error.path("data").path("uri").asText()).isEqualTo("test://nonexistent");
    }

    @Test
    void progressAndLogsTravelOnTheRequestsOwnStreamAndLogsOnlyWithALogLevel() throws Exception {
        ObjectNode progress = params(meta());
        progress.put("name", "test_tool_with_progress");
        progress.putObject("arguments");
        ((ObjectNode) progress.get("_meta")).put("progressToken", "progress-1");
        HttpResponse<String> streamed = post(request(30, "tools/call", progress));
        assertThat(streamed.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> messages = messages(streamed);
        assertThat(messages).filteredOn(m -> "notifications/progress".equals(m.path("method").asText()))
                .hasSize(3).allMatch(m -> m.path("params").path("progressToken").asText().equals("progress-1"));
        assertThat(messages.get(messages.size() - 1).path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(streamed.body()).doesNotContain("retry:").as("a stateless stream cannot be resumed");

        ObjectNode quiet = params(meta());
        quiet.put("name", "test_tool_with_logging");
        quiet.putObject("arguments");
        assertThat(messages(post(request(31, "tools/call", quiet))))
                .noneMatch(m -> "notifications/message".equals(m.path("method").asText()));
        ObjectNode loud = params(meta());
        loud.put("name", "test_tool_with_logging");
        loud.putObject("arguments");
        ((ObjectNode) loud.get("_meta")).put("io.modelcontextprotocol/logLevel", "info");
        assertThat(messages(post(request(32, "tools/call", loud))))
                .filteredOn(m -> "notifications/message".equals(m.path("method").asText())).hasSize(3);
    }

    @Test
    void aLegacySessionStillWorksBesideStatelessRequests() throws Exception {
        try (dev.bastion.testkit.McpTestClient client = dev.bastion.testkit.McpTestClient.http(transport.endpoint())) {
            assertThat(client.initialize().path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
            JsonNode tools = client.listTools();
            assertThat(tools.has("resultType")).as("legacy results keep their shape").isFalse();
            assertThat(tools.has("ttlMs")).isFalse();
        }
        assertThat(last(post(request(40, "tools/list", params(meta())))).path("result").path("tools").size())
                .isGreaterThan(0);
    }

    @Test
    void anXMcpHeaderParameterMustBeMirroredInItsMcpParamHeader() throws Exception {
        ObjectNode call = params(meta());
        call.put("name", "test_custom_headers");
        call.putObject("arguments").put("region", "eu-west").put("query", "q");
        ObjectNode body = request(90, "tools/call", call);
        Map<String, String> base = Map.of("MCP-Protocol-Version", VERSION, "Mcp-Method", "tools/call",
                "Mcp-Name", "test_custom_headers");
        HttpResponse<String> missing = post(body, base);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(last(missing).path("error").path("code").asInt()).isEqualTo(-32020);
        assertThat(last(missing).path("error").path("message").asText()).contains("Mcp-Param-Region");
        Map<String, String> wrong = new java.util.HashMap<>(base);
        wrong.put("Mcp-Param-Region", "us-east");
        assertThat(post(body, wrong).statusCode()).isEqualTo(400);
        Map<String, String> right = new java.util.HashMap<>(base);
        right.put("Mcp-Param-Region", "=?base64?" + java.util.Base64.getEncoder().encodeToString(
                "eu-west".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "?=");
        HttpResponse<String> ok = post(body, right);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(last(ok).path("result").path("content").get(0).path("text").asText()).isEqualTo("region=eu-west query=q");
    }

    @Test
    void subscriptionsListenAcknowledgesTagsEveryMessageAndSendsOnlyTheKindsAskedFor() throws Exception {
        ObjectNode tools = params(meta());
        tools.putObject("notifications").put("toolsListChanged", true);
        ObjectNode prompts = params(meta());
        prompts.putObject("notifications").put("promptsListChanged", true);
        java.util.concurrent.BlockingQueue<JsonNode> toolStream = listen(77, tools);
        java.util.concurrent.BlockingQueue<JsonNode> promptStream = listen(78, prompts);
        JsonNode ack = toolStream.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ack.path("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
        assertThat(ack.path("params").path("notifications").path("toolsListChanged").asBoolean()).isTrue();
        assertThat(ack.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt()).isEqualTo(77);
        assertThat(promptStream.poll(10, java.util.concurrent.TimeUnit.SECONDS).path("method").asText())
                .isEqualTo("notifications/subscriptions/acknowledged");
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (engine.subscriptionCount() < 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        engine.listChanged(dev.bastion.core.spi.ListChange.TOOLS);
        JsonNode changed = toolStream.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(changed.path("method").asText()).isEqualTo("notifications/tools/list_changed");
        assertThat(changed.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt())
                .isEqualTo(77);
        engine.listChanged(dev.bastion.core.spi.ListChange.PROMPTS);
        JsonNode promptChange = promptStream.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(promptChange.path("method").asText()).as("the tools change was not sent to the prompts stream")
                .isEqualTo("notifications/prompts/list_changed");
        assertThat(toolStream.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).as("nor prompts to tools").isNull();
        engine.close();
        JsonNode closing = toolStream.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(closing.path("id").asInt()).as("a graceful close answers the listen request").isEqualTo(77);
        assertThat(closing.path("result").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt())
                .isEqualTo(77);
    }

    /** Opens a listen stream; its messages arrive in the queue as they come. */
    private java.util.concurrent.BlockingQueue<JsonNode> listen(int id, ObjectNode params) {
        java.util.concurrent.BlockingQueue<JsonNode> messages = new java.util.concurrent.LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(transport.endpoint())
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", VERSION).header("Mcp-Method", "subscriptions/listen")
                .POST(HttpRequest.BodyPublishers.ofString(request(id, "subscriptions/listen", params).toString()))
                .build();
        HttpFixture.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response ->
                response.body().forEach(line -> {
                    if (line.startsWith("data: ") && line.length() > 6) {
                        try {
                            messages.add(JSON.readTree(line.substring(6)));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }));
        return messages;
    }
}
