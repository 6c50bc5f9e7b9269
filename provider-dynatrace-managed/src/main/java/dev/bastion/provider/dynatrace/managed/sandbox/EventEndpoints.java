package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** {@code /events}: list, details, and ingesting custom events (which then show up in the list). */
final class EventEndpoints {

    private static final List<String> INGEST_TYPES = List.of("AVAILABILITY_EVENT", "CUSTOM_ALERT",
            "CUSTOM_ANNOTATION", "CUSTOM_CONFIGURATION", "CUSTOM_DEPLOYMENT", "CUSTOM_INFO", "ERROR_EVENT",
            "MARKED_FOR_TERMINATION", "PERFORMANCE_EVENT", "RESOURCE_CONTENTION_EVENT");

    private EventEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/events", EventEndpoints::list)
                .get("v2/events/{eventId}", EventEndpoints::details)
                .post("v2/events/ingest", 201, EventEndpoints::ingest);
    }

    private static List<ObjectNode> allEvents(ApiCall call) {
        List<ObjectNode> all = new ArrayList<>(call.environment.ingested);
        all.addAll(call.data.events);
        return all;
    }

    private static JsonNode details(ApiCall call) {
        call.requireScope("events.read");
        String id = call.path("eventId");
        return ApiCall.find(allEvents(call), "eventId", id, "Event " + id + " not found").deepCopy();
    }

    private static JsonNode list(ApiCall call) {
        call.requireScope("events.read");
        long[] frame = call.timeframe("now-2h");
        SandboxSelector eventSelector = call.selector("eventSelector");
        SandboxSelector entitySelector = call.selector("entitySelector");
        call.checkEntitySelector(entitySelector, false);
        int size = call.pageSize("pageSize", 100, 1000);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode event : allEvents(call)) {
            if (!ApiCall.overlaps(event, "startTime", "endTime", frame)
                    || !eventSelector.matchesAny("eventType", event.path("eventType").asText())
                    || !eventSelector.matchesAny("status", event.path("status").asText())) {
                continue;
            }
            if (call.query("entitySelector") != null) {
                ObjectNode entity = call.data.entityById(event.path("entityId").path("entityId").path("id").asText());
                if (entity == null || !SandboxData.matches(entitySelector, entity)) {
                    continue;
                }
            }
            matching.add(event.deepCopy());
        }
        matching.sort(Comparator.comparingLong((ObjectNode e) -> e.path("startTime").asLong()).reversed());
        ObjectNode out = call.page(matching, "events", size, "nextPageKey");
        out.putArray("warnings");
        return out;
    }

    private static JsonNode ingest(ApiCall call) {
        call.requireScope("events.ingest");
        JsonNode body = call.body();
        if (!body.isObject()) {
            throw ApiCall.badBody("body", "must be a JSON object");
        }
        String type = body.path("eventType").asText("");
        if (!INGEST_TYPES.contains(type)) {
            throw ApiCall.badBody("eventType", "must be one of " + INGEST_TYPES);
        }
        String title = body.path("title").asText("");
        if (title.isBlank()) {
            throw ApiCall.badBody("title", "must not be blank");
        }
        List<ObjectNode> targets = new ArrayList<>();
        if (body.hasNonNull("entitySelector")) {
            SandboxSelector selector;
            try {
                selector = SandboxSelector.parse(body.path("entitySelector").asText());
            } catch (IllegalArgumentException e) {
                throw ApiCall.badBody("entitySelector", "Invalid selector: " + e.getMessage());
            }
            for (ObjectNode entity : call.data.entities) {
                if (SandboxData.matches(selector, entity)) {
                    targets.add(entity);
                }
            }
        }
        ObjectNode out = call.json.createObjectNode();
        ArrayNode results = out.putArray("eventIngestResults");
        long now = System.currentTimeMillis();
        int reports = Math.max(1, targets.size());
        for (int i = 0; i < reports; i++) {
            ObjectNode event = call.json.createObjectNode();
            String correlation = UUID.randomUUID().toString();
            event.put("eventId", Math.abs(correlation.hashCode()) + "_" + now);
            event.put("correlationId", correlation);
            event.put("eventType", type);
            event.put("title", title);
            event.put("status", "OPEN");
            event.put("startTime", body.path("startTime").asLong(now));
            event.put("endTime", body.path("endTime").asLong(-1));
            if (!targets.isEmpty()) {
                ObjectNode ref = event.putObject("entityId");
                ObjectNode id = ref.putObject("entityId");
                id.put("id", targets.get(i).path("entityId").asText());
                id.put("type", targets.get(i).path("type").asText());
                ref.put("name", targets.get(i).path("displayName").asText());
            }
            ArrayNode properties = event.putArray("properties");
            body.path("properties").properties().forEach(e -> {
                ObjectNode property = properties.addObject();
                property.put("key", e.getKey());
                property.put("value", e.getValue().asText());
            });
            call.environment.ingested.add(0, event);
            ObjectNode result = results.addObject();
            result.put("correlationId", correlation);
            result.put("status", "OK");
        }
        out.put("reportCount", reports);
        return out;
    }
}
