package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that negotiated an older protocol version gets only the fields that version has, and
 * every client sees only the capabilities the server has content for.
 */
class VersionShapesTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One tool with a title, an output schema and structured results; no resources, no prompts. */
    private static final class ToolsOnly implements ProviderFactory {
        volatile ProviderContext context;

        @Override
        public String id() {
            return "shapes";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.of();
        }

        @Override
        public Provider create(ProviderConfig config, ProviderContext context) {
            this.context = context;
            ObjectNode input = F.objectNode().put("type", "object");
            ObjectNode output = F.objectNode().put("type", "object");
            output.putObject("properties").putObject("count").put("type", "integer");
            Tool tool = Tool.of(ToolDescriptor.builder("shapes_count").title("Count things").description("Counts.")
                    .inputSchema(input).outputSchema(output).annotations(ToolAnnotations.readOnly()).build(),
                    (arguments, call) -> ToolResult.structured(F.objectNode().put("count", 3)));
            return new Provider() {
                @Override
                public List<Tool> tools() {
                    return List.of(tool);
                }

                @Override
                public HealthStatus health(CallContext call) {
                    return HealthStatus.up("test");
                }
            };
        }
    }

    private static JsonNode initialize(McpTestClient client, String version) {
        ObjectNode params = F.objectNode();
        params.put("protocolVersion", version);
        params.set("capabilities", F.objectNode());
        params.putObject("clientInfo").put("name", "shapes").put("version", "1");
        JsonNode result = McpTestClient.result(client.request("initialize", params));
        client.notify("notifications/initialized", null);
        return result;
    }

    @Test
    void eachVersionGetsOnlyTheFieldsItHas() {
        for (String version : List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")) {
            try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t"), new ToolsOnly());
                 McpTestClient client = McpTestClient.inProcess(engine)) {
                initialize(client, version);
                JsonNode tool = client.listTools().path("tools").get(0);
                JsonNode result = client.callTool("shapes_count", F.objectNode());

                boolean structured = version.compareTo("2025-06-18") >= 0;
                assertThat(tool.has("title")).as(version).isEqualTo(structured);
                assertThat(tool.has("outputSchema")).as(version).isEqualTo(structured);
                assertThat(tool.has("annotations")).as(version).isEqualTo(!version.equals("2024-11-05"));
                assertThat(result.has("structuredContent")).as(version).isEqualTo(structured);
                assertThat(result.path("content").get(0).path("text").asText()).as(version)
                        .isEqualTo("{\"count\":3}");
            }
        }
    }

    @Test
    void onlyTheCapabilitiesWithContentAreAdvertised() {
        try (McpEngine tools = EngineFixture.engine(McpEngineOptions.defaults("t"), new ToolsOnly());
             McpTestClient client = McpTestClient.inProcess(tools);
             McpEngine everything = EngineFixture.conformance();
             McpTestClient full = McpTestClient.inProcess(everything)) {
            JsonNode toolsOnly = initialize(client, "2025-11-25").path("capabilities");
            JsonNode all = initialize(full, "2025-11-25").path("capabilities");

            assertThat(toolsOnly.has("tools")).isTrue();
            assertThat(toolsOnly.has("logging")).isTrue();
            assertThat(toolsOnly.has("resources")).isFalse();
            assertThat(toolsOnly.has("prompts")).isFalse();
            assertThat(toolsOnly.has("completions")).isFalse();
            assertThat(all.path("resources").path("subscribe").asBoolean()).isTrue();
            assertThat(all.path("prompts").path("listChanged").asBoolean()).isTrue();
            assertThat(all.has("completions")).isTrue();
        }
    }

    @Test
    void aSessionIsToldOnlyOfChangesToListsItWasOffered() throws Exception {
        ToolsOnly provider = new ToolsOnly();
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t"), provider);
             McpTestClient client = McpTestClient.inProcess(engine)) {
            initialize(client, "2025-11-25");
            provider.context.listChanged(dev.bastion.core.spi.ListChange.RESOURCES);
            provider.context.listChanged(dev.bastion.core.spi.ListChange.PROMPTS);
            provider.context.listChanged(dev.bastion.core.spi.ListChange.TOOLS);
            client.request("ping", null);

            assertThat(client.notifications("notifications/tools/list_changed")).hasSize(1);
            assertThat(client.notifications("notifications/resources/list_changed")).isEmpty();
            assertThat(client.notifications("notifications/prompts/list_changed")).isEmpty();
        }
    }
}
