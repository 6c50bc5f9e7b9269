package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.InvalidArgument;
import dev.bastion.toolkit.tool.ToolSpec;
import dev.bastion.toolkit.http.BackendFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What the environment is: alias, id, URLs, cluster version. */
final class EnvironmentTools {

    static final String SCOPE = "DataExport";

    private final ToolSupport support;
    private final ManagedSettings settings;

    EnvironmentTools(ToolSupport support, ManagedSettings settings) {
        this.support = support;
        this.settings = settings;
    }

    List<ToolSpec> tools() {
        return List.of(environmentsInfo());
    }

    private ToolSpec environmentsInfo() {
        return ToolSupport.read("get_environments_info", "Get environment info", SCOPE)
                .description("Returns the configured Dynatrace Managed environment: its alias (the value of"
                        + " the environment argument of every tool), environment id, API URL, web UI URL when"
                        + " configured, and the cluster version. Call it first to learn which environments"
                        + " exist; with environment ALL it lists every configured one. Takes no arguments.")
                .output("""
                        {"type":"object","required":["environment","environment_id","api_url"],"properties":{
                          "environment":{"type":"string"},"environment_id":{"type":"string"},
                          "api_url":{"type":"string"},"ui_url":{"type":"string"},
                          "cluster_version":{"type":"string"},"cluster_version_unavailable":{"type":"string"}}}""")
                .tags("environment").fanOut()
                .handler((args, context) -> {
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("environment", settings.alias());
                    out.put("environment_id", settings.environmentId());
                    out.put("api_url", support.client.apiV2().toString());
                    if (settings.uiUrl() != null) {
                        out.put("ui_url", settings.uiUrl().toString());
                    }
                    try {
                        JsonNode version = support.client.getV1("config", "clusterversion").send(context);
                        CompactJson.put(out, "cluster_version", version.path("version"));
                    } catch (BackendFailure e) {
                        if (e.kind() != BackendFailure.Kind.FORBIDDEN) {
                            throw e;
                        }
                        // The version is a nice-to-have; a token without DataExport still gets the rest.
                        out.put("cluster_version_unavailable", "the API token lacks the DataExport scope");
                    }
                    return ToolResult.structured(out);
                }).build();
    }
}
