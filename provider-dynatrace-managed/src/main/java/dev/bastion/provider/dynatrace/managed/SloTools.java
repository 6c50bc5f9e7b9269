package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.InvalidArgument;
import dev.bastion.toolkit.tool.ToolSpec;

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

    private static final Arg<String> TEXT = EntityFilter.selectorText("text",
            "Words the SLO name or description contains.", 200);
    private static final Arg<String> HEALTH_ARG = Arg.enumeration("health_state", "Only healthy or only unhealthy SLOs.",
            HEALTH);
    private static final Arg<String> ENABLED_ARG = Arg.enumeration("enabled",
            "Enabled SLOs only (true), disabled only (false) or all.", ENABLED).withDefault("true");
    private static final Arg<Boolean> EVALUATE = Arg.bool("evaluate",
            "Compute the current status and error budget (slower).").withDefault(true);
    private static final Arg<String> TIME_FRAME = Arg.enumeration("time_frame",
            "CURRENT: each SLO's own timeframe; GTF: the from/to given here.", TIME_FRAMES).withDefault("CURRENT");
    private static final Arg<String> FROM = ToolSupport.time("from", "Start of the timeframe when time_frame is GTF.");
    private static final Arg<String> TO = ToolSupport.time("to", "End of the timeframe when time_frame is GTF.");
    private static final Arg<Integer> LIMIT = Arg.integer("limit", "How many SLOs to return (at most " + MAX_SLOS + ").",
            1, MAX_SLOS).withDefault(20);
    private static final Arg<String> SLO_ID = Arg.pattern("slo_id", "The SLO id from dynatrace_managed_list_slos (a"
            + " UUID).", "^[A-Za-z0-9\\-]{1,100}$", 100).required();
    private static final Arg<String> DETAIL_TIME_FRAME = TIME_FRAME.named("time_frame",
            "CURRENT: the SLO's own timeframe; GTF: the from/to given here.");

    private final ToolSupport support;

    SloTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listSlos(), sloDetails());
    }

    private ToolSpec listSlos() {
        return ToolSupport.read("list_slos", "List SLOs", SCOPE)
                .description("Lists service-level objectives with their evaluation: id, name, status (SUCCESS,"
                        + " WARNING, FAILURE), evaluated percentage, target and warning thresholds, remaining"
                        + " error budget and timeframe; an SLO that could not be evaluated carries an error"
                        + " text instead of values. Use it to check which objectives are at risk. Example:"
                        + " {\"health_state\":\"UNHEALTHY\"} or {\"text\":\"checkout\"}. At most " + MAX_SLOS
                        + " per call.")
                .output("""
                        {"type":"object","required":["slos"],"properties":{
                          "slos":{"type":"array","items":{"type":"object","required":["id"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"status":{"type":"string"},
                            "evaluated_percentage":{"type":"number"},"target":{"type":"number"},
                            "warning":{"type":"number"},"error_budget":{"type":"number"},
                            "timeframe":{"type":"string"},"enabled":{"type":"boolean"},"error":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .args(TEXT, HEALTH_ARG, ENABLED_ARG, EVALUATE, TIME_FRAME, FROM, TO, LIMIT, ToolSupport.NEXT_PAGE)
                .tags("slo").fanOut()
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("slo"), args, request -> request
                                    .query("sloSelector", Selector.builder()
                                            .condition("text", args.get(TEXT))
                                            .condition("healthState", args.get(HEALTH_ARG)).build())
                                    .query("enabledSlos", args.get(ENABLED_ARG))
                                    .query("evaluate", args.get(EVALUATE))
                                    .query("timeFrame", args.get(TIME_FRAME))
                                    .query("from", args.get(FROM))
                                    .query("to", args.get(TO))
                                    .query("pageSize", args.get(LIMIT)))
                            .send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode slos = out.putArray("slos");
                    for (JsonNode slo : response.path("slo")) {
                        slos.add(summary(slo));
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ObjectNode summary(JsonNode slo) {
        ObjectNode s = ToolSupport.NODES.objectNode();
        s.put("id", slo.path("id").asText());
        CompactJson.put(s, "name", slo.path("name"));
        CompactJson.put(s, "status", slo.path("status"));
        // The API uses -1 for "not evaluated"; leaving the field out says the same without a fake number.
        putEvaluated(s, "evaluated_percentage", slo.path("evaluatedPercentage"));
        CompactJson.putNumber(s, "target", slo.path("target"));
        CompactJson.putNumber(s, "warning", slo.path("warning"));
        putEvaluated(s, "error_budget", slo.path("errorBudget"));
        CompactJson.put(s, "timeframe", slo.path("timeframe"));
        if (slo.has("enabled")) {
            s.put("enabled", slo.path("enabled").asBoolean());
        }
        String error = slo.path("error").asText("");
        if (!error.isEmpty() && !error.equals("NONE")) {
            s.put("error", CompactJson.clip(error, 300));
        }
        return s;
    }

    private static void putEvaluated(ObjectNode out, String key, JsonNode value) {
        if (value.isNumber() && value.asDouble() != -1) {
            out.put(key, MetricTools.round(value.asDouble()));
        }
    }

    private ToolSpec sloDetails() {
        return ToolSupport.read("get_slo_details", "Get SLO details", SCOPE)
                .description("Returns one SLO with its evaluation and definition: status, evaluated percentage,"
                        + " target, warning, error budget, timeframe, the metric expression and the entity"
                        + " filter it applies to, and related open problems. Use it to explain why an SLO"
                        + " fails. Example: {\"slo_id\":\"0775c411-c3a1-3286-8fd2-8a469ae0a1b9\"}.")
                .output("""
                        {"type":"object","required":["id"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"status":{"type":"string"},
                          "evaluated_percentage":{"type":"number"},"target":{"type":"number"},
                          "warning":{"type":"number"},"error_budget":{"type":"number"},
                          "timeframe":{"type":"string"},"enabled":{"type":"boolean"},"error":{"type":"string"},
                          "description":{"type":"string"},"evaluation_type":{"type":"string"},
                          "metric_expression":{"type":"string"},"filter":{"type":"string"},
                          "metric_key":{"type":"string"},"related_open_problems":{"type":"integer"}}}""")
                .args(SLO_ID, DETAIL_TIME_FRAME, FROM, TO)
                .tags("slo")
                .handler((args, context) -> {
                    String id = args.require(SLO_ID);
                    JsonNode slo = support.client.get("slo", id)
                            .query("timeFrame", args.get(DETAIL_TIME_FRAME))
                            .query("from", args.get(FROM))
                            .query("to", args.get(TO))
                            .notFound("SLO " + id).send(context);
                    ObjectNode out = summary(slo);
                    CompactJson.put(out, "description", CompactJson.clip(slo.path("description").asText(""), 1000));
                    CompactJson.put(out, "evaluation_type", slo.path("evaluationType"));
                    CompactJson.put(out, "metric_expression", slo.path("metricExpression"));
                    CompactJson.put(out, "filter", slo.path("filter"));
                    CompactJson.put(out, "metric_key", slo.path("metricKey"));
                    JsonNode related = slo.path("relatedOpenProblems");
                    if (related.isNumber() && related.asInt() >= 0) {
                        out.put("related_open_problems", related.asInt());
                    }
                    return ToolResult.structured(out);
                }).build();
    }
}
