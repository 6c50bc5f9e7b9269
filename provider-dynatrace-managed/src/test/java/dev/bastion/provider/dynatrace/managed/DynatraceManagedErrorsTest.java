package dev.bastion.provider.dynatrace.managed;

import dev.bastion.toolkit.http.BackendSettings;
import static dev.bastion.provider.dynatrace.managed.TestCalls.TOKEN;
import static dev.bastion.provider.dynatrace.managed.TestCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.ToolResult;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every failure class becomes a short, actionable error result without secrets or Java internals. */
class DynatraceManagedErrorsTest {

    private MockWebServer server;
    private Provider provider;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        provider = TestCalls.provider(TestCalls.config("prod", server.url("/").uri(), "abc12345", TOKEN,
                Map.of(BackendSettings.TIMEOUT, Duration.ofSeconds(2))), TestProviderContext.create());
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private void enqueue(int times, MockResponse response) {
        for (int i = 0; i < times; i++) {
            server.enqueue(response.clone());
        }
    }

    private static String failure(ToolResult result) {
        assertThat(result.isError()).isTrue();
        String text = result.allText();
        assertThat(text).doesNotContain(TOKEN).doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("\tat ").doesNotContain("okhttp3");
        return text;
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    @Test
    void badRequestNamesEachViolatedParameter() {
        enqueue(1, json(400, "{\"error\":{\"code\":400,\"message\":\"Constraints violated.\",\"constraintViolations\":["
                + "{\"path\":\"metricSelector\",\"message\":\"must not be empty\",\"parameterLocation\":\"QUERY\","
                + "\"location\":null},{\"path\":\"from\",\"message\":\"invalid timeframe\",\"parameterLocation\":\"QUERY\"}]}}"));
        String text = failure(call(provider, "query_metrics_data", "{\"metric_keys\":[\"builtin:host.cpu.usage\"]}"));
        assertThat(text).isEqualTo("Dynatrace environment prod rejected the request (400): metricSelector (query):"
                + " must not be empty; from (query): invalid timeframe.");
    }

    @Test
    void unauthorizedSaysTheTokenIsRejected() {
        enqueue(1, json(401, "{\"error\":{\"code\":401,\"message\":\"Token Authentication failed\"}}"));
        String text = failure(call(provider, "list_problems", "{}"));
        assertThat(text).isEqualTo("Dynatrace environment prod rejected the API token (401: Token Authentication"
                + " failed); it is missing, invalid, expired or revoked. Check the api_token setting.");
    }

    @Test
    void forbiddenNamesTheScopeTheToolNeeds() {
        enqueue(1, json(403, "{\"error\":{\"code\":403,\"message\":\"Token is missing required scope.\"}}"));
        String text = failure(call(provider, "list_problems", "{}"));
        assertThat(text).isEqualTo("Dynatrace environment prod refused access (403: Token is missing required"
                + " scope.); the API token in api_token lacks a permission. dynatrace_managed_list_problems needs the"
                + " API token scope problems.read; add it to the token of that environment.");
    }

    @Test
    void forbiddenWriteNamesTheWriteScope() {
        enqueue(1, json(403, "{\"error\":{\"code\":403,\"message\":\"Forbidden\"}}"));
        assertThat(failure(call(provider, "ingest_event", "{\"event_type\":\"CUSTOM_INFO\",\"title\":\"t\"}")))
                .contains("dynatrace_managed_ingest_event needs the API token scope events.ingest");
    }

    @Test
    void notFoundNamesTheObjectAndEnvironment() {
        enqueue(1, json(404, "{\"error\":{\"code\":404,\"message\":\"The requested problem was not found.\"}}"));
        assertThat(failure(call(provider, "get_problem_details", "{\"problem_id\":\"4711_1V2\"}")))
                .isEqualTo("Problem 4711_1V2 not found in environment prod.");
    }

    @Test
    void rateLimitSaysWhenToRetry() {
        enqueue(4, json(429, "{\"error\":{\"code\":429,\"message\":\"Too many requests\"}}").setHeader("Retry-After", "1"));
        assertThat(failure(call(provider, "list_events", "{}")))
                .isEqualTo("Dynatrace environment prod is rate limiting requests (429); retry after 1 s.");
    }

    @Test
    void serverErrorSuggestsTryingLater() {
        enqueue(4, json(500, "{\"error\":{\"code\":500,\"message\":\"Internal Server Error\"}}"));
        assertThat(failure(call(provider, "list_slos", "{}")))
                .isEqualTo("Dynatrace environment prod failed with HTTP 500 (Internal Server Error); try again later.");
    }

    @Test
    void timeoutSaysHowLongItWaited() {
        enqueue(4, new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        assertThat(failure(call(provider, "list_audit_logs", "{}")))
                .isEqualTo("Dynatrace environment prod did not answer within 2 s (timeout); narrow the time range or"
                        + " the selector, or try again later.");
    }

    @Test
    void cancelledCallCancelsTheBackendRequest() throws Exception {
        enqueue(1, new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        dev.bastion.core.tool.Tool tool = provider.tools().stream()
                .filter(t -> t.descriptor().name().equals("dynatrace_managed_list_problems")).findFirst().orElseThrow();
        ToolResult result = tool.call(TestCalls.JSON.createObjectNode(), TestCalls.context(true));
        assertThat(failure(result)).isEqualTo("The call to Dynatrace environment prod was cancelled.");
    }

    @Test
    void malformedJsonIsReportedAsSuch() {
        enqueue(1, json(200, "{\"problems\":[{\"problemId\":"));
        assertThat(failure(call(provider, "list_problems", "{}"))).isEqualTo("Dynatrace environment prod answered"
                + " HTTP 200 with a body that is not valid JSON; a proxy may be rewriting responses.");
    }

    @Test
    void htmlErrorPageFromAProxyIsRecognised() {
        enqueue(4, new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
                .setBody("<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"));
        assertThat(failure(call(provider, "list_problems", "{}")))
                .startsWith("Dynatrace environment prod answered HTTP 502 with an HTML page instead of API JSON")
                .doesNotContain("nginx");
    }

    @Test
    void htmlLoginPageWithStatus200IsNotTakenForData() {
        enqueue(1, new MockResponse().setResponseCode(200).setBody("  <!DOCTYPE html><html>Sign in</html>"));
        assertThat(failure(call(provider, "list_slos", "{}"))).contains("with an HTML page instead of API JSON");
    }

    @Test
    void unreachableBackendIsReportedWithoutInternals() throws Exception {
        server.shutdown();
        assertThat(failure(call(provider, "list_problems", "{}"))).startsWith("Cannot reach Dynatrace environment prod");
    }

    @Test
    void backendMessagesThatEchoTheTokenAreRedacted() {
        enqueue(1, json(400, "{\"error\":{\"code\":400,\"message\":\"Invalid token " + TOKEN + "\"}}"));
        String text = failure(call(provider, "list_problems", "{}"));
        assertThat(text).contains("[REDACTED]");
    }

    @Test
    void controlCharactersInSelectorValuesAreRejectedBeforeAnyRequest() {
        String text = failure(call(provider, "discover_entities",
                "{\"entity_type\":\"HOST\",\"entity_name\":\"web\\n),type(\\\"SERVICE\"}"));
        assertThat(text).isEqualTo("Invalid argument entity_name: must not contain control characters such as line"
                + " breaks, line separators or bidirectional formatting characters.");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void pathTraversalInIdsIsRefusedBeforeAnyRequest() {
        assertThat(failure(call(provider, "get_problem_details", "{\"problem_id\":\"../../config\"}")))
                .isEqualTo("Invalid argument problem_id: does not match the pattern ^[A-Za-z0-9_\\-]{1,100}$.");
        assertThat(failure(call(provider, "get_problem_details", "{\"problem_id\":\"..\"}")))
                .isEqualTo("Invalid argument problem_id: does not match the pattern ^[A-Za-z0-9_\\-]{1,100}$.");
        assertThat(server.getRequestCount()).isZero();
    }
}
