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

/** Monitored entities and entity types. */
final class EntityTools {

    static final int MAX_ENTITIES = 50;
    static final int MAX_TYPES = 500;
    static final String SCOPE = "entities.read";
    private static final int MAX_RELATED = 100;
    private static final List<String> HEALTH = List.of("HEALTHY", "UNHEALTHY");
    private static final List<String> SORT = List.of("name", "-name");

    private static final Arg<Integer> TYPE_LIMIT = Arg.integer("limit",
            "How many types to return (at most " + MAX_TYPES + ").", 1, MAX_TYPES).withDefault(100);
    private static final Arg<String> TYPE = Arg.pattern("type",
            "The entity type, such as HOST, SERVICE or PROCESS_GROUP_INSTANCE.", EntityFilter.ENTITY_TYPE_PATTERN, 64)
            .required();
    private static final EntityFilter FIND = new EntityFilter("to find", true);
    private static final Arg<String> HEALTH_ARG = Arg.enumeration("health_state",
            "Only healthy or only unhealthy entities.", HEALTH);
    private static final Arg<String> SEEN_FROM = ToolSupport.time("from",
            "Only entities seen after this time; default now-3d.");
    private static final Arg<String> SEEN_TO = ToolSupport.time("to", "Only entities seen before this time; default now.");
    private static final Arg<String> SORT_ARG = Arg.enumeration("sort", "Sort by name.", SORT);
    private static final Arg<Integer> LIMIT = Arg.integer("limit",
            "How many entities to return (at most " + MAX_ENTITIES + ").", 1, MAX_ENTITIES).withDefault(20);
    private static final Arg<String> ENTITY_ID = Arg.pattern("entity_id",
            "The entity id, such as HOST-0F66906C3BC01429 or SERVICE-5A3C...", EntityFilter.ENTITY_ID_PATTERN, 100)
            .required();

    private final ToolSupport support;

    EntityTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listTypes(), typeDetails(), discover(), entityDetails(), relationships());
    }

    private ToolSpec listTypes() {
        return ToolSupport.read("list_entity_types", "List entity types", SCOPE)
                .description("Lists the monitored entity types of the environment (type such as HOST or"
                        + " SERVICE, display name, metric dimension key such as dt.entity.host). Use it to find"
                        + " the entity_type value for dynatrace_managed_discover_entities or a dimension to split"
                        + " metrics by. Example: {\"limit\":200}.")
                .output("""
                        {"type":"object","required":["types"],"properties":{
                          "types":{"type":"array","items":{"type":"object","required":["type"],"properties":{
                            "type":{"type":"string"},"name":{"type":"string"},"dimension_key":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .args(TYPE_LIMIT, ToolSupport.NEXT_PAGE)
                .tags("entities").fanOut()
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("entityTypes"), args,
                            request -> request.query("pageSize", args.get(TYPE_LIMIT))).send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode types = out.putArray("types");
                    for (JsonNode type : response.path("types")) {
                        ObjectNode t = ToolSupport.NODES.objectNode();
                        t.put("type", type.path("type").asText());
                        CompactJson.put(t, "name", type.path("displayName"));
                        CompactJson.put(t, "dimension_key", type.path("dimensionKey"));
                        types.add(t);
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec typeDetails() {
        return ToolSupport.read("get_entity_type_details", "Get entity type details", SCOPE)
                .description("Describes one entity type: its properties (id and value type), and which"
                        + " relationships lead from and to it with the types at the other end (a SERVICE"
                        + " runsOn PROCESS_GROUP, is called by APPLICATION, ...). Use it to learn what"
                        + " dynatrace_managed_get_entity_relationships can return. Example: {\"type\":\"SERVICE\"}.")
                .output("""
                        {"type":"object","required":["type"],"properties":{
                          "type":{"type":"string"},"name":{"type":"string"},"dimension_key":{"type":"string"},
                          "properties":{"type":"object","additionalProperties":{"type":"string"}},
                          "from_relationships":{"type":"object","additionalProperties":{"type":"array"}},
                          "to_relationships":{"type":"object","additionalProperties":{"type":"array"}}}}""")
                .args(TYPE)
                .tags("entities")
                .handler((args, context) -> {
                    String type = args.require(TYPE);
                    JsonNode detail = support.client.get("entityTypes", type)
                            .notFound("Entity type " + type).send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("type", detail.path("type").asText(type));
                    CompactJson.put(out, "name", detail.path("displayName"));
                    CompactJson.put(out, "dimension_key", detail.path("dimensionKey"));
                    ObjectNode properties = ToolSupport.NODES.objectNode();
                    for (JsonNode property : detail.path("properties")) {
                        properties.put(property.path("id").asText(), property.path("type").asText(""));
                    }
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                    putRelations(out, "from_relationships", detail.path("fromRelationships"), "toTypes");
                    putRelations(out, "to_relationships", detail.path("toRelationships"), "fromTypes");
                    return ToolResult.structured(out);
                }).build();
    }

    private void putRelations(ObjectNode out, String key, JsonNode relations, String typesField) {
        ObjectNode map = ToolSupport.NODES.objectNode();
        for (JsonNode relation : relations) {
            ArrayNode types = map.putArray(relation.path("id").asText());
            relation.path(typesField).forEach(types::add);
        }
        if (!map.isEmpty()) {
            out.set(key, map);
        }
    }

    private ToolSpec discover() {
        return ToolSupport.read("discover_entities", "Discover entities", SCOPE)
                .description("Finds monitored entities of one type (hosts, services, process groups,"
                        + " applications, Kubernetes clusters, ...) by name, tag, management zone or health:"
                        + " id, name, first/last seen, tags and zones. Use it to turn a name into the entity id"
                        + " other tools take. Values are plain text, no selector syntax: {\"entity_type\":\"HOST\","
                        + "\"entity_name\":\"web-01\",\"tags\":[\"env:prod\"]}. At most " + MAX_ENTITIES
                        + " per call; pass next_page for more.")
                .output("""
                        {"type":"object","required":["entities"],"properties":{
                          "entities":{"type":"array","items":{"type":"object","required":["id"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                            "first_seen":{"type":"string"},"last_seen":{"type":"string"},
                            "tags":{"type":"array","items":{"type":"string"}},
                            "zones":{"type":"array","items":{"type":"string"}}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .args(FIND.args()).args(HEALTH_ARG, SEEN_FROM, SEEN_TO, SORT_ARG, LIMIT, ToolSupport.NEXT_PAGE)
                .tags("entities").fanOut()
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("entities"), args, request -> request
                                    .query("entitySelector", FIND.conditions(args)
                                            .condition("healthState", args.get(HEALTH_ARG)).build())
                                    .query("from", args.get(SEEN_FROM))
                                    .query("to", args.get(SEEN_TO))
                                    .query("fields", "+firstSeenTms,+lastSeenTms,+tags,+managementZones")
                                    .query("sort", args.get(SORT_ARG))
                                    .query("pageSize", args.get(LIMIT)))
                            .send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode entities = out.putArray("entities");
                    for (JsonNode entity : response.path("entities")) {
                        entities.add(entitySummary(entity));
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ObjectNode entitySummary(JsonNode entity) {
        ObjectNode e = ToolSupport.NODES.objectNode();
        e.put("id", entity.path("entityId").asText());
        CompactJson.put(e, "name", entity.path("displayName"));
        CompactJson.put(e, "type", entity.path("type"));
        CompactJson.put(e, "first_seen", ToolSupport.time(entity.path("firstSeenTms")));
        CompactJson.put(e, "last_seen", ToolSupport.time(entity.path("lastSeenTms")));
        CompactJson.putNonEmpty(e, "tags", ToolSupport.tags(entity.path("tags")));
        CompactJson.putNonEmpty(e, "zones", ToolSupport.zones(entity.path("managementZones")));
        return e;
    }


    private ToolSpec entityDetails() {
        return ToolSupport.read("get_entity_details", "Get entity details", SCOPE)
                .description("Returns one monitored entity: name, type, first/last seen, its properties (OS,"
                        + " technology, IP addresses, versions... as name to value), tags and management zones."
                        + " Use dynatrace_managed_get_entity_relationships for what it connects to."
                        + " Example: {\"entity_id\":\"HOST-0F66906C3BC01429\"}.")
                .output("""
                        {"type":"object","required":["id"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                          "first_seen":{"type":"string"},"last_seen":{"type":"string"},
                          "properties":{"type":"object"},
                          "tags":{"type":"array","items":{"type":"string"}},
                          "zones":{"type":"array","items":{"type":"string"}}}}""")
                .args(ENTITY_ID)
                .tags("entities")
                .handler((args, context) -> {
                    String id = args.require(ENTITY_ID);
                    JsonNode entity = support.client.get("entities", id)
                            .query("fields", "+properties,+tags,+managementZones,+firstSeenTms,+lastSeenTms")
                            .notFound("Entity " + id).send(context);
                    ObjectNode out = entitySummary(entity);
                    ObjectNode properties = ToolSupport.NODES.objectNode();
                    Iterator<Map.Entry<String, JsonNode>> fields = entity.path("properties").properties().iterator();
                    while (fields.hasNext()) {
                        Map.Entry<String, JsonNode> field = fields.next();
                        JsonNode value = field.getValue();
                        if (value.isTextual()) {
                            properties.put(field.getKey(), CompactJson.clip(value.asText(), 500));
                        } else if (value.isContainerNode() && value.toString().length() > 2000) {
                            properties.put(field.getKey(), CompactJson.clip(value.toString(), 2000));
                        } else {
                            properties.set(field.getKey(), value);
                        }
                    }
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec relationships() {
        return ToolSupport.read("get_entity_relationships", "Get entity relationships", SCOPE)
                .description("Returns what an entity is connected to, by relationship: 'from' lists outgoing"
                        + " relationships (a service runsOn a process group, calls another service), 'to'"
                        + " incoming ones (a host is runsOn-target of processes), each with up to "
                        + MAX_RELATED + " entity ids. Use it to walk the topology from a problem's root cause."
                        + " Example: {\"entity_id\":\"SERVICE-5A3C1D2E3F405162\"}.")
                .output("""
                        {"type":"object","required":["id"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                          "from":{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}},
                          "to":{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}},
                          "truncated":{"type":"boolean"}}}""")
                .args(ENTITY_ID)
                .tags("entities")
                .handler((args, context) -> {
                    String id = args.require(ENTITY_ID);
                    JsonNode entity = support.client.get("entities", id)
                            .query("fields", "+fromRelationships,+toRelationships")
                            .notFound("Entity " + id).send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("id", entity.path("entityId").asText(id));
                    CompactJson.put(out, "name", entity.path("displayName"));
                    CompactJson.put(out, "type", entity.path("type"));
                    boolean truncated = relationIds(out, "from", entity.path("fromRelationships"));
                    truncated |= relationIds(out, "to", entity.path("toRelationships"));
                    if (truncated) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private boolean relationIds(ObjectNode out, String key, JsonNode relations) {
        ObjectNode map = ToolSupport.NODES.objectNode();
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
