package dev.bastion.provider.dynatrace.managed;

import static dev.bastion.provider.dynatrace.managed.TestCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import dev.bastion.provider.dynatrace.managed.sandbox.SandboxEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compact outputs are a fraction of the raw API JSON for the same request. The figures are written
 * to {@code target/output-size.txt}.
 */
class OutputSizeTest {

    private static DynatraceManagedSandbox sandbox;
    private static SandboxEnvironment environment;
    private static Provider provider;
    private static final List<String> FIGURES = new ArrayList<>();

    @BeforeAll
    static void start() {
        sandbox = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults());
        environment = sandbox.environment("sandbox");
        provider = SandboxProviders.provider(sandbox, 0, TestProviderContext.create());
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "output-size.txt"), String.join("\n", FIGURES) + "\n");
    }

    private static int rawBytes(String path, String... query) throws Exception {
        HttpUrl.Builder url = HttpUrl.get(sandbox.url() + "/e/" + environment.environmentId() + "/api/v2/" + path)
                .newBuilder();
        for (int i = 0; i < query.length; i += 2) {
            url.addQueryParameter(query[i], query[i + 1]);
        }
        Request request = new Request.Builder().url(url.build())
                .header("Authorization", "Api-Token " + environment.token()).build();
        try (Response response = new OkHttpClient().newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return response.body().bytes().length;
        }
    }

    private static int compactBytes(ToolResult result) {
        assertThat(result.isError()).as(result.allText()).isFalse();
        return result.allText().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void record(String what, int raw, int compact) {
        FIGURES.add(String.format(java.util.Locale.ROOT, "%s: raw %d bytes, compact %d bytes, ratio %.3f",
                what, raw, compact, (double) compact / raw));
        assertThat(compact * 3).as(what).isLessThan(raw);
    }

    @Test
    void listProblemsWithFiftyProblemsIsUnderAThirdOfTheRawJson() throws Exception {
        int raw = rawBytes("problems", "from", "now-24h", "pageSize", "50");
        int compact = compactBytes(call(provider, "list_problems", "{\"limit\":50}"));
        record("list_problems (50 problems)", raw, compact);
    }

    @Test
    void queryMetricsDataIsUnderAThirdOfTheRawJson() throws Exception {
        int raw = rawBytes("metrics/query", "metricSelector", "builtin:host.cpu.usage:splitBy(\"dt.entity.host\"):avg",
                "from", "now-2h", "resolution", "1m");
        int compact = compactBytes(call(provider, "query_metrics_data", "{\"metric_keys\":[\"builtin:host.cpu.usage\"],"
                + "\"aggregation\":\"avg\",\"split_by\":[\"dt.entity.host\"],\"from\":\"now-2h\",\"resolution\":\"1m\"}"));
        record("query_metrics_data (12 hosts x 120 points)", raw, compact);
    }

    @Test
    void listEventsWithAHundredEventsIsUnderAThirdOfTheRawJson() throws Exception {
        int raw = rawBytes("events", "from", "now-2h", "pageSize", "100");
        int compact = compactBytes(call(provider, "list_events", "{\"limit\":100}"));
        record("list_events (100 events)", raw, compact);
    }
}
