package dev.bastion.example.prometheus;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.Arguments;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.List;

/**
 * Step 3 of the guide: the provider and its tools. Each argument is declared once as an {@link Arg}
 * (the input schema, its bounds and its default all come from it); each tool is a {@link ToolSpec}
 * that says it only reads, carries an output schema and returns compact structured content. A
 * backend failure is thrown as a {@link BackendFailure} and becomes the {@code isError} result.
 */
final class PrometheusProvider implements Provider {

    static final int MAX_SERIES = 100;
    private static final int MAX_LABEL_CHARS = 500;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final Arg<String> QUERY = Arg.string("query",
            "A PromQL expression, e.g. up{job=\"api\"} or rate(http_requests_total[5m])", 2000).required();
    static final Arg<String> TIME = Arg.pattern("time", "Evaluation time, RFC 3339 (2026-11-22T08:00:00Z) or Unix"
            + " seconds (1763798400); default: now", "^(\\d{1,12}(\\.\\d{1,3})?|\\d{4}-\\d{2}-\\d{2}T[0-9:.]{8,15}"
            + "(Z|[+-]\\d{2}:\\d{2}))$", 40);
    static final Arg<Integer> LIMIT = Arg.integer("limit", "At most this many series are returned", 1, MAX_SERIES)
            .withDefault(20);
    static final Arg<String> STATE = Arg.enumeration("state", "Which alerts to list: firing, pending or all",
            List.of("firing", "pending", "all")).withDefault("firing");

    private static final String QUERY_OUTPUT = """
            {"type": "object",
             "properties": {
               "resultType": {"type": "string"},
               "series": {"type": "array", "items": {"type": "object",
                 "properties": {"labels": {"type": "object"}, "value": {"type": "string"}, "at": {"type": "number"}},
                 "required": ["value", "at"]}},
               "truncated": {"type": "boolean"}},
             "required": ["resultType", "series", "truncated"]}""";
    private static final String ALERTS_OUTPUT = """
            {"type": "object",
             "properties": {
               "alerts": {"type": "array", "items": {"type": "object",
                 "properties": {"name": {"type": "string"}, "state": {"type": "string"},
                   "severity": {"type": "string"}, "summary": {"type": "string"},
                   "activeAt": {"type": "string"}, "labels": {"type": "object"}},
                 "required": ["name", "state"]}}},
             "required": ["alerts"]}""";

    private final PrometheusClient client;
    private final List<Tool> tools;

    PrometheusProvider(PrometheusClient client) {
        this.client = requireNonNull(client, "client is null");
        this.tools = List.of(
                ToolSpec.read("prometheus_query", "Prometheus instant query")
                        .description("Evaluates a PromQL expression at one instant and returns each series' labels"
                                + " and value. Use it to check current state: which targets are up, a rate, a"
                                + " ratio. Example: {\"query\": \"up == 0\"} lists targets that are down.")
                        .args(QUERY, TIME, LIMIT)
                        .output(QUERY_OUTPUT)
                        .tags("metrics")
                        .handler(this::query)
                        .build(),
                ToolSpec.read("prometheus_list_alerts", "Prometheus active alerts")
                        .description("Lists active alerts with their labels, summary and since when they are"
                                + " active. Use it first when asked what is wrong right now. Example:"
                                + " {\"state\": \"firing\"}.")
                        .args(STATE)
                        .output(ALERTS_OUTPUT)
                        .tags("alerts")
                        .handler(this::alerts)
                        .build());
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public HealthStatus health(CallContext call) {
        try {
            client.query("vector(1)", null, call);
            return HealthStatus.up("Prometheus answered an instant query");
        } catch (BackendFailure e) {
            return HealthStatus.down(e.getMessage());
        }
    }

    private ToolResult query(Arguments args, CallContext context) {
        int limit = args.get(LIMIT);
        JsonNode data = client.query(args.get(QUERY), args.get(TIME), context);
        ObjectNode result = F.objectNode();
        result.put("resultType", data.path("resultType").asText());
        ArrayNode series = result.putArray("series");
        JsonNode raw = data.path("result");
        if (raw.isArray()) {
            for (int i = 0; i < raw.size() && i < limit; i++) {
                ObjectNode item = series.addObject();
                CompactJson.putNonEmpty(item, "labels", CompactJson.compact(raw.get(i).path("metric"), MAX_LABEL_CHARS));
                sample(item, raw.get(i).path("value"));
            }
        } else {
            sample(series.addObject(), raw);
        }
        result.put("truncated", raw.isArray() && raw.size() > limit);
        return ToolResult.structured(result);
    }

    /** A Prometheus sample is {@code [unixSeconds, "value"]}. */
    private static void sample(ObjectNode item, JsonNode sample) {
        item.put("value", sample.path(1).asText());
        item.put("at", sample.path(0).asDouble());
    }

    private ToolResult alerts(Arguments args, CallContext context) {
        String wanted = args.get(STATE);
        ObjectNode result = F.objectNode();
        ArrayNode alerts = result.putArray("alerts");
        for (JsonNode alert : client.alerts(context).path("alerts")) {
            String state = alert.path("state").asText();
            if (wanted.equals("all") || wanted.equals(state)) {
                ObjectNode item = alerts.addObject();
                JsonNode labels = alert.path("labels");
                item.put("name", labels.path("alertname").asText());
                item.put("state", state);
                CompactJson.put(item, "severity", labels.path("severity").asText(null));
                CompactJson.put(item, "summary", CompactJson.clip(alert.path("annotations").path("summary")
                        .asText(null), MAX_LABEL_CHARS));
                CompactJson.put(item, "activeAt", alert.path("activeAt").asText(null));
                CompactJson.putNonEmpty(item, "labels", CompactJson.compact(labels, MAX_LABEL_CHARS));
            }
        }
        return ToolResult.structured(result);
    }
}
