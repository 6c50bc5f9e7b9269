package dev.bastion.example.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.util.List;
import java.util.Optional;

/**
 * Step 3 of the guide: the provider and its tools. Each tool declares a strict input schema (the
 * server validates arguments before the tool runs), read-only annotations, an output schema, and
 * returns compact structured content; a backend failure is an error result, never an exception.
 */
final class PrometheusProvider implements Provider {

    static final int MAX_SERIES = 100;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final PrometheusClient client;
    private final List<Tool> tools;

    PrometheusProvider(PrometheusClient client) {
        this.client = client;
        this.tools = List.of(new QueryTool(), new AlertsTool());
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public HealthStatus health(CallContext call) {
        try {
            client.query("vector(1)", Optional.empty());
            return HealthStatus.up("Prometheus answered an instant query");
        } catch (PrometheusException e) {
            return HealthStatus.down(e.getMessage());
        }
    }

    private final class QueryTool implements Tool {
        private final ToolDescriptor descriptor;

        QueryTool() {
            ObjectNode input = F.objectNode();
            input.put("type", "object");
            ObjectNode properties = input.putObject("properties");
            properties.putObject("query").put("type", "string").put("minLength", 1).put("maxLength", 2000)
                    .put("description", "A PromQL expression, e.g. up{job=\"api\"} or rate(http_requests_total[5m])");
            properties.putObject("time").put("type", "string").put("maxLength", 40)
                    .put("description", "Evaluation time, RFC 3339 or Unix seconds (default: now)");
            properties.putObject("limit").put("type", "integer").put("minimum", 1).put("maximum", MAX_SERIES)
                    .put("default", 20).put("description", "At most this many series are returned");
            input.putArray("required").add("query");
            input.put("additionalProperties", false);
            ObjectNode output = F.objectNode();
            output.put("type", "object");
            ObjectNode outProps = output.putObject("properties");
            outProps.putObject("resultType").put("type", "string");
            outProps.putObject("series").put("type", "array");
            outProps.putObject("truncated").put("type", "boolean");
            output.putArray("required").add("resultType").add("series").add("truncated");
            descriptor = ToolDescriptor.builder("prometheus_query")
                    .title("Prometheus instant query")
                    .description("Evaluates a PromQL expression at one instant and returns each series' labels "
                            + "and value. Use it to check current state: which targets are up, a rate, a ratio. "
                            + "Example: {\"query\": \"up == 0\"} lists targets that are down.")
                    .inputSchema(input)
                    .outputSchema(output)
                    .annotations(ToolAnnotations.readOnly().withTitle("Prometheus instant query"))
                    .tags("metrics")
                    .build();
        }

        @Override
        public ToolDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ToolResult call(ObjectNode arguments, CallContext context) {
            int limit = arguments.path("limit").asInt(20);
            Optional<String> time = Optional.ofNullable(arguments.get("time")).map(JsonNode::asText);
            try {
                JsonNode data = client.query(arguments.get("query").asText(), time);
                ObjectNode result = F.objectNode();
                result.put("resultType", data.path("resultType").asText());
                ArrayNode series = result.putArray("series");
                JsonNode raw = data.path("result");
                if (raw.isArray()) {
                    for (int i = 0; i < raw.size() && i < limit; i++) {
                        ObjectNode item = series.addObject();
                        item.set("labels", raw.get(i).path("metric"));
                        JsonNode value = raw.get(i).path("value");
                        item.put("value", value.path(1).asText());
                        item.put("at", value.path(0).asDouble());
                    }
                } else {
                    ObjectNode item = series.addObject();
                    item.put("value", raw.path(1).asText());
                    item.put("at", raw.path(0).asDouble());
                }
                result.put("truncated", raw.isArray() && raw.size() > limit);
                return ToolResult.structured(result, result.toString());
            } catch (PrometheusException e) {
                return ToolResult.error(e.getMessage());
            }
        }
    }

    private final class AlertsTool implements Tool {
        private final ToolDescriptor descriptor;

        AlertsTool() {
            ObjectNode input = F.objectNode();
            input.put("type", "object");
            ObjectNode state = input.putObject("properties").putObject("state");
            state.put("type", "string");
            state.putArray("enum").add("firing").add("pending").add("all");
            state.put("default", "firing");
            input.put("additionalProperties", false);
            descriptor = ToolDescriptor.builder("prometheus_list_alerts")
                    .title("Prometheus active alerts")
                    .description("Lists active alerts with their labels, summary and since when they are active. "
                            + "Use it first when asked what is wrong right now. Example: {\"state\": \"firing\"}.")
                    .inputSchema(input)
                    .annotations(ToolAnnotations.readOnly().withTitle("Prometheus active alerts"))
                    .tags("alerts")
                    .build();
        }

        @Override
        public ToolDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ToolResult call(ObjectNode arguments, CallContext context) {
            String wanted = arguments.path("state").asText("firing");
            try {
                ArrayNode alerts = F.arrayNode();
                for (JsonNode alert : client.alerts().path("alerts")) {
                    if (wanted.equals("all") || wanted.equals(alert.path("state").asText())) {
                        ObjectNode item = alerts.addObject();
                        item.put("name", alert.path("labels").path("alertname").asText());
                        item.put("state", alert.path("state").asText());
                        item.put("severity", alert.path("labels").path("severity").asText(null));
                        item.put("summary", alert.path("annotations").path("summary").asText(null));
                        item.put("activeAt", alert.path("activeAt").asText(null));
                        item.set("labels", alert.path("labels"));
                    }
                }
                ObjectNode result = F.objectNode();
                result.set("alerts", alerts);
                return ToolResult.text(result.toString());
            } catch (PrometheusException e) {
                return ToolResult.error(e.getMessage());
            }
        }
    }
}
