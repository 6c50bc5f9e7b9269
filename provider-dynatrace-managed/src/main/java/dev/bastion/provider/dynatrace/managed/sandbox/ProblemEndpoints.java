package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code /problems}: list, details, comments, and closing a problem. */
final class ProblemEndpoints {

    private ProblemEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/problems", ProblemEndpoints::list)
                .get("v2/problems/{problemId}", ProblemEndpoints::details)
                .get("v2/problems/{problemId}/comments", ProblemEndpoints::comments)
                .post("v2/problems/{problemId}/comments", 201, ProblemEndpoints::addComment)
                .post("v2/problems/{problemId}/close", 200, ProblemEndpoints::close);
    }

    private static ObjectNode find(ApiCall call) {
        String id = call.path("problemId");
        return ApiCall.find(call.data.problems, "problemId", id, "The requested problem " + id + " was not found.");
    }

    private static JsonNode list(ApiCall call) {
        call.requireScope("problems.read");
        long[] frame = call.timeframe("now-2h");
        SandboxSelector problemSelector = call.selector("problemSelector");
        SandboxSelector entitySelector = call.selector("entitySelector");
        call.checkEntitySelector(entitySelector, false);
        int size = call.pageSize("pageSize", 50, 500);
        Set<String> fields = call.fields();
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode problem : call.data.problems) {
            if (!ApiCall.overlaps(problem, "startTime", "endTime", frame)
                    || !problemSelector.matchesAny("status", problem.path("status").asText())
                    || !problemSelector.matchesAny("severityLevel", problem.path("severityLevel").asText())
                    || !problemSelector.matchesAny("impactLevel", problem.path("impactLevel").asText())
                    || !problemSelector.matchesAny("displayId", problem.path("displayId").asText())) {
                continue;
            }
            boolean text = true;
            for (String value : problemSelector.values("text")) {
                text &= SandboxSelector.containsIgnoreCase(problem.path("title").asText(), value);
            }
            if (!text || !affects(call, problem, entitySelector)) {
                continue;
            }
            matching.add(view(call, problem, fields));
        }
        Comparator<ObjectNode> byStart = Comparator.comparingLong(pr -> pr.path("startTime").asLong());
        matching.sort(call.query("sort", "-startTime").equals("+startTime") ? byStart : byStart.reversed());
        ObjectNode out = call.page(matching, "problems", size, "nextPageKey");
        out.putArray("warnings");
        return out;
    }

    private static boolean affects(ApiCall call, ObjectNode problem, SandboxSelector entitySelector) {
        if (call.query("entitySelector") == null) {
            return true;
        }
        for (JsonNode affected : problem.path("affectedEntities")) {
            ObjectNode entity = call.data.entityById(affected.path("entityId").path("id").asText());
            if (entity != null && SandboxData.matches(entitySelector, entity)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode details(ApiCall call) {
        ObjectNode problem = find(call);
        call.requireScope("problems.read");
        return view(call, problem, call.fields());
    }

    private static ObjectNode view(ApiCall call, ObjectNode problem, Set<String> fields) {
        ObjectNode view = problem.deepCopy();
        if (!fields.contains("evidenceDetails")) {
            view.remove("evidenceDetails");
        }
        if (!fields.contains("impactAnalysis")) {
            view.remove("impactAnalysis");
        }
        if (!fields.contains("recentComments")) {
            view.remove("recentComments");
        } else {
            List<ObjectNode> list = call.environment.commentsByProblem.getOrDefault(problem.path("problemId").asText(),
                    List.of());
            ObjectNode recent = view.putObject("recentComments");
            ArrayNode array = recent.putArray("comments");
            for (int i = list.size() - 1; i >= 0 && array.size() < 5; i--) {
                array.add(list.get(i).deepCopy());
            }
            recent.put("totalCount", list.size());
        }
        return view;
    }

    private static JsonNode comments(ApiCall call) {
        ObjectNode problem = find(call);
        call.requireScope("problems.read");
        List<ObjectNode> list = new ArrayList<>(call.environment.commentsByProblem.getOrDefault(
                problem.path("problemId").asText(), List.of()));
        list.sort(Comparator.comparingLong((ObjectNode c) -> c.path("createdAtTimestamp").asLong()).reversed());
        return call.page(list, "comments", call.pageSize("pageSize", 10, 500), "nextPageKey");
    }

    private static JsonNode addComment(ApiCall call) {
        ObjectNode problem = find(call);
        call.requireScope("problems.write");
        return addComment(call, problem, call.body());
    }

    private static JsonNode addComment(ApiCall call, ObjectNode problem, JsonNode body) {
        String message = body.path("message").asText("");
        if (message.isBlank()) {
            throw ApiCall.badBody("message", "must not be blank");
        }
        ObjectNode comment = call.json.createObjectNode();
        comment.put("id", UUID.randomUUID().toString());
        comment.put("createdAtTimestamp", System.currentTimeMillis());
        comment.put("content", message);
        comment.put("authorName", "sandbox-api-token");
        comment.put("context", body.path("context").asText(""));
        call.environment.commentsByProblem.computeIfAbsent(problem.path("problemId").asText(), k -> new ArrayList<>())
                .add(comment);
        return comment.deepCopy();
    }

    private static JsonNode close(ApiCall call) {
        ObjectNode problem = find(call);
        call.requireScope("problems.write");
        String message = call.body().path("message").asText("");
        if (message.isBlank()) {
            throw ApiCall.badBody("message", "must not be blank");
        }
        if (!problem.path("status").asText().equals("OPEN")) {
            throw SandboxError.of(400, "The problem " + problem.path("displayId").asText() + " is already closed.");
        }
        problem.put("status", "CLOSED");
        problem.put("endTime", System.currentTimeMillis());
        ObjectNode commentBody = call.json.createObjectNode();
        commentBody.put("message", message);
        commentBody.put("context", "Problem closed");
        JsonNode comment = addComment(call, problem, commentBody);
        ObjectNode out = call.json.createObjectNode();
        out.put("problemId", problem.path("problemId").asText());
        out.put("closing", true);
        out.set("comment", comment);
        return out;
    }
}
