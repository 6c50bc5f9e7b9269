package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.List;
import java.util.Locale;

/** The platform's health: its services, server, applications and adapters. */
final class HealthTools {

    private static final Arg<String> STATE = Arg.enumeration("state", "Only those in this state; default all.",
            List.of("RUNNING", "STOPPED", "DEAD", "DELETED"));
    private static final String COMPONENT_OUTPUT = """
            {"type":"object","required":["items","count"],"properties":{
              "items":{"type":"array","items":{"type":"object","required":["id"],"properties":{
                "id":{"type":"string"},"package":{"type":"string"},"version":{"type":"string"},
                "state":{"type":"string"},"connection":{"type":"string"},"uptime_s":{"type":"number"}}}},
              "count":{"type":"integer"},"total":{"type":"integer"},"truncated":{"type":"boolean"}}}""";

    private final ToolSupport support;

    HealthTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(health(), components("adapters", "Adapters connect the platform to systems such"
                + " as ServiceNow, NSO or Ansible; one that is not RUNNING with its connection ONLINE breaks the"
                + " workflows that use it."), components("applications", "Applications are the"
                + " platform's own services (Operations Manager, Configuration Manager, MOP, ...)."));
    }

    private ToolSpec health() {
        return ToolSupport.read("get_health", "Platform health", "GET /health/status and /health/server")
                .description("The Itential Platform's health in one answer: the state of its services (Redis,"
                        + " MongoDB, Vault), of its applications and adapters (with those that are not running"
                        + " named), and the server's version and uptime.")
                .output("""
                        {"type":"object","required":["services","applications","adapters"],"properties":{
                          "host":{"type":"string"},"version":{"type":"string"},"release":{"type":"string"},
                          "uptime_s":{"type":"number"},
                          "services":{"type":"object","additionalProperties":{"type":"string"}},
                          "applications":{"type":"object","required":["state","count"],"properties":{
                            "state":{"type":"string"},"count":{"type":"integer"},
                            "not_running":{"type":"array","items":{"type":"string"}}}},
                          "adapters":{"type":"object","required":["state","count"],"properties":{
                            "state":{"type":"string"},"count":{"type":"integer"},
                            "not_running":{"type":"array","items":{"type":"string"}}}}}}""")
                .tags("health").fanOut()
                .handler((args, context) -> {
                    JsonNode status = support.client.send(support.client.get("health", "status"), context);
                    JsonNode server = support.client.send(support.client.get("health", "server"), context);
                    ObjectNode out = ToolSupport.object();
                    CompactJson.put(out, "host", CompactJson.text(status, "host"));
                    CompactJson.put(out, "version", CompactJson.text(server, "version"));
                    CompactJson.put(out, "release", CompactJson.text(server, "release"));
                    if (server.path("uptime").isNumber()) {
                        out.put("uptime_s", Math.round(server.path("uptime").asDouble()));
                    }
                    ObjectNode services = out.putObject("services");
                    for (JsonNode service : status.path("services")) {
                        services.put(service.path("service").asText("?"), service.path("status").asText("unknown"));
                    }
                    out.set("applications", summary(status.path("apps").asText("unknown"),
                            components(support, "applications", context).items()));
                    out.set("adapters", summary(status.path("adapters").asText("unknown"),
                            components(support, "adapters", context).items()));
                    return ToolResult.structured(out);
                }).build();
    }

    private static ObjectNode summary(String state, ArrayNode items) {
        ObjectNode out = ToolSupport.object();
        out.put("state", state);
        out.put("count", items.size());
        ArrayNode down = ToolSupport.NODES.arrayNode();
        for (JsonNode item : items) {
            if (!"RUNNING".equals(item.path("state").asText())
                    || (item.has("connection") && !"ONLINE".equals(item.path("connection").asText()))) {
                down.add(item.path("id").asText());
            }
        }
        if (!down.isEmpty()) {
            out.set("not_running", down);
        }
        return out;
    }

    private ToolSpec components(String path, String about) {
        return ToolSupport.read("list_" + path, "List " + path, "GET /health/" + path)
                .description("Lists the platform's " + path + " with their package, version, state and (for adapters)"
                        + " connection state. " + about)
                .args(STATE)
                .output(COMPONENT_OUTPUT)
                .tags("health", path).fanOut()
                .handler((args, context) -> {
                    Components components = components(support, path, context);
                    String state = args.optional(STATE).orElse(null);
                    ArrayNode kept = ToolSupport.NODES.arrayNode();
                    for (JsonNode item : components.items()) {
                        if (state == null || state.equals(item.path("state").asText())) {
                            kept.add(item);
                        }
                    }
                    ObjectNode out = ToolSupport.object();
                    out.set("items", kept);
                    out.put("count", kept.size());
                    out.put("total", components.total());
                    if (components.total() > components.items().size()) {
                        // The platform listed fewer than it counts: say so rather than look complete.
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    /** The components of one kind, compact, and the platform's count of them. */
    private record Components(ArrayNode items, long total) {
    }

    /** {@code GET /health/<path>}'s {@code results}, compact, with {@code total}. */
    private static Components components(ToolSupport support, String path, CallContext context) {
        JsonNode answer = support.client.send(support.client.get("health", path).query("limit", MAX_COMPONENTS),
                context);
        JsonNode results = answer.has("results") ? answer.path("results") : answer;
        ArrayNode out = ToolSupport.NODES.arrayNode();
        for (JsonNode item : results) {
            ObjectNode compact = out.addObject();
            compact.put("id", item.path("id").asText(item.path("name").asText("?")));
            CompactJson.put(compact, "package", CompactJson.text(item, "package_id"));
            CompactJson.put(compact, "version", CompactJson.text(item, "version"));
            CompactJson.put(compact, "state", upper(CompactJson.text(item, "state")));
            JsonNode connection = item.path("connection");
            if (connection.isObject()) {
                CompactJson.put(compact, "connection", upper(CompactJson.text(connection, "state")));
            }
            if (item.path("uptime").isNumber()) {
                compact.put("uptime_s", Math.round(item.path("uptime").asDouble()));
            }
        }
        return new Components(out, Math.max(ToolSupport.count(answer, "total"), out.size()));
    }

    /** More adapters or applications than any platform runs; asked for so the default page cannot cut them. */
    static final int MAX_COMPONENTS = 1000;

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }
}
