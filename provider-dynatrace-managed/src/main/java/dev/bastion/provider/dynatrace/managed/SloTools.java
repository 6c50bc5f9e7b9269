package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Service-level objectives. */
final class SloTools {

    static final int MAX_SLOS = 100;
    static final String SCOPE = "slo.read";
    private static final List<String> TIME_FRAMES = List.of("CURRENT", "GTF");
    private static final List<String> ENABLED = List.of("true", "false", "all");
    private static final List<String> HEALTH = List.of("HEALTHY", "UNHEALTHY");

    private final ToolSupport support;

    SloTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(listSlos(), sloDetails());
    }

    private DynatraceTool listSlos() {
        ObjectNode schema = InputSchema.builder()
                .string("text", "Words the SLO name or description contains.", 200)
                .enumeration("health_state", "Only healthy or only unhealthy SLOs.", HEALTH, null)
                .enumeration("enabled", "Enabled SLOs only (true), disabled only (false) or all.", ENABLED, "true")
                .bool("evaluate", "Compute the current status and error budget (slower).", true)
                .enumeration("time_frame", "CURRENT: each SLO's own timeframe; GTF: the from/to given here.",
                        TIME_FRAMES, "CURRENT")
                .time("from", "Start of the timeframe when time_frame is GTF.", null)
                .time("to", "End of the timeframe when time_frame is GTF.", null)
                .integer("limit", "How many SLOs to return (at most " + MAX_SLOS + ").", 1, MAX_SLOS, 20)
                .nextPage().build();
        return new DynatraceTool(ToolSupport.read("list_slos", "List SLOs")
                .description("Lists service-level objectives with their evaluation: id, name, status (SUCCESS,"
                        + " WARNING, FAILURE), evaluated percentage, target and warning thresholds, remaining"
                        + " error budget and timeframe; an SLO that could not be evaluated carries an error"
                        + " text instead of values. Use it to check which objectives are at risk. Example:"
                        + " {\"health_state\":\"UNHEALTHY\"} or {\"text\":\"checkout\"}. At most " + MAX_SLOS
                        + " per call.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["slos"],"properties":{
                          "slos":{"type":"array","items":{"type":"object","required":["id"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"status":{"type":"string"},
                            "evaluated_percentage":{"type":"number"},"target":{"type":"number"},
                            "warning":{"type":"number"},"error_budget":{"type":"number"},
                            "timeframe":{"type":"string"},"enabled":{"type":"boolean"},"error":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("slo", "read").fanOut().build(), SCOPE, args -> {
                    JsonNode response = ToolSupport.page(support.client.get("slo"), "nextPageKey",
                            args.optText("next_page"), request -> {
                                Boolean evaluate = args.optBool("evaluate");
                                request.query("sloSelector", Selector.builder()
                                                .condition("text", args.selectorValue("text"))
                                                .condition("healthState", args.selectorValue("health_state")).build())
                                        .query("enabledSlos", args.optText("enabled", "true"))
                                        .query("evaluate", evaluate == null ? Boolean.TRUE : evaluate)
                                        .query("timeFrame", args.optText("time_frame", "CURRENT"))
                                        .query("from", args.optText("from"))
                                        .query("to", args.optText("to"))
                                        .query("pageSize", args.limit("limit", 20, MAX_SLOS));
                            }).execute();
                    ObjectNode out = support.object();
                    ArrayNode slos = out.putArray("slos");
                    for (JsonNode slo : response.path("slo")) {
                        slos.add(summary(slo));
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private ObjectNode summary(JsonNode slo) {
        ObjectNode s = support.object();
        s.put("id", slo.path("id").asText());
        ToolSupport.putText(s, "name", slo.path("name"));
        ToolSupport.putText(s, "status", slo.path("status"));
        // The API uses -1 for "not evaluated"; leaving the field out says the same without a fake number.
        putEvaluated(s, "evaluated_percentage", slo.path("evaluatedPercentage"));
        ToolSupport.putNumber(s, "target", slo.path("target"));
        ToolSupport.putNumber(s, "warning", slo.path("warning"));
        putEvaluated(s, "error_budget", slo.path("errorBudget"));
        ToolSupport.putText(s, "timeframe", slo.path("timeframe"));
        if (slo.has("enabled")) {
            s.put("enabled", slo.path("enabled").asBoolean());
        }
        String error = slo.path("error").asText("");
        if (!error.isEmpty() && !error.equals("NONE")) {
            s.put("error", ToolSupport.clip(error, 300));
        }
        return s;
    }

    private static void putEvaluated(ObjectNode out, String key, JsonNode value) {
        if (value.isNumber() && value.asDouble() != -1) {
            out.put(key, MetricTools.round(value.asDouble()));
        }
    }

    private DynatraceTool sloDetails() {
        ObjectNode schema = InputSchema.builder()
                .pattern("slo_id", "The SLO id from dynatrace_managed_list_slos (a UUID).",
                        "^[A-Za-z0-9\\-]{1,100}$", 100)
                .enumeration("time_frame", "CURRENT: the SLO's own timeframe; GTF: the from/to given here.",
                        TIME_FRAMES, "CURRENT")
                .time("from", "Start of the timeframe when time_frame is GTF.", null)
                .time("to", "End of the timeframe when time_frame is GTF.", null)
                .required("slo_id").build();
        return new DynatraceTool(ToolSupport.read("get_slo_details", "Get SLO details")
                .description("Returns one SLO with its evaluation and definition: status, evaluated percentage,"
                        + " target, warning, error budget, timeframe, the metric expression and the entity"
                        + " filter it applies to, and related open problems. Use it to explain why an SLO"
                        + " fails. Example: {\"slo_id\":\"0775c411-c3a1-3286-8fd2-8a469ae0a1b9\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["id"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"status":{"type":"string"},
                          "evaluated_percentage":{"type":"number"},"target":{"type":"number"},
                          "warning":{"type":"number"},"error_budget":{"type":"number"},
                          "timeframe":{"type":"string"},"enabled":{"type":"boolean"},"error":{"type":"string"},
                          "description":{"type":"string"},"evaluation_type":{"type":"string"},
                          "metric_expression":{"type":"string"},"filter":{"type":"string"},
                          "metric_key":{"type":"string"},"related_open_problems":{"type":"integer"}}}"""))
                .tags("slo", "read").build(), SCOPE, args -> {
                    String id = args.id("slo_id");
                    JsonNode slo = support.client.get("slo", id)
                            .query("timeFrame", args.optText("time_frame", "CURRENT"))
                            .query("from", args.optText("from"))
                            .query("to", args.optText("to"))
                            .notFound("SLO " + id).execute();
                    ObjectNode out = summary(slo);
                    ToolSupport.putText(out, "description", ToolSupport.clip(slo.path("description").asText(""), 1000));
                    ToolSupport.putText(out, "evaluation_type", slo.path("evaluationType"));
                    ToolSupport.putText(out, "metric_expression", slo.path("metricExpression"));
                    ToolSupport.putText(out, "filter", slo.path("filter"));
                    ToolSupport.putText(out, "metric_key", slo.path("metricKey"));
                    JsonNode related = slo.path("relatedOpenProblems");
                    if (related.isNumber() && related.asInt() >= 0) {
                        out.put("related_open_problems", related.asInt());
                    }
                    return support.structured(out);
                });
    }
}
