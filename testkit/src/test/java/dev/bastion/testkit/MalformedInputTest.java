package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.mcp.McpEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every malformed message gets the right JSON-RPC error, and the server keeps serving. */
class MalformedInputTest {

    private McpEngine engine;
    private McpTestClient client;

    @BeforeEach
    void start() {
        engine = EngineFixture.conformance();
        client = McpTestClient.inProcess(engine);
    }

    @AfterEach
    void stop() {
        client.close();
        engine.close();
    }

    private void assertStillServing() {
        JsonNode ping = client.sendRawAndAwaitResponse("{\"jsonrpc\":\"2.0\",\"id\":\"alive\",\"method\":\"ping\"}");
        assertThat(ping.get("id").asText()).isEqualTo("alive");
        assertThat(ping.get("result").isEmpty()).isTrue();
    }

    private JsonNode error(String line) {
        JsonNode response = client.sendRawAndAwaitResponse(line);
        assertThat(response.has("error")).as("error response to %s: %s", line, response).isTrue();
        return response;
    }

    @Test
    void invalidJsonIsAParseError() {
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32700);
        assertThat(response.get("error").get("message").asText()).startsWith("Parse error: invalid JSON");
        assertThat(response.get("id").isNull()).isTrue();
        assertStillServing();
    }

    @Test
    void arrayBeforeNegotiatingABatchVersionIsInvalidRequest() {
        client.initialize();
        JsonNode response = error("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(response.get("error").get("message").asText()).contains("batch");
        assertStillServing();
    }

    @Test
    void scalarIsInvalidRequest() {
        JsonNode response = error("42");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(response.get("error").get("message").asText()).contains("must be an object, not a number");
        assertStillServing();
    }

    @Test
    void missingJsonrpcIsInvalidRequest() {
        JsonNode response = error("{\"id\":7,\"method\":\"ping\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(response.get("id").asInt()).isEqualTo(7);
        assertStillServing();
    }

    @Test
    void wrongJsonrpcVersionIsInvalidRequest() {
        JsonNode response = error("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"ping\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(response.get("error").get("message").asText()).contains("\"2.0\"");
        assertStillServing();
    }

    @Test
    void nullIdIsInvalidRequest() {
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(response.get("error").get("message").asText()).contains("'id' must not be null");
        assertStillServing();
    }

    @Test
    void objectIdIsInvalidRequest() {
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(response.get("error").get("message").asText()).contains("string or a number");
        assertStillServing();
    }

    @Test
    void unknownMethodIsMethodNotFound() {
        client.initialize();
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/explode\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32601);
        assertThat(response.get("error").get("message").asText()).isEqualTo("Method not found: tools/explode");
        assertStillServing();
    }

    @Test
    void requestBeforeInitializeIsRefused() {
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(response.get("error").get("message").asText()).contains("send initialize first");
        assertStillServing();
    }

    @Test
    void paramsOfTheWrongTypeAreInvalidParams() {
        client.initialize();
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":[1,2]}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
        JsonNode nameNotString = error(
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":12}}");
        assertThat(nameNotString.get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(nameNotString.get("error").get("message").asText()).contains("'name' must be a string");
        JsonNode argumentsNotObject = error("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"test_simple_text\",\"arguments\":\"x\"}}");
        assertThat(argumentsNotObject.get("error").get("code").asInt()).isEqualTo(-32602);
        assertStillServing();
    }

    @Test
    void deeplyNestedArrayIsAParseErrorThatNamesTheLimit() {
        String nested = "[".repeat(10_000) + "]".repeat(10_000);
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\",\"params\":{\"x\":" + nested + "}}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32700);
        assertThat(response.get("error").get("message").asText()).contains("nested deeper than 128 levels");
        assertStillServing();
    }

    @Test
    void tenThousandDigitNumberIsAParseErrorThatNamesTheLimit() {
        String number = "9".repeat(10_000);
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":" + number + ",\"method\":\"ping\"}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32700);
        assertThat(response.get("error").get("message").asText()).contains("longer than 100 digits");
        assertStillServing();
    }

    @Test
    void unknownToolIsInvalidParams() {
        client.initialize();
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"no_such_tool\"}}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(response.get("error").get("message").asText()).isEqualTo("Unknown tool: no_such_tool");
        assertStillServing();
    }

    @Test
    void secondInitializeIsRefused() {
        client.initialize();
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32600);
        assertStillServing();
    }

    @Test
    void invalidCursorIsInvalidParams() {
        client.initialize();
        JsonNode response = error("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/list\","
                + "\"params\":{\"cursor\":\"not-a-cursor\"}}");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(response.get("error").get("message").asText()).contains("Invalid cursor");
        assertStillServing();
    }

    @Test
    void errorMessagesCarryNoJavaInternals() {
        client.initialize();
        String[] lines = {"{", "[]", "\"x\"", "{\"jsonrpc\":2}", "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}"};
        for (String line : lines) {
            JsonNode response = client.sendRawAndAwaitResponse(line);
            assertThat(response.toString()).doesNotContain("Exception", "at dev.", "com.fasterxml", "java.");
        }
    }
}
