package dev.bastion.provider.dynatrace.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.provider.dynatrace.platform.sandbox.DynatracePlatformSandbox;
import dev.bastion.testkit.ProviderHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the tools answer against what the raw query API answers, for the same records. */
class PlatformOutputSizeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static DynatracePlatformSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = DynatracePlatformSandbox.start(DynatracePlatformSandbox.Options.defaults());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static int raw(String query, int max) throws IOException {
        String env = sandbox.environmentIds().get(0);
        String body = JSON.createObjectNode().put("query", query).put("maxResultRecords", max).toString();
        try (Response response = new OkHttpClient().newCall(new Request.Builder()
                .url(sandbox.environmentUrl(env) + "/platform/storage/query/v1/query:execute")
                .header("Authorization", "Bearer " + sandbox.platformToken(env))
                .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute()) {
            return response.body().bytes().length;
        }
    }

    private static int tool(ProviderHarness harness, String tool, JsonNode arguments) throws IOException {
        JsonNode result = harness.call(tool, (com.fasterxml.jackson.databind.node.ObjectNode) arguments);
        assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
        return JSON.writeValueAsString(result.path("structuredContent")).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The compact table's rows with every cell as its value, in the plain table's column order. */
    private static JsonNode expand(JsonNode table) {
        com.fasterxml.jackson.databind.node.ArrayNode rows = JSON.createArrayNode();
        for (JsonNode row : table.path("rows")) {
            com.fasterxml.jackson.databind.node.ArrayNode cells = rows.addArray();
            for (int k = 0; k < row.size(); k++) {
                JsonNode column = table.path("columns").get(k);
                JsonNode cell = row.get(k);
                cells.add(column.has("values") && !cell.isNull() ? column.path("values").get(cell.asInt()) : cell);
            }
        }
        return rows;
    }

    @Test
    void compactAnswersAreSmallerThanTheRawApiJson() throws IOException {
        try (ProviderHarness harness = ProviderHarness.start(new DynatracePlatformProviderFactory(),
                sandbox.instances().get(0))) {
            int rawLogs = raw("fetch logs, from:now()-7d | limit 1000", 1000);
            int toolLogs = tool(harness, "dynatrace_platform_execute_dql", JSON.createObjectNode()
                    .put("query", "fetch logs, from:now()-7d | limit 1000").put("max_records", 1000));
            int rawProblems = raw("fetch dt.davis.problems, from:now()-7d | sort event.start desc | limit 50", 50);
            int toolProblems = tool(harness, "dynatrace_platform_list_problems", JSON.createObjectNode()
                    .put("timeframe", "7d").put("limit", 50));
            System.out.printf("execute_dql 1000 logs: %d bytes against %d raw (%.2f); list_problems 50: %d against %d"
                    + " (%.2f)%n", toolLogs, rawLogs, toolLogs / (double) rawLogs, toolProblems, rawProblems,
                    toolProblems / (double) rawProblems);
            assertThat(toolLogs * 3).as("execute_dql at most a third of the raw JSON").isLessThanOrEqualTo(rawLogs);
            assertThat(harness.call("dynatrace_platform_execute_dql", JSON.createObjectNode()
                    .put("query", "fetch logs, from:now()-7d | limit 1000").put("max_records", 1000))
                    .path("structuredContent").has("truncated")).as("1,000 compact log records fit in one result").isFalse();
            assertThat(toolProblems * 3).as("list_problems at most a third").isLessThanOrEqualTo(rawProblems);
            // 300 records, so that the plain table fits in one tool result too.
            JsonNode plain = harness.call("dynatrace_platform_execute_dql", JSON.createObjectNode()
                    .put("query", "fetch logs, from:now()-7d | limit 300").put("max_records", 300).put("table", "plain"))
                    .path("structuredContent");
            JsonNode compact = harness.call("dynatrace_platform_execute_dql", JSON.createObjectNode()
                    .put("query", "fetch logs, from:now()-7d | limit 300").put("max_records", 300))
                    .path("structuredContent");
            assertThat(plain.has("truncated")).isFalse();
            assertThat(expand(compact)).as("the compact table holds every value of the plain one")
                    .isEqualTo(plain.path("rows"));
        }
    }
}
