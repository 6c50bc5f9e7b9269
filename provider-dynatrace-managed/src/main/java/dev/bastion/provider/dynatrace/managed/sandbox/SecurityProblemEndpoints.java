package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code /securityProblems}: vulnerabilities, list and details. */
final class SecurityProblemEndpoints {

    private static final List<String> DETAIL_FIELDS = List.of("riskAssessment", "description",
            "remediationDescription", "vulnerableComponents", "affectedEntities");

    private SecurityProblemEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/securityProblems", SecurityProblemEndpoints::list)
                .get("v2/securityProblems/{securityProblemId}", SecurityProblemEndpoints::details);
    }

    private static JsonNode list(ApiCall call) {
        call.requireScope("securityProblems.read");
        long[] frame = call.timeframe("now-30d");
        SandboxSelector selector = call.selector("securityProblemSelector");
        int size = call.pageSize("pageSize", 100, 500);
        Set<String> fields = call.fields();
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode problem : call.data.securityProblems) {
            if (problem.path("lastUpdatedTimestamp").asLong() < frame[0]
                    || problem.path("firstSeenTimestamp").asLong() > frame[1]
                    || !selector.matchesAny("status", problem.path("status").asText())
                    || !selector.matchesAny("riskLevel", problem.path("riskAssessment").path("riskLevel").asText())
                    || !selector.matchesAny("vulnerabilityType", problem.path("vulnerabilityType").asText())) {
                continue;
            }
            if (selector.has("cveId")) {
                boolean cve = false;
                for (JsonNode id : problem.path("cveIds")) {
                    cve |= selector.values("cveId").contains(id.asText());
                }
                if (!cve) {
                    continue;
                }
            }
            matching.add(view(problem, fields));
        }
        String sort = call.query("sort", "-lastUpdatedTimestamp");
        Comparator<ObjectNode> order = switch (sort.replaceFirst("^[+-]", "")) {
            case "riskAssessment.riskScore" -> Comparator.comparingDouble(
                    sp -> call.data.securityProblems.stream()
                            .filter(o -> o.path("securityProblemId").equals(sp.path("securityProblemId")))
                            .findFirst().orElseThrow().path("riskAssessment").path("riskScore").asDouble());
            case "firstSeenTimestamp" -> Comparator.comparingLong(sp -> sp.path("firstSeenTimestamp").asLong());
            case "displayId" -> Comparator.comparingInt(sp -> Integer.parseInt(sp.path("displayId").asText().substring(2)));
            default -> Comparator.comparingLong(sp -> sp.path("lastUpdatedTimestamp").asLong());
        };
        matching.sort(sort.startsWith("-") ? order.reversed() : order);
        return call.page(matching, "securityProblems", size, "nextPageKey");
    }

    private static ObjectNode view(ObjectNode problem, Set<String> fields) {
        ObjectNode view = problem.deepCopy();
        for (String extra : DETAIL_FIELDS) {
            if (!fields.contains(extra)) {
                view.remove(extra);
            }
        }
        return view;
    }

    private static JsonNode details(ApiCall call) {
        call.requireScope("securityProblems.read");
        String id = call.path("securityProblemId");
        return view(ApiCall.find(call.data.securityProblems, "securityProblemId", id,
                "Security problem " + id + " not found"), call.fields());
    }
}
