package dev.bastion.provider.dynatrace.platform.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.testkit.MutableClock;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** The query API, Davis CoPilot and analyzers, answered by the sandbox's DQL engine over its generated data. */
class DynatracePlatformSandboxQueryTest extends DynatracePlatformSandboxTest {

    Reply execute(String token, String dql) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", dql);
        return post(token, "/platform/storage/query/v1/query:execute", body.toString());
    }

    @Test
    void slowQueryRunsThenSucceedsOnceThenIsGone() throws IOException {
        Reply started = execute(token(), "fetch logs // slow\n| limit 3");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().path("state").asText()).isEqualTo("RUNNING");
        String requestToken = started.json().path("requestToken").asText();
        String poll = "/platform/storage/query/v1/query:poll?request-token=" + URLEncoder.encode(requestToken, StandardCharsets.UTF_8);
        assertThat(get(token(), poll).json().path("state").asText()).isEqualTo("RUNNING");
        clock.advance(Duration.ofMillis(2100));
        Reply done = get(token(), poll);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.json().path("result").path("records")).hasSize(3);
        Reply gone = get(token(), poll);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().path("error").path("message").asText()).isEqualTo("QUERY_GONE");
        assertThat(get(token(), "/platform/storage/query/v1/query:poll?request-token=unknown").status()).isEqualTo(410);
        assertThat(sandbox.queriesReceived(env)).containsExactly("fetch logs // slow\n| limit 3");
    }

    @Test
    void cancelStopsARunningQuery() throws IOException {
        String requestToken = execute(token(), "fetch spans // slow").json().path("requestToken").asText();
        String q = "?request-token=" + URLEncoder.encode(requestToken, StandardCharsets.UTF_8);
        Reply cancelled = post(token(), "/platform/storage/query/v1/query:cancel" + q, "");
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(sandbox.cancelledQueries()).containsExactly(requestToken);
        assertThat(get(token(), "/platform/storage/query/v1/query:poll" + q).status()).isEqualTo(410);
    }

    @Test
    void verifyValidAndInvalidWithPosition() throws IOException {
        Reply valid = post(token(), "/platform/storage/query/v1/query:verify", "{\"query\":\"fetch logs | limit 5\"}");
        assertThat(valid.json().path("valid").asBoolean()).isTrue();
        Reply invalid = post(token(), "/platform/storage/query/v1/query:verify", "{\"query\":\"fetch logs | limt 5\"}");
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.json().path("valid").asBoolean()).isFalse();
        JsonNode notification = invalid.json().path("notifications").get(0);
        assertThat(notification.path("severity").asText()).isEqualTo("ERROR");
        assertThat(notification.path("notificationType").asText()).isEqualTo("UNKNOWN_COMMAND");
        assertThat(notification.path("syntaxPosition").path("start").path("line").asInt()).isEqualTo(1);
        assertThat(notification.path("syntaxPosition").path("start").path("column").asInt()).isEqualTo(14);
    }

    @Test
    void executeSyntaxErrorIsTheErrorBodyWithPosition() throws IOException {
        Reply reply = execute(token(), "fetch logs | limt 5");
        assertThat(reply.status()).isEqualTo(400);
        JsonNode details = reply.json().path("error").path("details");
        assertThat(reply.json().path("error").path("code").asInt()).isEqualTo(400);
        assertThat(details.path("errorType").asText()).isEqualTo("UNKNOWN_COMMAND");
        assertThat(details.path("syntaxErrorPosition").path("start").path("column").asInt()).isEqualTo(14);
        assertThat(details.path("queryString").asText()).isEqualTo("fetch logs | limt 5");
    }

    @Test
    void scopesPerDataObject() throws IOException {
        String logsOnly = oauth("storage:buckets:read storage:logs:read").json().path("access_token").asText();
        assertThat(execute(logsOnly, "fetch logs | limit 1").status()).isEqualTo(200);
        Reply problems = execute(logsOnly, "fetch dt.davis.problems | limit 1");
        assertThat(problems.status()).isEqualTo(403);
        assertThat(problems.body()).contains("storage:events:read");
        assertThat(execute(logsOnly, "fetch security.events | limit 1").body()).contains("storage:security.events:read");
        assertThat(execute(logsOnly, "fetch dt.entity.host").body()).contains("storage:entities:read");
        assertThat(execute(logsOnly, "timeseries avg(dt.host.cpu.usage)").body()).contains("storage:metrics:read");
        String noBuckets = oauth("storage:logs:read").json().path("access_token").asText();
        assertThat(execute(noBuckets, "fetch logs | limit 1").body()).contains("storage:buckets:read");
    }

    @Test
    void resultsHaveTypesMetadataAndLongsAsStrings() throws IOException {
        Reply reply = execute(token(), "fetch logs | summarize count()");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode result = reply.json().path("result");
        assertThat(result.path("records").get(0).path("count()").isTextual()).isTrue();
        assertThat(result.path("types").get(0).path("indexRange").toString()).isEqualTo("[0,0]");
        assertThat(result.path("types").get(0).path("mappings").path("count()").path("type").asText()).isEqualTo("long");
        JsonNode grail = result.path("metadata").path("grail");
        assertThat(grail.path("scannedRecords").asLong()).isPositive();
        assertThat(grail.has("analysisTimeframe")).isTrue();
        ObjectNode body = JSON.createObjectNode();
        body.put("query", "fetch logs");
        body.put("maxResultRecords", 5);
        Reply cut = post(token(), "/platform/storage/query/v1/query:execute", body.toString());
        assertThat(cut.json().path("result").path("records")).hasSize(5);
        assertThat(cut.json().path("result").path("metadata").path("grail").path("notifications").get(0)
                .path("notificationType").asText()).isEqualTo("RESULT_TRUNCATED");
    }

    @Test
    void twentyRealisticQueries() throws IOException {
        List<String> queries = List.of(
                "fetch logs | filter loglevel == \"ERROR\" | sort timestamp desc | limit 10",
                "fetch logs, from:now()-24h | summarize count(), by:{loglevel}",
                "fetch logs | filter contains(content, \"checkout\") | fields timestamp, content, service.name | limit 20",
                "fetch logs, from:now()-7d | summarize errors = countIf(loglevel == \"ERROR\"), by:{service.name}",
                "fetch events, from:now()-7d | filter isNotNull(k8s.cluster.name) | sort timestamp desc | limit 50",
                "fetch events, from:now()-7d | filter event.type == \"CUSTOM_DEPLOYMENT\" | fields timestamp, event.name",
                "fetch bizevents, from:now()-7d | summarize revenue = sum(amount), by:{currency}",
                "fetch spans, from:now()-7d | filter request.is_failed == true | summarize count(), by:{service.name}",
                "fetch spans, from:now()-1d | summarize avg(duration), by:{span.name}",
                "fetch dt.davis.problems, from:now()-7d | filter event.status == \"ACTIVE\" | sort timestamp desc",
                "fetch dt.davis.problems, from:now()-7d | summarize count(), by:{event.category}",
                "fetch security.events, from:now()-30d | filter event.type == \"VULNERABILITY_STATE_REPORT_EVENT\" "
                        + "| filter vulnerability.resolution.status == \"OPEN\" | sort vulnerability.risk.score desc | limit 100",
                "fetch security.events, from:now()-30d | filter vulnerability.risk.level == \"CRITICAL\" "
                        + "| fields vulnerability.display_id, vulnerability.title, vulnerability.references.cve",
                "fetch user.events, from:now()-7d | filter isNotNull(error.id) | fields start_time, error.type, error.message, frontend.name",
                "fetch dt.entity.host | fields id, entity.name, tags",
                "fetch dt.entity.service | filter contains(entity.name, \"pay\")",
                "fetch dt.entity.kubernetes_cluster",
                "timeseries avg(dt.host.cpu.usage), by:{dt.entity.host}",
                "timeseries cpu = max(dt.host.cpu.usage), from:now()-1h, interval:5m",
                "timeseries sum(dt.service.request.count), by:{dt.entity.service}, from:now()-6h");
        for (String query : queries) {
            Reply reply = execute(token(), query);
            assertThat(reply.status()).as(query + " -> " + reply.body()).isEqualTo(200);
            assertThat(reply.json().path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(reply.json().path("result").path("records").size()).as(query).isPositive();
        }
        assertThat(sandbox.queriesReceived(env)).hasSize(20);
    }

    @Test
    void environmentsHaveTheirOwnData() throws IOException {
        String first = execute(token(), "fetch dt.entity.host | fields id").json().path("result").path("records").toString();
        String other = sandbox.environmentIds().get(1);
        ObjectNode body = JSON.createObjectNode().put("query", "fetch dt.entity.host | fields id");
        Reply second = send(new Request.Builder().url(sandbox.environmentUrl(other) + "/platform/storage/query/v1/query:execute")
                .header("Authorization", "Bearer " + sandbox.platformToken(other))
                .post(RequestBody.create(body.toString(), APPLICATION_JSON)).build());
        assertThat(second.json().path("result").path("records").toString()).isNotEqualTo(first);
    }

    @Test
    void ingestedEventsAreQueryable() throws IOException {
        post(token(), "/platform/classic/environment-api/v2/events/ingest",
                "{\"eventType\":\"CUSTOM_INFO\",\"title\":\"Sandbox marker 4711\"}");
        clock.advance(Duration.ofSeconds(1));
        Reply reply = execute(token(), "fetch events | filter event.name == \"Sandbox marker 4711\"");
        assertThat(reply.json().path("result").path("records")).hasSize(1);
    }

    @Test
    void nl2dqlGeneratesQueriesTheEngineRuns() throws IOException {
        for (String phrase : List.of("error logs of the last 2 hours", "problems", "open vulnerabilities",
                "hosts with high cpu", "how many open problems", "failed requests", "kubernetes events of the last 3 days")) {
            Reply generated = post(token(), "/platform/davis/copilot/v1/skills/nl2dql:generate",
                    JSON.createObjectNode().put("text", phrase).toString());
            assertThat(generated.status()).isEqualTo(200);
            assertThat(generated.json().path("status").asText()).as(phrase).isEqualTo("SUCCESSFUL");
            String dql = generated.json().path("dql").asText();
            Reply ran = execute(token(), dql);
            assertThat(ran.status()).as(dql + " -> " + ran.body()).isEqualTo(200);
        }
        assertThat(post(token(), "/platform/davis/copilot/v1/skills/nl2dql:generate", "{\"text\":\"make me a sandwich\"}")
                .json().path("status").asText()).isEqualTo("FAILED");
        String errorLogs = post(token(), "/platform/davis/copilot/v1/skills/nl2dql:generate",
                "{\"text\":\"error logs of the last 2 hours\"}").json().path("dql").asText();
        assertThat(errorLogs).contains("fetch logs, from:now()-2h").contains("loglevel == \"ERROR\"");
    }

    @Test
    void dql2nlAndConversation() throws IOException {
        Reply explained = post(token(), "/platform/davis/copilot/v1/skills/dql2nl:explain",
                "{\"dql\":\"fetch logs | filter loglevel == \\\"ERROR\\\" | limit 5\"}");
        assertThat(explained.json().path("status").asText()).isEqualTo("SUCCESSFUL");
        assertThat(explained.json().path("summary").asText()).contains("log records").contains("at most 5");
        assertThat(explained.json().path("explanation").asText()).contains("loglevel == \"ERROR\"");
        assertThat(post(token(), "/platform/davis/copilot/v1/skills/dql2nl:explain", "{\"dql\":\"fetch logs | limt 5\"}")
                .json().path("status").asText()).isEqualTo("FAILED");

        long open = execute(token(), "fetch dt.davis.problems, from:now()-8d | filter event.status == \"ACTIVE\"")
                .json().path("result").path("records").size();
        Reply chat = post(token(), "/platform/davis/copilot/v1/skills/conversations:message",
                "{\"text\":\"Which problems are open right now?\"}");
        assertThat(chat.json().path("text").asText()).contains(open + " open problems");
        assertThat(chat.json().path("state").path("history")).hasSize(2);
        String lacking = oauth("davis-copilot:nl2dql:execute").json().path("access_token").asText();
        assertThat(post(lacking, "/platform/davis/copilot/v1/skills/conversations:message", "{\"text\":\"hi\"}").body())
                .contains("davis-copilot:conversations:execute");
    }

    @Test
    void forecastAnalyzerRunsThenCompletes() throws IOException {
        Reply list = get(token(), "/platform/davis/analyzers/v1/analyzers");
        assertThat(list.json().path("analyzers").size()).isGreaterThanOrEqualTo(3);
        Reply definition = get(token(), "/platform/davis/analyzers/v1/analyzers/dt.statistics.GenericForecastAnalyzer");
        assertThat(definition.json().path("input").get(0).path("key").asText()).isEqualTo("timeSeriesData");
        Reply started = post(token(), "/platform/davis/analyzers/v1/analyzers/dt.statistics.GenericForecastAnalyzer:execute",
                "{\"timeSeriesData\":\"timeseries avg(dt.host.cpu.usage), from:now()-2h\",\"forecastHorizon\":12}");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().path("result").path("executionStatus").asText()).isEqualTo("RUNNING");
        String poll = "/platform/davis/analyzers/v1/analyzers/dt.statistics.GenericForecastAnalyzer:poll?request-token="
                + URLEncoder.encode(started.json().path("requestToken").asText(), StandardCharsets.UTF_8);
        assertThat(get(token(), poll).json().path("result").path("executionStatus").asText()).isEqualTo("RUNNING");
        clock.advance(Duration.ofSeconds(1));
        Reply done = get(token(), poll);
        JsonNode output = done.json().path("result").path("output").get(0);
        assertThat(done.json().path("result").path("executionStatus").asText()).isEqualTo("COMPLETED");
        assertThat(output.path("analysisStatus").asText()).isEqualTo("OK");
        assertThat(output.path("timeSeriesDataWithPredictions").path("records").get(0).path("dt.davis.forecast:point")).hasSize(12);
        assertThat(get(token(), poll).status()).isEqualTo(410);
        String readOnly = oauth("davis:analyzers:read").json().path("access_token").asText();
        assertThat(post(readOnly, "/platform/davis/analyzers/v1/analyzers/dt.statistics.GenericForecastAnalyzer:execute",
                "{\"timeSeriesData\":\"timeseries avg(dt.host.cpu.usage)\"}").status()).isEqualTo(403);
    }

    @Test
    void holdUntilThreeProvesAConcurrentFanOut() throws Exception {
        try (DynatracePlatformSandbox held = DynatracePlatformSandbox.start(
                new DynatracePlatformSandbox.Options(42L, new MutableClock(), Duration.ZERO, 3))) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Reply>> replies = new ArrayList<>();
                for (String id : held.environmentIds()) {
                    replies.add(pool.submit(() -> send(new Request.Builder()
                            .url(held.environmentUrl(id) + "/platform/storage/query/v1/query:execute")
                            .header("Authorization", "Bearer " + held.platformToken(id))
                            .post(RequestBody.create("{\"query\":\"fetch logs | limit 1\"}", APPLICATION_JSON)).build())));
                }
                for (Future<Reply> reply : replies) {
                    assertThat(reply.get().status()).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
