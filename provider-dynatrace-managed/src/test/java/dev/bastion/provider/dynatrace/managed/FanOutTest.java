package dev.bastion.provider.dynatrace.managed;

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
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import dev.bastion.testkit.McpTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code environment=ALL} runs one backend request per environment concurrently. Proven without
 * timing: the sandbox holds every request until three are in flight, and answers 503 to a request
 * that waits alone, so sequential calls would fail.
 */
class FanOutTest {

    @Test
    void listProblemsAcrossThreeEnvironmentsSendsTheirRequestsConcurrently() {
        DynatraceManagedProviderFactory factory = new DynatraceManagedProviderFactory();
        try (DynatraceManagedSandbox sandbox = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults()
                .withAliases("prod", "staging", "lab").holdUntilInFlight(3, Duration.ofSeconds(5)))) {
            List<ProviderInstance> instances = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Map<String, Object> raw = sandbox.instances().get(i);
                instances.add(new ProviderInstance(DynatraceManagedProviderFactory.ID, factory.toolPrefix(),
                        (String) raw.get("alias"), factory.instanceArgument(),
                        SandboxProviders.provider(sandbox, i, TestProviderContext.create())));
            }
            try (McpEngine engine = new McpEngine(McpEngineOptions.defaults("test"), JsonMappers.create(),
                    () -> instances, ToolCallChain.of(List.of()), ToolVisibility.ALL, (what, e) -> "failed",
                    Redactor.NONE); McpTestClient client = McpTestClient.inProcess(engine)) {
                client.initialize();
                ObjectNode arguments = JsonNodeFactory.instance.objectNode();
                arguments.put("environment", "ALL");
                arguments.put("limit", 5);
                JsonNode result = client.callTool("dynatrace_managed_list_problems", arguments);
                assertThat(result.get("isError").asBoolean()).as(result.toString()).isFalse();
                JsonNode perEnvironment = result.get("structuredContent").get("results");
                assertThat(perEnvironment).hasSize(3);
                for (JsonNode environment : perEnvironment) {
                    assertThat(environment.get("isError").asBoolean()).as(environment.toString()).isFalse();
                    assertThat(environment.get("structuredContent").get("problems").size()).isEqualTo(5);
                }
                assertThat(perEnvironment.findValuesAsText("environment")).containsExactly("prod", "staging", "lab");
            }
        }
    }

    @Test
    void oneFailingEnvironmentDoesNotFailTheOthers() {
        DynatraceManagedProviderFactory factory = new DynatraceManagedProviderFactory();
        try (DynatraceManagedSandbox sandbox = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults()
                .withAliases("prod", "lab"))) {
            List<ProviderInstance> instances = new ArrayList<>();
            instances.add(new ProviderInstance(DynatraceManagedProviderFactory.ID, factory.toolPrefix(), "prod",
                    factory.instanceArgument(), SandboxProviders.provider(sandbox, 0, TestProviderContext.create())));
            Map<String, Object> broken = new java.util.HashMap<>(sandbox.instances().get(1));
            broken.put("api_token", "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(64));
            instances.add(new ProviderInstance(DynatraceManagedProviderFactory.ID, factory.toolPrefix(), "lab",
                    factory.instanceArgument(), factory.create(SandboxProviders.config(broken, Map.of()),
                    TestProviderContext.create())));
            try (McpEngine engine = new McpEngine(McpEngineOptions.defaults("test"), JsonMappers.create(),
                    () -> instances, ToolCallChain.of(List.of()), ToolVisibility.ALL, (what, e) -> "failed",
                    Redactor.NONE); McpTestClient client = McpTestClient.inProcess(engine)) {
                client.initialize();
                ObjectNode arguments = JsonNodeFactory.instance.objectNode();
                arguments.put("environment", "ALL");
                JsonNode results = client.callTool("dynatrace_managed_list_problems", arguments)
                        .get("structuredContent").get("results");
                assertThat(results.get(0).get("isError").asBoolean()).isFalse();
                assertThat(results.get(1).get("isError").asBoolean()).isTrue();
                assertThat(results.get(1).get("error").asText()).contains("401");
            }
        }
    }
}
