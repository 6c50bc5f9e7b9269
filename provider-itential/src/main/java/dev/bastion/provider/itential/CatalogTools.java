package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.OffsetPaging;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.List;

/** What the platform integrates with: integration models and Automation Gateway services. */
final class CatalogTools {

    static final int MAX_MODELS = 5000;

    private final ToolSupport support;

    CatalogTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(integrationModels(), gatewayServices());
    }

    /**
     * Every integration model: without a {@code limit} the platform answers 25 and nothing says more
     * exist (itential-mcp#386), so pages of 100 are read until {@code total}.
     */
    private ToolSpec integrationModels() {
        return ToolSupport.read("list_integration_models", "List integration models", "GET /integration-models")
                .description("Lists every integration model (the OpenAPI-described systems the platform can call),"
                        + " with its version id and description. All pages are read, up to " + MAX_MODELS
                        + "; 'truncated' says when that stopped the reading.")
                .output("""
                        {"type":"object","required":["models","count","total"],"properties":{
                          "models":{"type":"array","items":{"type":"object","required":["version_id"],"properties":{
                            "model":{"type":"string"},"version_id":{"type":"string"},"description":{"type":"string"}}}},
                          "count":{"type":"integer"},"total":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("integrations").fanOut()
                .handler((args, context) -> {
                    OffsetPaging.Result result = OffsetPaging.readAll(ToolSupport.PAGE_LIMIT, MAX_MODELS,
                            (offset, limit) -> {
                                JsonNode page = support.client.send(support.client.get("integration-models")
                                        .query("limit", limit).query("skip", offset), context);
                                return OffsetPaging.Page.of(page.path("integrationModels"),
                                        ToolSupport.count(page, "total"));
                            });
                    ObjectNode out = ToolSupport.object();
                    ArrayNode models = out.putArray("models");
                    for (JsonNode model : result.items()) {
                        ObjectNode item = models.addObject();
                        CompactJson.put(item, "model", CompactJson.text(model, "model"));
                        item.put("version_id", model.path("versionId").asText());
                        CompactJson.put(item, "description", CompactJson.text(model, "description"));
                    }
                    out.put("count", models.size());
                    out.put("total", result.total());
                    if (result.truncated()) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec gatewayServices() {
        return ToolSupport.read("list_gateway_services", "List gateway services", "GET /gateway_manager/v1/services")
                .description("Lists the Automation Gateway services (Ansible playbooks, Python scripts, OpenTofu"
                        + " plans) the platform can run, with the cluster each runs on and whether it declares"
                        + " inputs.")
                .output("""
                        {"type":"object","required":["services","count"],"properties":{
                          "services":{"type":"array","items":{"type":"object","required":["name"],"properties":{
                            "name":{"type":"string"},"cluster":{"type":"string"},"type":{"type":"string"},
                            "description":{"type":"string"},"inputs":{"type":"object"}}}},
                          "count":{"type":"integer"}}}""")
                .tags("gateway_manager").fanOut()
                .handler((args, context) -> {
                    JsonNode answer = support.client.send(support.client.get("gateway_manager", "v1", "services"),
                            context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode services = out.putArray("services");
                    for (JsonNode service : answer.path("result")) {
                        JsonNode metadata = service.path("service_metadata");
                        ObjectNode item = services.addObject();
                        item.put("name", metadata.path("name").asText("?"));
                        CompactJson.put(item, "cluster", CompactJson.text(metadata, "location"));
                        CompactJson.put(item, "type", CompactJson.text(metadata, "type"));
                        CompactJson.put(item, "description", CompactJson.text(metadata, "description"));
                        if (metadata.path("decorator").isObject() && !metadata.path("decorator").isEmpty()) {
                            item.set("inputs", metadata.path("decorator"));
                        }
                    }
                    out.put("count", services.size());
                    return ToolResult.structured(out);
                }).build();
    }
}
