package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.CallContext;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks the configured token up ({@code POST /api/v2/apiTokens/lookup}, which needs no scope) and
 * compares its scopes with those the tools need. The result names each missing scope with the
 * tools it breaks, and never the token.
 */
final class TokenScopeCheck {

    /**
     * @param tokenName the token's name in Dynatrace, for the operator
     * @param missingRead messages for scopes that read-only tools need
     * @param missingWrite messages for scopes that only write tools need, and for DataExport, without
     *     which environment info merely lacks the cluster version
     */
    record Result(String tokenName, List<String> missingRead, List<String> missingWrite) {
        Result {
            missingRead = List.copyOf(missingRead);
            missingWrite = List.copyOf(missingWrite);
        }

        List<String> all() {
            List<String> out = new ArrayList<>(missingRead);
            out.addAll(missingWrite);
            return out;
        }
    }

    private final DynatraceManagedClient client;
    private final Secret token;
    private final List<ToolSpec> tools;

    TokenScopeCheck(DynatraceManagedClient client, Secret token, List<ToolSpec> tools) {
        this.client = requireNonNull(client, "client is null");
        this.token = requireNonNull(token, "token is null");
        this.tools = List.copyOf(tools);
    }

    Result run(CallContext context) {
        ObjectNode body = client.json().createObjectNode();
        body.put("token", token.reveal());
        JsonNode info = client.post(body, "apiTokens", "lookup").idempotent().send(context);
        Set<String> granted = new HashSet<>();
        info.path("scopes").forEach(scope -> granted.add(scope.asText()));
        Map<String, List<String>> readNeeds = new LinkedHashMap<>();
        Map<String, List<String>> writeNeeds = new LinkedHashMap<>();
        List<String> degraded = new ArrayList<>();
        for (ToolSpec tool : tools) {
            String scope = ToolSupport.scopeOf(tool);
            if (scope.equals(EnvironmentTools.SCOPE) && !granted.contains(scope)) {
                degraded.add("token lacks " + scope + ": " + tool.descriptor().name()
                        + " will not show the cluster version");
            } else if (!granted.contains(scope)) {
                Map<String, List<String>> needs = tool.descriptor().readOnly() ? readNeeds : writeNeeds;
                needs.computeIfAbsent(scope, s -> new ArrayList<>()).add(tool.descriptor().name());
            }
        }
        List<String> optional = messages(writeNeeds);
        optional.addAll(degraded);
        return new Result(info.path("name").asText(""), messages(readNeeds), optional);
    }

    private static List<String> messages(Map<String, List<String>> needs) {
        List<String> out = new ArrayList<>();
        needs.forEach((scope, names) -> out.add("token lacks " + scope + ": " + String.join(", ", names)
                + " will fail"));
        return out;
    }
}
