package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The environment's audit log: who changed what. */
final class AuditLogTools {

    static final int MAX_AUDIT_LOGS = 100;
    static final String SCOPE = "auditLogs.read";
    private static final List<String> EVENT_TYPES = List.of("CREATE", "DELETE", "GENERAL", "GET", "LOGIN",
            "LOGOUT", "PATCH", "POST", "PUT", "READ", "REVOKE", "TAG_ADD", "TAG_REMOVE", "TAG_UPDATE", "UPDATE");
    private static final List<String> CATEGORIES = List.of("CONFIG", "DEBUG_UI", "TOKEN", "WEB_UI");
    private static final List<String> SORT = List.of("-timestamp", "timestamp");

    private final ToolSupport support;

    AuditLogTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(listAuditLogs());
    }

    private DynatraceTool listAuditLogs() {
        ObjectNode schema = InputSchema.builder()
                .time("from", "Start: relative (now-2h, now-7d), ISO-8601 or epoch ms.", "now-2h")
                .time("to", "End; default now.", null)
                .string("user", "Only entries of this user (login name or token name).", 300)
                .enumeration("event_type", "Only this kind of action.", EVENT_TYPES, null)
                .enumeration("category", "Only this category.", CATEGORIES, null)
                .string("entity_id", "Only entries about this object, such as a settings object id.", 500)
                .enumeration("sort", "Newest first (-timestamp) or oldest first.", SORT, "-timestamp")
                .integer("limit", "How many entries to return (at most " + MAX_AUDIT_LOGS + ").", 1,
                        MAX_AUDIT_LOGS, 20)
                .nextPage().build();
        return new DynatraceTool(ToolSupport.read("list_audit_logs", "List audit logs")
                .description("Lists audit log entries: time, user, action (CREATE, UPDATE, DELETE, LOGIN, ...),"
                        + " category, the object changed, whether it succeeded and the message. Use it to answer"
                        + " 'who changed this configuration and when' around the start of a problem."
                        + " Example: {\"from\":\"now-1d\",\"event_type\":\"UPDATE\",\"category\":\"CONFIG\"}."
                        + " At most " + MAX_AUDIT_LOGS + " per call; pass next_page for more.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["audit_logs"],"properties":{
                          "audit_logs":{"type":"array","items":{"type":"object","properties":{
                            "id":{"type":"string"},"time":{"type":"string"},"user":{"type":"string"},
                            "event_type":{"type":"string"},"category":{"type":"string"},
                            "entity_id":{"type":"string"},"success":{"type":"boolean"},"message":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("audit", "read").fanOut().build(), SCOPE, args -> {
                    JsonNode response = ToolSupport.page(support.client.get("auditlogs"), "nextPageKey",
                            args.optText("next_page"), request -> request
                                    .query("filter", Selector.builder()
                                            .condition("user", args.selectorValue("user"))
                                            .condition("eventType", args.selectorValue("event_type"))
                                            .condition("category", args.selectorValue("category"))
                                            .condition("entityId", args.selectorValue("entity_id")).build())
                                    .query("from", args.optText("from", "now-2h"))
                                    .query("to", args.optText("to"))
                                    .query("sort", args.optText("sort", "-timestamp"))
                                    .query("pageSize", args.limit("limit", 20, MAX_AUDIT_LOGS)))
                            .execute();
                    ObjectNode out = support.object();
                    ArrayNode logs = out.putArray("audit_logs");
                    for (JsonNode entry : response.path("auditLogs")) {
                        ObjectNode e = support.object();
                        ToolSupport.putText(e, "id", entry.path("logId"));
                        ToolSupport.putText(e, "time", ToolSupport.time(entry.path("timestamp")));
                        ToolSupport.putText(e, "user", entry.path("user"));
                        ToolSupport.putText(e, "event_type", entry.path("eventType"));
                        ToolSupport.putText(e, "category", entry.path("category"));
                        ToolSupport.putText(e, "entity_id", entry.path("entityId"));
                        if (entry.has("success")) {
                            e.put("success", entry.path("success").asBoolean());
                        }
                        ToolSupport.putText(e, "message", ToolSupport.clip(entry.path("message").asText(""), 500));
                        logs.add(e);
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }
}
