package dev.bastion.provider.dynatrace.managed;

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

    private final ToolSupport support;

    EventTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(listEvents(), eventDetails(), ingestEvent());
    }

    private DynatraceTool listEvents() {
        InputSchema schema = InputSchema.builder()
                .time("from", "Start of the timeframe: relative (now-2h, now-1d), ISO-8601 or epoch ms.", "now-2h")
                .time("to", "End of the timeframe; default now.", null)
                .pattern("event_type", "Only events of this type, such as AVAILABILITY_EVENT, ERROR_EVENT,"
                        + " CUSTOM_DEPLOYMENT, PROCESS_RESTART.", EVENT_TYPE_PATTERN, 100)
                .enumeration("status", "Only open or only closed events.", STATUS, null);
        EntityFilter.declare(schema, "the events are about");
        schema.integer("limit", "How many events to return (at most " + MAX_EVENTS + ").", 1, MAX_EVENTS, 20)
                .nextPage();
        return new DynatraceTool(ToolSupport.read("list_events", "List events")
                .description("Lists events (deployments, restarts, availability and error events, custom"
                        + " annotations) in a timeframe: event id, type, title, status, start/end, the entity"
                        + " as 'name (ID)' and its description. Use it to correlate a problem with what changed."
                        + " Example: {\"from\":\"now-6h\",\"event_type\":\"CUSTOM_DEPLOYMENT\","
                        + "\"entity_type\":\"SERVICE\",\"entity_name\":\"checkout\"}. At most " + MAX_EVENTS
                        + " per call; pass next_page for more.")
                .inputSchema(schema.build())
                .outputSchema(support.schema("""
                        {"type":"object","required":["events"],"properties":{
                          "events":{"type":"array","items":{"type":"object","required":["event_id"],"properties":{
                            "event_id":{"type":"string"},"type":{"type":"string"},"title":{"type":"string"},
                            "status":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"},
                            "entity":{"type":"string"},"description":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("events", "read").fanOut().build(), READ_SCOPE, args -> {
                    JsonNode response = ToolSupport.page(support.client.get("events"), "nextPageKey",
                            args.optText("next_page"), request -> request
                                    .query("from", args.optText("from", "now-2h"))
                                    .query("to", args.optText("to"))
                                    .query("eventSelector", Selector.builder()
                                            .condition("eventType", args.selectorValue("event_type"))
                                            .condition("status", args.selectorValue("status")).build())
                                    .query("entitySelector", EntityFilter.selector(args, false))
                                    .query("pageSize", args.limit("limit", 20, MAX_EVENTS)))
                            .execute();
                    ObjectNode out = support.object();
                    ArrayNode events = out.putArray("events");
                    for (JsonNode event : response.path("events")) {
                        ObjectNode e = support.object();
                        e.put("event_id", event.path("eventId").asText());
                        ToolSupport.putText(e, "type", event.path("eventType"));
                        ToolSupport.putText(e, "title", event.path("title"));
                        ToolSupport.putText(e, "status", event.path("status"));
                        ToolSupport.putText(e, "start", ToolSupport.time(event.path("startTime")));
                        ToolSupport.putText(e, "end", ToolSupport.time(event.path("endTime")));
                        ToolSupport.putText(e, "entity", ToolSupport.entityRef(event.path("entityId")));
                        ToolSupport.putText(e, "description", ToolSupport.clip(ProblemTools.eventProperty(
                                event.path("properties"), "dt.event.description"), 300));
                        events.add(e);
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private DynatraceTool eventDetails() {
        ObjectNode schema = InputSchema.builder()
                .pattern("event_id", "The eventId from dynatrace_managed_list_events, such as"
                        + " -2899693953000578799_1763288686574.", "^[A-Za-z0-9_\\-]{1,100}$", 100)
                .required("event_id").build();
        return new DynatraceTool(ToolSupport.read("get_event_details", "Get event details")
                .description("Returns one event with all its properties (key to value), the entity, tags,"
                        + " management zones, correlation id and flags such as under_maintenance. Use it when"
                        + " the description in dynatrace_managed_list_events is not enough."
                        + " Example: {\"event_id\":\"-2899693953000578799_1763288686574\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["event_id"],"properties":{
                          "event_id":{"type":"string"},"type":{"type":"string"},"title":{"type":"string"},
                          "status":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"},
                          "entity":{"type":"string"},"correlation_id":{"type":"string"},
                          "under_maintenance":{"type":"boolean"},
                          "properties":{"type":"object","additionalProperties":{"type":"string"}},
                          "tags":{"type":"array","items":{"type":"string"}},
                          "zones":{"type":"array","items":{"type":"string"}}}}"""))
                .tags("events", "read").build(), READ_SCOPE, args -> {
                    String id = args.id("event_id");
                    JsonNode event = support.client.get("events", id).notFound("Event " + id).execute();
                    ObjectNode out = support.object();
                    out.put("event_id", event.path("eventId").asText(id));
                    ToolSupport.putText(out, "type", event.path("eventType"));
                    ToolSupport.putText(out, "title", event.path("title"));
                    ToolSupport.putText(out, "status", event.path("status"));
                    ToolSupport.putText(out, "start", ToolSupport.time(event.path("startTime")));
                    ToolSupport.putText(out, "end", ToolSupport.time(event.path("endTime")));
                    ToolSupport.putText(out, "entity", ToolSupport.entityRef(event.path("entityId")));
                    ToolSupport.putText(out, "correlation_id", event.path("correlationId"));
                    if (event.path("underMaintenance").asBoolean(false)) {
                        out.put("under_maintenance", true);
                    }
                    ObjectNode properties = support.object();
                    for (JsonNode property : event.path("properties")) {
                        String key = property.path("key").asText("");
                        // Settings object ids are long opaque blobs that tell a reader nothing.
                        if (!key.isEmpty() && !key.equals("dt.settings.object_id")) {
                            properties.put(key, ToolSupport.clip(property.path("value").asText(""), 1000));
                        }
                    }
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                    ToolSupport.putArray(out, "tags", ToolSupport.tags(support.json, event.path("entityTags")));
                    ToolSupport.putArray(out, "zones", ToolSupport.zones(support.json, event.path("managementZones")));
                    return support.structured(out);
                });
    }

    private DynatraceTool ingestEvent() {
        ObjectNode propertiesSchema = support.schema("""
                {"type":"object","maxProperties":50,"propertyNames":{"pattern":"^[A-Za-z0-9_.\\\\-]{1,100}$"},
                 "additionalProperties":{"type":"string","maxLength":2000}}""");
        InputSchema schema = InputSchema.builder()
                .enumeration("event_type", "The kind of event.", INGEST_TYPES, null)
                .string("title", "The event title, such as 'Deployment of checkout 4.2'.", 500);
        EntityFilter.declare(schema, "the event is attached to");
        schema.integer("timeout_minutes", "How long the event stays open if not refreshed (1 to 360).", 1, 360, null)
                .object("properties", "Extra event properties as string key/value pairs, such as"
                        + " {\"dt.event.description\":\"...\",\"version\":\"4.2\"}.", propertiesSchema)
                .required("event_type", "title");
        return new DynatraceTool(ToolSupport.write("ingest_event", "Ingest an event", false, false)
                .description("Sends a custom event to Dynatrace (POST /api/v2/events/ingest), attached to the"
                        + " entities the filter selects, such as a deployment or a maintenance annotation. Alert"
                        + " and error types can open problems. Example: {\"event_type\":\"CUSTOM_DEPLOYMENT\","
                        + "\"title\":\"Deploy checkout 4.2\",\"entity_type\":\"SERVICE\",\"entity_name\":\"checkout\","
                        + "\"entity_name_match\":\"equals\",\"properties\":{\"version\":\"4.2\"}}."
                        + " Returns one correlation id and status per entity the event was reported on.")
                .inputSchema(schema.build())
                .outputSchema(support.schema("""
                        {"type":"object","required":["report_count"],"properties":{
                          "report_count":{"type":"integer"},
                          "results":{"type":"array","items":{"type":"object","properties":{
                            "correlation_id":{"type":"string"},"status":{"type":"string"}}}}}}"""))
                .tags("events", "write").build(), INGEST_SCOPE, args -> {
                    String type = args.text("event_type");
                    if (!INGEST_TYPES.contains(type)) {
                        throw new InvalidArgumentException("event_type", "must be one of " + INGEST_TYPES);
                    }
                    ObjectNode body = support.object();
                    body.put("eventType", type);
                    body.put("title", args.text("title"));
                    String selector = EntityFilter.selector(args, false);
                    if (selector != null) {
                        body.put("entitySelector", selector);
                    }
                    JsonNode timeout = args.raw("timeout_minutes");
                    if (timeout != null && timeout.canConvertToInt()) {
                        body.put("timeout", timeout.asInt());
                    }
                    JsonNode properties = args.raw("properties");
                    if (properties != null && !properties.isNull()) {
                        if (!properties.isObject() || properties.size() > MAX_PROPERTIES) {
                            throw new InvalidArgumentException("properties",
                                    "must be an object of at most " + MAX_PROPERTIES + " string values");
                        }
                        ObjectNode copy = body.putObject("properties");
                        Iterator<Map.Entry<String, JsonNode>> fields = properties.properties().iterator();
                        while (fields.hasNext()) {
                            Map.Entry<String, JsonNode> field = fields.next();
                            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                                throw new InvalidArgumentException("properties", "values must be strings");
                            }
                            copy.put(field.getKey(), field.getValue().asText());
                        }
                    }
                    JsonNode result = support.client.post(body, "events", "ingest").execute();
                    ObjectNode out = support.object();
                    out.put("report_count", result.path("reportCount").asInt(0));
                    ArrayNode results = out.putArray("results");
                    for (JsonNode item : result.path("eventIngestResults")) {
                        ObjectNode r = support.object();
                        ToolSupport.putText(r, "correlation_id", item.path("correlationId"));
                        ToolSupport.putText(r, "status", item.path("status"));
                        results.add(r);
                    }
                    return support.structured(out);
                });
    }
}
