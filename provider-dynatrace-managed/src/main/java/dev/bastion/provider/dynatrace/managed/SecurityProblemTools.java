package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Application security problems (vulnerabilities). */
final class SecurityProblemTools {

    static final int MAX_SECURITY_PROBLEMS = 100;
    static final String SCOPE = "securityProblems.read";
    private static final List<String> STATUS = List.of("OPEN", "RESOLVED");
    private static final List<String> RISK = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE");
    private static final List<String> TYPES = List.of("CODE_LEVEL", "RUNTIME", "THIRD_PARTY");
    private static final List<String> SORT = List.of("-riskAssessment.riskScore", "+riskAssessment.riskScore",
            "-firstSeenTimestamp", "-lastUpdatedTimestamp", "+displayId");

    private final ToolSupport support;

    SecurityProblemTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(listSecurityProblems(), securityProblemDetails());
    }

    private DynatraceTool listSecurityProblems() {
        ObjectNode schema = InputSchema.builder()
                .enumeration("status", "Only open or only resolved security problems.", STATUS, null)
                .enumeration("risk_level", "Only this Davis risk level.", RISK, null)
                .enumeration("vulnerability_type", "Only this kind of vulnerability.", TYPES, null)
                .pattern("cve_id", "Only problems with this CVE, such as CVE-2025-1767.", "^CVE-[0-9]{4}-[0-9]{1,10}$", 30)
                .time("from", "Only problems updated after this time; default now-30d.", "now-30d")
                .time("to", "End of the timeframe; default now.", null)
                .enumeration("sort", "Sort order; default highest risk first.", SORT, "-riskAssessment.riskScore")
                .integer("limit", "How many to return (at most " + MAX_SECURITY_PROBLEMS + ").", 1,
                        MAX_SECURITY_PROBLEMS, 20)
                .nextPage().build();
        return new DynatraceTool(ToolSupport.read("list_security_problems", "List security problems")
                .description("Lists vulnerabilities found by Dynatrace Application Security: id, display id,"
                        + " title, status, risk level and score, CVEs, technology, vulnerable package, first"
                        + " seen and last update. Use it to see the riskiest open vulnerabilities. Example:"
                        + " {\"status\":\"OPEN\",\"risk_level\":\"CRITICAL\"}. At most " + MAX_SECURITY_PROBLEMS
                        + " per call; pass next_page for more.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["security_problems"],"properties":{
                          "security_problems":{"type":"array","items":{"type":"object","required":["id"],
                            "properties":{"id":{"type":"string"},"display_id":{"type":"string"},
                              "title":{"type":"string"},"status":{"type":"string"},"risk_level":{"type":"string"},
                              "risk_score":{"type":"number"},"type":{"type":"string"},
                              "technology":{"type":"string"},"package":{"type":"string"},
                              "cves":{"type":"array","items":{"type":"string"}},"muted":{"type":"boolean"},
                              "first_seen":{"type":"string"},"last_updated":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("security", "read").fanOut().build(), SCOPE, args -> {
                    JsonNode response = ToolSupport.page(support.client.get("securityProblems"), "nextPageKey",
                            args.optText("next_page"), request -> request
                                    .query("securityProblemSelector", Selector.builder()
                                            .condition("status", args.selectorValue("status"))
                                            .condition("riskLevel", args.selectorValue("risk_level"))
                                            .condition("vulnerabilityType", args.selectorValue("vulnerability_type"))
                                            .condition("cveId", args.selectorValue("cve_id")).build())
                                    .query("from", args.optText("from", "now-30d"))
                                    .query("to", args.optText("to"))
                                    .query("sort", args.optText("sort", "-riskAssessment.riskScore"))
                                    .query("fields", "+riskAssessment")
                                    .query("pageSize", args.limit("limit", 20, MAX_SECURITY_PROBLEMS)))
                            .execute();
                    ObjectNode out = support.object();
                    ArrayNode problems = out.putArray("security_problems");
                    for (JsonNode problem : response.path("securityProblems")) {
                        problems.add(summary(problem));
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private ObjectNode summary(JsonNode problem) {
        ObjectNode p = support.object();
        p.put("id", problem.path("securityProblemId").asText());
        ToolSupport.putText(p, "display_id", problem.path("displayId"));
        ToolSupport.putText(p, "title", problem.path("title"));
        ToolSupport.putText(p, "status", problem.path("status"));
        ToolSupport.putText(p, "risk_level", problem.path("riskAssessment").path("riskLevel"));
        ToolSupport.putNumber(p, "risk_score", problem.path("riskAssessment").path("riskScore"));
        ToolSupport.putText(p, "type", problem.path("vulnerabilityType"));
        ToolSupport.putText(p, "technology", problem.path("technology"));
        ToolSupport.putText(p, "package", problem.path("packageName"));
        ArrayNode cves = support.json.createArrayNode();
        problem.path("cveIds").forEach(cves::add);
        ToolSupport.putArray(p, "cves", cves);
        if (problem.path("muted").asBoolean(false)) {
            p.put("muted", true);
        }
        ToolSupport.putText(p, "first_seen", ToolSupport.time(problem.path("firstSeenTimestamp")));
        ToolSupport.putText(p, "last_updated", ToolSupport.time(problem.path("lastUpdatedTimestamp")));
        return p;
    }

    private DynatraceTool securityProblemDetails() {
        ObjectNode schema = InputSchema.builder()
                .pattern("security_problem_id", "The id from dynatrace_managed_list_security_problems, such as"
                        + " 10965700244432082338.", "^[A-Za-z0-9_\\-]{1,100}$", 100)
                .required("security_problem_id").build();
        return new DynatraceTool(ToolSupport.read("get_security_problem_details", "Get security problem details")
                .description("Returns one vulnerability with its risk assessment (level, score, exposure,"
                        + " public exploit, data assets), description, remediation advice, vulnerable"
                        + " components and affected entities. Use it after"
                        + " dynatrace_managed_list_security_problems to judge urgency and the fix."
                        + " Example: {\"security_problem_id\":\"10965700244432082338\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["id"],"properties":{
                          "id":{"type":"string"},"display_id":{"type":"string"},"title":{"type":"string"},
                          "status":{"type":"string"},"risk_level":{"type":"string"},"risk_score":{"type":"number"},
                          "exposure":{"type":"string"},"public_exploit":{"type":"string"},
                          "data_assets":{"type":"string"},"type":{"type":"string"},"technology":{"type":"string"},
                          "package":{"type":"string"},"cves":{"type":"array","items":{"type":"string"}},
                          "muted":{"type":"boolean"},"first_seen":{"type":"string"},"last_updated":{"type":"string"},
                          "description":{"type":"string"},"remediation":{"type":"string"},
                          "vulnerable_components":{"type":"array","items":{"type":"string"}},
                          "affected_entities":{"type":"array","items":{"type":"string"}},
                          "url":{"type":"string"}}}"""))
                .tags("security", "read").build(), SCOPE, args -> {
                    String id = args.id("security_problem_id");
                    JsonNode problem = support.client.get("securityProblems", id)
                            .query("fields", "+riskAssessment,+description,+remediationDescription,"
                                    + "+vulnerableComponents,+affectedEntities")
                            .notFound("Security problem " + id).execute();
                    ObjectNode out = summary(problem);
                    JsonNode risk = problem.path("riskAssessment");
                    ToolSupport.putText(out, "exposure", risk.path("exposure"));
                    ToolSupport.putText(out, "public_exploit", risk.path("publicExploit"));
                    ToolSupport.putText(out, "data_assets", risk.path("dataAssets"));
                    ToolSupport.putText(out, "description", ToolSupport.clip(problem.path("description").asText(""), 2000));
                    ToolSupport.putText(out, "remediation",
                            ToolSupport.clip(problem.path("remediationDescription").asText(""), 2000));
                    ArrayNode components = support.json.createArrayNode();
                    for (JsonNode component : problem.path("vulnerableComponents")) {
                        String name = component.path("displayName").asText(component.path("fileName").asText(""));
                        if (!name.isEmpty() && components.size() < 50) {
                            components.add(name);
                        }
                    }
                    ToolSupport.putArray(out, "vulnerable_components", components);
                    ArrayNode affected = support.json.createArrayNode();
                    for (JsonNode entity : problem.path("affectedEntities")) {
                        if (affected.size() < 50) {
                            affected.add(entity.isTextual() ? entity.asText() : entity.path("id").asText());
                        }
                    }
                    ToolSupport.putArray(out, "affected_entities", affected);
                    ToolSupport.putText(out, "url", problem.path("url"));
                    return support.structured(out);
                });
    }
}
