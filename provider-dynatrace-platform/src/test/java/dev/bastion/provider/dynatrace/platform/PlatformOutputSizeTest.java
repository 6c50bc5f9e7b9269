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
            assertThat(toolLogs).isLessThan(rawLogs);
            assertThat(toolProblems).isLessThan(rawProblems);
        }
    }
}
