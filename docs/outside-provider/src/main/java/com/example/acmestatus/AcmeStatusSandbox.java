package com.example.acmestatus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.toolkit.http.BackendSettings;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import dev.bastion.toolkit.sandbox.PageKeys;
import dev.bastion.toolkit.sandbox.RequestLog;
import dev.bastion.toolkit.sandbox.SandboxAuth;
import dev.bastion.toolkit.sandbox.SandboxCredentials;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback simulator of the Acme Status API endpoints the provider uses, on the toolkit's
 * {@link SandboxServer}: an {@code X-Api-Key} check, signed {@code nextPageKey} paging, and every
 * error (401, 400, 404, 405) in the API's envelope {@code {"error":{"code":..,"message":..}}}.
 */
final class AcmeStatusSandbox implements Sandbox, RequestLog {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String COMPONENTS = "/api/v1/components";

    private static final List<ObjectNode> ALL_COMPONENTS = List.of(
            component("api-gateway", "API gateway", "operational", "edge", 99.98),
            component("web", "Web front end", "operational", "edge", 99.95),
            component("payments", "Payments", "degraded", "core", 99.41),
            component("search", "Search", "operational", "core", 99.90),
            component("db-primary", "Primary database", "operational", "data", 99.99),
            component("queue", "Message queue", "outage", "data", 98.70));

    private final String apiKey = "acme_" + SandboxCredentials.random(SandboxCredentials.HEX, 40);
    private final PageKeys pageKeys = PageKeys.create();
    private final SandboxServer server;

    private AcmeStatusSandbox() {
        this.server = SandboxServer.builder("Acme Status", error -> SandboxResponse.json(error.status(),
                        error(error.status(), error.parameter().map(name -> name + " ").orElse("") + error.getMessage())))
                .auth(SandboxAuth.header(AcmeStatusProviderFactory.API_KEY_HEADER, "", apiKey, refusal ->
                        SandboxResponse.json(401, error(401, "Missing or invalid API key"))))
                .secret(apiKey)
                .route("GET", COMPONENTS, this::components)
                .route("GET", COMPONENTS + "/{id}", AcmeStatusSandbox::component)
                .route("GET", "/api/v1/incidents", AcmeStatusSandbox::incidents)
                .threads(4)
                .start();
    }

    static AcmeStatusSandbox start() {
        return new AcmeStatusSandbox();
    }

    @Override
    public List<Map<String, Object>> instances() {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("alias", "sandbox");
        instance.put(BackendSettings.URL, server.url().toString());
        instance.put(AcmeStatusProviderFactory.API_KEY, apiKey);
        instance.put(BackendSettings.ALLOW_INSECURE_LOOPBACK, true);
        return List.of(instance);
    }

    @Override
    public List<LoggedRequest> requests() {
        return server.requests();
    }

    @Override
    public void close() {
        server.close();
    }

    private SandboxResponse components(SandboxRequest request) {
        Map<String, String> query;
        int offset = 0;
        if (request.queryParameter("page_key").isPresent()) {
            PageKeys.Page page = pageKeys.decode("page_key", COMPONENTS, request.queryParameter("page_key").get());
            query = page.query();
            offset = page.offset();
        } else {
            query = Map.of("page_size", request.queryParameter("page_size").orElse("20"));
        }
        int size = pageSize(query.get("page_size"));
        ObjectNode page = F.objectNode();
        ArrayNode items = page.putArray("components");
        ALL_COMPONENTS.stream().skip(offset).limit(size).forEach(items::add);
        if (offset + size < ALL_COMPONENTS.size()) {
            page.put("nextPageKey", pageKeys.encode(COMPONENTS, query, offset + size));
        }
        return SandboxResponse.json(page);
    }

    private static SandboxResponse component(SandboxRequest request) {
        String id = request.pathParameter("id");
        return ALL_COMPONENTS.stream().filter(c -> c.path("id").asText().equals(id)).findFirst()
                .map(SandboxResponse::json)
                .orElseThrow(() -> SandboxError.notFound("Component " + id + " does not exist"));
    }

    private static SandboxResponse incidents(SandboxRequest request) {
        String status = request.queryParameter("status").orElse("open");
        if (!List.of("open", "resolved", "all").contains(status)) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "status", "must be open, resolved or all");
        }
        ObjectNode page = F.objectNode();
        ArrayNode items = page.putArray("incidents");
        if (!status.equals("resolved")) {
            items.add(incident("inc-1042", "Message queue unavailable", "open", "major", "queue",
                    "2026-12-04T02:10:00Z", null));
            items.add(incident("inc-1041", "Slow card payments", "open", "minor", "payments",
                    "2026-12-04T01:35:00Z", null));
        }
        if (!status.equals("open")) {
            items.add(incident("inc-1038", "Search results delayed", "resolved", "minor", "search",
                    "2026-12-02T09:00:00Z", "2026-12-02T09:47:00Z"));
        }
        return SandboxResponse.json(page);
    }

    private static int pageSize(String text) {
        try {
            int size = Integer.parseInt(text);
            if (size >= 1 && size <= 50) {
                return size;
            }
        } catch (NumberFormatException e) {
            // refused below, in the API's words
        }
        throw SandboxError.badParameter(SandboxError.Location.QUERY, "page_size", "must be between 1 and 50");
    }

    private static ObjectNode component(String id, String name, String status, String group, double uptime) {
        ObjectNode node = F.objectNode();
        node.put("id", id).put("name", name).put("status", status).put("group", group)
                .put("description", name + " of the Acme platform").put("uptime30d", uptime);
        return node;
    }

    private static ObjectNode incident(String id, String title, String status, String impact, String component,
                                       String started, String resolved) {
        ObjectNode node = F.objectNode();
        node.put("id", id).put("title", title).put("status", status).put("impact", impact).put("started", started);
        node.putArray("components").add(component);
        if (resolved != null) {
            node.put("resolved", resolved);
        }
        return node;
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode node = F.objectNode();
        node.putObject("error").put("code", code).put("message", message);
        return node;
    }
}
