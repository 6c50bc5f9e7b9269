package dev.bastion.transport.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.testkit.conformance.ConformanceFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StdioTransportTest {

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}}";

    private static McpEngine engine(Tool... extra) {
        ServerProviderContext context = new ServerProviderContext(JSON, Redactor.NONE, Clock.systemUTC(), "t", Map.of());
        ConformanceFixtures fixtures = new ConformanceFixtures();
        Provider fixtureProvider = fixtures.create(new ProviderConfig("conformance", "default", Map.of()), context);
        Provider slow = new Provider() {
            @Override
            public List<Tool> tools() {
                return List.of(extra);
            }

            @Override
            public HealthStatus health(CallContext call) {
                return HealthStatus.up("t");
            }
        };
        List<ProviderInstance> instances = new ArrayList<>();
        instances.add(new ProviderInstance("conformance", "test_", "default", java.util.Optional.empty(), fixtureProvider));
        instances.add(new ProviderInstance("slow", "slow_", "default", java.util.Optional.empty(), slow));
        return new McpEngine(McpEngineOptions.defaults("t"), JSON, () -> instances, ToolCallChain.of(List.of()),
                ToolVisibility.ALL, (what, e) -> "Internal error in " + what, Redactor.NONE);
    }

    private static List<JsonNode> run(McpEngine engine, String input, int maxLine, Duration grace) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StdioTransport(engine, maxLine, grace)
                .serve(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
        List<JsonNode> messages = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                messages.add(JSON.readTree(line));
            }
        }
        return messages;
    }

    private static JsonNode byId(List<JsonNode> messages, String id) {
        return messages.stream().filter(m -> m.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no response with id " + id + " in " + messages));
    }

    @Test
    void overLongLineGetsAnErrorAndTheServerKeepsServing() throws Exception {
        try (McpEngine engine = engine()) {
            String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(5000)
                    + "\"}}";
            List<JsonNode> messages = run(engine, INIT + "\n" + huge + "\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n",
                    2048, Duration.ofSeconds(1));
            JsonNode error = messages.get(1);
            assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
            assertThat(error.get("error").get("message").asText()).contains("over the limit of 2048 bytes");
            assertThat(byId(messages, "2").has("result")).isTrue();
        }
    }

    @Test
    void malformedLineGetsAParseErrorAndTheServerKeepsServing() throws Exception {
        try (McpEngine engine = engine()) {
            List<JsonNode> messages = run(engine, "not json at all\n\n   \n{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}\n",
                    4096, Duration.ofSeconds(1));
            assertThat(messages.get(0).get("error").get("code").asInt()).isEqualTo(-32700);
            assertThat(byId(messages, "p").get("result").isEmpty()).isTrue();
            assertThat(messages).hasSize(2);
        }
    }

    @Test
    void callsInFlightAtEndOfInputFinishWithinTheGracePeriod() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Tool slow = tool("slow_finish", (args, ctx) -> {
            started.countDown();
            Thread.sleep(200);
            return ToolResult.text("finished after stdin closed");
        });
        try (McpEngine engine = engine(slow)) {
            List<JsonNode> messages = run(engine, INIT + "\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"slow_finish\"}}\n", 4096, Duration.ofSeconds(10));
            assertThat(started.await(0, TimeUnit.SECONDS)).isTrue();
            assertThat(byId(messages, "5").get("result").get("content").get(0).get("text").asText())
                    .isEqualTo("finished after stdin closed");
        }
    }

    @Test
    void callsStillRunningAfterTheGracePeriodAreCancelled() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        Tool stuck = tool("slow_stuck", (args, ctx) -> {
            ctx.onCancel(cancelled::countDown);
            new CountDownLatch(1).await();
            return ToolResult.text("never");
        });
        try (McpEngine engine = engine(stuck)) {
            List<JsonNode> messages = run(engine, INIT + "\n{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"slow_stuck\"}}\n", 4096, Duration.ofMillis(100));
            assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(messages).noneMatch(m -> m.path("id").asText().equals("6"));
        }
    }

    @Test
    void everyOutputLineIsOneJsonRpcMessage() throws Exception {
        try (McpEngine engine = engine()) {
            String input = INIT + "\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"test_tool_with_logging\"}}\n";
            List<JsonNode> messages = run(engine, input, 1 << 20, Duration.ofSeconds(5));
            assertThat(messages).allSatisfy(m -> assertThat(m.get("jsonrpc").asText()).isEqualTo("2.0"));
            assertThat(byId(messages, "1").get("result").get("tools").size()).isEqualTo(26);
        }
    }

    private static Tool tool(String name, Tool.Body body) {
        ToolDescriptor descriptor = ToolDescriptor.builder(name).description("test tool")
                .annotations(ToolAnnotations.readOnly()).build();
        return Tool.of(descriptor, body);
    }

    @Test
    void servesStatelessRequestsWithoutInitializeUntilAClientInitializes() throws Exception {
        String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
        try (McpEngine engine = engine()) {
            String input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{" + meta + "}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{" + meta + "}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"test_tool_with_logging\"," + meta + "}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":{" + meta + "}}\n";
            List<JsonNode> messages = run(engine, input, 1 << 20, Duration.ofSeconds(5));
            assertThat(byId(messages, "1").path("result").path("supportedVersions").get(0).asText())
                    .isEqualTo("2026-07-28");
            assertThat(byId(messages, "2").path("result").path("resultType").asText()).isEqualTo("complete");
            assertThat(byId(messages, "2").path("result").path("tools").size()).isEqualTo(26);
            assertThat(byId(messages, "3").path("result").path("content").get(0).path("text").asText())
                    .isEqualTo("Tool with logging executed successfully");
            assertThat(messages).as("no log messages without a logLevel in _meta")
                    .noneMatch(m -> "notifications/message".equals(m.path("method").asText()));
            assertThat(byId(messages, "4").path("error").path("code").asInt()).isEqualTo(-32601);

            List<JsonNode> legacy = run(engine, INIT + "\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}\n",
                    1 << 20, Duration.ofSeconds(5));
            assertThat(byId(legacy, "5").has("result")).as("after initialize, the session protocol").isTrue();
        }
    }
}
