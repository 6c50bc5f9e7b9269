package dev.bastion.provider.dynatrace.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.CompactTable;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.List;

/** DQL as the caller writes it, its verification, the Grail budget, and the environment itself. */
final class QueryTools {

    /** The scope of the environment call, which the health check makes too. */
    static final String ENVIRONMENT_SCOPE = "app-engine:apps:run";

    static final String TABLE_OUTPUT = """
            {"type":"object","required":["columns","rows","record_count"],"properties":{
            """ + CompactTable.SCHEMA_PROPERTIES + """
              ,"record_count":{"type":"integer"},"truncated":{"type":"boolean"},"records_received":{"type":"integer"},"scanned_bytes":{"type":"integer"},
              "scanned_records":{"type":"integer"},"budget_left_gb":{"type":"number"},
              "notifications":{"type":"array","items":{"type":"string"}}}}""";
    private static final Arg<String> QUERY = Arg.string("query", "The DQL query, such as: fetch logs, from:now()-2h"
            + " | filter loglevel == \"ERROR\" | summarize count(), by:{k8s.namespace.name}", 20_000).required();
    private static final Arg<Integer> MAX_RECORDS = Arg.integer("max_records", "At most this many records; default 100.",
            1, 10_000).withDefault(100);
    private static final Arg<Integer> MAX_BYTES = Arg.integer("max_result_mb", "At most this many MB of result;"
            + " default the platform's.", 1, 100);
    private static final Arg<String> TABLE = Arg.enumeration("table", "compact: a column with one value in every row is"
            + " under constants (with its type), and a text column whose values repeat lists them once in its values, its cells being"
            + " positions in that list (0 the first); plain: every cell as its value. Default compact.",
            List.of("compact", "plain")).withDefault("compact");
    private static final Arg<Boolean> VERIFY_FIRST = Arg.bool("verify_first", "Verify the query first and send"
            + " nothing if it is not valid.").withDefault(false);

    private final PlatformClient client;
    private final GrailQueries queries;

    QueryTools(PlatformClient client, GrailQueries queries) {
        this.client = client;
        this.queries = queries;
    }

    List<ToolSpec> tools() {
        return List.of(environment(), executeDql(), verifyDql(), budget(), resetBudget());
    }

    private ToolSpec environment() {
        return ToolSupport.read("get_environment_info", "Environment info", ENVIRONMENT_SCOPE)
                .description("Returns the environment's id, state and creation time, and the URL Bastion reaches it"
                        + " at.")
                .output("""
                        {"type":"object","required":["environment_id"],"properties":{
                          "environment_id":{"type":"string"},"state":{"type":"string"},"created":{"type":"string"},
                          "url":{"type":"string"}}}""")
                .tags("environment").fanOut()
                .handler((args, context) -> {
                    JsonNode info = client.send(client.get("platform", "management", "v1", "environment"), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("environment_id", info.path("environmentId").asText());
                    CompactJson.put(out, "state", CompactJson.text(info, "state"));
                    CompactJson.put(out, "created", ToolSupport.time(info.path("createTime")));
                    out.put("url", client.baseUrl());
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec executeDql() {
        // The scope of each table the query reads: logs, events (problems too), bizevents, spans, security
        // events, user events, entities and metrics.
        return ToolSupport.read("execute_dql", "Run a DQL query", "storage:buckets:read", "storage:logs:read",
                        "storage:events:read", "storage:bizevents:read", "storage:spans:read",
                        "storage:security.events:read", "storage:user.events:read", "storage:entities:read",
                        "storage:metrics:read")
                .description("Runs a DQL query on Grail and returns the records as a table: the columns with their"
                        + " types once, then one row per record (long values as exact strings; see table for how"
                        + " repeated values are written), with the bytes"
                        + " scanned and the Grail budget left. Waits for long queries, reporting progress, and cancels"
                        + " them when the call is cancelled. Example: fetch logs, from:now()-2h | filter loglevel =="
                        + " \"ERROR\" | summarize count(), by:{k8s.namespace.name}")
                .args(QUERY, MAX_RECORDS, MAX_BYTES, VERIFY_FIRST, TABLE)
                .output(TABLE_OUTPUT)
                .tags("grail", "dql").fanOut()
                .handler((args, context) -> {
                    String dql = args.get(QUERY);
                    if (args.get(VERIFY_FIRST)) {
                        JsonNode verdict = verify(dql, context);
                        if (!verdict.path("valid").asBoolean()) {
                            throw new ToolFailure("The query is not valid DQL, so nothing was run: "
                                    + String.join("; ", messages(verdict)));
                        }
                    }
                    Long maxBytes = args.optional(MAX_BYTES).map(mb -> mb * 1_000_000L).orElse(null);
                    GrailQueries.Answer answer = queries.run(dql, args.get(MAX_RECORDS), maxBytes, context);
                    ObjectNode out = GrailQueries.table(answer, args.get(TABLE).equals("plain") ? CompactTable.Layout.PLAIN
                            : CompactTable.Layout.COMPACT, ToolSupport.object());
                    GrailQueries.metadata(answer, client.budget(), out);
                    return ToolResult.structured(out);
                }).build();
    }

    private JsonNode verify(String dql, dev.bastion.core.tool.CallContext context) {
        ObjectNode body = ToolSupport.object();
        body.put("query", dql);
        return client.send(client.post(body, GrailQueries.path("query:verify")).idempotent(), context);
    }

    private static List<String> messages(JsonNode verdict) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode notification : verdict.path("notifications")) {
            JsonNode start = notification.path("syntaxPosition").path("start");
            out.add(notification.path("message").asText(notification.path("notificationType").asText("?"))
                    + (start.path("line").isNumber() ? " (line " + start.path("line").asInt() + ", column "
                    + start.path("column").asInt() + ")" : ""));
        }
        return out;
    }

    private ToolSpec verifyDql() {
        return ToolSupport.read("verify_dql", "Verify a DQL query", "storage:buckets:read")
                .description("Returns whether a DQL query is valid, without running it (and without using the Grail"
                        + " budget), with each notification's message, line and column.")
                .args(QUERY)
                .output("""
                        {"type":"object","required":["valid","notifications"],"properties":{
                          "valid":{"type":"boolean"},
                          "notifications":{"type":"array","items":{"type":"object","properties":{
                            "severity":{"type":"string"},"type":{"type":"string"},"message":{"type":"string"},
                            "line":{"type":"integer"},"column":{"type":"integer"}}}}}}""")
                .tags("grail", "dql")
                .handler((args, context) -> {
                    JsonNode verdict = verify(args.get(QUERY), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("valid", verdict.path("valid").asBoolean(false));
                    ArrayNode notes = out.putArray("notifications");
                    for (JsonNode notification : verdict.path("notifications")) {
                        ObjectNode note = notes.addObject();
                        CompactJson.put(note, "severity", CompactJson.text(notification, "severity"));
                        CompactJson.put(note, "type", CompactJson.text(notification, "notificationType"));
                        CompactJson.put(note, "message", CompactJson.text(notification, "message"));
                        JsonNode start = notification.path("syntaxPosition").path("start");
                        if (start.path("line").isNumber()) {
                            note.put("line", start.path("line").asInt());
                            note.put("column", start.path("column").asInt());
                        }
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec budget() {
        return ToolSupport.read("get_grail_budget", "Grail budget", "app-engine:apps:run")
                .description("Returns the Grail query budget of the environment as this server counts it: bytes"
                        + " scanned, the limit, what is left and how many queries were counted. Counted per server"
                        + " process, from each result's scannedBytes.")
                .output("""
                        {"type":"object","required":["used_gb","queries"],"properties":{
                          "environment_id":{"type":"string"},"used_gb":{"type":"number"},"limit_gb":{"type":"number"},"left_gb":{"type":"number"},
                          "used_percent":{"type":"number"},"queries":{"type":"integer"},"unlimited":{"type":"boolean"}}}""")
                .tags("grail", "budget").fanOut()
                .handler((args, context) -> {
                    // The environment is asked too, so the answer says which environment the budget is of.
                    JsonNode info = client.send(client.get("platform", "management", "v1", "environment"), context);
                    ObjectNode out = budgetState(client.budget());
                    out.put("environment_id", info.path("environmentId").asText());
                    return ToolResult.structured(out);
                }).build();
    }

    static ObjectNode budgetState(GrailBudget budget) {
        ObjectNode out = ToolSupport.object();
        out.put("used_gb", budget.used() / 1e9);
        out.put("queries", budget.queries());
        if (budget.limit() < 0) {
            out.put("unlimited", true);
        } else {
            out.put("limit_gb", budget.limit() / 1e9);
            out.put("left_gb", Math.max(0, budget.limit() - budget.used()) / 1e9);
            out.put("used_percent", Math.round(budget.used() * 1000.0 / budget.limit()) / 10.0);
        }
        return out;
    }

    private ToolSpec resetBudget() {
        // The budget limits the model: resetting it is the user's decision, so it always asks.
        return ToolSupport.destructive("reset_grail_budget", "Reset the Grail budget", "app-engine:apps:run")
                .description("Starts counting the environment's Grail budget from zero again, so queries refused"
                        + " for the budget run again. Returns what had been counted.")
                .output("""
                        {"type":"object","required":["counted_gb"],"properties":{"counted_gb":{"type":"number"},
                          "environment_id":{"type":"string"}}}""")
                .tags("grail", "budget")
                .handler((args, context) -> {
                    JsonNode info = client.send(client.get("platform", "management", "v1", "environment"), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("environment_id", info.path("environmentId").asText());
                    out.put("counted_gb", client.budget().reset() / 1e9);
                    return ToolResult.structured(out);
                }).build();
    }
}
