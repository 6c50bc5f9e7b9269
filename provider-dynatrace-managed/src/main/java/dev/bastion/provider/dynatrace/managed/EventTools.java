package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.InvalidArgument;
import dev.bastion.toolkit.tool.ToolSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Events: list, details and ingest. */
final class EventTools {

    static final int MAX_EVENTS = 100;
    static final String READ_SCOPE = "events.read";
    static final String INGEST_SCOPE = "events.ingest";
    static final String EVENT_TYPE_PATTERN = "^[A-Z][A-Z0-9_]{0,99}$";
    static final List<String> INGEST_TYPES = List.of("AVAILABILITY_EVENT", "CUSTOM_ALERT", "CUSTOM_ANNOTATION",
            "CUSTOM_CONFIGURATION", "CUSTOM_DEPLOYMENT", "CUSTOM_INFO", "ERROR_EVENT", "MARKED_FOR_TERMINATION",
            "PERFORMANCE_EVENT", "RESOURCE_CONTENTION_EVENT");
    private static final List<String> STATUS = List.of("OPEN", "CLOSED");
    private static final int MAX_PROPERTIES = 50;

    private static final Arg<String> FROM = ToolSupport.time("from",
            "Start of the timeframe: relative (now-2h, now-1d), ISO-8601 or epoch ms.").withDefault("now-2h");
    private static final Arg<String> EVENT_TYPE = Arg.pattern("event_type", "Only events of this type, such as"
            + " AVAILABILITY_EVENT, ERROR_EVENT, CUSTOM_DEPLOYMENT, PROCESS_RESTART.", EVENT_TYPE_PATTERN, 100);
    private static final Arg<String> STATUS_ARG = Arg.enumeration("status", "Only open or only closed events.", STATUS);
    private static final EntityFilter ABOUT = new EntityFilter("the events are about", false);
    private static final Arg<Integer> LIMIT = Arg.integer("limit",
            "How many events to return (at most " + MAX_EVENTS + ").", 1, MAX_EVENTS).withDefault(20);
    private static final Arg<String> EVENT_ID = Arg.pattern("event_id", "The eventId from"
            + " dynatrace_managed_list_events, such as -2899693953000578799_1763288686574.", "^[A-Za-z0-9_\\-]{1,100}$",
            100).required();
    private static final Arg<String> INGEST_TYPE = Arg.enumeration("event_type", "The kind of event.", INGEST_TYPES)
            .required();
    private static final Arg<String> TITLE = Arg.string("title",
            "The event title, such as 'Deployment of checkout 4.2'.", 500).required();
    private static final EntityFilter ATTACHED = new EntityFilter("the event is attached to", false);
    private static final Arg<Integer> TIMEOUT_MINUTES = Arg.integer("timeout_minutes",
            "How long the event stays open if not refreshed (1 to 360).", 1, 360);
    private static final Arg<JsonNode> PROPERTIES = Arg.json("properties", "Extra event properties as string"
            + " key/value pairs, such as {\"dt.event.description\":\"...\",\"version\":\"4.2\"}.",
            (ObjectNode) ToolSupport.schema("""
                {"type":"object","maxProperties":50,"propertyNames":{"pattern":"^[A-Za-z0-9_.\\\\-]{1,100}$"},
                 "additionalProperties":{"type":"string","maxLength":2000}}"""));

    private final ToolSupport support;

    EventTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listEvents(), eventDetails(), ingestEvent());
    }

    private ToolSpec listEvents() {
        return ToolSupport.read("list_events", "List events", READ_SCOPE)
                .description("Lists events (deployments, restarts, availability and error events, custom"
                        + " annotations) in a timeframe: event id, type, title, status, start/end, the entity"
                        + " as 'name (ID)' and its description. Use it to correlate a problem with what changed."
                        + " Example: {\"from\":\"now-6h\",\"event_type\":\"CUSTOM_DEPLOYMENT\","
                        + "\"entity_type\":\"SERVICE\",\"entity_name\":\"checkout\"}. At most " + MAX_EVENTS
                        + " per call; pass next_page for more.")
                .output("""
                        {"type":"object","required":["events"],"properties":{
                          "events":{"type":"array","items":{"type":"object","required":["event_id"],"properties":{
                            "event_id":{"type":"string"},"type":{"type":"string"},"title":{"type":"string"},
                            "status":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"},
                            "entity":{"type":"string"},"description":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .args(FROM, ToolSupport.TO, EVENT_TYPE, STATUS_ARG).args(ABOUT.args()).args(LIMIT, ToolSupport.NEXT_PAGE)
                .tags("events").fanOut()
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("events"), args, request -> request
                                    .query("from", args.get(FROM))
                                    .query("to", args.get(ToolSupport.TO))
                                    .query("eventSelector", Selector.builder()
                                            .condition("eventType", args.get(EVENT_TYPE))
                                            .condition("status", args.get(STATUS_ARG)).build())
                                    .query("entitySelector", ABOUT.selector(args))
                                    .query("pageSize", args.get(LIMIT)))
                            .send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode events = out.putArray("events");
                    for (JsonNode event : response.path("events")) {
                        ObjectNode e = ToolSupport.NODES.objectNode();
                        e.put("event_id", event.path("eventId").asText());
                        CompactJson.put(e, "type", event.path("eventType"));
                        CompactJson.put(e, "title", event.path("title"));
                        CompactJson.put(e, "status", event.path("status"));
                        CompactJson.put(e, "start", ToolSupport.time(event.path("startTime")));
                        CompactJson.put(e, "end", ToolSupport.time(event.path("endTime")));
                        CompactJson.put(e, "entity", ToolSupport.entityRef(event.path("entityId")));
                        CompactJson.put(e, "description", CompactJson.clip(ProblemTools.eventProperty(
                                event.path("properties"), "dt.event.description"), 300));
                        events.add(e);
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec eventDetails() {
        return ToolSupport.read("get_event_details", "Get event details", READ_SCOPE)
                .description("Returns one event with all its properties (key to value), the entity, tags,"
                        + " management zones, correlation id and flags such as under_maintenance. Use it when"
                        + " the description in dynatrace_managed_list_events is not enough."
                        + " Example: {\"event_id\":\"-2899693953000578799_1763288686574\"}.")
                .output("""
                        {"type":"object","required":["event_id"],"properties":{
                          "event_id":{"type":"string"},"type":{"type":"string"},"title":{"type":"string"},
                          "status":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"},
                          "entity":{"type":"string"},"correlation_id":{"type":"string"},
                          "under_maintenance":{"type":"boolean"},
                          "properties":{"type":"object","additionalProperties":{"type":"string"}},
                          "tags":{"type":"array","items":{"type":"string"}},
                          "zones":{"type":"array","items":{"type":"string"}}}}""")
                .args(EVENT_ID)
                .tags("events")
                .handler((args, context) -> {
                    String id = args.require(EVENT_ID);
                    JsonNode event = support.client.get("events", id).notFound("Event " + id).send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("event_id", event.path("eventId").asText(id));
                    CompactJson.put(out, "type", event.path("eventType"));
                    CompactJson.put(out, "title", event.path("title"));
                    CompactJson.put(out, "status", event.path("status"));
                    CompactJson.put(out, "start", ToolSupport.time(event.path("startTime")));
                    CompactJson.put(out, "end", ToolSupport.time(event.path("endTime")));
                    CompactJson.put(out, "entity", ToolSupport.entityRef(event.path("entityId")));
                    CompactJson.put(out, "correlation_id", event.path("correlationId"));
                    if (event.path("underMaintenance").asBoolean(false)) {
                        out.put("under_maintenance", true);
                    }
                    ObjectNode properties = ToolSupport.NODES.objectNode();
                    for (JsonNode property : event.path("properties")) {
                        String key = property.path("key").asText("");
                        // Settings object ids are long opaque blobs that tell a reader nothing.
                        if (!key.isEmpty() && !key.equals("dt.settings.object_id")) {
                            properties.put(key, CompactJson.clip(property.path("value").asText(""), 1000));
                        }
                    }
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                    CompactJson.putNonEmpty(out, "tags", ToolSupport.tags(event.path("entityTags")));
                    CompactJson.putNonEmpty(out, "zones", ToolSupport.zones(event.path("managementZones")));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec ingestEvent() {
        return ToolSupport.write("ingest_event", "Ingest an event", INGEST_SCOPE)
                .description("Sends a custom event to Dynatrace (POST /api/v2/events/ingest), attached to the"
                        + " entities the filter selects, such as a deployment or a maintenance annotation. Alert"
                        + " and error types can open problems. Example: {\"event_type\":\"CUSTOM_DEPLOYMENT\","
                        + "\"title\":\"Deploy checkout 4.2\",\"entity_type\":\"SERVICE\",\"entity_name\":\"checkout\","
                        + "\"entity_name_match\":\"equals\",\"properties\":{\"version\":\"4.2\"}}."
                        + " Returns one correlation id and status per entity the event was reported on.")
                .output("""
                        {"type":"object","required":["report_count"],"properties":{
                          "report_count":{"type":"integer"},
                          "results":{"type":"array","items":{"type":"object","properties":{
                            "correlation_id":{"type":"string"},"status":{"type":"string"}}}}}}""")
                .args(INGEST_TYPE, TITLE).args(ATTACHED.args()).args(TIMEOUT_MINUTES, PROPERTIES)
                .tags("events")
                .handler((args, context) -> {
                    ObjectNode body = ToolSupport.NODES.objectNode();
                    body.put("eventType", args.require(INGEST_TYPE));
                    body.put("title", args.require(TITLE));
                    String selector = ATTACHED.selector(args);
                    if (selector != null) {
                        body.put("entitySelector", selector);
                    }
                    args.optional(TIMEOUT_MINUTES).ifPresent(minutes -> body.put("timeout", minutes));
                    JsonNode properties = args.get(PROPERTIES);
                    if (properties != null && !properties.isNull()) {
                        if (!properties.isObject() || properties.size() > MAX_PROPERTIES) {
                            throw new InvalidArgument("properties",
                                    "must be an object of at most " + MAX_PROPERTIES + " string values");
                        }
                        ObjectNode copy = body.putObject("properties");
                        Iterator<Map.Entry<String, JsonNode>> fields = properties.properties().iterator();
                        while (fields.hasNext()) {
                            Map.Entry<String, JsonNode> field = fields.next();
                            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                                throw new InvalidArgument("properties", "values must be strings");
                            }
                            copy.put(field.getKey(), field.getValue().asText());
                        }
                    }
                    JsonNode result = support.client.post(body, "events", "ingest").send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("report_count", result.path("reportCount").asInt(0));
                    ArrayNode results = out.putArray("results");
                    for (JsonNode item : result.path("eventIngestResults")) {
                        ObjectNode r = ToolSupport.NODES.objectNode();
                        CompactJson.put(r, "correlation_id", item.path("correlationId"));
                        CompactJson.put(r, "status", item.path("status"));
                        results.add(r);
                    }
                    return ToolResult.structured(out);
                }).build();
    }
}
