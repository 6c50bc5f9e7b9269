package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Monitored entities and entity types. */
final class EntityTools {

    static final int MAX_ENTITIES = 50;
    static final int MAX_TYPES = 500;
    static final String SCOPE = "entities.read";
    private static final int MAX_RELATED = 100;
    private static final List<String> HEALTH = List.of("HEALTHY", "UNHEALTHY");
    private static final List<String> SORT = List.of("name", "-name");

    private final ToolSupport support;

    EntityTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(listTypes(), typeDetails(), discover(), entityDetails(), relationships());
    }

    private DynatraceTool listTypes() {
        ObjectNode schema = InputSchema.builder()
                .integer("limit", "How many types to return (at most " + MAX_TYPES + ").", 1, MAX_TYPES, 100)
                .nextPage().build();
        return new DynatraceTool(ToolSupport.read("list_entity_types", "List entity types")
                .description("Lists the monitored entity types of the environment (type such as HOST or"
                        + " SERVICE, display name, metric dimension key such as dt.entity.host). Use it to find"
                        + " the entity_type value for dynatrace_managed_discover_entities or a dimension to split"
                        + " metrics by. Example: {\"limit\":200}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["types"],"properties":{
                          "types":{"type":"array","items":{"type":"object","required":["type"],"properties":{
                            "type":{"type":"string"},"name":{"type":"string"},"dimension_key":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("entities", "read").fanOut().build(), SCOPE, args -> {
                    JsonNode response = ToolSupport.page(support.client.get("entityTypes"), "nextPageKey",
                            args.optText("next_page"),
                            request -> request.query("pageSize", args.limit("limit", 100, MAX_TYPES))).execute();
                    ObjectNode out = support.object();
                    ArrayNode types = out.putArray("types");
                    for (JsonNode type : response.path("types")) {
                        ObjectNode t = support.object();
                        t.put("type", type.path("type").asText());
                        ToolSupport.putText(t, "name", type.path("displayName"));
                        ToolSupport.putText(t, "dimension_key", type.path("dimensionKey"));
                        types.add(t);
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private DynatraceTool typeDetails() {
        ObjectNode schema = InputSchema.builder()
                .pattern("type", "The entity type, such as HOST, SERVICE or PROCESS_GROUP_INSTANCE.",
                        EntityFilter.ENTITY_TYPE_PATTERN, 64)
                .required("type").build();
        return new DynatraceTool(ToolSupport.read("get_entity_type_details", "Get entity type details")
                .description("Describes one entity type: its properties (id and value type), and which"
                        + " relationships lead from and to it with the types at the other end (a SERVICE"
                        + " runsOn PROCESS_GROUP, is called by APPLICATION, ...). Use it to learn what"
                        + " dynatrace_managed_get_entity_relationships can return. Example: {\"type\":\"SERVICE\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["type"],"properties":{
                          "type":{"type":"string"},"name":{"type":"string"},"dimension_key":{"type":"string"},
                          "properties":{"type":"object","additionalProperties":{"type":"string"}},
                          "from_relationships":{"type":"object","additionalProperties":{"type":"array"}},
                          "to_relationships":{"type":"object","additionalProperties":{"type":"array"}}}}"""))
                .tags("entities", "read").build(), SCOPE, args -> {
                    String type = args.id("type");
                    JsonNode detail = support.client.get("entityTypes", type)
                            .notFound("Entity type " + type).execute();
                    ObjectNode out = support.object();
                    out.put("type", detail.path("type").asText(type));
                    ToolSupport.putText(out, "name", detail.path("displayName"));
                    ToolSupport.putText(out, "dimension_key", detail.path("dimensionKey"));
                    ObjectNode properties = support.object();
                    for (JsonNode property : detail.path("properties")) {
                        properties.put(property.path("id").asText(), property.path("type").asText(""));
                    }
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                    putRelations(out, "from_relationships", detail.path("fromRelationships"), "toTypes");
                    putRelations(out, "to_relationships", detail.path("toRelationships"), "fromTypes");
                    return support.structured(out);
                });
    }

    private void putRelations(ObjectNode out, String key, JsonNode relations, String typesField) {
        ObjectNode map = support.object();
        for (JsonNode relation : relations) {
            ArrayNode types = map.putArray(relation.path("id").asText());
            relation.path(typesField).forEach(types::add);
        }
        if (!map.isEmpty()) {
            out.set(key, map);
        }
    }

    private DynatraceTool discover() {
        InputSchema schema = InputSchema.builder();
        EntityFilter.declare(schema, "to find");
        schema.enumeration("health_state", "Only healthy or only unhealthy entities.", HEALTH, null)
                .time("from", "Only entities seen after this time; default now-3d.", null)
                .time("to", "Only entities seen before this time; default now.", null)
                .enumeration("sort", "Sort by name.", SORT, null)
                .integer("limit", "How many entities to return (at most " + MAX_ENTITIES + ").", 1, MAX_ENTITIES, 20)
                .nextPage().required("entity_type");
        return new DynatraceTool(ToolSupport.read("discover_entities", "Discover entities")
                .description("Finds monitored entities of one type (hosts, services, process groups,"
                        + " applications, Kubernetes clusters, ...) by name, tag, management zone or health:"
                        + " id, name, first/last seen, tags and zones. Use it to turn a name into the entity id"
                        + " other tools take. Values are plain text, no selector syntax: {\"entity_type\":\"HOST\","
                        + "\"entity_name\":\"web-01\",\"tags\":[\"env:prod\"]}. At most " + MAX_ENTITIES
                        + " per call; pass next_page for more.")
                .inputSchema(schema.build())
                .outputSchema(support.schema("""
                        {"type":"object","required":["entities"],"properties":{
                          "entities":{"type":"array","items":{"type":"object","required":["id"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                            "first_seen":{"type":"string"},"last_seen":{"type":"string"},
                            "tags":{"type":"array","items":{"type":"string"}},
                            "zones":{"type":"array","items":{"type":"string"}}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("entities", "read").fanOut().build(), SCOPE, args -> {
                    String nextPage = args.optText("next_page");
                    JsonNode response = ToolSupport.page(support.client.get("entities"), "nextPageKey", nextPage,
                            request -> {
                                String selector = EntityFilter.selector(args, true);
                                String health = args.selectorValue("health_state");
                                if (health != null) {
                                    selector = selector + "," + Selector.builder()
                                            .condition("healthState", health).build();
                                }
                                request.query("entitySelector", selector)
                                        .query("from", args.optText("from"))
                                        .query("to", args.optText("to"))
                                        .query("fields", "+firstSeenTms,+lastSeenTms,+tags,+managementZones")
                                        .query("sort", args.optText("sort"))
                                        .query("pageSize", args.limit("limit", 20, MAX_ENTITIES));
                            }).execute();
                    ObjectNode out = support.object();
                    ArrayNode entities = out.putArray("entities");
                    for (JsonNode entity : response.path("entities")) {
                        entities.add(entitySummary(entity));
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private ObjectNode entitySummary(JsonNode entity) {
        ObjectNode e = support.object();
        e.put("id", entity.path("entityId").asText());
        ToolSupport.putText(e, "name", entity.path("displayName"));
        ToolSupport.putText(e, "type", entity.path("type"));
        ToolSupport.putText(e, "first_seen", ToolSupport.time(entity.path("firstSeenTms")));
        ToolSupport.putText(e, "last_seen", ToolSupport.time(entity.path("lastSeenTms")));
        ToolSupport.putArray(e, "tags", ToolSupport.tags(support.json, entity.path("tags")));
        ToolSupport.putArray(e, "zones", ToolSupport.zones(support.json, entity.path("managementZones")));
        return e;
    }

    private static InputSchema entityIdSchema() {
        return InputSchema.builder()
                .pattern("entity_id", "The entity id, such as HOST-0F66906C3BC01429 or SERVICE-5A3C...",
                        EntityFilter.ENTITY_ID_PATTERN, 100)
                .required("entity_id");
    }

    private DynatraceTool entityDetails() {
        return new DynatraceTool(ToolSupport.read("get_entity_details", "Get entity details")
                .description("Returns one monitored entity: name, type, first/last seen, its properties (OS,"
                        + " technology, IP addresses, versions... as name to value), tags and management zones."
                        + " Use dynatrace_managed_get_entity_relationships for what it connects to."
                        + " Example: {\"entity_id\":\"HOST-0F66906C3BC01429\"}.")
                .inputSchema(entityIdSchema().build())
                .outputSchema(support.schema("""
                        {"type":"object","required":["id"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                          "first_seen":{"type":"string"},"last_seen":{"type":"string"},
                          "properties":{"type":"object"},
                          "tags":{"type":"array","items":{"type":"string"}},
                          "zones":{"type":"array","items":{"type":"string"}}}}"""))
                .tags("entities", "read").build(), SCOPE, args -> {
                    String id = args.id("entity_id");
                    JsonNode entity = support.client.get("entities", id)
                            .query("fields", "+properties,+tags,+managementZones,+firstSeenTms,+lastSeenTms")
                            .notFound("Entity " + id).execute();
                    ObjectNode out = entitySummary(entity);
                    ObjectNode properties = support.object();
                    Iterator<Map.Entry<String, JsonNode>> fields = entity.path("properties").properties().iterator();
                    while (fields.hasNext()) {
                        Map.Entry<String, JsonNode> field = fields.next();
                        JsonNode value = field.getValue();
                        if (value.isTextual()) {
                            properties.put(field.getKey(), ToolSupport.clip(value.asText(), 500));
                        } else if (value.isContainerNode() && value.toString().length() > 2000) {
                            properties.put(field.getKey(), ToolSupport.clip(value.toString(), 2000));
                        } else {
                            properties.set(field.getKey(), value);
                        }
                    }
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                    return support.structured(out);
                });
    }

    private DynatraceTool relationships() {
        return new DynatraceTool(ToolSupport.read("get_entity_relationships", "Get entity relationships")
                .description("Returns what an entity is connected to, by relationship: 'from' lists outgoing"
                        + " relationships (a service runsOn a process group, calls another service), 'to'"
                        + " incoming ones (a host is runsOn-target of processes), each with up to "
                        + MAX_RELATED + " entity ids. Use it to walk the topology from a problem's root cause."
                        + " Example: {\"entity_id\":\"SERVICE-5A3C1D2E3F405162\"}.")
                .inputSchema(entityIdSchema().build())
                .outputSchema(support.schema("""
                        {"type":"object","required":["id"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                          "from":{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}},
                          "to":{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}},
                          "truncated":{"type":"boolean"}}}"""))
                .tags("entities", "read").build(), SCOPE, args -> {
                    String id = args.id("entity_id");
                    JsonNode entity = support.client.get("entities", id)
                            .query("fields", "+fromRelationships,+toRelationships")
                            .notFound("Entity " + id).execute();
                    ObjectNode out = support.object();
                    out.put("id", entity.path("entityId").asText(id));
                    ToolSupport.putText(out, "name", entity.path("displayName"));
                    ToolSupport.putText(out, "type", entity.path("type"));
                    boolean truncated = relationIds(out, "from", entity.path("fromRelationships"));
                    truncated |= relationIds(out, "to", entity.path("toRelationships"));
                    if (truncated) {
                        out.put("truncated", true);
                    }
                    return support.structured(out);
                });
    }

    private boolean relationIds(ObjectNode out, String key, JsonNode relations) {
        ObjectNode map = support.object();
        boolean truncated = false;
        Iterator<Map.Entry<String, JsonNode>> fields = relations.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> relation = fields.next();
            ArrayNode ids = map.putArray(relation.getKey());
            for (JsonNode target : relation.getValue()) {
                if (ids.size() >= MAX_RELATED) {
                    truncated = true;
                    break;
                }
                ids.add(target.path("id").asText());
            }
        }
        if (!map.isEmpty()) {
            out.set(key, map);
        }
        return truncated;
    }
}
