package dev.bastion.provider.dynatrace.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.dynatrace.platform.sandbox.DynatracePlatformSandbox;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Dql;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlData;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlResult;
import dev.bastion.testkit.ProviderHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tools against the sandbox through the server's pipeline: hostile values stay one literal in the
 * DQL the sandbox received, the descriptions' example runs, OAuth works end to end.
 */
class PlatformSandboxToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "x\") or true | fetch logs // \\\"\n| limit 1 \"";
    private static DynatracePlatformSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = DynatracePlatformSandbox.start(DynatracePlatformSandbox.Options.defaults());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static ProviderHarness harness(int instance) {
        return ProviderHarness.start(new DynatracePlatformProviderFactory(), sandbox.instances().get(instance));
    }

    private static String lastQuery(int instance) {
        List<String> queries = sandbox.queriesReceived(sandbox.environmentIds().get(instance));
        return queries.get(queries.size() - 1);
    }

    /** One record whose {@code field} is the hostile value and one whose field differs. */
    private static DqlData data(String table, String field) {
        ObjectNode match = JSON.createObjectNode().put("timestamp", Instant.now().minusSeconds(60).toString())
                .put(field, HOSTILE);
        if (!field.equals("k8s.cluster.name")) {
            match.put("k8s.cluster.name", "c1");
        }
        match.put("error.type", "TypeError");
        ObjectNode other = match.deepCopy().put(field, "something else");
        return new DqlData() {
            @Override
            public Optional<List<ObjectNode>> table(String name) {
                return name.equals(table) ? Optional.of(List.of(match, other)) : Optional.empty();
            }

            @Override
            public Optional<List<ObjectNode>> metric(String key) {
                return Optional.empty();
            }
        };
    }

    private static DqlResult evaluate(String query, DqlData data) {
        Instant now = Instant.now();
        return Dql.parse(query).evaluate(data, now, now.minus(Duration.ofHours(2)), now, 100);
    }

    @Test
    void aHostileValueIsOneLiteralInEveryTypedToolsQuery() {
        Map<String, String[]> cases = Map.of(
                "dynatrace_platform_list_problems", new String[] {"text", "dt.davis.problems", "event.name"},
                "dynatrace_platform_find_entities", new String[] {"name", "dt.entity.host", "entity.name"},
                "dynatrace_platform_list_kubernetes_events", new String[] {"namespace", "events", "k8s.namespace.name"},
                "dynatrace_platform_list_exceptions", new String[] {"frontend", "user.events", "frontend.name"});
        try (ProviderHarness harness = harness(0)) {
            cases.forEach((tool, spec) -> {
                ObjectNode arguments = JSON.createObjectNode().put(spec[0], HOSTILE);
                if (tool.endsWith("find_entities")) {
                    arguments.put("type", "host");
                }
                JsonNode result = harness.call(tool, arguments);
                assertThat(result.path("isError").asBoolean()).as(tool + ": " + result).isFalse();
                String query = lastQuery(0);
                DqlResult answer = evaluate(query, data(spec[1], spec[2]));
                assertThat(answer.records()).as(tool + ": " + query).hasSize(1);
                assertThat(answer.records().get(0).path(spec[2]).asText()).isEqualTo(HOSTILE);
            });
        }
    }

    @Test
    void theExampleInExecuteDqlsDescriptionRuns() {
        try (ProviderHarness harness = harness(0)) {
            JsonNode result = harness.call("dynatrace_platform_execute_dql", JSON.createObjectNode().put("query",
                    "fetch logs, from:now()-2h | filter loglevel == \"ERROR\" | summarize count(), by:{k8s.namespace.name}"));

            assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
            assertThat(result.path("structuredContent").path("record_count").asInt()).isPositive();
            assertThat(result.path("structuredContent").path("scanned_bytes").asLong()).isPositive();
        }
    }

    @Test
    void anOauthEnvironmentWorksEndToEndWithTheToolsScopes() {
        try (ProviderHarness harness = harness(2)) {
            JsonNode problems = harness.call("dynatrace_platform_list_problems",
                    JSON.createObjectNode().put("timeframe", "7d"));
            JsonNode copilot = harness.call("dynatrace_platform_generate_dql",
                    JSON.createObjectNode().put("text", "error logs of the last 2 hours"));

            assertThat(problems.path("isError").asBoolean()).as(problems.toString()).isFalse();
            assertThat(problems.path("structuredContent").path("count").asInt()).isPositive();
            assertThat(copilot.path("isError").asBoolean()).as(copilot.toString()).isFalse();
            assertThat(copilot.path("structuredContent").path("dql").asText()).startsWith("fetch logs");
            assertThat(sandbox.requests()).anyMatch(r -> r.rawPath().equals("/sso/oauth2/token"));
        }
    }

    @Test
    void aSyntaxErrorFromTheSandboxNamesItsPosition() {
        try (ProviderHarness harness = harness(1)) {
            JsonNode result = harness.call("dynatrace_platform_execute_dql",
                    JSON.createObjectNode().put("query", "fetch logs | limt 5"));
            JsonNode verified = harness.call("dynatrace_platform_verify_dql",
                    JSON.createObjectNode().put("query", "fetch logs | limt 5"));

            assertThat(result.path("isError").asBoolean()).isTrue();
            assertThat(result.toString()).contains("limt").contains("line 1, column 14");
            assertThat(verified.path("structuredContent").path("valid").asBoolean()).isFalse();
            assertThat(verified.path("structuredContent").path("notifications").get(0).path("column").asInt())
                    .isEqualTo(14);
        }
    }

    @Test
    void theDocumentedFiltersFindTheirRecords() {
        try (ProviderHarness harness = harness(0)) {
            JsonNode log4j = harness.call("dynatrace_platform_list_vulnerabilities",
                    JSON.createObjectNode().put("cve", "CVE-2021-44228"));
            JsonNode backOff = harness.call("dynatrace_platform_list_kubernetes_events",
                    JSON.createObjectNode().put("reason", "BackOff").put("timeframe", "1w"));
            JsonNode weeks = harness.call("dynatrace_platform_list_problems", JSON.createObjectNode().put("timeframe", "1w"));
            JsonNode applications = harness.call("dynatrace_platform_find_entities",
                    JSON.createObjectNode().put("type", "application"));

            assertThat(log4j.path("structuredContent").path("count").asInt()).as(log4j.toString()).isPositive();
            assertThat(log4j.path("structuredContent").path("vulnerabilities").findValuesAsText("cves").toString())
                    .doesNotContain("CVE-2099");
            assertThat(backOff.path("isError").asBoolean()).as(backOff.toString()).isFalse();
            assertThat(backOff.path("structuredContent").path("record_count").asInt()).isPositive();
            assertThat(weeks.path("isError").asBoolean()).as("a timeframe in weeks: " + weeks).isFalse();
            assertThat(applications.path("structuredContent").path("count").asInt()).as(applications.toString())
                    .isPositive();
        }
    }

    @Test
    void aResultTooLargeForOneToolResultKeepsTheFirstRecordsAndSaysSo() {
        try (ProviderHarness harness = harness(0)) {
            JsonNode result = harness.call("dynatrace_platform_execute_dql", JSON.createObjectNode()
                    .put("query", "fetch logs, from:now()-7d").put("max_records", 10000));

            assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
            JsonNode table = result.path("structuredContent");
            assertThat(table.path("truncated").asBoolean()).isTrue();
            assertThat(table.path("record_count").asInt()).isEqualTo(table.path("rows").size())
                    .isLessThan(table.path("records_received").asInt());
            assertThat(table.toString().length()).isLessThanOrEqualTo(GrailQueries.MAX_TABLE_CHARS);
            assertThat(table.path("notifications").toString()).contains("Only the first " + table.path("record_count")
                    .asInt() + " of " + table.path("records_received").asInt() + " records fit");
        }
    }
}
