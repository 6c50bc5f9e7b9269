package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.testkit.conformance.ConformanceFixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProtocolFeaturesTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static ObjectNode obj() {
        return F.objectNode();
    }

    @Test
    void negotiatesEachSupportedVersionAndOffersTheLatestForUnknownOnes() {
        for (String version : List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "1999-01-01")) {
            try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
                ObjectNode params = obj();
                params.put("protocolVersion", version);
                params.set("capabilities", obj());
                JsonNode result = McpTestClient.result(client.request("initialize", params));
                assertThat(result.get("protocolVersion").asText())
                        .isEqualTo(version.equals("1999-01-01") ? "2025-11-25" : version);
                assertThat(result.get("serverInfo").get("name").asText()).isEqualTo("bastion");
                assertThat(result.get("capabilities").has("tools")).isTrue();
                assertThat(result.get("capabilities").get("resources").get("subscribe").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void pingAndSetLevelReturnExactlyAnEmptyObject() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            assertThat(McpTestClient.result(client.request("ping", null))).isEqualTo(obj());
            ObjectNode level = obj();
            level.put("level", "debug");
            assertThat(McpTestClient.result(client.request("logging/setLevel", level))).isEqualTo(obj());
            level.put("level", "loud");
            assertThat(client.request("logging/setLevel", level).get("error").get("code").asInt()).isEqualTo(-32602);
        }
    }

    @Test
    void listsArePaginatedWithOpaqueCursors() {
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t").withPageSize(5),
                new ConformanceFixtures()); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            List<String> names = new ArrayList<>();
            JsonNode page = client.listTools();
            int pages = 1;
            names.addAll(page.get("tools").findValuesAsText("name"));
            while (page.has("nextCursor")) {
                ObjectNode params = obj();
                params.put("cursor", page.get("nextCursor").asText());
                page = McpTestClient.result(client.request("tools/list", params));
                names.addAll(page.get("tools").findValuesAsText("name"));
                pages++;
            }
            assertThat(pages).isEqualTo(6);
            assertThat(names).hasSize(26).doesNotHaveDuplicates().contains("test_simple_text", "test_sampling");
        }
    }

    @Test
    void everyFixtureToolHasADescriptionAndAnnotations() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            for (JsonNode tool : client.listTools().get("tools")) {
                assertThat(tool.get("description").asText()).isNotBlank();
                assertThat(tool.get("inputSchema").get("type").asText()).isEqualTo("object");
                assertThat(tool.get("annotations").get("readOnlyHint").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void annotationsAreListedExactlyAsJacksonWritesTheRecord() {
        com.fasterxml.jackson.databind.ObjectMapper mapper = JsonMappers.create();
        for (dev.bastion.core.tool.ToolAnnotations annotations : List.of(
                dev.bastion.core.tool.ToolAnnotations.readOnly(),
                dev.bastion.core.tool.ToolAnnotations.readOnly().withTitle("Read things").closedWorld(),
                dev.bastion.core.tool.ToolAnnotations.write(true, false),
                dev.bastion.core.tool.ToolAnnotations.write(false, true).withTitle("Change things"))) {
            JsonNode byHand = McpEngine.annotationsJson(annotations);
            JsonNode byJackson = mapper.valueToTree(annotations);
            assertThat(byHand).isEqualTo(byJackson);
            assertThat(byHand.toString()).isEqualTo(byJackson.toString());
        }
    }

    @Test
    void contentBlocksOfEveryKindAreSerialisedAsMcpExpects() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            JsonNode text = client.callTool("test_simple_text", null);
            assertThat(text.get("content").get(0).get("type").asText()).isEqualTo("text");
            assertThat(text.get("content").get(0).get("text").asText())
                    .isEqualTo("This is a simple text response for testing.");
            assertThat(text.get("isError").asBoolean()).isFalse();
            JsonNode image = client.callTool("test_image_content", null).get("content").get(0);
            assertThat(image.get("type").asText()).isEqualTo("image");
            assertThat(image.get("mimeType").asText()).isEqualTo("image/png");
            assertThat(java.util.Base64.getDecoder().decode(image.get("data").asText())).startsWith((byte) 0x89);
            JsonNode audio = client.callTool("test_audio_content", null).get("content").get(0);
            assertThat(audio.get("type").asText()).isEqualTo("audio");
            JsonNode resource = client.callTool("test_embedded_resource", null).get("content").get(0);
            assertThat(resource.get("type").asText()).isEqualTo("resource");
            assertThat(resource.get("resource").get("uri").asText()).isEqualTo("test://embedded-resource");
            JsonNode error = client.callTool("test_error_handling", null);
            assertThat(error.get("isError").asBoolean()).isTrue();
            assertThat(error.get("content").get(0).get("text").asText()).isNotBlank();
        }
    }

    @Test
    void progressIsSentOnlyWithATokenAndAlwaysIncreases() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            client.callTool("test_tool_with_progress", null);
            assertThat(client.notifications("notifications/progress")).isEmpty();
            ObjectNode params = obj();
            params.put("name", "test_tool_with_progress");
            params.putObject("_meta").put("progressToken", "progress-test-1");
            McpTestClient.result(client.request("tools/call", params));
            List<JsonNode> progress = client.notifications("notifications/progress");
            assertThat(progress).hasSize(3);
            assertThat(progress).extracting(n -> n.get("params").get("progress").asDouble())
                    .containsExactly(0.0, 50.0, 100.0);
            assertThat(progress).allSatisfy(n -> {
                assertThat(n.get("params").get("progressToken").asText()).isEqualTo("progress-test-1");
                assertThat(n.get("params").get("total").asDouble()).isEqualTo(100.0);
            });
        }
    }

    @Test
    void logNotificationsFollowTheClientsLevel() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            ObjectNode level = obj();
            level.put("level", "error");
            client.request("logging/setLevel", level);
            client.callTool("test_tool_with_logging", null);
            assertThat(client.notifications("notifications/message")).isEmpty();
            level.put("level", "debug");
            client.request("logging/setLevel", level);
            client.callTool("test_tool_with_logging", null);
            assertThat(client.notifications("notifications/message"))
                    .extracting(n -> n.get("params").get("data").asText())
                    .containsExactly("Tool execution started", "Tool processing data", "Tool execution completed");
        }
    }

    @Test
    void elicitationAndSamplingAreAskedOnlyOfClientsThatDeclaredThem() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.onServerRequest(request -> {
                ObjectNode result = obj();
                if (request.get("method").asText().equals("elicitation/create")) {
                    result.put("action", "accept");
                    result.putObject("content").put("username", "ada").put("email", "ada@example.org");
                } else {
                    result.put("role", "assistant");
                    result.putObject("content").put("type", "text").put("text", "42");
                    result.put("model", "test");
                }
                return result;
            });
            ObjectNode capabilities = obj();
            capabilities.putObject("elicitation");
            capabilities.putObject("sampling");
            client.initialize(capabilities);
            ObjectNode args = obj();
            args.put("message", "Who are you?");
            JsonNode elicited = client.callTool("test_elicitation", args);
            assertThat(elicited.get("content").get(0).get("text").asText())
                    .contains("action=accept").contains("ada@example.org");
            ObjectNode prompt = obj();
            prompt.put("prompt", "What is the answer?");
            assertThat(client.callTool("test_sampling", prompt).get("content").get(0).get("text").asText())
                    .isEqualTo("LLM response: 42");
            JsonNode request = client.received().stream()
                    .filter(m -> "sampling/createMessage".equals(m.path("method").asText())).findFirst().orElseThrow();
            assertThat(request.get("params").get("maxTokens").asInt()).isEqualTo(100);
        }
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            ObjectNode args = obj();
            args.put("message", "Who are you?");
            JsonNode refused = client.callTool("test_elicitation", args);
            assertThat(refused.get("isError").asBoolean()).isTrue();
            assertThat(refused.get("content").get(0).get("text").asText()).contains("'elicitation' capability");
            assertThat(client.received()).noneMatch(m -> m.has("method") && m.has("id"));
        }
    }

    @Test
    void serverRequestThatIsNeverAnsweredTimesOut() {
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t")
                .withClientRequestTimeout(Duration.ofMillis(200)), new ConformanceFixtures());
             McpTestClient client = McpTestClient.inProcess(engine)) {
            CountDownLatch asked = new CountDownLatch(1);
            client.onServerRequest(request -> {
                asked.countDown();
                return McpTestClient.NO_ANSWER;
            });
            ObjectNode capabilities = obj();
            capabilities.putObject("elicitation");
            client.initialize(capabilities);
            CompletableFuture<JsonNode> call = client.requestAsync("tools/call",
                    (ObjectNode) obj().put("name", "test_elicitation_sep1034_defaults"));
            JsonNode result = McpTestClient.result(client.await(call));
            assertThat(asked.getCount()).isZero();
            assertThat(result.get("isError").asBoolean()).isTrue();
            assertThat(result.get("content").get(0).get("text").asText()).contains("did not answer elicitation/create");
        }
    }

    @Test
    void resourcesTemplatesAndSubscriptionsWork() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            JsonNode list = McpTestClient.result(client.request("resources/list", obj()));
            assertThat(list.get("resources").findValuesAsText("uri"))
                    .containsExactly("test://static-text", "test://static-binary", "test://watched-resource");
            JsonNode text = McpTestClient.result(client.request("resources/read",
                    (ObjectNode) obj().put("uri", "test://static-text")));
            assertThat(text.get("contents").get(0).get("text").asText())
                    .isEqualTo("This is the content of the static text resource.");
            JsonNode templated = McpTestClient.result(client.request("resources/read",
                    (ObjectNode) obj().put("uri", "test://template/123/data")));
            assertThat(templated.get("contents").get(0).get("text").asText())
                    .isEqualTo("{\"id\":\"123\",\"templateTest\":true,\"data\":\"Data for ID: 123\"}");
            JsonNode missing = client.request("resources/read", (ObjectNode) obj().put("uri", "test://nope"));
            assertThat(missing.get("error").get("code").asInt()).isEqualTo(-32002);
            assertThat(McpTestClient.result(client.request("resources/subscribe",
                    (ObjectNode) obj().put("uri", "test://watched-resource")))).isEqualTo(obj());
            engine.resourceUpdated("test://watched-resource");
            engine.resourceUpdated("test://static-text");
            assertThat(client.notifications("notifications/resources/updated"))
                    .extracting(n -> n.get("params").get("uri").asText()).containsExactly("test://watched-resource");
            assertThat(McpTestClient.result(client.request("resources/unsubscribe",
                    (ObjectNode) obj().put("uri", "test://watched-resource")))).isEqualTo(obj());
        }
    }

    @Test
    void promptsAndCompletionsWork() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            ObjectNode params = obj();
            params.put("name", "test_prompt_with_arguments");
            params.putObject("arguments").put("arg1", "alpha").put("arg2", "beta");
            JsonNode prompt = McpTestClient.result(client.request("prompts/get", params));
            assertThat(prompt.get("messages").get(0).get("content").get("text").asText())
                    .contains("alpha").contains("beta");
            ObjectNode missing = obj();
            missing.put("name", "test_prompt_with_arguments");
            missing.putObject("arguments").put("arg1", "alpha");
            JsonNode error = client.request("prompts/get", missing);
            assertThat(error.get("error").get("code").asInt()).isEqualTo(-32602);
            assertThat(error.get("error").get("message").asText()).contains("'arg2'");
            ObjectNode complete = obj();
            complete.putObject("ref").put("type", "ref/prompt").put("name", "test_prompt_with_arguments");
            complete.putObject("argument").put("name", "arg1").put("value", "par");
            JsonNode completion = McpTestClient.result(client.request("completion/complete", complete));
            assertThat(completion.get("completion").get("values").findValuesAsText("x")).isEmpty();
            List<String> values = new ArrayList<>();
            completion.get("completion").get("values").forEach(v -> values.add(v.asText()));
            assertThat(values).containsExactly("paris", "park", "party");
        }
    }

    @Test
    void cancelledCallStopsAndGetsNoResponse() throws Exception {
        LatchProvider latch = new LatchProvider(Optional.empty());
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t"), latch);
             McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            CompletableFuture<JsonNode> call = client.requestAsync("tools/call",
                    (ObjectNode) obj().put("name", "latch_wait"));
            while (latch.started.get() == 0) {
                Thread.sleep(1);
            }
            ObjectNode cancel = obj();
            cancel.put("requestId", 2);
            cancel.put("reason", "user pressed stop");
            client.notify("notifications/cancelled", cancel);
            assertThat(latch.cancelled.await(5, TimeUnit.SECONDS)).isTrue();
            JsonNode ping = client.request("ping", null);
            assertThat(ping.has("result")).isTrue();
            assertThat(call).isNotDone();
            assertThat(client.received()).noneMatch(m -> m.path("id").asInt() == 2);
        }
    }

    @Test
    void requestsRunConcurrentlyAndAnswerOutOfOrder() throws Exception {
        LatchProvider latch = new LatchProvider(Optional.empty());
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t"), latch);
             McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            CompletableFuture<JsonNode> slow = client.requestAsync("tools/call",
                    (ObjectNode) obj().put("name", "latch_wait"));
            JsonNode fast = client.request("tools/list", obj());
            assertThat(fast.has("result")).isTrue();
            assertThat(slow).isNotDone();
            latch.release.countDown();
            assertThat(McpTestClient.result(client.await(slow)).get("content").get(0).get("text").asText())
                    .isEqualTo("released");
        }
    }

    @Test
    void listChangesAreAnnouncedAndTheNewToolIsListed() {
        LatchProvider latch = new LatchProvider(Optional.empty());
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t"), latch);
             McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            assertThat(client.listTools().get("tools").findValuesAsText("name")).doesNotContain("latch_extra");
            latch.addExtraTool();
            assertThat(client.notifications("notifications/tools/list_changed")).hasSize(1);
            assertThat(client.listTools().get("tools").findValuesAsText("name")).contains("latch_extra");
        }
    }

    @Test
    void batchesAreServedOnlyForTheVersionThatHadThem() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            ObjectNode params = obj();
            params.put("protocolVersion", "2025-03-26");
            params.set("capabilities", obj());
            client.request("initialize", params);
            JsonNode batch = client.sendRawAndAwaitResponse("[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":\"tools/list\"}]");
            assertThat(batch.isArray()).isTrue();
            assertThat(batch.findValuesAsText("id")).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void multiInstanceProviderGetsAnInstanceArgumentAndFansOutConcurrently() {
        LatchProvider latch = new LatchProvider(Optional.of("environment"));
        ServerProviderContext context = new ServerProviderContext(JsonMappers.create(), Redactor.NONE,
                Clock.systemUTC(), "t", Map.of());
        List<ProviderInstance> instances = new ArrayList<>();
        for (String alias : List.of("prod", "lab", "broken")) {
            instances.add(new ProviderInstance("latch", "latch_", alias, latch.instanceArgument(),
                    latch.create(new ProviderConfig("latch", alias, Map.of()), context)));
        }
        try (McpEngine engine = new McpEngine(McpEngineOptions.defaults("t"), JsonMappers.create(), () -> instances,
                ToolCallChain.of(List.of()), ToolVisibility.ALL, (what, e) -> "Internal error in " + what + " (id x)",
                Redactor.NONE);
             McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            JsonNode where = null;
            for (JsonNode tool : client.listTools().get("tools")) {
                if (tool.get("name").asText().equals("latch_where")) {
                    where = tool;
                }
            }
            assertThat(where).isNotNull();
            JsonNode environment = where.get("inputSchema").get("properties").get("environment");
            assertThat(environment.get("enum").toString()).isEqualTo("[\"prod\",\"lab\",\"broken\",\"ALL\"]");
            assertThat(environment.get("default").asText()).isEqualTo("prod");

            assertThat(client.callTool("latch_where", null).get("content").get(0).get("text").asText())
                    .isEqualTo("ran on prod");
            assertThat(client.callTool("latch_where", (ObjectNode) obj().put("environment", "lab"))
                    .get("content").get(0).get("text").asText()).isEqualTo("ran on lab");

            latch.allArrived = new CountDownLatch(3);
            JsonNode all = client.callTool("latch_where", (ObjectNode) obj().put("environment", "ALL"));
            assertThat(all.get("isError").asBoolean()).isFalse();
            JsonNode results = all.get("structuredContent").get("results");
            assertThat(results).hasSize(3);
            assertThat(results.get(0).get("text").asText()).isEqualTo("ran on prod");
            assertThat(results.get(1).get("text").asText()).isEqualTo("ran on lab");
            assertThat(results.get(2).get("isError").asBoolean()).isTrue();
            assertThat(results.get(2).get("error").asText()).contains("Internal error").doesNotContain("s3cr3t");
        }
    }
}
