package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The integration models ({@code GET /integration-models?limit=&skip=}), {@value #MODELS} of them
 * ordered by {@code versionId} ({@code <title>:<version>}). Without {@code limit} a page holds
 * {@value #DEFAULT_LIMIT}, as the platform's does (the cause of itential-mcp#386); a limit above
 * {@value #MAX_LIMIT} is a 400. {@code total} counts every model.
 */
final class IntegrationModelEndpoints {

    static final int MODELS = 130;
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] TITLES = {"ServiceNow Table API", "NetBox", "Infoblox WAPI", "Cisco DNA Center",
        "Cisco Meraki Dashboard", "Palo Alto PAN-OS", "Fortinet FortiManager", "F5 BIG-IP iControl",
        "Arista CloudVision", "Juniper Apstra", "VMware NSX-T", "AWS EC2", "Azure Resource Manager",
        "Google Compute Engine", "Jira Cloud", "PagerDuty Events", "Slack Web API", "Microsoft Teams Graph",
        "Splunk HEC", "Elasticsearch", "GitLab", "GitHub REST", "HashiCorp Vault", "Okta Management",
        "SolarWinds Orion", "Zabbix JSON-RPC"};
    private static final String[] VERSIONS = {"1.0.0", "1.1.0", "2.0.0", "2.1.3", "3.0.0"};

    private final List<ObjectNode> models;

    IntegrationModelEndpoints(ItentialSandboxData data) {
        List<ObjectNode> out = new ArrayList<>();
        for (String title : TITLES) {
            String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            String host = slug + ".example.net";
            boolean tls = data.nextInt(5) != 0;
            for (String version : VERSIONS) {
                ObjectNode model = NODES.objectNode();
                model.put("model", title);
                model.put("versionId", title + ":" + version);
                model.put("description", "OpenAPI model of the " + title + ", version " + version);
                ObjectNode properties = model.putObject("properties");
                properties.putObject("authentication").put("type", data.nextInt(2) == 0 ? "basic" : "bearer");
                properties.putObject("server").put("protocol", tls ? "https" : "http").put("host", host)
                        .put("base_path", "/api/v" + version.charAt(0));
                properties.putObject("tls").put("enabled", tls).put("rejectUnauthorized", tls);
                properties.put("version", version);
                out.add(model);
            }
        }
        out.sort(Comparator.comparing(model -> model.path("versionId").asText()));
        this.models = List.copyOf(out);
    }

    void register(SandboxServer.Builder builder) {
        builder.route("GET", "/integration-models", this::list);
    }

    private SandboxResponse list(SandboxRequest request) {
        int limit = integer(request, "limit", DEFAULT_LIMIT);
        int skip = integer(request, "skip", 0);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (skip < 0) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "skip", "must not be negative");
        }
        ObjectNode out = NODES.objectNode();
        ArrayNode page = out.putArray("integrationModels");
        models.subList(Math.min(skip, models.size()), Math.min(skip + limit, models.size()))
                .forEach(model -> page.add(model.deepCopy()));
        out.put("total", models.size());
        return SandboxResponse.json(out);
    }

    private static int integer(SandboxRequest request, String parameter, int fallback) {
        String text = request.queryParameter(parameter).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, parameter, "must be an integer");
        }
    }
}
