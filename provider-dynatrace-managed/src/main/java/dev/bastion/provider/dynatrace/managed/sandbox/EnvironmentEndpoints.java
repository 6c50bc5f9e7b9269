package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import java.time.Instant;
import java.util.Locale;

/** The environment itself: the cluster version (API v1) and looking up the calling token. */
final class EnvironmentEndpoints {

    static final String CLUSTER_VERSION = "1.328.54.20251118-123456";

    private EnvironmentEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v1/config/clusterversion", EnvironmentEndpoints::clusterVersion)
                .post("v2/apiTokens/lookup", 200, EnvironmentEndpoints::lookupToken);
    }

    private static JsonNode clusterVersion(ApiCall call) {
        call.requireScope("DataExport");
        ObjectNode out = call.json.createObjectNode();
        out.put("version", CLUSTER_VERSION);
        return out;
    }

    private static JsonNode lookupToken(ApiCall call) {
        String presented = call.body().path("token").asText("");
        if (presented.isBlank()) {
            throw ApiCall.badBody("token", "must not be blank");
        }
        String token = call.environment.token();
        if (!presented.equals(token)) {
            throw SandboxError.notFound("Token not found");
        }
        ObjectNode out = call.json.createObjectNode();
        String[] parts = token.split("\\.");
        out.put("id", parts[0] + "." + parts[1]);
        out.put("name", "sandbox-" + call.environment.alias().toLowerCase(Locale.ROOT));
        out.put("enabled", true);
        out.put("personalAccessToken", false);
        out.put("owner", "sandbox");
        out.put("creationDate", Instant.ofEpochMilli(call.data.now).toString());
        ArrayNode granted = out.putArray("scopes");
        call.environment.scopes.forEach(granted::add);
        return out;
    }
}
