package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** {@code /slo}: service-level objectives, list (evaluated on request) and details. */
final class SloEndpoints {

    private SloEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/slo", SloEndpoints::list)
                .get("v2/slo/{sloId}", SloEndpoints::details);
    }

    private static JsonNode list(ApiCall call) {
        call.requireScope("slo.read");
        SandboxSelector selector = call.selector("sloSelector");
        int size = call.pageSize("pageSize", 10, 10_000);
        String enabled = call.query("enabledSlos", "true");
        boolean evaluate = Boolean.parseBoolean(call.query("evaluate", "false"));
        if (call.query("timeFrame", "CURRENT").equals("GTF") && (call.query("from") == null || call.query("to") == null)) {
            throw ApiCall.badQuery("from", "from and to are required when timeFrame is GTF");
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode slo : call.data.slos) {
            boolean isEnabled = slo.path("enabled").asBoolean();
            if ((enabled.equals("true") && !isEnabled) || (enabled.equals("false") && isEnabled)) {
                continue;
            }
            boolean text = true;
            for (String value : selector.values("text")) {
                text &= SandboxSelector.containsIgnoreCase(slo.path("name").asText(), value);
            }
            String health = slo.path("status").asText().equals("FAILURE") ? "UNHEALTHY" : "HEALTHY";
            if (!text || !selector.matchesAny("healthState", health)
                    || !selector.matchesAny("name", slo.path("name").asText())) {
                continue;
            }
            ObjectNode view = slo.deepCopy();
            if (!evaluate) {
                view.put("evaluatedPercentage", -1);
                view.put("errorBudget", -1);
                view.put("status", "NONE");
            }
            matching.add(view);
        }
        return call.page(matching, "slo", size, "nextPageKey");
    }

    private static JsonNode details(ApiCall call) {
        call.requireScope("slo.read");
        String id = call.path("sloId");
        return ApiCall.find(call.data.slos, "id", id, "SLO " + id + " not found").deepCopy();
    }
}
