package dev.bastion.provider.dynatrace.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.poll.PollResult;
import dev.bastion.toolkit.poll.PollStep;
import dev.bastion.toolkit.poll.Polling;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Duration;
import java.util.List;

/** Davis CoPilot (nl2dql, dql2nl, conversation) and the Davis analyzers. */
final class DavisTools {

    static final String[] COPILOT = {"platform", "davis", "copilot", "v1", "skills"};
    static final String[] ANALYZERS = {"platform", "davis", "analyzers", "v1", "analyzers"};
    private static final Arg<String> TEXT = Arg.string("text", "What to find, in plain words, such as: error logs of"
            + " the checkout service in the last 2 hours.", 2000).required();
    private static final Arg<String> DQL = Arg.string("query", "The DQL query to explain.", 20_000).required();
    private static final Arg<String> QUESTION = Arg.string("question", "The question for Davis CoPilot.", 4000)
            .required();
    private static final Arg<String> ANALYZER = Arg.pattern("analyzer", "The analyzer's name, from"
            + " dynatrace_platform_list_davis_analyzers, such as dt.statistics.GenericForecastAnalyzer.",
            "^[A-Za-z0-9_.:-]{1,200}$", 200).required();
    private static final Arg<JsonNode> INPUT = Arg.json("input", "The analyzer's input as its definition describes,"
            + " such as {\"timeSeriesData\":\"timeseries avg(dt.host.cpu.usage)\",\"forecastHorizon\":12}.",
            JsonNodeFactory.instance.objectNode().put("type", "object").put("maxProperties", 50)
                    .set("additionalProperties", JsonNodeFactory.instance.objectNode()));
    private static final Arg<String> FILTER = Arg.string("name", "Only analyzers whose name or title contains this"
            + " text.", 200);

    private final PlatformClient client;
    private final Polling<String[], JsonNode> analyzerRuns;

    DavisTools(PlatformClient client) {
        this.client = client;
        this.analyzerRuns = Polling.<String[], JsonNode>builder("Davis analyzer",
                        (handle, context) -> analyzerStep(client.exchange(client.get(path(ANALYZERS, handle[0] + ":poll"))
                                .query("request-token", handle[1]), context).body(), handle[0]),
                        (handle, cleanup) -> client.exchange(client.post(client.json().createObjectNode(),
                                path(ANALYZERS, handle[0] + ":cancel")).query("request-token", handle[1]).idempotent(),
                                cleanup))
                .backoff(Duration.ofMillis(300), Duration.ofSeconds(3))
                .timeoutHint("shorten the analyzer's timeframe")
                .build();
    }

    static String[] path(String[] base, String last) {
        String[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = last;
        return all;
    }

    List<ToolSpec> tools() {
        return List.of(generateDql(), explainDql(), ask(), listAnalyzers(), executeAnalyzer());
    }

    private ToolSpec generateDql() {
        return ToolSupport.read("generate_dql", "Write DQL from plain words", "davis-copilot:nl2dql:execute")
                .description("Asks Davis CoPilot to write a DQL query for a request in plain words; returns the query"
                        + " (run it with dynatrace_platform_execute_dql) and CoPilot's notes.")
                .args(TEXT)
                .output("""
                        {"type":"object","required":["status"],"properties":{"dql":{"type":"string"},
                          "status":{"type":"string"},"notes":{"type":"array","items":{"type":"string"}}}}""")
                .tags("davis", "copilot")
                .handler((args, context) -> {
                    ObjectNode body = ToolSupport.object().put("text", args.get(TEXT));
                    JsonNode answer = copilot(client.send(client.post(body, path(COPILOT, "nl2dql:generate"))
                            .idempotent(), context), "dql");
                    ObjectNode out = ToolSupport.object();
                    CompactJson.put(out, "dql", CompactJson.text(answer, "dql"));
                    out.put("status", answer.path("status").asText("unknown"));
                    out.set("notes", notes(answer));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec explainDql() {
        return ToolSupport.read("explain_dql", "Explain a DQL query", "davis-copilot:dql2nl:execute")
                .description("Asks Davis CoPilot what a DQL query does; returns a one-line summary and an explanation.")
                .args(DQL)
                .output("""
                        {"type":"object","required":["status"],"properties":{"summary":{"type":"string"},
                          "explanation":{"type":"string"},"status":{"type":"string"}}}""")
                .tags("davis", "copilot")
                .handler((args, context) -> {
                    ObjectNode body = ToolSupport.object().put("dql", args.get(DQL));
                    JsonNode answer = copilot(client.send(client.post(body, path(COPILOT, "dql2nl:explain"))
                            .idempotent(), context), "summary");
                    ObjectNode out = ToolSupport.object();
                    CompactJson.put(out, "summary", CompactJson.text(answer, "summary"));
                    CompactJson.put(out, "explanation", CompactJson.text(answer, "explanation"));
                    out.put("status", answer.path("status").asText("unknown"));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec ask() {
        return ToolSupport.read("ask_davis_copilot", "Ask Davis CoPilot", "davis-copilot:conversations:execute")
                .description("Asks Davis CoPilot a question about the environment or about Dynatrace; returns its"
                        + " answer and the sources it names.")
                .args(QUESTION)
                .output("""
                        {"type":"object","required":["status"],"properties":{"answer":{"type":"string"},
                          "status":{"type":"string"},"sources":{"type":"array","items":{"type":"object"}}}}""")
                .tags("davis", "copilot")
                .handler((args, context) -> {
                    ObjectNode body = ToolSupport.object().put("text", args.get(QUESTION));
                    JsonNode answer = copilot(client.send(client.post(body, path(COPILOT, "conversations:message"))
                            .idempotent(), context), "text");
                    ObjectNode out = ToolSupport.object();
                    CompactJson.put(out, "answer", CompactJson.text(answer, "text"));
                    out.put("status", answer.path("status").asText("unknown"));
                    ArrayNode sources = out.putArray("sources");
                    for (JsonNode source : answer.path("metadata").path("sources")) {
                        ObjectNode item = sources.addObject();
                        CompactJson.put(item, "title", CompactJson.text(source, "title"));
                        CompactJson.put(item, "url", CompactJson.text(source, "url"));
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    /** CoPilot's answer when it succeeded and holds {@code field}; its notes as the failure otherwise. */
    private static JsonNode copilot(JsonNode answer, String field) {
        String status = answer.path("status").asText("");
        if (!status.startsWith("SUCCESSFUL") || answer.path(field).asText("").isBlank()) {
            List<String> messages = new java.util.ArrayList<>();
            notes(answer).forEach(note -> messages.add(note.asText()));
            throw new ToolFailure("Davis CoPilot answered " + (status.isEmpty() ? "without a status" : status)
                    + (messages.isEmpty() ? "" : ": " + CompactJson.clip(String.join("; ", messages), 500)));
        }
        return answer;
    }

    private static ArrayNode notes(JsonNode answer) {
        ArrayNode notes = ToolSupport.NODES.arrayNode();
        for (JsonNode notification : answer.path("metadata").path("notifications")) {
            notes.add(notification.path("message").asText(notification.toString()));
        }
        return notes;
    }

    private ToolSpec listAnalyzers() {
        return ToolSupport.read("list_davis_analyzers", "List Davis analyzers", "davis:analyzers:read")
                .description("Lists the Davis analyzers (forecasts, change points, anomaly detection, correlation)"
                        + " with their name, title and category; every page is read.")
                .args(FILTER)
                .output("""
                        {"type":"object","required":["analyzers","count"],"properties":{
                          "analyzers":{"type":"array","items":{"type":"object","properties":{
                            "name":{"type":"string"},"title":{"type":"string"},"category":{"type":"string"},
                            "description":{"type":"string"}}}},"count":{"type":"integer"}}}""")
                .tags("davis", "analyzers").fanOut()
                .handler((args, context) -> {
                    String wanted = args.optional(FILTER).map(String::toLowerCase).orElse(null);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("analyzers");
                    String page = null;
                    int pages = 0;
                    do {
                        var request = client.get(ANALYZERS).query("page-size", 100).query("add-fields", "category");
                        if (page != null) {
                            request.query("page-key", page);
                        }
                        JsonNode answer = client.send(request, context);
                        for (JsonNode analyzer : answer.path("analyzers")) {
                            String name = analyzer.path("name").asText();
                            String title = analyzer.path("displayName").asText("");
                            if (wanted != null && !name.toLowerCase().contains(wanted)
                                    && !title.toLowerCase().contains(wanted)) {
                                continue;
                            }
                            ObjectNode item = list.addObject();
                            item.put("name", name);
                            CompactJson.put(item, "title", title);
                            CompactJson.put(item, "category", CompactJson.text(analyzer.path("category"), "displayName"));
                            CompactJson.put(item, "description", CompactJson.clip(analyzer.path("description")
                                    .asText(""), 300));
                        }
                        page = answer.path("nextPageKey").isTextual() ? answer.path("nextPageKey").asText() : null;
                    } while (page != null && ++pages < 50);
                    out.put("count", list.size());
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec executeAnalyzer() {
        return ToolSupport.read("execute_davis_analyzer", "Run a Davis analyzer", "davis:analyzers:execute")
                .description("Runs a Davis analyzer with its input, waits for its result (reporting progress;"
                        + " cancelled on the platform when the call is), and returns its status, logs and output.")
                .args(ANALYZER, INPUT)
                .output("""
                        {"type":"object","required":["analyzer","status"],"properties":{
                          "analyzer":{"type":"string"},"status":{"type":"string"},
                          "logs":{"type":"array","items":{"type":"string"}},"output":{"type":"array"}}}""")
                .tags("davis", "analyzers")
                .handler((args, context) -> {
                    String analyzer = args.get(ANALYZER);
                    JsonNode input = args.optional(INPUT).orElse(ToolSupport.object());
                    // Analyzers read Grail too (their timeseries input): a used-up budget stops them as well.
                    client.budget().checkBeforeQuery();
                    PollResult<JsonNode> result = analyzerRuns.run(context, ctx -> {
                        // An analyzer only reads and computes: its POST may be retried like a GET.
                        JsonNode answer = client.send(client.post(input, path(ANALYZERS, analyzer + ":execute"))
                                .notFound("Analyzer " + analyzer).idempotent(), ctx);
                        return analyzerStep(answer, analyzer);
                    });
                    if (!(result instanceof PollResult.Finished<JsonNode> finished)) {
                        throw new ToolFailure(result.message());
                    }
                    JsonNode run = finished.value();
                    if ("FAILED".equals(run.path("resultStatus").asText())) {
                        List<String> messages = new java.util.ArrayList<>();
                        run.path("logs").forEach(log -> messages.add(log.path("message").asText()));
                        throw new ToolFailure("The analyzer " + analyzer + " failed: " + CompactJson.clip(
                                String.join("; ", messages), 500));
                    }
                    ObjectNode out = ToolSupport.object();
                    out.put("analyzer", analyzer);
                    out.put("status", run.path("resultStatus").asText(run.path("executionStatus").asText("unknown")));
                    ArrayNode logs = out.putArray("logs");
                    for (JsonNode log : run.path("logs")) {
                        logs.add(log.path("level").asText("") + " " + log.path("message").asText(""));
                    }
                    out.set("output", run.path("output").isArray() ? run.path("output") : ToolSupport.NODES.arrayNode());
                    return ToolResult.structured(out);
                }).build();
    }

    private static PollStep<String[], JsonNode> analyzerStep(JsonNode answer, String analyzer) {
        JsonNode result = answer.path("result");
        String status = result.path("executionStatus").asText("");
        if (status.equals("COMPLETED")) {
            return PollStep.done(result);
        }
        if (status.equals("ABORTED")) {
            throw new ToolFailure("The analyzer " + analyzer + " was aborted on the platform");
        }
        String token = answer.path("requestToken").asText("");
        if (token.isEmpty()) {
            throw PlatformClient.unexpected("The analyzer " + analyzer + " answered " + status + " without a request token");
        }
        return PollStep.running(new String[] {analyzer, token}, null, status);
    }
}
