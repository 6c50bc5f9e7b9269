package dev.bastion.provider.dynatrace.managed;

import static dev.bastion.provider.dynatrace.managed.TestCalls.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.security.validate.SchemaValidator;
import java.util.List;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import dev.bastion.provider.dynatrace.managed.sandbox.SandboxTour;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the server's pipeline checks, checked here for every tool: the arguments used against the
 * sandbox pass the input schema, and every structured result passes the output schema.
 */
class ToolSchemaContractTest {

    private static final SchemaValidator SCHEMAS = new SchemaValidator(Redactor.NONE);

    private static DynatraceManagedSandbox sandbox;
    private static Provider provider;

    @BeforeAll
    static void start() {
        sandbox = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults());
        provider = SandboxProviders.provider(sandbox, 0, TestProviderContext.create());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static List<String> validate(JsonNode schema, JsonNode value) {
        ToolDescriptor probe = ToolDescriptor.builder("probe").description("schema probe").inputSchema((ObjectNode) schema)
                .annotations(ToolAnnotations.readOnly()).build();
        return SCHEMAS.validateArguments(probe, value);
    }

    @Test
    void everyToolsArgumentsAndResultsMatchItsSchemas() throws Exception {
        Map<String, ObjectNode> calls = SandboxTour.arguments(sandbox, (name, args) -> TestCalls.structured(provider, name, args));
        assertThat(calls).hasSize(provider.tools().size());
        for (Tool tool : provider.tools()) {
            String name = tool.descriptor().name().substring("dynatrace_managed_".length());
            ObjectNode arguments = calls.get(name);
            assertThat(validate(tool.descriptor().inputSchema(), arguments)).as(name + " arguments").isEmpty();
            ToolResult result = tool.call(arguments, TestCalls.context());
            assertThat(result.isError()).as(name + ": " + result.allText()).isFalse();
            assertThat(validate(tool.descriptor().outputSchema(), result.structuredContent())).as(name + " output")
                    .isEmpty();
        }
    }

    @Test
    void schemasRejectInjectionShapedAndOversizedArguments() throws Exception {
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        provider.tools().forEach(t -> schemas.put(t.descriptor().name(), t.descriptor().inputSchema()));
        assertThat(validate(schemas.get("dynatrace_managed_list_problems"),
                JSON.createObjectNode().put("limit", 51))).isNotEmpty();
        assertThat(validate(schemas.get("dynatrace_managed_list_problems"),
                JSON.createObjectNode().put("status", "OPEN\"),status(\"CLOSED"))).isNotEmpty();
        assertThat(validate(schemas.get("dynatrace_managed_discover_entities"),
                JSON.createObjectNode().put("entity_type", "HOST\"),type(\"SERVICE"))).isNotEmpty();
        assertThat(validate(schemas.get("dynatrace_managed_list_events"),
                JSON.createObjectNode().put("from", "now-2h&pageSize=1000"))).isNotEmpty();
        assertThat(validate(schemas.get("dynatrace_managed_list_slos"),
                JSON.createObjectNode().put("unknown", true))).isNotEmpty();
        assertThat(validate(schemas.get("dynatrace_managed_query_metrics_data"),
                JSON.readTree("{\"metric_keys\":[\"builtin:host.cpu.usage:filter(eq(a,b))\"]}"))).isNotEmpty();
    }
}
