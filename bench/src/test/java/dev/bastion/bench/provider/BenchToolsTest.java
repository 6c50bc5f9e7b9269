package dev.bastion.bench.provider;

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
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.security.validate.SchemaValidator;
import dev.bastion.testkit.McpTestClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The lab's view of the provider: exact tool names, schemas, and results over the MCP engine. */
class BenchToolsTest {

    private static McpEngine engine() {
        ProviderFactory factory = new BenchProviderFactory();
        ServerProviderContext context = new ServerProviderContext(JsonMappers.create(), Redactor.NONE,
                Clock.systemUTC(), "test", Map.of());
        ProviderInstance instance = new ProviderInstance(factory.id(), factory.toolPrefix(), ProviderConfig.DEFAULT_ALIAS,
                factory.instanceArgument(), factory.create(new ProviderConfig(factory.id(), ProviderConfig.DEFAULT_ALIAS,
                        Map.of()), context));
        return new McpEngine(McpEngineOptions.defaults("test"), JsonMappers.create(), () -> List.of(instance),
                ToolCallChain.of(List.of()), ToolVisibility.ALL, (what, failure) -> "Internal error in " + what,
                Redactor.NONE);
    }

    @Test
    void isFoundThroughServiceLoaderWithoutAToolPrefix() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(factory -> {
                    assertThat(factory.id()).isEqualTo("bench");
                    assertThat(factory.toolPrefix()).isEmpty();
                    assertThat(factory.configSpec().settings()).isEmpty();
                });
    }

    @Test
    void listsExactlyEchoAndPayloadAsReadOnlyToolsWithTheLabsSchemas() {
        try (McpEngine engine = engine(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            JsonNode tools = client.listTools().get("tools");

            assertThat(tools.findValuesAsText("name")).containsExactly("echo", "payload");
            assertThat(tools.get(0).get("inputSchema").get("required").get(0).asText()).isEqualTo("text");
            assertThat(tools.get(1).get("inputSchema").get("properties").get("kb").get("maximum").intValue())
                    .isEqualTo(16384);
            tools.forEach(tool -> assertThat(tool.get("annotations").get("readOnlyHint").booleanValue()).isTrue());
        }
    }

    @Test
    void keepsTheContractThatAppliesToAProviderWithoutBackend() {
        // ProviderContractTest also checks a failing backend, which these tools do not have.
        SchemaValidator validator = new SchemaValidator(Redactor.NONE);
        for (Tool tool : new BenchProviderFactory().create(new ProviderConfig("bench", ProviderConfig.DEFAULT_ALIAS,
                Map.of()), null).tools()) {
            assertThat(tool.descriptor().name()).matches("^[a-z][a-z0-9_]{0,63}$");
            assertThat(tool.descriptor().description()).hasSizeGreaterThan(20);
            assertThat(tool.descriptor().readOnly()).isTrue();
            assertThat(validator.checkSchema(tool.descriptor().inputSchema())).isEmpty();
        }
        SchemaValidator arguments = new SchemaValidator(Redactor.NONE);
        Tool payload = new PayloadTool();
        assertThat(arguments.validateArguments(payload.descriptor(), JsonNodeFactory.instance.objectNode().put("kb", 16385)))
                .containsExactly("/kb: must be at most 16384");
        assertThat(arguments.validateArguments(new EchoTool().descriptor(), JsonNodeFactory.instance.objectNode()))
                .containsExactly("(root): missing required property 'text'");
    }

    @Test
    void echoReturnsTheTextUnchangedAndPayloadTheLabsText() {
        ObjectNode echo = JsonNodeFactory.instance.objectNode().put("text", "hello, \"bench\" \u2713");
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("kb", 64);
        try (McpEngine engine = engine(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            JsonNode echoed = client.callTool("echo", echo);
            JsonNode paid = client.callTool("payload", payload);

            assertThat(echoed.get("content")).hasSize(1);
            assertThat(echoed.get("content").get(0).get("type").asText()).isEqualTo("text");
            assertThat(echoed.get("content").get(0).get("text").asText()).isEqualTo("hello, \"bench\" \u2713");
            assertThat(echoed.get("isError").asBoolean()).isFalse();
            assertThat(paid.get("content").get(0).get("text").asText()).isEqualTo(PayloadText.of(64));
        }
    }
}
