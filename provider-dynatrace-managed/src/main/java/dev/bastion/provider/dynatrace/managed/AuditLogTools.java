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

/** The environment's audit log: who changed what. */
final class AuditLogTools {

    static final int MAX_AUDIT_LOGS = 100;
    static final String SCOPE = "auditLogs.read";
    private static final List<String> EVENT_TYPES = List.of("CREATE", "DELETE", "GENERAL", "GET", "LOGIN",
            "LOGOUT", "PATCH", "POST", "PUT", "READ", "REVOKE", "TAG_ADD", "TAG_REMOVE", "TAG_UPDATE", "UPDATE");
    private static final List<String> CATEGORIES = List.of("CONFIG", "DEBUG_UI", "TOKEN", "WEB_UI");
    private static final List<String> SORT = List.of("-timestamp", "timestamp");

    private static final Arg<String> FROM = ToolSupport.time("from",
            "Start: relative (now-2h, now-7d), ISO-8601 or epoch ms.").withDefault("now-2h");
    private static final Arg<String> USER = EntityFilter.selectorText("user",
            "Only entries of this user (login name or token name).", 300);
    private static final Arg<String> EVENT_TYPE = Arg.enumeration("event_type", "Only this kind of action.", EVENT_TYPES);
    private static final Arg<String> CATEGORY = Arg.enumeration("category", "Only this category.", CATEGORIES);
    private static final Arg<String> ENTITY_ID = EntityFilter.selectorText("entity_id",
            "Only entries about this object, such as a settings object id.", 500);
    private static final Arg<String> SORT_ARG = Arg.enumeration("sort", "Newest first (-timestamp) or oldest first.",
            SORT).withDefault("-timestamp");
    private static final Arg<Integer> LIMIT = Arg.integer("limit",
            "How many entries to return (at most " + MAX_AUDIT_LOGS + ").", 1, MAX_AUDIT_LOGS).withDefault(20);

    private final ToolSupport support;

    AuditLogTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listAuditLogs());
    }

    private ToolSpec listAuditLogs() {
        return ToolSupport.read("list_audit_logs", "List audit logs", SCOPE)
                .description("Lists audit log entries: time, user, action (CREATE, UPDATE, DELETE, LOGIN, ...),"
                        + " category, the object changed, whether it succeeded and the message. Use it to answer"
                        + " 'who changed this configuration and when' around the start of a problem."
                        + " Example: {\"from\":\"now-1d\",\"event_type\":\"UPDATE\",\"category\":\"CONFIG\"}."
                        + " At most " + MAX_AUDIT_LOGS + " per call; pass next_page for more.")
                .output("""
                        {"type":"object","required":["audit_logs"],"properties":{
                          "audit_logs":{"type":"array","items":{"type":"object","properties":{
                            "id":{"type":"string"},"time":{"type":"string"},"user":{"type":"string"},
                            "event_type":{"type":"string"},"category":{"type":"string"},
                            "entity_id":{"type":"string"},"success":{"type":"boolean"},"message":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .args(FROM, ToolSupport.TO, USER, EVENT_TYPE, CATEGORY, ENTITY_ID, SORT_ARG, LIMIT, ToolSupport.NEXT_PAGE)
                .tags("audit").fanOut()
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("auditlogs"), args, request -> request
                                    .query("filter", Selector.builder()
                                            .condition("user", args.get(USER))
                                            .condition("eventType", args.get(EVENT_TYPE))
                                            .condition("category", args.get(CATEGORY))
                                            .condition("entityId", args.get(ENTITY_ID)).build())
                                    .query("from", args.get(FROM))
                                    .query("to", args.get(ToolSupport.TO))
                                    .query("sort", args.get(SORT_ARG))
                                    .query("pageSize", args.get(LIMIT)))
                            .send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode logs = out.putArray("audit_logs");
                    for (JsonNode entry : response.path("auditLogs")) {
                        ObjectNode e = ToolSupport.NODES.objectNode();
                        CompactJson.put(e, "id", entry.path("logId"));
                        CompactJson.put(e, "time", ToolSupport.time(entry.path("timestamp")));
                        CompactJson.put(e, "user", entry.path("user"));
                        CompactJson.put(e, "event_type", entry.path("eventType"));
                        CompactJson.put(e, "category", entry.path("category"));
                        CompactJson.put(e, "entity_id", entry.path("entityId"));
                        if (entry.has("success")) {
                            e.put("success", entry.path("success").asBoolean());
                        }
                        CompactJson.put(e, "message", CompactJson.clip(entry.path("message").asText(""), 500));
                        logs.add(e);
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }
}
