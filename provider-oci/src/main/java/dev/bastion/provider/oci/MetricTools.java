package dev.bastion.provider.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.oci.mql.MqlParser;
import dev.bastion.provider.oci.mql.MqlSyntaxError;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.JsonBackend;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.Arguments;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.Cursor;
import dev.bastion.toolkit.tool.InvalidArgument;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Monitoring metrics: namespaces, metric definitions and data (ListMetrics, SummarizeMetricsData). */
final class MetricTools {

    static final int MAX_NAMESPACE_PAGES = 20;
    static final String NAMESPACE_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,254}$";
    static final String TIME_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$";
    static final String RESOLUTION_PATTERN = "^(([1-9]|[1-5][0-9]|60)m|([1-9]|1[0-9]|2[0-4])h|1d)$";

    private static final Arg<String> NAMESPACE = Arg.pattern("namespace", "Metric namespace, such as oci_computeagent,"
            + " oci_lbaas or oci_autonomous_database (see oci_list_metric_namespaces).", NAMESPACE_PATTERN, 255);
    private static final Arg<String> NAMESPACE_REQUIRED = NAMESPACE.required();
    private static final Arg<String> METRIC_NAME = Arg.pattern("name", "Only the metric with this name, such as"
            + " CpuUtilization.", "^[A-Za-z][A-Za-z0-9_.-]{0,254}$", 255);
    private static final Arg<String> RESOURCE_GROUP = Arg.string("resource_group", "Only metrics of this resource"
            + " group (custom metrics).", 255);
    private static final Arg<JsonNode> DIMENSION_FILTERS = Arg.json("dimension_filters", "Only metrics whose"
            + " dimensions have these exact values, such as {\"resourceDisplayName\": \"web-1\"}.",
            (ObjectNode) ToolSupport.schema("{\"type\":\"object\",\"maxProperties\":20,\"propertyNames\":{\"maxLength\":"
                    + "255},\"additionalProperties\":{\"type\":\"string\",\"maxLength\":512}}"));
    private static final Arg<List<String>> GROUP_BY = Arg.strings("group_by", "Group the metric list by these fields"
            + " (namespace, name, resourceGroup or dimension names), returning each distinct combination once.", 10, 255,
            "^[A-Za-z][A-Za-z0-9_.]{0,254}$");
    private static final Arg<String> QUERY = Arg.string("query", "MQL query: Metric[interval]{dimension = \"value\"}"
            + ".statistic(), for example CpuUtilization[5m].mean(), CpuUtilization[1m]{resourceDisplayName = \"web-1\"}"
            + ".max() or MemoryUtilization[5m].groupBy(resourceDisplayName).max() > 80. It is checked before it is"
            + " sent; an error names the position.", 4000).required();
    private static final Arg<String> START = Arg.pattern("start_time", "RFC 3339 start (inclusive); default 3 hours"
            + " before now.", TIME_PATTERN, 40);
    private static final Arg<String> END = Arg.pattern("end_time", "RFC 3339 end (exclusive); default now.",
            TIME_PATTERN, 40);
    private static final Arg<String> RESOLUTION = Arg.pattern("resolution", "Time between points, 1m to 60m, 1h to"
            + " 24h or 1d; default 5m. It must not exceed the query's interval.", RESOLUTION_PATTERN, 3)
            .withDefault("5m");
    private static final Arg<Boolean> SUMMARY = Arg.bool("summary", "Return min, max, mean and last per series"
            + " instead of every point.").withDefault(false);
    private static final Arg<Integer> LIMIT = Arg.integer("limit", "At most this many metrics per page.", 1, 1000)
            .withDefault(200);

    private final ToolSupport support;
    private final Clock clock;

    MetricTools(ToolSupport support, Clock clock) {
        this.support = support;
        this.clock = clock;
    }

    List<ToolSpec> tools() {
        return List.of(listNamespaces(), listMetrics(), summarizeMetricsData());
    }

    private BackendRequest action(OciClient.ReadAction action, ObjectNode body, Arguments args) {
        BackendRequest request = support.client.monitoringAction(action, body)
                .query("compartmentId", support.compartment(args));
        if (args.get(ToolSupport.INCLUDE_SUBTREE)) {
            request.query("compartmentIdInSubtree", "true");
        }
        return request;
    }

    private ToolSpec listNamespaces() {
        return ToolSupport.read("list_metric_namespaces", "List metric namespaces", ToolSupport.READ_METRICS)
                .description("Lists the metric namespaces that have data in a compartment, such as oci_computeagent"
                        + " (compute instances), oci_lbaas (load balancers) or oci_autonomous_database. Use one as the"
                        + " namespace of oci_list_metrics and oci_summarize_metrics_data.")
                .args(ToolSupport.COMPARTMENT_ID, ToolSupport.INCLUDE_SUBTREE)
                .output("""
                        {"type":"object","required":["namespaces"],"properties":{
                          "namespaces":{"type":"array","items":{"type":"string"}},"truncated":{"type":"boolean"}}}""")
                .tags("monitoring", "metrics").fanOut()
                .handler((args, context) -> {
                    ObjectNode body = ToolSupport.object();
                    body.putArray("groupBy").add("namespace");
                    Set<String> namespaces = new LinkedHashSet<>();
                    String page = null;
                    int pages = 0;
                    do {
                        BackendRequest request = action(OciClient.ReadAction.LIST_METRICS, body, args).query("limit", 1000);
                        if (page != null) {
                            request.query("page", page);
                        }
                        JsonBackend.Reply reply = support.client.send(request, context, ToolSupport.READ_METRICS);
                        reply.body().forEach(m -> namespaces.add(m.path("namespace").asText()));
                        page = reply.header("opc-next-page").filter(p -> !p.isEmpty()).orElse(null);
                        pages++;
                    } while (page != null && pages < MAX_NAMESPACE_PAGES);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("namespaces");
                    namespaces.stream().sorted().forEach(list::add);
                    if (page != null) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec listMetrics() {
        return ToolSupport.read("list_metrics", "List metrics", ToolSupport.READ_METRICS)
                .description("Lists metric definitions (name, namespace, compartment and dimensions of each stream) in"
                        + " a compartment, optionally narrowed by namespace, name, resource group and dimension values,"
                        + " or grouped by fields. The dimensions are what MQL queries filter on.")
                .args(ToolSupport.COMPARTMENT_ID, ToolSupport.INCLUDE_SUBTREE, NAMESPACE, METRIC_NAME, RESOURCE_GROUP,
                        DIMENSION_FILTERS, GROUP_BY, LIMIT, ToolSupport.NEXT_PAGE)
                .output("""
                        {"type":"object","required":["metrics"],"properties":{"metrics":{"type":"array","items":{
                          "type":"object","properties":{"name":{"type":"string"},"namespace":{"type":"string"},
                          "resource_group":{"type":"string"},"compartment_id":{"type":"string"},
                          "dimensions":{"type":"object"}}}},"next_page":{"type":"string"}}}""")
                .tags("monitoring", "metrics").fanOut()
                .handler((args, context) -> {
                    ObjectNode body = ToolSupport.object();
                    args.optional(NAMESPACE).ifPresent(v -> body.put("namespace", v));
                    args.optional(METRIC_NAME).ifPresent(v -> body.put("name", v));
                    args.optional(RESOURCE_GROUP).ifPresent(v -> body.put("resourceGroup", v));
                    args.optional(DIMENSION_FILTERS).ifPresent(v -> body.set("dimensionFilters", v));
                    args.optional(GROUP_BY).ifPresent(v -> v.forEach(body.putArray("groupBy")::add));
                    BackendRequest request = action(OciClient.ReadAction.LIST_METRICS, body, args)
                            .query("limit", args.get(LIMIT));
                    Cursor.pageKey(args, ToolSupport.NEXT_PAGE).ifPresent(page -> request.query("page", page));
                    JsonBackend.Reply reply = support.client.send(request, context, ToolSupport.READ_METRICS);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode metrics = out.putArray("metrics");
                    for (JsonNode metric : reply.body()) {
                        ObjectNode item = metrics.addObject();
                        CompactJson.put(item, "name", CompactJson.text(metric, "name"));
                        CompactJson.put(item, "namespace", CompactJson.text(metric, "namespace"));
                        CompactJson.put(item, "resource_group", CompactJson.text(metric, "resourceGroup"));
                        CompactJson.put(item, "compartment_id", CompactJson.text(metric, "compartmentId"));
                        if (metric.path("dimensions").isObject() && !metric.path("dimensions").isEmpty()) {
                            item.set("dimensions", metric.path("dimensions"));
                        }
                    }
                    reply.header("opc-next-page").filter(p -> !p.isEmpty())
                            .ifPresent(p -> out.put("next_page", Cursor.next(args, p)));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec summarizeMetricsData() {
        return ToolSupport.read("summarize_metrics_data", "Summarize metrics data", ToolSupport.READ_METRICS)
                .description("Runs an MQL query over a namespace and returns one series per metric stream: its name,"
                        + " dimensions and unit once, then [time, value] pairs (or min/max/mean/last with summary)."
                        + " Default range: the last 3 hours. Example: namespace oci_computeagent, query"
                        + " CpuUtilization[5m]{resourceDisplayName = \"web-1\"}.mean().")
                .args(ToolSupport.COMPARTMENT_ID, ToolSupport.INCLUDE_SUBTREE, NAMESPACE_REQUIRED, QUERY, START, END,
                        RESOLUTION, RESOURCE_GROUP, SUMMARY)
                .output("""
                        {"type":"object","required":["series","start","end"],"properties":{"start":{"type":"string"},
                          "end":{"type":"string"},"resolution":{"type":"string"},
                          "date":{"type":"string","description":"the UTC day of every point when the range lies within one day; times are then HH:MM"},
                          "series":{"type":"array","items":{
                          "type":"object","required":["name"],"properties":{"name":{"type":"string"},
                          "dimensions":{"type":"object"},"unit":{"type":"string"},"count":{"type":"integer"},
                          "points":{"type":"array","items":{"type":"array","minItems":2,"maxItems":2}},
                          "min":{"type":"number"},"max":{"type":"number"},"mean":{"type":"number"},
                          "last":{"type":"number"}}}}}}""")
                .tags("monitoring", "metrics", "mql").fanOut()
                .handler((args, context) -> {
                    String query = args.get(QUERY);
                    try {
                        MqlParser.parse(query);
                    } catch (MqlSyntaxError e) {
                        throw new InvalidArgument(QUERY.name(), "is not valid MQL " + e.getMessage());
                    }
                    // The defaults are computed per call: a default fixed at startup would age.
                    Instant end = args.optional(END).map(v -> time(END, v)).orElse(clock.instant())
                            .truncatedTo(ChronoUnit.MILLIS);
                    Instant start = args.optional(START).map(v -> time(START, v)).orElse(end.minus(Duration.ofHours(3)))
                            .truncatedTo(ChronoUnit.MILLIS);
                    if (!start.isBefore(end)) {
                        throw new InvalidArgument(START.name(), "must be before end_time");
                    }
                    ObjectNode body = ToolSupport.object();
                    body.put("namespace", args.get(NAMESPACE_REQUIRED));
                    body.put("query", query);
                    body.put("startTime", start.toString());
                    body.put("endTime", end.toString());
                    body.put("resolution", args.get(RESOLUTION));
                    args.optional(RESOURCE_GROUP).ifPresent(v -> body.put("resourceGroup", v));
                    JsonNode data = support.client.send(action(OciClient.ReadAction.SUMMARIZE_METRICS_DATA, body, args),
                            context, ToolSupport.READ_METRICS).body();
                    return ToolResult.structured(compact(data, start, end, args.get(RESOLUTION), args.get(SUMMARY)));
                }).build();
    }

    private static Instant time(Arg<String> arg, String value) {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value.replaceFirst("T(\\d\\d:\\d\\d)(Z|[+-])", "T$1:00$2"))
                        .toInstant();
            } catch (DateTimeParseException again) {
                throw new InvalidArgument(arg.name(), "is not an RFC 3339 time such as 2025-06-01T10:00:00Z");
            }
        }
    }

    /**
     * Per series: name, dimensions and unit once, then [time, value] pairs, or statistics. When the
     * whole range lies within one UTC day the output names that {@code date} once and each time is
     * {@code HH:MM}; otherwise each time is {@code yyyy-MM-ddTHH:MMZ}.
     */
    static ObjectNode compact(JsonNode data, Instant start, Instant end, String resolution, boolean summary) {
        ObjectNode out = ToolSupport.object();
        out.put("start", start.toString());
        out.put("end", end.toString());
        out.put("resolution", resolution);
        String day = start.toString().substring(0, 10);
        boolean oneDay = end.minusMillis(1).toString().startsWith(day);
        if (oneDay) {
            out.put("date", day);
        }
        ArrayNode series = out.putArray("series");
        for (JsonNode stream : data) {
            ObjectNode item = series.addObject();
            item.put("name", stream.path("name").asText());
            if (stream.path("dimensions").isObject() && !stream.path("dimensions").isEmpty()) {
                item.set("dimensions", stream.path("dimensions"));
            }
            CompactJson.put(item, "unit", CompactJson.text(stream.path("metadata"), "unit"));
            JsonNode points = stream.path("aggregatedDatapoints");
            item.put("count", points.size());
            if (summary) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                for (JsonNode point : points) {
                    double value = point.path("value").asDouble();
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                    sum += value;
                }
                if (points.size() > 0) {
                    item.put("min", min);
                    item.put("max", max);
                    item.put("mean", Math.round(sum / points.size() * 1000) / 1000.0);
                    item.put("last", points.get(points.size() - 1).path("value").asDouble());
                }
            } else {
                ArrayNode pairs = item.putArray("points");
                for (JsonNode point : points) {
                    ArrayNode pair = pairs.addArray();
                    pair.add(shortTime(point.path("timestamp").asText(), oneDay ? day : null));
                    pair.add(point.path("value"));
                }
            }
        }
        return out;
    }

    /**
     * {@code 2025-06-01T10:05:00.000Z} as {@code 2025-06-01T10:05Z} (seconds are zero at minute
     * resolution), or as {@code 10:05} when it falls on {@code day}.
     */
    static String shortTime(String timestamp, String day) {
        String time = timestamp.replaceFirst(":00(\\.0+)?Z$", "Z");
        if (day != null && time.startsWith(day + "T") && time.endsWith("Z")) {
            return time.substring(day.length() + 1, time.length() - 1);
        }
        return time;
    }
}
