package com.example.acmestatus;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.JsonBackend;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.Arguments;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.Cursor;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.List;
import java.util.Optional;

/** The Acme Status tools: each argument declared once, each tool read-only with an output schema. */
final class AcmeStatusProvider implements Provider {

    private static final int MAX_TEXT = 500;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final Arg<Integer> PAGE_SIZE = Arg.integer("page_size", "How many components one page holds", 1, 50)
            .withDefault(20);
    static final Arg<String> NEXT_PAGE = Cursor.arg("The cursor already encodes the original query, so the"
            + " other arguments are ignored when it is given.");
    static final Arg<String> COMPONENT = Arg.pattern("component", "Component id as listed by"
            + " acme_status_list_components, e.g. api-gateway", "^[a-z0-9][a-z0-9-]{0,39}$", 40).required();
    static final Arg<String> STATUS = Arg.enumeration("status", "Which incidents: open, resolved or all",
            List.of("open", "resolved", "all")).withDefault("open");

    private static final String COMPONENT_SCHEMA = """
            {"type": "object",
             "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "status": {"type": "string"},
               "group": {"type": "string"}, "description": {"type": "string"}, "uptime30d": {"type": "number"}},
             "required": ["id", "name", "status"]}""";

    private final JsonBackend backend;
    private final List<Tool> tools;

    AcmeStatusProvider(JsonBackend backend) {
        this.backend = requireNonNull(backend, "backend is null");
        this.tools = List.of(
                ToolSpec.read("acme_status_list_components", "List Acme components")
                        .description("Lists the monitored components with their current status (operational,"
                                + " degraded, outage), one page at a time. Pass next_page back to get the next"
                                + " page. Example: {\"page_size\": 10}.")
                        .args(PAGE_SIZE, NEXT_PAGE)
                        .output("{\"type\": \"object\", \"properties\": {\"components\": {\"type\": \"array\","
                                + " \"items\": " + COMPONENT_SCHEMA + "}, \"next_page\": {\"type\": \"string\"}},"
                                + " \"required\": [\"components\"]}")
                        .tags("components")
                        .handler(this::listComponents)
                        .build(),
                ToolSpec.read("acme_status_get_component", "Get one Acme component")
                        .description("Returns one component with its description and 30-day uptime. Use it after"
                                + " acme_status_list_components. Example: {\"component\": \"api-gateway\"}.")
                        .args(COMPONENT)
                        .output(COMPONENT_SCHEMA)
                        .tags("components")
                        .handler(this::getComponent)
                        .build(),
                ToolSpec.read("acme_status_list_incidents", "List Acme incidents")
                        .description("Lists incidents with their impact, the components they affect and when they"
                                + " started and were resolved. Use it to answer what is broken now. Example:"
                                + " {\"status\": \"open\"}.")
                        .args(STATUS)
                        .output("""
                                {"type": "object", "properties": {"incidents": {"type": "array", "items":
                                  {"type": "object", "properties": {"id": {"type": "string"},
                                    "title": {"type": "string"}, "status": {"type": "string"},
                                    "impact": {"type": "string"}, "components": {"type": "array"},
                                    "started": {"type": "string"}, "resolved": {"type": "string"}},
                                   "required": ["id", "title", "status"]}}},
                                 "required": ["incidents"]}""")
                        .tags("incidents")
                        .handler(this::listIncidents)
                        .build());
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public HealthStatus health(CallContext call) {
        try {
            backend.get("api", "v1", "components").query("page_size", 1).send(call);
            return HealthStatus.up(backend.label() + " answered");
        } catch (BackendFailure e) {
            return HealthStatus.down(e.getMessage());
        }
    }

    private ToolResult listComponents(Arguments args, CallContext context) {
        BackendRequest request = backend.get("api", "v1", "components");
        Optional<String> pageKey = Cursor.pageKey(args, NEXT_PAGE);
        if (pageKey.isPresent()) {
            // The backend's page key carries the page size of the first request.
            request.query("page_key", pageKey.get());
        } else {
            request.query("page_size", args.get(PAGE_SIZE));
        }
        JsonNode page = request.send(context);
        ObjectNode result = F.objectNode();
        ArrayNode components = result.putArray("components");
        page.path("components").forEach(component -> components.add(component(component)));
        if (page.path("nextPageKey").isTextual()) {
            result.put("next_page", Cursor.next(args, page.path("nextPageKey").asText()));
        }
        return ToolResult.structured(result);
    }

    private ToolResult getComponent(Arguments args, CallContext context) {
        String id = args.get(COMPONENT);
        return ToolResult.structured(component(backend.get("api", "v1", "components", id)
                .notFound("Component " + id).send(context)));
    }

    private ToolResult listIncidents(Arguments args, CallContext context) {
        JsonNode page = backend.get("api", "v1", "incidents").query("status", args.get(STATUS)).send(context);
        ObjectNode result = F.objectNode();
        ArrayNode incidents = result.putArray("incidents");
        for (JsonNode incident : page.path("incidents")) {
            incidents.add(CompactJson.compact(incident, MAX_TEXT));
        }
        return ToolResult.structured(result);
    }

    private static ObjectNode component(JsonNode raw) {
        ObjectNode out = F.objectNode();
        out.put("id", raw.path("id").asText());
        out.put("name", raw.path("name").asText());
        out.put("status", raw.path("status").asText());
        CompactJson.put(out, "group", raw.path("group").asText(null));
        CompactJson.put(out, "description", CompactJson.clip(raw.path("description").asText(null), MAX_TEXT));
        CompactJson.putNumber(out, "uptime30d", raw.path("uptime30d"));
        return out;
    }
}
