package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/** Metric descriptors and metric data. */
final class MetricTools {

    static final int MAX_METRICS = 500;
    static final int MAX_SERIES = 100;
    static final String SCOPE = "metrics.read";
    static final String RESOLUTION_PATTERN = "^(Inf|[1-9][0-9]{0,3}[smhdwMyq]?)$";
    private static final String KEY_PATTERN = MetricSelector.METRIC_KEY.pattern();
    private static final String KEY_WILDCARD_PATTERN = "^[A-Za-z][A-Za-z0-9_.\\-:*]{0,299}$";
    private static final MathContext SIGNIFICANT = new MathContext(4);

    private final ToolSupport support;

    MetricTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(listMetrics(), metricDetails(), queryData());
    }

    private DynatraceTool listMetrics() {
        ObjectNode schema = InputSchema.builder()
                .string("search_text", "Words the metric key, name or description contains, such as 'cpu'.", 200)
                .pattern("key_pattern", "Metric keys to list, with * as wildcard, such as builtin:host.cpu.*",
                        KEY_WILDCARD_PATTERN, 300)
                .integer("limit", "How many metrics to return (at most " + MAX_METRICS + ").", 1, MAX_METRICS, 100)
                .nextPage().build();
        return new DynatraceTool(ToolSupport.read("list_available_metrics", "List available metrics")
                .description("Searches the metric catalogue: key (such as builtin:host.cpu.usage), display name,"
                        + " unit and a short description. Use it to find the metric key for"
                        + " dynatrace_managed_query_metrics_data. Example: {\"search_text\":\"cpu\",\"limit\":20}"
                        + " or {\"key_pattern\":\"builtin:service.*\"}. At most " + MAX_METRICS + " per call.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["metrics"],"properties":{
                          "metrics":{"type":"array","items":{"type":"object","required":["key"],"properties":{
                            "key":{"type":"string"},"name":{"type":"string"},"unit":{"type":"string"},
                            "description":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("metrics", "read").fanOut().build(), SCOPE, args -> {
                    JsonNode response = ToolSupport.page(support.client.get("metrics"), "nextPageKey",
                            args.optText("next_page"), request -> {
                                String keys = args.optText("key_pattern");
                                if (keys != null && !keys.matches(KEY_WILDCARD_PATTERN)) {
                                    throw new InvalidArgumentException("key_pattern",
                                            "must be a metric key with optional * wildcards");
                                }
                                request.query("text", args.optText("search_text"))
                                        .query("metricSelector", keys)
                                        .query("fields", "displayName,unit,description")
                                        .query("pageSize", args.limit("limit", 100, MAX_METRICS));
                            }).execute();
                    ObjectNode out = support.object();
                    ArrayNode metrics = out.putArray("metrics");
                    for (JsonNode metric : response.path("metrics")) {
                        ObjectNode m = support.object();
                        m.put("key", metric.path("metricId").asText());
                        ToolSupport.putText(m, "name", metric.path("displayName"));
                        ToolSupport.putText(m, "unit", metric.path("unit"));
                        ToolSupport.putText(m, "description",
                                ToolSupport.clip(metric.path("description").asText(""), 200));
                        metrics.add(m);
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private DynatraceTool metricDetails() {
        ObjectNode schema = InputSchema.builder()
                .pattern("metric_key", "The metric key, such as builtin:host.cpu.usage.", KEY_PATTERN, 300)
                .required("metric_key").build();
        return new DynatraceTool(ToolSupport.read("get_metric_details", "Get metric details")
                .description("Describes one metric: name, description, unit, the aggregations it supports and"
                        + " its default, its dimensions (what it can be split by, such as dt.entity.host), the"
                        + " entity types it is recorded for and when it was last written. Use it before"
                        + " dynatrace_managed_query_metrics_data to pick aggregation and split_by."
                        + " Example: {\"metric_key\":\"builtin:host.cpu.usage\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["key"],"properties":{
                          "key":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
                          "unit":{"type":"string"},"aggregations":{"type":"array","items":{"type":"string"}},
                          "default_aggregation":{"type":"string"},
                          "dimensions":{"type":"array","items":{"type":"object"}},
                          "entity_types":{"type":"array","items":{"type":"string"}},
                          "last_written":{"type":"string"},"resolution_inf_supported":{"type":"boolean"}}}"""))
                .tags("metrics", "read").build(), SCOPE, args -> {
                    String key = args.id("metric_key");
                    if (!MetricSelector.METRIC_KEY.matcher(key).matches()) {
                        throw new InvalidArgumentException("metric_key", "is not a metric key such as builtin:host.cpu.usage");
                    }
                    JsonNode metric = support.client.get("metrics", key).notFound("Metric " + key).execute();
                    ObjectNode out = support.object();
                    out.put("key", metric.path("metricId").asText(key));
                    ToolSupport.putText(out, "name", metric.path("displayName"));
                    ToolSupport.putText(out, "description", ToolSupport.clip(metric.path("description").asText(""), 1000));
                    ToolSupport.putText(out, "unit", metric.path("unit"));
                    ArrayNode aggregations = support.json.createArrayNode();
                    metric.path("aggregationTypes").forEach(aggregations::add);
                    ToolSupport.putArray(out, "aggregations", aggregations);
                    ToolSupport.putText(out, "default_aggregation", metric.path("defaultAggregation").path("type"));
                    ArrayNode dimensions = support.json.createArrayNode();
                    for (JsonNode dimension : metric.path("dimensionDefinitions")) {
                        ObjectNode d = support.object();
                        d.put("key", dimension.path("key").asText());
                        ToolSupport.putText(d, "name", dimension.path("displayName"));
                        ToolSupport.putText(d, "type", dimension.path("type"));
                        dimensions.add(d);
                    }
                    ToolSupport.putArray(out, "dimensions", dimensions);
                    ArrayNode types = support.json.createArrayNode();
                    metric.path("entityType").forEach(types::add);
                    ToolSupport.putArray(out, "entity_types", types);
                    ToolSupport.putText(out, "last_written", ToolSupport.time(metric.path("lastWritten")));
                    if (metric.has("resolutionInfSupported")) {
                        out.put("resolution_inf_supported", metric.path("resolutionInfSupported").asBoolean());
                    }
                    return support.structured(out);
                });
    }

    private DynatraceTool queryData() {
        InputSchema schema = InputSchema.builder()
                .stringArray("metric_keys", "One to ten metric keys, such as [\"builtin:host.cpu.usage\"].",
                        10, 300, KEY_PATTERN)
                .enumeration("aggregation", "How to aggregate each time slot; default the metric's own.",
                        MetricSelector.AGGREGATIONS, null)
                .stringArray("split_by", "Dimension keys to split the series by, such as [\"dt.entity.host\"];"
                        + " [] merges all series into one; omitted: the metric's default split.", 5, 200,
                        "^[A-Za-z0-9_.\\-]{1,200}$")
                .allowEmpty("split_by")
                .integer("top", "Keep only the N series with the highest values.", 1, MAX_SERIES, null);
        EntityFilter.declare(schema, "to restrict the data to");
        schema.time("from", "Start: relative (now-2h), ISO-8601 or epoch ms.", "now-2h")
                .time("to", "End; default now.", null)
                .pattern("resolution", "Time slot size such as 1m, 5m, 1h, 1d, a number of data points such"
                        + " as 60, or Inf for one value over the whole timeframe.", RESOLUTION_PATTERN, 10)
                .required("metric_keys");
        return new DynatraceTool(ToolSupport.read("query_metrics_data", "Query metric data")
                .description("Returns metric time series for a timeframe. Each series has its metric key, its"
                        + " dimensions (such as {\"dt.entity.host\":\"HOST-...\"}), the first slot time, the slot"
                        + " size in seconds, the values (rounded to 4 significant digits, null where no data)"
                        + " and min/max/avg/last. Use it for trends and comparisons; resolution Inf gives one"
                        + " value per series. Example: {\"metric_keys\":[\"builtin:host.cpu.usage\"],"
                        + "\"aggregation\":\"avg\",\"split_by\":[\"dt.entity.host\"],\"top\":5,\"from\":\"now-6h\","
                        + "\"resolution\":\"30m\"}. At most " + MAX_SERIES + " series per metric are returned.")
                .inputSchema(schema.build())
                .outputSchema(support.schema("""
                        {"type":"object","required":["series"],"properties":{
                          "resolution":{"type":"string"},
                          "series":{"type":"array","items":{"type":"object","required":["metric","values"],
                            "properties":{"metric":{"type":"string"},"dimensions":{"type":"object"},
                              "start":{"type":"string"},"step_seconds":{"type":"integer"},
                              "timestamps":{"type":"array","items":{"type":"string"}},
                              "values":{"type":"array","items":{"type":["number","null"]}},
                              "min":{"type":"number"},"max":{"type":"number"},"avg":{"type":"number"},
                              "last":{"type":"number"}}}},
                          "truncated":{"type":"boolean"}}}"""))
                .tags("metrics", "read").build(), SCOPE, args -> {
                    List<String> keys = args.textList("metric_keys");
                    if (keys.isEmpty()) {
                        throw new InvalidArgumentException("metric_keys", "is required");
                    }
                    int top = args.raw("top") == null || args.raw("top").isNull()
                            ? 0 : args.limit("top", MAX_SERIES, MAX_SERIES);
                    List<String> splitBy = args.raw("split_by") == null ? null : args.selectorValues("split_by");
                    String selector;
                    try {
                        selector = MetricSelector.build(keys, splitBy, args.optText("aggregation"), top);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidArgumentException("metric_keys", e.getMessage());
                    }
                    String resolution = args.optText("resolution");
                    if (resolution != null && !resolution.matches(RESOLUTION_PATTERN)) {
                        throw new InvalidArgumentException("resolution", "must look like 5m, 1h, 60 or Inf");
                    }
                    JsonNode response = support.client.get("metrics", "query")
                            .query("metricSelector", selector)
                            .query("entitySelector", EntityFilter.selector(args, false))
                            .query("from", args.optText("from", "now-2h"))
                            .query("to", args.optText("to"))
                            .query("resolution", resolution)
                            .execute();
                    return support.structured(series(response));
                });
    }

    private ObjectNode series(JsonNode response) {
        ObjectNode out = support.object();
        ToolSupport.putText(out, "resolution", response.path("resolution"));
        ArrayNode series = out.putArray("series");
        boolean truncated = false;
        for (JsonNode result : response.path("result")) {
            int count = 0;
            for (JsonNode data : result.path("data")) {
                if (++count > MAX_SERIES) {
                    truncated = true;
                    break;
                }
                series.add(oneSeries(result.path("metricId").asText(), data));
            }
        }
        if (truncated) {
            out.put("truncated", true);
        }
        return out;
    }

    private ObjectNode oneSeries(String metric, JsonNode data) {
        ObjectNode s = support.object();
        s.put("metric", metric);
        if (data.path("dimensionMap").isObject() && !data.path("dimensionMap").isEmpty()) {
            s.set("dimensions", data.path("dimensionMap"));
        }
        JsonNode timestamps = data.path("timestamps");
        if (timestamps.size() > 0) {
            s.put("start", ToolSupport.time(timestamps.get(0)));
        }
        // Regular slots are described by start and step; only irregular ones list every time.
        long step = timestamps.size() > 1 ? timestamps.get(1).asLong() - timestamps.get(0).asLong() : 0;
        boolean regular = step > 0;
        for (int i = 2; regular && i < timestamps.size(); i++) {
            regular = timestamps.get(i).asLong() - timestamps.get(i - 1).asLong() == step;
        }
        if (regular) {
            s.put("step_seconds", step / 1000);
        } else if (timestamps.size() > 1) {
            ArrayNode times = s.putArray("timestamps");
            timestamps.forEach(t -> times.add(ToolSupport.time(t)));
        }
        ArrayNode values = s.putArray("values");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        Double last = null;
        for (JsonNode value : data.path("values")) {
            if (value.isNumber()) {
                double v = value.asDouble();
                values.add(round(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                n++;
                last = v;
            } else {
                values.addNull();
            }
        }
        if (n > 0) {
            s.put("min", round(min));
            s.put("max", round(max));
            s.put("avg", round(sum / n));
            s.put("last", round(last));
        }
        return s;
    }

    static BigDecimal round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return BigDecimal.ZERO;
        }
        // Plain notation: 100 stays 100 instead of 1E+2.
        return new BigDecimal(new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros().toPlainString());
    }
}
