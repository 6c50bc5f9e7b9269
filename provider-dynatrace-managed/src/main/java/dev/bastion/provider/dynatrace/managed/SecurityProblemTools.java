package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.InvalidArgument;
import dev.bastion.toolkit.tool.ToolSpec;

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

    private static final Arg<String> STATUS_ARG = Arg.enumeration("status",
            "Only open or only resolved security problems.", STATUS);
    private static final Arg<String> RISK_ARG = Arg.enumeration("risk_level", "Only this Davis risk level.", RISK);
    private static final Arg<String> TYPE_ARG = Arg.enumeration("vulnerability_type", "Only this kind of vulnerability.",
            TYPES);
    private static final Arg<String> CVE = Arg.pattern("cve_id", "Only problems with this CVE, such as CVE-2025-1767.",
            "^CVE-[0-9]{4}-[0-9]{1,10}$", 30);
    private static final Arg<String> FROM = ToolSupport.time("from",
            "Only problems updated after this time; default now-30d.").withDefault("now-30d");
    private static final Arg<String> SORT_ARG = Arg.enumeration("sort", "Sort order; default highest risk first.", SORT)
            .withDefault("-riskAssessment.riskScore");
    private static final Arg<Integer> LIMIT = Arg.integer("limit",
            "How many to return (at most " + MAX_SECURITY_PROBLEMS + ").", 1, MAX_SECURITY_PROBLEMS).withDefault(20);
    private static final Arg<String> ID = Arg.pattern("security_problem_id", "The id from"
            + " dynatrace_managed_list_security_problems, such as 10965700244432082338.", "^[A-Za-z0-9_\\-]{1,100}$",
            100).required();

    private final ToolSupport support;

    SecurityProblemTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listSecurityProblems(), securityProblemDetails());
    }

    private ToolSpec listSecurityProblems() {
        return ToolSupport.read("list_security_problems", "List security problems", SCOPE)
                .description("Lists vulnerabilities found by Dynatrace Application Security: id, display id,"
                        + " title, status, risk level and score, CVEs, technology, vulnerable package, first"
                        + " seen and last update. Use it to see the riskiest open vulnerabilities. Example:"
                        + " {\"status\":\"OPEN\",\"risk_level\":\"CRITICAL\"}. At most " + MAX_SECURITY_PROBLEMS
                        + " per call; pass next_page for more.")
                .output("""
                        {"type":"object","required":["security_problems"],"properties":{
                          "security_problems":{"type":"array","items":{"type":"object","required":["id"],
                            "properties":{"id":{"type":"string"},"display_id":{"type":"string"},
                              "title":{"type":"string"},"status":{"type":"string"},"risk_level":{"type":"string"},
                              "risk_score":{"type":"number"},"type":{"type":"string"},
                              "technology":{"type":"string"},"package":{"type":"string"},
                              "cves":{"type":"array","items":{"type":"string"}},"muted":{"type":"boolean"},
                              "first_seen":{"type":"string"},"last_updated":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .args(STATUS_ARG, RISK_ARG, TYPE_ARG, CVE, FROM, ToolSupport.TO, SORT_ARG, LIMIT, ToolSupport.NEXT_PAGE)
                .tags("security").fanOut()
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("securityProblems"), args, request -> request
                                    .query("securityProblemSelector", Selector.builder()
                                            .condition("status", args.get(STATUS_ARG))
                                            .condition("riskLevel", args.get(RISK_ARG))
                                            .condition("vulnerabilityType", args.get(TYPE_ARG))
                                            .condition("cveId", args.get(CVE)).build())
                                    .query("from", args.get(FROM))
                                    .query("to", args.get(ToolSupport.TO))
                                    .query("sort", args.get(SORT_ARG))
                                    .query("fields", "+riskAssessment")
                                    .query("pageSize", args.get(LIMIT)))
                            .send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode problems = out.putArray("security_problems");
                    for (JsonNode problem : response.path("securityProblems")) {
                        problems.add(summary(problem));
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ObjectNode summary(JsonNode problem) {
        ObjectNode p = ToolSupport.NODES.objectNode();
        p.put("id", problem.path("securityProblemId").asText());
        CompactJson.put(p, "display_id", problem.path("displayId"));
        CompactJson.put(p, "title", problem.path("title"));
        CompactJson.put(p, "status", problem.path("status"));
        CompactJson.put(p, "risk_level", problem.path("riskAssessment").path("riskLevel"));
        CompactJson.putNumber(p, "risk_score", problem.path("riskAssessment").path("riskScore"));
        CompactJson.put(p, "type", problem.path("vulnerabilityType"));
        CompactJson.put(p, "technology", problem.path("technology"));
        CompactJson.put(p, "package", problem.path("packageName"));
        ArrayNode cves = ToolSupport.NODES.arrayNode();
        problem.path("cveIds").forEach(cves::add);
        CompactJson.putNonEmpty(p, "cves", cves);
        if (problem.path("muted").asBoolean(false)) {
            p.put("muted", true);
        }
        CompactJson.put(p, "first_seen", ToolSupport.time(problem.path("firstSeenTimestamp")));
        CompactJson.put(p, "last_updated", ToolSupport.time(problem.path("lastUpdatedTimestamp")));
        return p;
    }

    private ToolSpec securityProblemDetails() {
        return ToolSupport.read("get_security_problem_details", "Get security problem details", SCOPE)
                .description("Returns one vulnerability with its risk assessment (level, score, exposure,"
                        + " public exploit, data assets), description, remediation advice, vulnerable"
                        + " components and affected entities. Use it after"
                        + " dynatrace_managed_list_security_problems to judge urgency and the fix."
                        + " Example: {\"security_problem_id\":\"10965700244432082338\"}.")
                .output("""
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
                          "url":{"type":"string"}}}""")
                .args(ID)
                .tags("security")
                .handler((args, context) -> {
                    String id = args.require(ID);
                    JsonNode problem = support.client.get("securityProblems", id)
                            .query("fields", "+riskAssessment,+description,+remediationDescription,"
                                    + "+vulnerableComponents,+affectedEntities")
                            .notFound("Security problem " + id).send(context);
                    ObjectNode out = summary(problem);
                    JsonNode risk = problem.path("riskAssessment");
                    CompactJson.put(out, "exposure", risk.path("exposure"));
                    CompactJson.put(out, "public_exploit", risk.path("publicExploit"));
                    CompactJson.put(out, "data_assets", risk.path("dataAssets"));
                    CompactJson.put(out, "description", CompactJson.clip(problem.path("description").asText(""), 2000));
                    CompactJson.put(out, "remediation",
                            CompactJson.clip(problem.path("remediationDescription").asText(""), 2000));
                    ArrayNode components = ToolSupport.NODES.arrayNode();
                    for (JsonNode component : problem.path("vulnerableComponents")) {
                        String name = component.path("displayName").asText(component.path("fileName").asText(""));
                        if (!name.isEmpty() && components.size() < 50) {
                            components.add(name);
                        }
                    }
                    CompactJson.putNonEmpty(out, "vulnerable_components", components);
                    ArrayNode affected = ToolSupport.NODES.arrayNode();
                    for (JsonNode entity : problem.path("affectedEntities")) {
                        if (affected.size() < 50) {
                            affected.add(entity.isTextual() ? entity.asText() : entity.path("id").asText());
                        }
                    }
                    CompactJson.putNonEmpty(out, "affected_entities", affected);
                    CompactJson.put(out, "url", problem.path("url"));
                    return ToolResult.structured(out);
                }).build();
    }
}
