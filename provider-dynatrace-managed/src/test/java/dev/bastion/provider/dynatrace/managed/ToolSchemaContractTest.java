package dev.bastion.provider.dynatrace.managed;

import static dev.bastion.provider.dynatrace.managed.TestCalls.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the server's pipeline checks, checked here for every tool: the arguments used against the
 * sandbox pass the input schema, and every structured result passes the output schema.
 */
class ToolSchemaContractTest {

    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static DynatraceManagedSandbox sandbox;
    private static Provider provider;

    @BeforeAll
    static void start() {
        sandbox = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults());
        provider = SandboxProviders.provider(sandbox, 0, new TestProviderContext());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Set<ValidationMessage> validate(JsonNode schema, JsonNode value) {
        JsonSchema compiled = SCHEMAS.getSchema(schema);
        return compiled.validate(value);
    }

    @Test
    void everyToolsArgumentsAndResultsMatchItsSchemas() throws Exception {
        String problem = sandbox.environment("sandbox").problems().stream()
                .filter(p -> p.path("status").asText().equals("OPEN")).findFirst().orElseThrow()
                .path("problemId").asText();
        String event = JSON.readTree(TestCalls.call(provider, "list_events", "{\"limit\":1}").allText())
                .path("events").get(0).path("event_id").asText();
        String host = sandbox.environment("sandbox").entities().get(0).path("entityId").asText();
        JsonNode security = TestCalls.call(provider, "list_security_problems", "{\"limit\":1}").structuredContent();
        JsonNode slo = TestCalls.call(provider, "list_slos", "{\"limit\":1}").structuredContent();
        Map<String, String> calls = new LinkedHashMap<>();
        calls.put("get_environments_info", "{}");
        calls.put("list_problems", "{\"status\":\"OPEN\",\"entity_type\":\"HOST\",\"tags\":[\"env:prod\"],\"limit\":50}");
        calls.put("get_problem_details", "{\"problem_id\":\"" + problem + "\"}");
        calls.put("list_problem_comments", "{\"problem_id\":\"" + problem + "\",\"limit\":5}");
        calls.put("add_problem_comment", "{\"problem_id\":\"" + problem + "\",\"message\":\"looking\"}");
        calls.put("list_events", "{\"from\":\"now-1h\",\"event_type\":\"ERROR_EVENT\"}");
        calls.put("get_event_details", "{\"event_id\":\"" + event + "\"}");
        calls.put("ingest_event", "{\"event_type\":\"CUSTOM_INFO\",\"title\":\"note\",\"entity_ids\":[\"" + host + "\"],"
                + "\"properties\":{\"a\":\"b\"}}");
        calls.put("list_entity_types", "{\"limit\":10}");
        calls.put("get_entity_type_details", "{\"type\":\"HOST\"}");
        calls.put("discover_entities", "{\"entity_type\":\"SERVICE\",\"health_state\":\"HEALTHY\",\"sort\":\"name\"}");
        calls.put("get_entity_details", "{\"entity_id\":\"" + host + "\"}");
        calls.put("get_entity_relationships", "{\"entity_id\":\"" + host + "\"}");
        calls.put("list_available_metrics", "{\"key_pattern\":\"builtin:host.*\"}");
        calls.put("get_metric_details", "{\"metric_key\":\"builtin:host.cpu.usage\"}");
        calls.put("query_metrics_data", "{\"metric_keys\":[\"builtin:service.response.time\"],\"split_by\":[],"
                + "\"resolution\":\"Inf\"}");
        calls.put("query_logs", "{\"query\":\"timeout\",\"from\":\"now-30m\",\"sort\":\"timestamp\"}");
        calls.put("list_security_problems", "{\"status\":\"OPEN\",\"vulnerability_type\":\"THIRD_PARTY\"}");
        calls.put("get_security_problem_details", "{\"security_problem_id\":\""
                + security.path("security_problems").get(0).path("id").asText() + "\"}");
        calls.put("list_slos", "{\"health_state\":\"UNHEALTHY\",\"enabled\":\"all\"}");
        calls.put("get_slo_details", "{\"slo_id\":\"" + slo.path("slos").get(0).path("id").asText() + "\"}");
        calls.put("list_audit_logs", "{\"category\":\"CONFIG\",\"from\":\"now-1d\"}");
        calls.put("close_problem", "{\"problem_id\":\"" + problem + "\",\"message\":\"done\"}");
        assertThat(calls).hasSize(provider.tools().size());
        for (Tool tool : provider.tools()) {
            String name = tool.descriptor().name().substring("dynatrace_managed_".length());
            ObjectNode arguments = (ObjectNode) JSON.readTree(calls.get(name));
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
