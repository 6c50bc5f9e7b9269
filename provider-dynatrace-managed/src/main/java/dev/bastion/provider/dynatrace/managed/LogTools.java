package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Log search (classic log monitoring, {@code /logs/search}). */
final class LogTools {

    static final int MAX_LOGS = 1000;
    static final String SCOPE = "logs.read";
    private static final List<String> SORT = List.of("-timestamp", "timestamp");
    /** The attributes worth showing with each record; the rest of additionalColumns is noise for a reader. */
    private static final List<String> ATTRIBUTES = List.of("host.name", "log.source", "dt.source_entity",
            "k8s.namespace.name", "k8s.pod.name", "container.name", "process.technology", "service.name");

    private final ToolSupport support;

    LogTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(queryLogs());
    }

    private DynatraceTool queryLogs() {
        ObjectNode schema = InputSchema.builder()
                .string("query", "The log search query in Dynatrace log query syntax, sent as it is (it is its"
                        + " own parameter, nothing is added to it), such as: status=\"ERROR\" AND"
                        + " content=\"timeout\". Omit to get all records.", 2000)
                .time("from", "Start: relative (now-2h), ISO-8601 or epoch ms.", "now-2h")
                .time("to", "End; default now.", null)
                .enumeration("sort", "Newest first (-timestamp) or oldest first (timestamp).", SORT, "-timestamp")
                .integer("limit", "How many records to return (at most " + MAX_LOGS + ").", 1, MAX_LOGS, 100)
                .nextPage().build();
        return new DynatraceTool(ToolSupport.read("query_logs", "Query logs")
                .description("Searches log records: time, level, content (cut at 1000 characters) and the"
                        + " useful source attributes (host, log file, source entity, Kubernetes pod)."
                        + " Use it to find error messages around a problem's start time; keep the timeframe"
                        + " short, log queries are expensive. Example: {\"query\":\"status=\\\"ERROR\\\"\","
                        + "\"from\":\"now-30m\",\"limit\":50}. At most " + MAX_LOGS + " per call;"
                        + " pass next_page for more.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["logs"],"properties":{
                          "logs":{"type":"array","items":{"type":"object","properties":{
                            "time":{"type":"string"},"level":{"type":"string"},"content":{"type":"string"},
                            "attributes":{"type":"object"}}}},
                          "next_page":{"type":"string"}}}"""))
                .tags("logs", "read").build(), SCOPE, args -> {
                    JsonNode response = ToolSupport.page(support.client.get("logs", "search"), "nextSliceKey",
                            args.optText("next_page"), request -> request
                                    .query("query", args.optText("query"))
                                    .query("from", args.optText("from", "now-2h"))
                                    .query("to", args.optText("to"))
                                    .query("sort", args.optText("sort", "-timestamp"))
                                    .query("limit", args.limit("limit", 100, MAX_LOGS)))
                            .execute();
                    ObjectNode out = support.object();
                    ArrayNode logs = out.putArray("logs");
                    for (JsonNode record : response.path("results")) {
                        ObjectNode r = support.object();
                        ToolSupport.putText(r, "time", ToolSupport.time(record.path("timestamp")));
                        ToolSupport.putText(r, "level", record.path("status"));
                        ToolSupport.putText(r, "content", ToolSupport.clip(record.path("content").asText(""), 1000));
                        ObjectNode attributes = support.object();
                        JsonNode columns = record.path("additionalColumns");
                        for (String name : ATTRIBUTES) {
                            JsonNode value = columns.path(name);
                            if (value.isArray() && value.size() == 1) {
                                attributes.put(name, value.get(0).asText());
                            } else if (value.isArray() && value.size() > 1) {
                                attributes.set(name, value);
                            } else if (value.isValueNode()) {
                                attributes.put(name, value.asText());
                            }
                        }
                        if (!attributes.isEmpty()) {
                            r.set("attributes", attributes);
                        }
                        logs.add(r);
                    }
                    ToolSupport.paging(out, response, "nextSliceKey");
                    return support.structured(out);
                });
    }
}
