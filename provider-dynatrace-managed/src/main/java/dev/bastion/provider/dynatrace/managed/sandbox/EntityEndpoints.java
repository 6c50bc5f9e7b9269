package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code /entities} and {@code /entityTypes}: the topology. */
final class EntityEndpoints {

    private static final List<String> OPTIONAL_FIELDS = List.of("firstSeenTms", "lastSeenTms", "properties", "tags",
            "managementZones", "fromRelationships", "toRelationships");

    private EntityEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/entities", EntityEndpoints::list)
                .get("v2/entities/{entityId}", EntityEndpoints::details)
                .get("v2/entityTypes", EntityEndpoints::listTypes)
                .get("v2/entityTypes/{type}", EntityEndpoints::typeDetails);
    }

    private static JsonNode list(ApiCall call) {
        call.requireScope("entities.read");
        SandboxSelector selector = call.selector("entitySelector");
        call.checkEntitySelector(selector, true);
        int size = call.pageSize("pageSize", 50, 500);
        Set<String> fields = call.fields();
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode entity : call.data.entities) {
            if (SandboxData.matches(selector, entity)) {
                matching.add(view(call, entity, fields, false));
            }
        }
        String sort = call.query("sort");
        if (sort != null) {
            Comparator<ObjectNode> byName = Comparator.comparing(e -> e.path("displayName").asText());
            matching.sort(sort.startsWith("-") ? byName.reversed() : byName);
        }
        return call.page(matching, "entities", size, "nextPageKey");
    }

    private static JsonNode details(ApiCall call) {
        call.requireScope("entities.read");
        String id = call.path("entityId");
        ObjectNode entity = call.data.entityById(id);
        if (entity == null) {
            throw SandboxError.notFound("Entity with ID " + id + " not found");
        }
        return view(call, entity, call.fields(), true);
    }

    private static ObjectNode view(ApiCall call, ObjectNode entity, Set<String> fields, boolean detail) {
        ObjectNode view = call.json.createObjectNode();
        view.put("entityId", entity.path("entityId").asText());
        view.put("displayName", entity.path("displayName").asText());
        view.put("type", entity.path("type").asText());
        for (String field : OPTIONAL_FIELDS) {
            if (fields.contains(field) || (detail && fields.isEmpty())) {
                view.set(field, entity.path(field).deepCopy());
            }
        }
        return view;
    }

    private static JsonNode listTypes(ApiCall call) {
        call.requireScope("entities.read");
        int size = call.pageSize("pageSize", 50, 500);
        return call.page(call.data.entityTypes.stream().map(ObjectNode::deepCopy).toList(), "types", size,
                "nextPageKey");
    }

    private static JsonNode typeDetails(ApiCall call) {
        call.requireScope("entities.read");
        String type = call.path("type");
        return ApiCall.find(call.data.entityTypes, "type", type, "Entity type " + type + " not found").deepCopy();
    }
}
