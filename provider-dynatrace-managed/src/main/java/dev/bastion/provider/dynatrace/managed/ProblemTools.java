package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.InvalidArgument;
import dev.bastion.toolkit.tool.ToolSpec;
import dev.bastion.core.tool.CallContext;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.tool.Arguments;

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

    private static final Arg<String> FROM = ToolSupport.time("from",
            "Start of the timeframe: relative (now-24h, now-7d), ISO-8601 or epoch ms.").withDefault("now-24h");
    private static final Arg<String> STATUS_ARG = Arg.enumeration("status", "Only problems in this state.", STATUS);
    private static final Arg<String> IMPACT_ARG = Arg.enumeration("impact_level",
            "Only problems with this impact level.", IMPACT);
    private static final Arg<String> SEVERITY_ARG = Arg.enumeration("severity_level",
            "Only problems with this severity level.", SEVERITY);
    private static final Arg<String> TEXT = EntityFilter.selectorText("text",
            "Free text the problem title or details must contain.", 300);
    private static final Arg<String> DISPLAY_ID_ARG = EntityFilter.selectorText("display_id",
            "A display id such as P-2511198 to find that one problem.", 40);
    private static final EntityFilter AFFECTED = new EntityFilter("of affected entities", false);
    private static final Arg<String> SORT_ARG = Arg.enumeration("sort", "Sort order: -startTime"
            + " newest first, +startTime oldest first, -relevance most relevant first, or by status.", SORT).withDefault("-startTime");
    private static final Arg<Integer> LIMIT = Arg.integer("limit",
            "How many problems to return (at most " + MAX_PROBLEMS + ").", 1, MAX_PROBLEMS).withDefault(20);
    private static final Arg<String> PROBLEM_ID = Arg.pattern("problem_id", "The problemId from"
            + " dynatrace_managed_list_problems (such as -2899693953000578799_1763288686574V2), or a display id such"
            + " as P-2511198.", PROBLEM_ID_PATTERN, 100).required();
    private static final Arg<Integer> COMMENT_LIMIT = Arg.integer("limit",
            "How many comments to return (at most " + MAX_COMMENTS + ").", 1, MAX_COMMENTS).withDefault(20);
    private static final Arg<String> COMMENT = Arg.string("message", "The comment text (Markdown is shown as typed).",
            5000).required();
    private static final Arg<String> CONTEXT = Arg.string("context",
            "Where the comment comes from, such as the ticket system; default Bastion.", 200).withDefault("Bastion");
    private static final Arg<String> CLOSING = Arg.string("message",
            "Why the problem is closed; stored as a closing comment.", 5000).required();

    private final ToolSupport support;

    ProblemTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listProblems(), problemDetails(), listComments(), addComment(), closeProblem());
    }

    private ToolSpec listProblems() {
        return ToolSupport.read("list_problems", "List problems", READ_SCOPE)
                .description("Lists Davis problems of a Dynatrace Managed environment, newest first: id, display"
                        + " id, title, status, severity, impact level, start/end (ISO-8601 UTC), up to 5 affected"
                        + " entities as 'name (ID)', root cause and management zones. Use it to see what is"
                        + " broken now or was broken in a timeframe; then call dynatrace_managed_get_problem_details"
                        + " with a problem_id for evidence and impact. Filters combine with AND; entity filters"
                        + " are plain values, e.g. {\"status\":\"OPEN\",\"entity_type\":\"SERVICE\","
                        + "\"entity_name\":\"checkout\"}. At most " + MAX_PROBLEMS + " per call; pass next_page"
                        + " from the result to get more.")
                .args(FROM, ToolSupport.TO, STATUS_ARG, IMPACT_ARG, SEVERITY_ARG, TEXT, DISPLAY_ID_ARG)
                .args(AFFECTED.args())
                .args(SORT_ARG, LIMIT, ToolSupport.NEXT_PAGE)
                .output("""
                        {"type":"object","required":["problems"],"properties":{
                          "problems":{"type":"array","items":{"type":"object","required":["problem_id","title"],
                            "properties":{"problem_id":{"type":"string"},"display_id":{"type":"string"},
                              "title":{"type":"string"},"status":{"type":"string"},"severity":{"type":"string"},
                              "impact":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"},
                              "affected":{"type":"array","items":{"type":"string"}},
                              "affected_count":{"type":"integer"},"root_cause":{"type":"string"},
                              "zones":{"type":"array","items":{"type":"string"}}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .tags("problems").fanOut()
                .handler((args, context) -> {
                    JsonNode response = ToolSupport.page(support.client.get("problems"), args, request -> request
                                    .query("from", args.get(FROM))
                                    .query("to", args.get(ToolSupport.TO))
                                    .query("problemSelector", Selector.builder()
                                            .condition("status", args.get(STATUS_ARG))
                                            .condition("impactLevel", args.get(IMPACT_ARG))
                                            .condition("severityLevel", args.get(SEVERITY_ARG))
                                            .condition("text", args.get(TEXT))
                                            .condition("displayId", args.get(DISPLAY_ID_ARG))
                                            .build())
                                    .query("entitySelector", AFFECTED.selector(args))
                                    .query("sort", args.get(SORT_ARG))
                                    .query("pageSize", args.get(LIMIT)))
                            .send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    ArrayNode problems = out.putArray("problems");
                    for (JsonNode problem : response.path("problems")) {
                        problems.add(summary(problem));
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ObjectNode summary(JsonNode problem) {
        ObjectNode out = ToolSupport.NODES.objectNode();
        out.put("problem_id", problem.path("problemId").asText());
        CompactJson.put(out, "display_id", problem.path("displayId"));
        out.put("title", problem.path("title").asText(""));
        CompactJson.put(out, "status", problem.path("status"));
        CompactJson.put(out, "severity", problem.path("severityLevel"));
        CompactJson.put(out, "impact", problem.path("impactLevel"));
        CompactJson.put(out, "start", ToolSupport.time(problem.path("startTime")));
        CompactJson.put(out, "end", ToolSupport.time(problem.path("endTime")));
        JsonNode affected = problem.path("affectedEntities");
        CompactJson.putNonEmpty(out, "affected", ToolSupport.entityRefs(affected, MAX_REFS));
        if (affected.size() > MAX_REFS) {
            out.put("affected_count", affected.size());
        }
        CompactJson.put(out, "root_cause", ToolSupport.entityRef(problem.path("rootCauseEntity")));
        CompactJson.putNonEmpty(out, "zones", ToolSupport.zones(problem.path("managementZones")));
        return out;
    }

    private ToolSpec problemDetails() {
        return ToolSupport.read("get_problem_details", "Get problem details", READ_SCOPE)
                .description("Returns one problem with what explains it: summary fields, root cause entity,"
                        + " impacted and affected entities, evidence (events, metrics, transactions that Davis"
                        + " used, marked root-cause relevant or not), estimated impact, entity tags and the"
                        + " latest comments. Use it after dynatrace_managed_list_problems to analyse a problem."
                        + " problem_id is the problemId or a display id as shown in the UI. Example:"
                        + " {\"problem_id\":\"-2899693953000578799_1763288686574V2\"} or {\"problem_id\":\"P-2511198\"}.")
                .output("""
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
                          "comment_count":{"type":"integer"}}}""")
                .args(PROBLEM_ID)
                .tags("problems")
                .handler((args, context) -> {
                    String id = problemId(args, context);
                    JsonNode problem = support.client.get("problems", id)
                            .query("fields", "+evidenceDetails,+impactAnalysis,+recentComments")
                            .notFound("Problem " + id).send(context);
                    ObjectNode out = summary(problem);
                    out.remove("affected_count");
                    CompactJson.putNonEmpty(out, "affected",
                            ToolSupport.entityRefs(problem.path("affectedEntities"), 50));
                    CompactJson.putNonEmpty(out, "impacted",
                            ToolSupport.entityRefs(problem.path("impactedEntities"), 50));
                    ArrayNode evidence = ToolSupport.NODES.arrayNode();
                    for (JsonNode item : problem.path("evidenceDetails").path("details")) {
                        if (evidence.size() >= 30) {
                            break;
                        }
                        ObjectNode e = ToolSupport.NODES.objectNode();
                        CompactJson.put(e, "name", item.path("displayName"));
                        CompactJson.put(e, "type", item.path("evidenceType"));
                        CompactJson.put(e, "event_type", item.path("eventType"));
                        CompactJson.put(e, "entity", ToolSupport.entityRef(item.path("entity")));
                        e.put("root_cause_relevant", item.path("rootCauseRelevant").asBoolean(false));
                        CompactJson.put(e, "start", ToolSupport.time(item.path("startTime")));
                        CompactJson.put(e, "end", ToolSupport.time(item.path("endTime")));
                        String description = eventProperty(item.path("data").path("properties"),
                                "dt.event.description");
                        CompactJson.put(e, "description", CompactJson.clip(description, 300));
                        evidence.add(e);
                    }
                    CompactJson.putNonEmpty(out, "evidence", evidence);
                    ArrayNode impacts = ToolSupport.NODES.arrayNode();
                    for (JsonNode impact : problem.path("impactAnalysis").path("impacts")) {
                        ObjectNode i = ToolSupport.NODES.objectNode();
                        CompactJson.put(i, "type", impact.path("impactType"));
                        CompactJson.put(i, "entity", ToolSupport.entityRef(impact.path("impactedEntity")));
                        CompactJson.putNumber(i, "estimated_affected_users", impact.path("estimatedAffectedUsers"));
                        impacts.add(i);
                    }
                    CompactJson.putNonEmpty(out, "impacts", impacts);
                    CompactJson.putNonEmpty(out, "tags", ToolSupport.tags(problem.path("entityTags")));
                    ArrayNode comments = ToolSupport.NODES.arrayNode();
                    for (JsonNode comment : problem.path("recentComments").path("comments")) {
                        comments.add(comment(comment));
                    }
                    CompactJson.putNonEmpty(out, "comments", comments);
                    JsonNode count = problem.path("recentComments").path("totalCount");
                    if (count.isNumber() && count.asInt() > comments.size()) {
                        out.put("comment_count", count.asInt());
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    /**
     * The API takes the internal problemId; a display id such as P-2511198 is resolved first with
     * a {@code displayId} selector, because that is what people paste from the UI.
     */
    private String problemId(Arguments args, CallContext context) {
        String id = args.require(PROBLEM_ID);
        if (!DISPLAY_ID.matcher(id).matches()) {
            return id;
        }
        JsonNode found = support.client.get("problems")
                .query("from", "now-365d")
                .query("problemSelector", Selector.builder().condition("displayId", id).build())
                .query("pageSize", 1)
                .send(context);
        JsonNode first = found.path("problems").path(0);
        if (!first.hasNonNull("problemId")) {
            throw new BackendFailure(BackendFailure.Kind.NOT_FOUND, 404, "Problem " + id + " not found in environment "
                    + support.client.environment() + " (searched the last 365 days).", null, null);
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
        ObjectNode c = ToolSupport.NODES.objectNode();
        CompactJson.put(c, "id", comment.path("id"));
        CompactJson.put(c, "author", comment.path("authorName"));
        CompactJson.put(c, "created", ToolSupport.time(comment.path("createdAtTimestamp")));
        CompactJson.put(c, "content", CompactJson.clip(comment.path("content").asText(""), 2000));
        CompactJson.put(c, "context", comment.path("context"));
        return c;
    }

    private ToolSpec listComments() {
        return ToolSupport.read("list_problem_comments", "List problem comments", READ_SCOPE)
                .description("Lists the comments people and tools wrote on a problem (author, time, content,"
                        + " context), newest first. Use it to learn what responders already found or did."
                        + " Example: {\"problem_id\":\"-2899693953000578799_1763288686574V2\",\"limit\":10}.")
                .output("""
                        {"type":"object","required":["problem_id","comments"],"properties":{
                          "problem_id":{"type":"string"},
                          "comments":{"type":"array","items":{"type":"object","properties":{
                            "id":{"type":"string"},"author":{"type":"string"},"created":{"type":"string"},
                            "content":{"type":"string"},"context":{"type":"string"}}}},
                          "total":{"type":"integer"},"next_page":{"type":"string"}}}""")
                .args(PROBLEM_ID, COMMENT_LIMIT, ToolSupport.NEXT_PAGE)
                .tags("problems")
                .handler((args, context) -> {
                    String id = problemId(args, context);
                    JsonNode response = ToolSupport.page(support.client.get("problems", id, "comments"), args,
                            request -> request.query("pageSize", args.get(COMMENT_LIMIT)))
                            .notFound("Problem " + id).send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("problem_id", id);
                    ArrayNode comments = out.putArray("comments");
                    for (JsonNode comment : response.path("comments")) {
                        comments.add(comment(comment));
                    }
                    ToolSupport.paging(out, response, args);
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec addComment() {
        return ToolSupport.write("add_problem_comment", "Add a problem comment", WRITE_SCOPE)
                .description("Adds a comment to a problem, visible to everyone working on it in Dynatrace."
                        + " Use it to record findings or actions. Returns the new comment's id."
                        + " Example: {\"problem_id\":\"-2899693953000578799_1763288686574V2\","
                        + "\"message\":\"Rolled back release 4.2\"}.")
                .output("""
                        {"type":"object","required":["problem_id"],"properties":{
                          "problem_id":{"type":"string"},"comment_id":{"type":"string"},
                          "created":{"type":"string"},"author":{"type":"string"}}}""")
                .args(PROBLEM_ID, COMMENT, CONTEXT)
                .tags("problems")
                .handler((args, context) -> {
                    String id = problemId(args, context);
                    ObjectNode body = ToolSupport.NODES.objectNode();
                    body.put("message", args.require(COMMENT));
                    body.put("context", args.get(CONTEXT));
                    JsonNode created = support.client.post(body, "problems", id, "comments")
                            .notFound("Problem " + id).send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("problem_id", id);
                    CompactJson.put(out, "comment_id", created.path("id"));
                    CompactJson.put(out, "created", ToolSupport.time(created.path("createdAtTimestamp")));
                    CompactJson.put(out, "author", created.path("authorName"));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec closeProblem() {
        return ToolSupport.destructive("close_problem", "Close a problem", WRITE_SCOPE).idempotent()
                .description("Closes an open problem manually, with a closing comment. A closed problem cannot be"
                        + " reopened, and Davis stops tracking it, so close only problems that are really"
                        + " resolved. Example: {\"problem_id\":\"-2899693953000578799_1763288686574V2\","
                        + "\"message\":\"Fixed by restarting the pod\"}.")
                .output("""
                        {"type":"object","required":["problem_id","closing"],"properties":{
                          "problem_id":{"type":"string"},"closing":{"type":"boolean"},
                          "comment_id":{"type":"string"}}}""")
                .args(PROBLEM_ID, CLOSING)
                .tags("problems")
                .handler((args, context) -> {
                    String id = problemId(args, context);
                    ObjectNode body = ToolSupport.NODES.objectNode();
                    body.put("message", args.require(CLOSING));
                    JsonNode result = support.client.post(body, "problems", id, "close")
                            .notFound("Problem " + id).send(context);
                    ObjectNode out = ToolSupport.NODES.objectNode();
                    out.put("problem_id", result.path("problemId").asText(id));
                    out.put("closing", result.path("closing").asBoolean(true));
                    CompactJson.put(out, "comment_id", result.path("comment").path("id"));
                    return ToolResult.structured(out);
                }).build();
    }
}
