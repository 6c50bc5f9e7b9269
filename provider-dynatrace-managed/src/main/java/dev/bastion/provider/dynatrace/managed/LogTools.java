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

/** Log search (classic log monitoring, {@code /logs/search}). */
final class LogTools {

    static final int MAX_LOGS = 1000;
    static final String SCOPE = "logs.read";
    private static final List<String> SORT = List.of("-timestamp", "timestamp");
    /** The attributes worth showing with each record; the rest of additionalColumns is noise for a reader. */
    private static final List<String> ATTRIBUTES = List.of("host.name", "log.source", "dt.source_entity",
            "k8s.namespace.name", "k8s.pod.name", "container.name", "process.technology", "service.name");

    private static final Arg<String> QUERY = Arg.string("query", "The log search query in Dynatrace log query syntax,"
            + " sent as it is (it is its own parameter, nothing is added to it), such as: status=\"ERROR\" AND"
            + " content=\"timeout\". Omit to get all records.", 2000);
    private static final Arg<String> FROM = ToolSupport.time("from", "Start: relative (now-2h), ISO-8601 or epoch ms.")
            .withDefault("now-2h");
    private static final Arg<String> SORT_ARG = Arg.enumeration("sort",
            "Newest first (-timestamp) or oldest first (timestamp).", SORT).withDefault("-timestamp");
    private static final Arg<Integer> LIMIT = Arg.integer("limit",
            "How many records to return (at most " + MAX_LOGS + ").", 1, MAX_LOGS).withDefault(100);

    private final ToolSupport support;

    LogTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(queryLogs());
    }

    private ToolSpec queryLogs() {
        return ToolSupport.read("query_logs", "Query logs", SCOPE)
                .description("Searches log records: time, level, content (cut at 1000 characters) and the"
                        + " useful source attributes (host, log file, source entity, Kubernetes pod)."
                        + " Use it to find error messages around a problem's start time; keep the timeframe"
                        + " short, log queries are expensive. Example: {\"query\":\"status=\\\"ERROR\\\"\","
                        + "\"from\":\"now-30m\",\"limit\":50}. At most " + MAX_LOGS + " per call;"
                        + " pass next_page for more.")
                .output("""
                        {"type":"object","required":["logs"],"properties":{
                          "logs":{"type":"array","items":{"type":"object","properties":{
                            "time":{"type":"string"},"level":{"type":"string"},"content":{"type":"string"},
                            "attributes":{"type":"object"}}}},
                          "next_page":{"type":"string"}}}""")
                .args(QUERY, FROM, ToolSupport.TO, SORT_ARG, LIMIT, ToolSupport.NEXT_PAGE)
                .tags("logs")
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("logs", "search"), args, "nextSliceKey",
                            request -> request
                                    .query("query", args.get(QUERY))
                                    .query("from", args.get(FROM))
                                    .query("to", args.get(ToolSupport.TO))
                                    .query("sort", args.get(SORT_ARG))
                                    .query("limit", args.get(LIMIT)))
                            .send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode logs = out.putArray("logs");
                    for (JsonNode record : response.path("results")) {
                        ObjectNode r = ToolSupport.NODES.objectNode();
                        CompactJson.put(r, "time", ToolSupport.time(record.path("timestamp")));
                        CompactJson.put(r, "level", record.path("status"));
                        CompactJson.put(r, "content", CompactJson.clip(record.path("content").asText(""), 1000));
                        ObjectNode attributes = ToolSupport.NODES.objectNode();
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
                    ToolSupport.paging(out, response, args, "nextSliceKey");
                    return ToolResult.structured(out);
                }).build();
    }
}
