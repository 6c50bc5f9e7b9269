package dev.bastion.provider.dynatrace.managed;

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

    List<DynatraceTool> tools() {
        return List.of(environmentsInfo());
    }

    private DynatraceTool environmentsInfo() {
        return new DynatraceTool(ToolSupport.read("get_environments_info", "Get environment info")
                .description("Returns the configured Dynatrace Managed environment: its alias (the value of"
                        + " the environment argument of every tool), environment id, API URL, web UI URL when"
                        + " configured, and the cluster version. Call it first to learn which environments"
                        + " exist; with environment ALL it lists every configured one. Takes no arguments.")
                .outputSchema(support.schema("""
                        {"type":"object","required":["environment","environment_id","api_url"],"properties":{
                          "environment":{"type":"string"},"environment_id":{"type":"string"},
                          "api_url":{"type":"string"},"ui_url":{"type":"string"},
                          "cluster_version":{"type":"string"},"cluster_version_unavailable":{"type":"string"}}}"""))
                .tags("environment", "read").fanOut().build(), SCOPE, args -> {
                    ObjectNode out = support.object();
                    out.put("environment", settings.alias());
                    out.put("environment_id", settings.environmentId());
                    out.put("api_url", support.client.apiV2().toString());
                    if (settings.uiUrl() != null) {
                        out.put("ui_url", settings.uiUrl().toString());
                    }
                    try {
                        JsonNode version = support.client.getV1("config", "clusterversion").execute();
                        ToolSupport.putText(out, "cluster_version", version.path("version"));
                    } catch (DynatraceApiException e) {
                        if (e.kind() != DynatraceApiException.Kind.FORBIDDEN) {
                            throw e;
                        }
                        // The version is a nice-to-have; a token without DataExport still gets the rest.
                        out.put("cluster_version_unavailable", "the API token lacks the DataExport scope");
                    }
                    return support.structured(out);
                });
    }
}
