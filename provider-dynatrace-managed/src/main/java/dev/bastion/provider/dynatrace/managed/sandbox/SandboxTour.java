package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A tour of the sandbox: one realistic call per tool, with ids taken from the sandbox's own data,
 * so each call shows the tool's success path. Used by the tests (directly and through the server's
 * full pipeline) and handy for trying every tool by hand.
 */
public final class SandboxTour {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SandboxTour() {
    }

    /**
     * @param sandbox the running sandbox; its first environment is used
     * @param call runs a tool (name without the {@code dynatrace_managed_} prefix) and returns its
     *     structured content; used to look up event, security problem and SLO ids
     * @return the arguments for every tool, by name without the prefix
     */
    public static Map<String, ObjectNode> arguments(DynatraceManagedSandbox sandbox,
                                                    BiFunction<String, ObjectNode, JsonNode> call) {
        SandboxEnvironment environment = sandbox.environments().get(0);
        String problem = environment.problems().stream()
                .filter(p -> p.path("status").asText().equals("OPEN")).findFirst().orElseThrow()
                .path("problemId").asText();
        String host = environment.entities().get(0).path("entityId").asText();
        ObjectNode one = JsonNodeFactory.instance.objectNode().put("limit", 1);
        String event = call.apply("list_events", one).path("events").get(0).path("event_id").asText();
        JsonNode security = call.apply("list_security_problems", one);
        JsonNode slo = call.apply("list_slos", one);
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
        Map<String, ObjectNode> arguments = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> entry : calls.entrySet()) {
                arguments.put(entry.getKey(), (ObjectNode) JSON.readTree(entry.getValue()));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return arguments;
    }
}
