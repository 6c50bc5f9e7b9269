package dev.bastion.provider.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.JsonBackend;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.Arguments;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.Cursor;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Monitoring alarms: definitions, current statuses and history. */
final class AlarmTools {

    private static final Arg<String> DISPLAY_NAME = Arg.string("display_name", "Only alarms with exactly this name.", 255);
    private static final Arg<String> LIFECYCLE = Arg.enumeration("lifecycle_state", "Alarm lifecycle state; default"
            + " ACTIVE.", List.of("ACTIVE", "DELETING", "DELETED"));
    private static final Arg<String> STATUS = Arg.enumeration("status", "Only alarms in this status.",
            List.of("FIRING", "OK"));
    private static final Arg<Integer> LIMIT = Arg.integer("limit", "At most this many items per page.", 1, 1000)
            .withDefault(100);
    private static final String ITEM = """
            {"type":"object","required":["id"],"properties":{"id":{"type":"string"},"name":{"type":"string"},
              "severity":{"type":"string"},"status":{"type":"string"},"namespace":{"type":"string"},
              "query":{"type":"string"},"enabled":{"type":"boolean"},"state":{"type":"string"},
              "triggered":{"type":"string"},"summary":{"type":"string"}}}""";

    private final ToolSupport support;

    AlarmTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listAlarms(), getAlarm(), listAlarmStatuses(), getAlarmHistory());
    }

    private BackendRequest paged(BackendRequest request, Arguments args) {
        request.query("compartmentId", support.compartment(args)).query("limit", args.get(LIMIT));
        if (args.get(ToolSupport.INCLUDE_SUBTREE)) {
            request.query("compartmentIdInSubtree", "true");
        }
        Cursor.pageKey(args, ToolSupport.NEXT_PAGE).ifPresent(page -> request.query("page", page));
        return request;
    }

    private static void nextPage(ObjectNode out, JsonBackend.Reply reply, Arguments args) {
        reply.header("opc-next-page").filter(p -> !p.isEmpty()).ifPresent(p -> out.put("next_page", Cursor.next(args, p)));
    }

    private ToolSpec listAlarms() {
        return ToolSupport.read("list_alarms", "List alarms", ToolSupport.READ_ALARMS)
                .description("Lists the alarm definitions in a compartment (ACTIVE by default): id, name, severity,"
                        + " namespace, MQL query and whether it is enabled. For what is firing now use"
                        + " oci_list_alarm_statuses.")
                .args(ToolSupport.COMPARTMENT_ID, ToolSupport.INCLUDE_SUBTREE, DISPLAY_NAME, LIFECYCLE, LIMIT,
                        ToolSupport.NEXT_PAGE)
                .output("{\"type\":\"object\",\"required\":[\"alarms\"],\"properties\":{\"alarms\":{\"type\":\"array\","
                        + "\"items\":" + ITEM + "},\"next_page\":{\"type\":\"string\"}}}")
                .tags("monitoring", "alarms").fanOut()
                .handler((args, context) -> {
                    BackendRequest request = paged(support.client.monitoringGet("alarms"), args);
                    args.optional(DISPLAY_NAME).ifPresent(name -> request.query("displayName", name));
                    args.optional(LIFECYCLE).ifPresent(state -> request.query("lifecycleState", state));
                    JsonBackend.Reply reply = support.client.send(request, context, ToolSupport.READ_ALARMS);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode alarms = out.putArray("alarms");
                    reply.body().forEach(alarm -> alarms.add(alarm(alarm)));
                    nextPage(out, reply, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private static ObjectNode alarm(JsonNode alarm) {
        ObjectNode item = ToolSupport.object();
        item.put("id", alarm.path("id").asText());
        CompactJson.put(item, "name", CompactJson.text(alarm, "displayName"));
        CompactJson.put(item, "severity", CompactJson.text(alarm, "severity"));
        CompactJson.put(item, "namespace", CompactJson.text(alarm, "namespace"));
        CompactJson.put(item, "query", CompactJson.text(alarm, "query"));
        if (alarm.path("isEnabled").isBoolean()) {
            item.put("enabled", alarm.path("isEnabled").asBoolean());
        }
        CompactJson.put(item, "state", CompactJson.text(alarm, "lifecycleState"));
        return item;
    }

    private ToolSpec getAlarm() {
        return ToolSupport.read("get_alarm", "Get alarm", ToolSupport.READ_ALARMS)
                .description("Returns one alarm's full definition: query, resolution, pending duration, severity,"
                        + " notification body, destinations and suppression.")
                .args(ToolSupport.ALARM_ID)
                .output("""
                        {"type":"object","required":["id"],"properties":{"id":{"type":"string"},
                          "name":{"type":"string"},"compartment_id":{"type":"string"},"namespace":{"type":"string"},
                          "query":{"type":"string"},"resolution":{"type":"string"},"pending_duration":{"type":"string"},
                          "severity":{"type":"string"},"body":{"type":"string"},"enabled":{"type":"boolean"},
                          "destinations":{"type":"array","items":{"type":"string"}},"suppression":{"type":"object"},
                          "state":{"type":"string"}}}""")
                .tags("monitoring", "alarms")
                .handler((args, context) -> {
                    JsonNode alarm = support.client.send(support.client.monitoringGet("alarms", args.get(ToolSupport.ALARM_ID))
                            .notFound("Alarm " + args.get(ToolSupport.ALARM_ID)), context, ToolSupport.READ_ALARMS).body();
                    ObjectNode out = ToolSupport.object();
                    out.put("id", alarm.path("id").asText());
                    CompactJson.put(out, "name", CompactJson.text(alarm, "displayName"));
                    CompactJson.put(out, "compartment_id", CompactJson.text(alarm, "compartmentId"));
                    CompactJson.put(out, "namespace", CompactJson.text(alarm, "namespace"));
                    CompactJson.put(out, "query", CompactJson.text(alarm, "query"));
                    CompactJson.put(out, "resolution", CompactJson.text(alarm, "resolution"));
                    CompactJson.put(out, "pending_duration", CompactJson.text(alarm, "pendingDuration"));
                    CompactJson.put(out, "severity", CompactJson.text(alarm, "severity"));
                    CompactJson.put(out, "body", CompactJson.text(alarm, "body"));
                    if (alarm.path("isEnabled").isBoolean()) {
                        out.put("enabled", alarm.path("isEnabled").asBoolean());
                    }
                    ArrayNode destinations = out.putArray("destinations");
                    alarm.path("destinations").forEach(d -> destinations.add(d.asText()));
                    if (alarm.path("suppression").isObject()) {
                        out.set("suppression", alarm.path("suppression"));
                    }
                    CompactJson.put(out, "state", CompactJson.text(alarm, "lifecycleState"));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec listAlarmStatuses() {
        return ToolSupport.read("list_alarm_statuses", "List alarm statuses", ToolSupport.READ_ALARMS)
                .description("Lists the current status of the alarms in a compartment, FIRING ones first, each with"
                        + " severity, the time it last triggered and its summary. Start here to see what is wrong now.")
                .args(ToolSupport.COMPARTMENT_ID, ToolSupport.INCLUDE_SUBTREE, STATUS, DISPLAY_NAME, LIMIT,
                        ToolSupport.NEXT_PAGE)
                .output("{\"type\":\"object\",\"required\":[\"statuses\",\"firing\"],\"properties\":{\"statuses\":"
                        + "{\"type\":\"array\",\"items\":" + ITEM + "},\"firing\":{\"type\":\"integer\"},"
                        + "\"next_page\":{\"type\":\"string\"}}}")
                .tags("monitoring", "alarms").fanOut()
                .handler((args, context) -> {
                    BackendRequest request = paged(support.client.monitoringGet("alarms", "status"), args);
                    args.optional(STATUS).ifPresent(status -> request.query("status", status));
                    args.optional(DISPLAY_NAME).ifPresent(name -> request.query("displayName", name));
                    JsonBackend.Reply reply = support.client.send(request, context, ToolSupport.READ_ALARMS);
                    List<JsonNode> statuses = new ArrayList<>();
                    reply.body().forEach(statuses::add);
                    statuses.sort(Comparator.comparing((JsonNode s) -> !"FIRING".equals(s.path("status").asText()))
                            .thenComparing(s -> s.path("timestampTriggered").asText(""), Comparator.reverseOrder()));
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("statuses");
                    int firing = 0;
                    for (JsonNode status : statuses) {
                        ObjectNode item = list.addObject();
                        item.put("id", status.path("id").asText());
                        CompactJson.put(item, "name", CompactJson.text(status, "displayName"));
                        CompactJson.put(item, "status", CompactJson.text(status, "status"));
                        CompactJson.put(item, "severity", CompactJson.text(status, "severity"));
                        CompactJson.put(item, "triggered", CompactJson.text(status, "timestampTriggered"));
                        CompactJson.put(item, "summary", CompactJson.text(status, "alarmSummary"));
                        firing += "FIRING".equals(status.path("status").asText()) ? 1 : 0;
                    }
                    out.put("firing", firing);
                    nextPage(out, reply, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec getAlarmHistory() {
        return ToolSupport.read("get_alarm_history", "Get alarm history", ToolSupport.READ_ALARMS)
                .description("Returns an alarm's state history, newest first: when it fired and cleared, with OCI's"
                        + " summary of each transition.")
                .args(ToolSupport.ALARM_ID, LIMIT)
                .output("""
                        {"type":"object","required":["alarm_id","entries"],"properties":{"alarm_id":{"type":"string"},
                          "enabled":{"type":"boolean"},"entries":{"type":"array","items":{"type":"object",
                          "properties":{"summary":{"type":"string"},"time":{"type":"string"},
                          "triggered":{"type":"string"}}}}}}""")
                .tags("monitoring", "alarms")
                .handler((args, context) -> {
                    String id = args.get(ToolSupport.ALARM_ID);
                    JsonNode history = support.client.send(support.client.monitoringGet("alarms", id, "history")
                            .query("limit", args.get(LIMIT)).notFound("Alarm " + id), context,
                            ToolSupport.READ_ALARMS).body();
                    ObjectNode out = ToolSupport.object();
                    out.put("alarm_id", history.path("alarmId").asText(id));
                    if (history.path("isEnabled").isBoolean()) {
                        out.put("enabled", history.path("isEnabled").asBoolean());
                    }
                    ArrayNode entries = out.putArray("entries");
                    for (JsonNode entry : history.path("entries")) {
                        ObjectNode item = entries.addObject();
                        CompactJson.put(item, "summary", CompactJson.text(entry, "summary"));
                        CompactJson.put(item, "time", CompactJson.text(entry, "timestamp"));
                        CompactJson.put(item, "triggered", CompactJson.text(entry, "timestampTriggered"));
                    }
                    return ToolResult.structured(out);
                }).build();
    }
}
