package dev.bastion.example.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.spi.SettingValues;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.TestCallContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact backend requests and the error handling, against MockWebServer. */
class PrometheusProviderTest {

    private static final String TOKEN = "prom-token-4f1c2b9e7a";
    private MockWebServer server;
    private Provider provider;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        provider = create(Map.of("url", server.url("/prom").toString(), "bearer_token", TOKEN,
                "allow_insecure_loopback", true, "timeout", "1s"));
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private static Provider create(Map<String, Object> raw) {
        SecretRedactor redactor = new SecretRedactor();
        PrometheusProviderFactory factory = new PrometheusProviderFactory();
        return factory.create(SettingValues.bind("prometheus", factory.configSpec(), raw),
                new ServerProviderContext(JsonMappers.create(), redactor, Clock.systemUTC(), "test",
                        Map.of(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of()))));
    }

    private Tool tool(String name) {
        return provider.tools().stream().filter(t -> t.descriptor().name().equals(name)).findFirst().orElseThrow();
    }

    private static ObjectNode args(String... pairs) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node;
    }

    @Test
    void queryEncodesThePromqlAsAParameterAndSendsTheBearerToken() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{\"__name__\":\"up\",\"job\":\"api\"},\"value\":[1700000000.5,\"1\"]}]}}"));
        ToolResult result = tool("prometheus_query").call(args("query", "up{job=\"api\"} == 1", "time",
                "2026-11-22T00:00:00Z"), new TestCallContext());
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo("/prom/api/v1/query");
        assertThat(request.getRequestUrl().queryParameter("query")).isEqualTo("up{job=\"api\"} == 1");
        assertThat(request.getRequestUrl().queryParameter("time")).isEqualTo("2026-11-22T00:00:00Z");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getHeader("User-Agent")).isEqualTo("bastion/test");
        assertThat(result.isError()).isFalse();
        JsonNode series = result.structuredContent().get("series").get(0);
        assertThat(series.get("labels").get("job").asText()).isEqualTo("api");
        assertThat(series.get("value").asText()).isEqualTo("1");
    }

    @Test
    void queryResultsAreCutAtTheLimitAndSaySo() throws Exception {
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            results.append(i == 0 ? "" : ",").append("{\"metric\":{\"i\":\"").append(i)
                    .append("\"},\"value\":[1,\"").append(i).append("\"]}");
        }
        server.enqueue(new MockResponse().setBody("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[" + results + "]}}"));
        ObjectNode arguments = args("query", "x");
        arguments.put("limit", 2);
        ToolResult result = tool("prometheus_query").call(arguments, new TestCallContext());
        assertThat(result.structuredContent().get("series")).hasSize(2);
        assertThat(result.structuredContent().get("truncated").asBoolean()).isTrue();
    }

    @Test
    void prometheusErrorsAreReportedWithTheirTypeAndMessage() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"status\":\"error\",\"errorType\":"
                + "\"bad_data\",\"error\":\"1:4: parse error: unexpected end of input\"}"));
        ToolResult result = tool("prometheus_query").call(args("query", "up{"), new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Prometheus default rejected the request (400): bad_data: "
                + "1:4: parse error: unexpected end of input.");
    }

    @Test
    void refusedCredentialsNameTheSettingAndNotTheToken() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401).setBody("Unauthorized"));
        ToolResult result = tool("prometheus_list_alerts").call(args(), new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("rejected the bearer token (401: Unauthorized)",
                "Check the bearer_token setting").doesNotContain(TOKEN);
    }

    @Test
    void anHtmlPageFromAProxyIsSummarisedNotDumped() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
                .setBody("<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"));
        ToolResult result = tool("prometheus_list_alerts").call(args(), new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("HTTP 502 with an HTML page").doesNotContain("<html>", "nginx");
    }

    @Test
    void aSlowBackendTimesOutWithAClearMessage() throws Exception {
        server.enqueue(new MockResponse().setBody("{}").setHeadersDelay(3, TimeUnit.SECONDS));
        ToolResult result = tool("prometheus_list_alerts").call(args(), new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Prometheus default did not answer within 1 s (timeout); narrow the"
                + " query (fewer series) or raise the timeout setting.");
    }

    @Test
    void alertsAreFilteredByState() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"status\":\"success\",\"data\":{\"alerts\":["
                + "{\"labels\":{\"alertname\":\"A\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"s\"},"
                + "\"state\":\"firing\",\"activeAt\":\"2026-11-22T01:00:00Z\"},"
                + "{\"labels\":{\"alertname\":\"B\"},\"annotations\":{},\"state\":\"pending\"}]}}"));
        ToolResult result = tool("prometheus_list_alerts").call(args("state", "firing"), new TestCallContext());
        assertThat(result.allText()).contains("\"name\":\"A\"").doesNotContain("\"name\":\"B\"");
    }

    @Test
    void anAnswerWithoutThePrometheusEnvelopeSaysWhereToLook() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"items\":[]}"));
        ToolResult result = tool("prometheus_list_alerts").call(args(), new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Prometheus default answered JSON that is not the Prometheus API's;"
                + " check that url points at the Prometheus server.");
    }

    @Test
    void aTimeInAnotherFormIsRefusedBeforeAnyRequest() throws Exception {
        ToolResult result = tool("prometheus_query").call(args("query", "up", "time", "yesterday"),
                new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).startsWith("Invalid argument time: does not match the pattern ");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theDeclaredLimitDefaultApplies() throws Exception {
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            results.append(i == 0 ? "" : ",").append("{\"metric\":{},\"value\":[1,\"").append(i).append("\"]}");
        }
        server.enqueue(new MockResponse().setBody("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[" + results + "]}}"));
        ToolResult result = tool("prometheus_query").call(args("query", "x"), new TestCallContext());
        assertThat(result.structuredContent().get("series")).hasSize(20);
        assertThat(result.structuredContent().get("truncated").asBoolean()).isTrue();
    }

    @Test
    void healthIsDownWithTheBackendMessageWhenTheTokenIsRefused() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401).setBody("Unauthorized"));
        HealthStatus health = provider.health(dev.bastion.core.tool.BackgroundCall.within(java.time.Duration.ofSeconds(5)));
        assertThat(health.healthy()).isFalse();
        assertThat(health.detail()).contains("bearer_token").doesNotContain(TOKEN);
    }

    @Test
    void plainHttpToARemoteHostIsRefusedAtStartup() throws Exception {
        Map<String, Object> raw = new HashMap<>();
        raw.put("url", "http://prometheus.example.com");
        assertThatThrownBy(() -> create(raw)).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("url must use https");
    }
}
