package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/** Problems: list, details, comments, and the two problem writes (comment, close). */
final class ProblemTools {

    static final int MAX_PROBLEMS = 50;
    static final int MAX_COMMENTS = 50;
    static final String READ_SCOPE = "problems.read";
    static final String WRITE_SCOPE = "problems.write";
    static final String PROBLEM_ID_PATTERN = "^[A-Za-z0-9_\\-]{1,100}$";
    private static final Pattern DISPLAY_ID = Pattern.compile("^P-[0-9]{1,12}$");

    private static final List<String> STATUS = List.of("OPEN", "CLOSED");
    private static final List<String> IMPACT = List.of("APPLICATION", "ENVIRONMENT", "INFRASTRUCTURE", "SERVICES");
    private static final List<String> SEVERITY = List.of("AVAILABILITY", "ERROR", "PERFORMANCE",
            "RESOURCE_CONTENTION", "CUSTOM_ALERT", "MONITORING_UNAVAILABLE");
    private static final List<String> SORT = List.of("-startTime", "+startTime", "-relevance", "+status", "-status");
    private static final int MAX_REFS = 5;

    private final ToolSupport support;

    ProblemTools(ToolSupport support) {
        this.support = support;
    }

    List<DynatraceTool> tools() {
        return List.of(listProblems(), problemDetails(), listComments(), addComment(), closeProblem());
    }

    private DynatraceTool listProblems() {
        InputSchema schema = InputSchema.builder()
                .time("from", "Start of the timeframe: relative (now-24h, now-7d), ISO-8601 or epoch ms.", "now-24h")
                .time("to", "End of the timeframe; default now.", null)
                .enumeration("status", "Only problems in this state.", STATUS, null)
                .enumeration("impact_level", "Only problems with this impact level.", IMPACT, null)
                .enumeration("severity_level", "Only problems with this severity level.", SEVERITY, null)
                .string("text", "Free text the problem title or details must contain.", 300)
                .string("display_id", "A display id such as P-2511198 to find that one problem.", 40);
        EntityFilter.declare(schema, "of affected entities");
        schema.enumeration("sort", "Sort order.", SORT, "-startTime")
                .integer("limit", "How many problems to return (at most " + MAX_PROBLEMS + ").", 1, MAX_PROBLEMS, 20)
                .nextPage();
        return new DynatraceTool(ToolSupport.read("list_problems", "List problems")
                .description("Lists Davis problems of a Dynatrace Managed environment, newest first: id, display"
                        + " id, title, status, severity, impact level, start/end (ISO-8601 UTC), up to 5 affected"
                        + " entities as 'name (ID)', root cause and management zones. Use it to see what is"
                        + " broken now or was broken in a timeframe; then call dynatrace_managed_get_problem_details"
                        + " with a problem_id for evidence and impact. Filters combine with AND; entity filters"
                        + " are plain values, e.g. {\"status\":\"OPEN\",\"entity_type\":\"SERVICE\","
                        + "\"entity_name\":\"checkout\"}. At most " + MAX_PROBLEMS + " per call; pass next_page"
                        + " from the result to get more.")
                .inputSchema(schema.build())
                .outputSchema(support.schema("""
                        {"type":"object","required":["problems"],"properties":{
                          "problems":{"type":"array","items":{"type":"object","required":["problem_id","title"],
                            "properties":{"problem_id":{"type":"string"},"display_id":{"type":"string"},
                              "title":{"type":"string"},"status":{"type":"string"},"severity":{"type":"string"},
                              "impact":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"},
                              "affected":{"type":"array","items":{"type":"string"}},
                              "affected_count":{"type":"integer"},"root_cause":{"type":"string"},
                              "zones":{"type":"array","items":{"type":"string"}}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("problems", "read").fanOut().build(), READ_SCOPE, args -> {
                    String nextPage = args.optText("next_page");
                    JsonNode response = ToolSupport.page(support.client.get("problems"), "nextPageKey", nextPage,
                            request -> request
                                    .query("from", args.optText("from", "now-24h"))
                                    .query("to", args.optText("to"))
                                    .query("problemSelector", Selector.builder()
                                            .condition("status", args.selectorValue("status"))
                                            .condition("impactLevel", args.selectorValue("impact_level"))
                                            .condition("severityLevel", args.selectorValue("severity_level"))
                                            .condition("text", args.selectorValue("text"))
                                            .condition("displayId", args.selectorValue("display_id"))
                                            .build())
                                    .query("entitySelector", EntityFilter.selector(args, false))
                                    .query("sort", args.optText("sort"))
                                    .query("pageSize", args.limit("limit", 20, MAX_PROBLEMS)))
                            .execute();
                    ObjectNode out = support.object();
                    ArrayNode problems = out.putArray("problems");
                    for (JsonNode problem : response.path("problems")) {
                        problems.add(summary(problem));
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private ObjectNode summary(JsonNode problem) {
        ObjectNode out = support.object();
        out.put("problem_id", problem.path("problemId").asText());
        ToolSupport.putText(out, "display_id", problem.path("displayId"));
        out.put("title", problem.path("title").asText(""));
        ToolSupport.putText(out, "status", problem.path("status"));
        ToolSupport.putText(out, "severity", problem.path("severityLevel"));
        ToolSupport.putText(out, "impact", problem.path("impactLevel"));
        ToolSupport.putText(out, "start", ToolSupport.time(problem.path("startTime")));
        ToolSupport.putText(out, "end", ToolSupport.time(problem.path("endTime")));
        JsonNode affected = problem.path("affectedEntities");
        ToolSupport.putArray(out, "affected", ToolSupport.entityRefs(support.json, affected, MAX_REFS));
        if (affected.size() > MAX_REFS) {
            out.put("affected_count", affected.size());
        }
        ToolSupport.putText(out, "root_cause", ToolSupport.entityRef(problem.path("rootCauseEntity")));
        ToolSupport.putArray(out, "zones", ToolSupport.zones(support.json, problem.path("managementZones")));
        return out;
    }

    private DynatraceTool problemDetails() {
        ObjectNode schema = InputSchema.builder()
                .pattern("problem_id", "The problemId from dynatrace_managed_list_problems (such as"
                        + " -2899693953000578799_1763288686574V2), or a display id such as P-2511198.", PROBLEM_ID_PATTERN, 100)
                .required("problem_id").build();
        return new DynatraceTool(ToolSupport.read("get_problem_details", "Get problem details")
                .description("Returns one problem with what explains it: summary fields, root cause entity,"
                        + " impacted and affected entities, evidence (events, metrics, transactions that Davis"
                        + " used, marked root-cause relevant or not), estimated impact, entity tags and the"
                        + " latest comments. Use it after dynatrace_managed_list_problems to analyse a problem."
                        + " problem_id is the problemId or a display id as shown in the UI. Example:"
                        + " {\"problem_id\":\"-2899693953000578799_1763288686574V2\"} or {\"problem_id\":\"P-2511198\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["problem_id","title"],"properties":{
                          "problem_id":{"type":"string"},"display_id":{"type":"string"},"title":{"type":"string"},
                          "status":{"type":"string"},"severity":{"type":"string"},"impact":{"type":"string"},
                          "start":{"type":"string"},"end":{"type":"string"},"root_cause":{"type":"string"},
                          "affected":{"type":"array","items":{"type":"string"}},
                          "impacted":{"type":"array","items":{"type":"string"}},
                          "evidence":{"type":"array","items":{"type":"object"}},
                          "impacts":{"type":"array","items":{"type":"object"}},
                          "tags":{"type":"array","items":{"type":"string"}},
                          "zones":{"type":"array","items":{"type":"string"}},
                          "comments":{"type":"array","items":{"type":"object"}},
                          "comment_count":{"type":"integer"}}}"""))
                .tags("problems", "read").build(), READ_SCOPE, args -> {
                    String id = problemId(args);
                    JsonNode problem = support.client.get("problems", id)
                            .query("fields", "+evidenceDetails,+impactAnalysis,+recentComments")
                            .notFound("Problem " + id).execute();
                    ObjectNode out = summary(problem);
                    out.remove("affected_count");
                    ToolSupport.putArray(out, "affected",
                            ToolSupport.entityRefs(support.json, problem.path("affectedEntities"), 50));
                    ToolSupport.putArray(out, "impacted",
                            ToolSupport.entityRefs(support.json, problem.path("impactedEntities"), 50));
                    ArrayNode evidence = support.json.createArrayNode();
                    for (JsonNode item : problem.path("evidenceDetails").path("details")) {
                        if (evidence.size() >= 30) {
                            break;
                        }
                        ObjectNode e = support.object();
                        ToolSupport.putText(e, "name", item.path("displayName"));
                        ToolSupport.putText(e, "type", item.path("evidenceType"));
                        ToolSupport.putText(e, "event_type", item.path("eventType"));
                        ToolSupport.putText(e, "entity", ToolSupport.entityRef(item.path("entity")));
                        e.put("root_cause_relevant", item.path("rootCauseRelevant").asBoolean(false));
                        ToolSupport.putText(e, "start", ToolSupport.time(item.path("startTime")));
                        ToolSupport.putText(e, "end", ToolSupport.time(item.path("endTime")));
                        String description = eventProperty(item.path("data").path("properties"),
                                "dt.event.description");
                        ToolSupport.putText(e, "description", ToolSupport.clip(description, 300));
                        evidence.add(e);
                    }
                    ToolSupport.putArray(out, "evidence", evidence);
                    ArrayNode impacts = support.json.createArrayNode();
                    for (JsonNode impact : problem.path("impactAnalysis").path("impacts")) {
                        ObjectNode i = support.object();
                        ToolSupport.putText(i, "type", impact.path("impactType"));
                        ToolSupport.putText(i, "entity", ToolSupport.entityRef(impact.path("impactedEntity")));
                        ToolSupport.putNumber(i, "estimated_affected_users", impact.path("estimatedAffectedUsers"));
                        impacts.add(i);
                    }
                    ToolSupport.putArray(out, "impacts", impacts);
                    ToolSupport.putArray(out, "tags", ToolSupport.tags(support.json, problem.path("entityTags")));
                    ArrayNode comments = support.json.createArrayNode();
                    for (JsonNode comment : problem.path("recentComments").path("comments")) {
                        comments.add(comment(comment));
                    }
                    ToolSupport.putArray(out, "comments", comments);
                    JsonNode count = problem.path("recentComments").path("totalCount");
                    if (count.isNumber() && count.asInt() > comments.size()) {
                        out.put("comment_count", count.asInt());
                    }
                    return support.structured(out);
                });
    }

    /**
     * The API takes the internal problemId; a display id such as P-2511198 is resolved first with
     * a {@code displayId} selector, because that is what people paste from the UI.
     */
    private String problemId(Args args) throws DynatraceApiException {
        String id = args.id("problem_id");
        if (!DISPLAY_ID.matcher(id).matches()) {
            return id;
        }
        JsonNode found = support.client.get("problems")
                .query("from", "now-365d")
                .query("problemSelector", Selector.builder().condition("displayId", id).build())
                .query("pageSize", 1)
                .execute();
        JsonNode first = found.path("problems").path(0);
        if (!first.hasNonNull("problemId")) {
            throw new DynatraceApiException(DynatraceApiException.Kind.NOT_FOUND, 404, "Problem " + id
                    + " not found in environment " + support.client.environment() + " (searched the last 365 days).",
                    null);
        }
        return first.path("problemId").asText();
    }

    static String eventProperty(JsonNode properties, String key) {
        for (JsonNode property : properties) {
            if (key.equals(property.path("key").asText())) {
                return property.path("value").asText();
            }
        }
        return null;
    }

    private ObjectNode comment(JsonNode comment) {
        ObjectNode c = support.object();
        ToolSupport.putText(c, "id", comment.path("id"));
        ToolSupport.putText(c, "author", comment.path("authorName"));
        ToolSupport.putText(c, "created", ToolSupport.time(comment.path("createdAtTimestamp")));
        ToolSupport.putText(c, "content", ToolSupport.clip(comment.path("content").asText(""), 2000));
        ToolSupport.putText(c, "context", comment.path("context"));
        return c;
    }

    private DynatraceTool listComments() {
        ObjectNode schema = InputSchema.builder()
                .pattern("problem_id", "The problemId from dynatrace_managed_list_problems, or a display id such as P-2511198.", PROBLEM_ID_PATTERN, 100)
                .integer("limit", "How many comments to return (at most " + MAX_COMMENTS + ").", 1, MAX_COMMENTS, 20)
                .nextPage()
                .required("problem_id").build();
        return new DynatraceTool(ToolSupport.read("list_problem_comments", "List problem comments")
                .description("Lists the comments people and tools wrote on a problem (author, time, content,"
                        + " context), newest first. Use it to learn what responders already found or did."
                        + " Example: {\"problem_id\":\"-2899693953000578799_1763288686574V2\",\"limit\":10}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["problem_id","comments"],"properties":{
                          "problem_id":{"type":"string"},
                          "comments":{"type":"array","items":{"type":"object","properties":{
                            "id":{"type":"string"},"author":{"type":"string"},"created":{"type":"string"},
                            "content":{"type":"string"},"context":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}"""))
                .tags("problems", "read").build(), READ_SCOPE, args -> {
                    String id = problemId(args);
                    JsonNode response = ToolSupport.page(support.client.get("problems", id, "comments"),
                            "nextPageKey", args.optText("next_page"),
                            request -> request.query("pageSize", args.limit("limit", 20, MAX_COMMENTS)))
                            .notFound("Problem " + id).execute();
                    ObjectNode out = support.object();
                    out.put("problem_id", id);
                    ArrayNode comments = out.putArray("comments");
                    for (JsonNode comment : response.path("comments")) {
                        comments.add(comment(comment));
                    }
                    ToolSupport.paging(out, response, "nextPageKey");
                    return support.structured(out);
                });
    }

    private DynatraceTool addComment() {
        ObjectNode schema = InputSchema.builder()
                .pattern("problem_id", "The problemId from dynatrace_managed_list_problems, or a display id such as P-2511198.", PROBLEM_ID_PATTERN, 100)
                .string("message", "The comment text (Markdown is shown as typed).", 5000)
                .string("context", "Where the comment comes from, such as the ticket system; default Bastion.", 200)
                .required("problem_id", "message").build();
        return new DynatraceTool(ToolSupport.write("add_problem_comment", "Add a problem comment", false, false)
                .description("Adds a comment to a problem, visible to everyone working on it in Dynatrace."
                        + " Use it to record findings or actions. Returns the new comment's id."
                        + " Example: {\"problem_id\":\"-2899693953000578799_1763288686574V2\","
                        + "\"message\":\"Rolled back release 4.2\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["problem_id"],"properties":{
                          "problem_id":{"type":"string"},"comment_id":{"type":"string"},
                          "created":{"type":"string"},"author":{"type":"string"}}}"""))
                .tags("problems", "write").build(), WRITE_SCOPE, args -> {
                    String id = problemId(args);
                    ObjectNode body = support.object();
                    body.put("message", args.text("message"));
                    body.put("context", args.optText("context", "Bastion"));
                    JsonNode created = support.client.post(body, "problems", id, "comments")
                            .notFound("Problem " + id).execute();
                    ObjectNode out = support.object();
                    out.put("problem_id", id);
                    ToolSupport.putText(out, "comment_id", created.path("id"));
                    ToolSupport.putText(out, "created", ToolSupport.time(created.path("createdAtTimestamp")));
                    ToolSupport.putText(out, "author", created.path("authorName"));
                    return support.structured(out);
                });
    }

    private DynatraceTool closeProblem() {
        ObjectNode schema = InputSchema.builder()
                .pattern("problem_id", "The problemId from dynatrace_managed_list_problems, or a display id such as P-2511198.", PROBLEM_ID_PATTERN, 100)
                .string("message", "Why the problem is closed; stored as a closing comment.", 5000)
                .required("problem_id", "message").build();
        return new DynatraceTool(ToolSupport.write("close_problem", "Close a problem", true, true)
                .description("Closes an open problem manually, with a closing comment. A closed problem cannot be"
                        + " reopened, and Davis stops tracking it, so close only problems that are really"
                        + " resolved. Example: {\"problem_id\":\"-2899693953000578799_1763288686574V2\","
                        + "\"message\":\"Fixed by restarting the pod\"}.")
                .inputSchema(schema)
                .outputSchema(support.schema("""
                        {"type":"object","required":["problem_id","closing"],"properties":{
                          "problem_id":{"type":"string"},"closing":{"type":"boolean"},
                          "comment_id":{"type":"string"}}}"""))
                .tags("problems", "write").build(), WRITE_SCOPE, args -> {
                    String id = problemId(args);
                    ObjectNode body = support.object();
                    body.put("message", args.text("message"));
                    JsonNode result = support.client.post(body, "problems", id, "close")
                            .notFound("Problem " + id).execute();
                    ObjectNode out = support.object();
                    out.put("problem_id", result.path("problemId").asText(id));
                    out.put("closing", result.path("closing").asBoolean(true));
                    ToolSupport.putText(out, "comment_id", result.path("comment").path("id"));
                    return support.structured(out);
                });
    }
}
