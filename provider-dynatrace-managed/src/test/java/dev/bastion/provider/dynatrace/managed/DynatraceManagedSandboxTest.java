package dev.bastion.provider.dynatrace.managed;

import static dev.bastion.provider.dynatrace.managed.TestCalls.JSON;
import static dev.bastion.provider.dynatrace.managed.TestCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Cursor;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import dev.bastion.provider.dynatrace.managed.sandbox.SandboxEnvironment;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every tool through the provider against the loopback sandbox, plus the sandbox's own API rules. */
class DynatraceManagedSandboxTest {

    private static DynatraceManagedSandbox sandbox;
    private static Provider provider;
    private static SandboxEnvironment environment;
    private static final OkHttpClient RAW = new OkHttpClient();

    @BeforeAll
    static void start() {
        sandbox = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults());
        environment = sandbox.environment("sandbox");
        provider = SandboxProviders.provider(sandbox, 0, TestProviderContext.create());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static JsonNode ok(ToolResult result) {
        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.allText()).doesNotContain(environment.token());
        return result.structuredContent();
    }

    private static Response raw(String pathAndQuery, String token) throws Exception {
        HttpUrl url = HttpUrl.get(sandbox.url() + "/e/" + environment.environmentId() + "/api/v2/" + pathAndQuery);
        Request.Builder request = new Request.Builder().url(url);
        if (token != null) {
            request.header("Authorization", "Api-Token " + token);
        }
        return RAW.newCall(request.build()).execute();
    }

    @Test
    void defaultSandboxOffersOneEnvironmentWithAFreshClassicToken() {
        Sandbox started = new DynatraceManagedProviderFactory().startSandbox().orElseThrow();
        try {
            assertThat(started.instances()).hasSize(1);
            Map<String, Object> instance = started.instances().get(0);
            assertThat(instance.get("alias")).isEqualTo("sandbox");
            assertThat((String) instance.get("api_token")).matches("^dt0c01\\.[A-Z2-7]{24}\\.[A-Z2-7]{64}$")
                    .isNotEqualTo(environment.token());
            assertThat((String) instance.get("url")).startsWith("http://127.0.0.1:");
            assertThat(instance.get("allow_insecure_loopback")).isEqualTo(true);
        } finally {
            started.close();
        }
    }

    @Test
    void everyReadToolAnswersFromTheSandbox() {
        assertThat(ok(call(provider, "get_environments_info", "{}")).path("cluster_version").asText())
                .startsWith("1.328.");
        JsonNode problems = ok(call(provider, "list_problems", "{\"status\":\"OPEN\",\"limit\":5}"));
        assertThat(problems.path("problems")).hasSize(5);
        String problemId = problems.path("problems").get(0).path("problem_id").asText();
        JsonNode detail = ok(call(provider, "get_problem_details", "{\"problem_id\":\"" + problemId + "\"}"));
        assertThat(detail.path("evidence")).isNotEmpty();
        ok(call(provider, "list_problem_comments", "{\"problem_id\":\"" + problemId + "\"}"));
        JsonNode events = ok(call(provider, "list_events", "{\"limit\":10}"));
        assertThat(events.path("events")).hasSize(10);
        String eventId = events.path("events").get(0).path("event_id").asText();
        assertThat(ok(call(provider, "get_event_details", "{\"event_id\":\"" + eventId + "\"}"))
                .path("event_id").asText()).isEqualTo(eventId);
        assertThat(ok(call(provider, "list_entity_types", "{}")).path("types").size()).isGreaterThanOrEqualTo(5);
        assertThat(ok(call(provider, "get_entity_type_details", "{\"type\":\"SERVICE\"}")).path("from_relationships")
                .has("runsOn")).isTrue();
        JsonNode hosts = ok(call(provider, "discover_entities", "{\"entity_type\":\"HOST\",\"limit\":50}"));
        assertThat(hosts.path("entities")).hasSize(12);
        JsonNode services = ok(call(provider, "discover_entities",
                "{\"entity_type\":\"SERVICE\",\"entity_name\":\"checkout\",\"entity_name_match\":\"equals\"}"));
        assertThat(services.path("entities")).hasSize(1);
        String serviceId = services.path("entities").get(0).path("id").asText();
        assertThat(ok(call(provider, "get_entity_details", "{\"entity_id\":\"" + serviceId + "\"}"))
                .path("properties").path("serviceType").asText()).isEqualTo("WEB_REQUEST_SERVICE");
        JsonNode relations = ok(call(provider, "get_entity_relationships", "{\"entity_id\":\"" + serviceId + "\"}"));
        assertThat(relations.path("from").path("calls")).hasSize(9);
        assertThat(relations.path("to").path("calls")).hasSize(3);
        assertThat(ok(call(provider, "list_available_metrics", "{\"search_text\":\"cpu\"}")).path("metrics")).hasSize(2);
        assertThat(ok(call(provider, "get_metric_details", "{\"metric_key\":\"builtin:service.response.time\"}"))
                .path("unit").asText()).isEqualTo("MicroSecond");
        JsonNode metrics = ok(call(provider, "query_metrics_data", "{\"metric_keys\":[\"builtin:host.cpu.usage\"],"
                + "\"aggregation\":\"avg\",\"split_by\":[\"dt.entity.host\"],\"top\":3,\"resolution\":\"10m\"}"));
        assertThat(metrics.path("series")).hasSize(3);
        assertThat(metrics.path("series").get(0).path("step_seconds").asInt()).isEqualTo(600);
        assertThat(ok(call(provider, "query_logs", "{\"query\":\"status=\\\"ERROR\\\"\",\"limit\":10}"))
                .path("logs")).hasSize(10).allSatisfy(log -> assertThat(log.path("level").asText()).isEqualTo("ERROR"));
        JsonNode security = ok(call(provider, "list_security_problems", "{\"risk_level\":\"CRITICAL\",\"limit\":5}"));
        assertThat(security.path("security_problems")).hasSize(5)
                .allSatisfy(p -> assertThat(p.path("risk_level").asText()).isEqualTo("CRITICAL"));
        String securityId = security.path("security_problems").get(0).path("id").asText();
        assertThat(ok(call(provider, "get_security_problem_details", "{\"security_problem_id\":\"" + securityId + "\"}"))
                .path("remediation").asText()).startsWith("Upgrade");
        JsonNode slos = ok(call(provider, "list_slos", "{}"));
        assertThat(slos.path("slos").size()).isEqualTo(7);
        String sloId = slos.path("slos").get(0).path("id").asText();
        assertThat(ok(call(provider, "get_slo_details", "{\"slo_id\":\"" + sloId + "\"}")).path("target").asDouble())
                .isPositive();
        assertThat(ok(call(provider, "list_audit_logs", "{\"event_type\":\"LOGIN\"}")).path("audit_logs"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.path("event_type").asText()).isEqualTo("LOGIN"));
    }

    @Test
    void listProblemsIsCappedAtFiftyAndPagesThroughAllSixty() {
        JsonNode first = ok(call(provider, "list_problems", "{\"limit\":50,\"from\":\"now-2d\"}"));
        assertThat(first.path("problems")).hasSize(50);
        assertThat(first.path("total").asInt()).isEqualTo(60);
        String cursor = first.path("next_page").asText();
        assertThat(cursor).isNotEmpty();
        JsonNode second = ok(call(provider, "list_problems", "{\"next_page\":\"" + cursor + "\",\"status\":\"OPEN\"}"));
        assertThat(second.path("problems")).hasSize(10);
        assertThat(second.has("next_page")).isFalse();
        Set<String> ids = new HashSet<>();
        first.path("problems").forEach(p -> ids.add(p.path("problem_id").asText()));
        second.path("problems").forEach(p -> ids.add(p.path("problem_id").asText()));
        assertThat(ids).hasSize(60);
        String last = sandbox.requestLog().get(sandbox.requestLog().size() - 1);
        assertThat(last).contains("/problems?nextPageKey=").doesNotContain("status").doesNotContain("pageSize");
    }

    @Test
    void sandboxRejectsANextPageKeySentWithOtherParameters() throws Exception {
        try (Response response = raw("problems?nextPageKey=abc&pageSize=5", environment.token())) {
            assertThat(response.code()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body().string()).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(400);
            assertThat(error.path("constraintViolations").get(0).path("path").asText()).isEqualTo("nextPageKey");
            assertThat(error.path("constraintViolations").get(0).path("message").asText()).contains("pageSize");
        }
    }

    @Test
    void aForgedNextPageOffsetIsAClear400NotAServerError() throws Exception {
        // issue 9 item 18: the unsigned key the sandbox used to hand out, with its offset forged.
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"p\":\"problems\",\"q\":{},\"o\":-5}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // A bare backend key is not a cursor of the tool: refused before any request.
        assertThat(call(provider, "list_problems", "{\"next_page\":\"" + forged + "\"}").allText())
                .startsWith("Invalid argument next_page: is not a cursor");
        // Inside a well-formed cursor it reaches the sandbox, which refuses it as the API would.
        ToolResult result = call(provider, "list_problems", "{\"next_page\":\""
                + Cursor.encode("dynatrace_managed_list_problems", forged) + "\"}");
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("(400)").contains("nextPageKey (query): is not a valid page key")
                .doesNotContain("500").doesNotContain("IndexOutOfBounds");
        assertThat(sandbox.requests().get(sandbox.requests().size() - 1).status()).isEqualTo(400);
        try (Response response = raw("problems?nextPageKey=" + forged, environment.token())) {
            assertThat(response.code()).isEqualTo(400);
            JsonNode violation = JSON.readTree(response.body().string()).path("error").path("constraintViolations").get(0);
            assertThat(violation.path("path").asText()).isEqualTo("nextPageKey");
            assertThat(violation.path("parameterLocation").asText()).isEqualTo("QUERY");
        }
    }

    @Test
    void aTamperedOrMisdirectedPageKeyIsRefused() throws Exception {
        JsonNode first = ok(call(provider, "list_problems", "{\"limit\":5,\"from\":\"now-2d\"}"));
        String key = Cursor.decode("dynatrace_managed_list_problems", "next_page", first.path("next_page").asText());
        int dot = key.indexOf('.');
        String payload = new String(java.util.Base64.getUrlDecoder().decode(key.substring(0, dot)),
                java.nio.charset.StandardCharsets.UTF_8);
        String tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"o\":5", "\"o\":-5").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + key.substring(dot);
        try (Response response = raw("problems?nextPageKey=" + tampered, environment.token())) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(JSON.readTree(response.body().string()).path("error").path("constraintViolations").get(0)
                    .path("message").asText()).isEqualTo("is not a valid page key");
        }
        try (Response response = raw("events?nextPageKey=" + key, environment.token())) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(JSON.readTree(response.body().string()).path("error").path("constraintViolations").get(0)
                    .path("message").asText()).isEqualTo("belongs to a different request");
        }
        try (DynatraceManagedSandbox other = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults())) {
            Provider elsewhere = SandboxProviders.provider(other, 0, TestProviderContext.create());
            assertThat(call(elsewhere, "list_problems", "{\"next_page\":\""
                    + Cursor.encode("dynatrace_managed_list_problems", key) + "\"}").allText())
                    .as("another environment's key").contains("nextPageKey (query): is not a valid page key");
        }
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithAllowAndAnUnknownOneIs404() throws Exception {
        HttpUrl url = HttpUrl.get(sandbox.url() + "/e/" + environment.environmentId() + "/api/v2/problems");
        Request delete = new Request.Builder().url(url).delete().header("Authorization", "Api-Token " + environment.token())
                .build();
        try (Response response = RAW.newCall(delete).execute()) {
            assertThat(response.code()).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("GET");
            assertThat(JSON.readTree(response.body().string()))
                    .isEqualTo(JSON.readTree("{\"error\":{\"code\":405,\"message\":\"Method DELETE not allowed\"}}"));
        }
        try (Response response = raw("problems/P-1/nothing", environment.token())) {
            assertThat(response.code()).isEqualTo(404);
            assertThat(JSON.readTree(response.body().string()).path("error").path("code").asInt()).isEqualTo(404);
        }
    }

    @Test
    void theRequestLogShowsTheSchemeButNeverTheToken() {
        ok(call(provider, "list_slos", "{}"));
        LoggedRequest last = sandbox.requests().get(sandbox.requests().size() - 1);
        assertThat(last.rawPath()).endsWith("/api/v2/slo");
        assertThat(last.header("Authorization")).contains("Api-Token " + LoggedRequest.MASK);
        assertThat(last.status()).isEqualTo(200);
        assertThat(sandbox.requests().toString() + sandbox.requests().stream().map(LoggedRequest::headers).toList())
                .doesNotContain(environment.token());
    }

    @Test
    void sandboxAnswersMissingOrWrongTokensWithTheErrorEnvelope() throws Exception {
        try (Response response = raw("problems", null)) {
            assertThat(response.code()).isEqualTo(401);
            assertThat(JSON.readTree(response.body().string()))
                    .isEqualTo(JSON.readTree("{\"error\":{\"code\":401,\"message\":\"Missing authorization parameter.\"}}"));
        }
        try (Response response = raw("problems", "dt0c01.WRONG")) {
            assertThat(response.code()).isEqualTo(401);
            assertThat(JSON.readTree(response.body().string()).path("error").path("code").asInt()).isEqualTo(401);
        }
    }

    @Test
    void sandboxRequiresTheParametersTheRealApiRequires() throws Exception {
        try (Response response = raw("metrics/query?from=now-1h", environment.token())) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(JSON.readTree(response.body().string()).path("error").path("constraintViolations").get(0)
                    .path("path").asText()).isEqualTo("metricSelector");
        }
        try (Response response = raw("entities?pageSize=5", environment.token())) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(JSON.readTree(response.body().string()).path("error").path("constraintViolations").get(0)
                    .path("path").asText()).isEqualTo("entitySelector");
        }
        try (Response response = raw("problems?pageSize=501", environment.token())) {
            assertThat(response.code()).isEqualTo(400);
        }
    }

    @Test
    void sandboxTreatsMetricKeyPatternsAsWildcardsNotRegularExpressions() throws Exception {
        try (Response response = raw("metrics?metricSelector=" + java.net.URLEncoder.encode("(b+)+[",
                java.nio.charset.StandardCharsets.UTF_8), environment.token())) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(JSON.readTree(response.body().string()).path("metrics")).isEmpty();
        }
        try (Response response = raw("metrics?metricSelector=builtin:host.*", environment.token())) {
            assertThat(JSON.readTree(response.body().string()).path("totalCount").asInt()).isEqualTo(4);
        }
    }

    @Test
    void writeToolsChangeTheSandboxState() {
        String problemId = environment.problems().stream().filter(p -> p.path("status").asText().equals("OPEN"))
                .reduce((a, b) -> b).orElseThrow().path("problemId").asText();
        JsonNode comment = ok(call(provider, "add_problem_comment",
                "{\"problem_id\":\"" + problemId + "\",\"message\":\"Investigating \\\"disk\\\" ~ issue\"}"));
        assertThat(comment.path("comment_id").asText()).isNotEmpty();
        JsonNode comments = ok(call(provider, "list_problem_comments", "{\"problem_id\":\"" + problemId + "\"}"));
        assertThat(comments.path("comments").get(0).path("content").asText()).isEqualTo("Investigating \"disk\" ~ issue");

        JsonNode closed = ok(call(provider, "close_problem", "{\"problem_id\":\"" + problemId + "\",\"message\":\"Fixed\"}"));
        assertThat(closed.path("closing").asBoolean()).isTrue();
        assertThat(environment.problems().stream().filter(p -> p.path("problemId").asText().equals(problemId))
                .findFirst().orElseThrow().path("status").asText()).isEqualTo("CLOSED");
        assertThat(call(provider, "close_problem", "{\"problem_id\":\"" + problemId + "\",\"message\":\"again\"}")
                .allText()).contains("is already closed");

        JsonNode ingested = ok(call(provider, "ingest_event", "{\"event_type\":\"CUSTOM_DEPLOYMENT\",\"title\":"
                + "\"Deploy cart 7\",\"entity_type\":\"SERVICE\",\"entity_name\":\"cart\",\"entity_name_match\":\"equals\","
                + "\"properties\":{\"version\":\"7\"}}"));
        assertThat(ingested.path("report_count").asInt()).isEqualTo(1);
        assertThat(environment.ingestedEvents()).anySatisfy(e -> assertThat(e.path("title").asText())
                .isEqualTo("Deploy cart 7"));
        JsonNode events = ok(call(provider, "list_events", "{\"event_type\":\"CUSTOM_DEPLOYMENT\",\"status\":\"OPEN\","
                + "\"entity_type\":\"SERVICE\",\"entity_name\":\"cart\",\"entity_name_match\":\"equals\"}"));
        assertThat(events.path("events")).anySatisfy(e -> assertThat(e.path("title").asText()).isEqualTo("Deploy cart 7"));
    }

    @Test
    void hostileNamesCannotWidenOrBreakTheSelector() {
        for (String hostile : List.of("\\\"),type(\\\"SERVICE", "x\\\"),tag(\\\"y", "checkout~\\\")", "web\\\",\\\"db",
                "Zürich 🚀 (prod)", "a)b(c", "\\\\\\\\")) {
            JsonNode found = ok(call(provider, "discover_entities",
                    "{\"entity_type\":\"HOST\",\"entity_name\":\"" + hostile + "\"}"));
            assertThat(found.path("entities")).as(hostile).isEmpty();
            JsonNode problems = ok(call(provider, "list_problems", "{\"entity_type\":\"HOST\",\"entity_name\":\""
                    + hostile + "\",\"from\":\"now-2d\"}"));
            assertThat(problems.path("problems")).as(hostile).isEmpty();
        }
    }

    @Test
    void unknownProblemIsNamedWithItsEnvironment() {
        ToolResult result = call(provider, "get_problem_details", "{\"problem_id\":\"123_456V2\"}");
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Problem 123_456V2 not found in environment sandbox.");
    }

    @Test
    void healthReportsTheClusterVersionAndAFullyScopedToken() {
        HealthStatus health = provider.health(BackgroundCall.within(Duration.ofSeconds(10)));
        assertThat(health.healthy()).isTrue();
        assertThat(health.detail()).contains("1.328.54").contains("every scope").doesNotContain(environment.token());
    }

    @Test
    void healthRunsAsPartOfTheGivenCallAndSendsNothingWhenThatIsAlreadyCancelled() {
        int before = sandbox.requests().size();
        BackgroundCall cancelled = BackgroundCall.within(Duration.ofSeconds(10));
        cancelled.cancel("the caller gave up");

        HealthStatus health = provider.health(cancelled);

        assertThat(health.healthy()).isFalse();
        assertThat(health.detail()).contains("cancelled").doesNotContain(environment.token());
        assertThat(sandbox.requests()).hasSize(before);
    }

    @Test
    void healthNamesEachMissingScopeWithTheToolsItBreaks() {
        List<String> scopes = new ArrayList<>(SandboxEnvironment.ALL_SCOPES);
        scopes.remove("problems.read");
        scopes.remove("events.ingest");
        try (DynatraceManagedSandbox limited = DynatraceManagedSandbox.start(
                DynatraceManagedSandbox.Options.defaults().withScopes(scopes))) {
            Provider weak = SandboxProviders.provider(limited, 0, TestProviderContext.create());
            HealthStatus health = weak.health(BackgroundCall.within(Duration.ofSeconds(10)));
            assertThat(health.healthy()).isFalse();
            assertThat(health.detail())
                    .contains("token lacks problems.read: dynatrace_managed_list_problems,"
                            + " dynatrace_managed_get_problem_details, dynatrace_managed_list_problem_comments will fail")
                    .contains("token lacks events.ingest: dynatrace_managed_ingest_event will fail")
                    .doesNotContain(limited.environments().get(0).token());
        }
    }

    @Test
    void tokenWithoutDataExportOnlyLosesTheClusterVersion() {
        List<String> scopes = new ArrayList<>(SandboxEnvironment.ALL_SCOPES);
        scopes.remove("DataExport");
        try (DynatraceManagedSandbox limited = DynatraceManagedSandbox.start(
                DynatraceManagedSandbox.Options.defaults().withScopes(scopes))) {
            Provider weak = SandboxProviders.provider(limited, 0, TestProviderContext.create());
            HealthStatus health = weak.health(BackgroundCall.within(Duration.ofSeconds(10)));
            assertThat(health.healthy()).isTrue();
            assertThat(health.detail()).contains("token lacks DataExport: dynatrace_managed_get_environments_info"
                    + " will not show the cluster version");
            JsonNode info = ok(call(weak, "get_environments_info", "{}"));
            assertThat(info.has("cluster_version")).isFalse();
            assertThat(info.path("cluster_version_unavailable").asText()).contains("DataExport");
        }
    }

    @Test
    void problemDisplayIdsWorkLikeProblemIds() {
        String displayId = environment.problems().get(3).path("displayId").asText();
        JsonNode detail = ok(call(provider, "get_problem_details", "{\"problem_id\":\"" + displayId + "\"}"));
        assertThat(detail.path("display_id").asText()).isEqualTo(displayId);
        assertThat(call(provider, "get_problem_details", "{\"problem_id\":\"P-999999999\"}").allText())
                .isEqualTo("Problem P-999999999 not found in environment sandbox (searched the last 365 days).");
    }

    @Test
    void validateTokenRefusesATokenWithoutReadScopesAndAcceptsAReadOnlyOne() {
        List<String> noProblems = new ArrayList<>(SandboxEnvironment.ALL_SCOPES);
        noProblems.remove("problems.read");
        try (DynatraceManagedSandbox limited = DynatraceManagedSandbox.start(
                DynatraceManagedSandbox.Options.defaults().withScopes(noProblems))) {
            assertThatThrownBy(() -> new DynatraceManagedProviderFactory().create(SandboxProviders.config(
                    limited.instances().get(0), Map.of(ManagedSettings.VALIDATE_TOKEN, true)), TestProviderContext.create()))
                    .isInstanceOf(ProviderConfigException.class)
                    .hasMessageContaining("token lacks problems.read: dynatrace_managed_list_problems")
                    .hasMessageNotContaining(limited.environments().get(0).token());
        }
        List<String> readOnly = new ArrayList<>(SandboxEnvironment.ALL_SCOPES);
        readOnly.remove("problems.write");
        readOnly.remove("events.ingest");
        try (DynatraceManagedSandbox limited = DynatraceManagedSandbox.start(
                DynatraceManagedSandbox.Options.defaults().withScopes(readOnly))) {
            Provider created = new DynatraceManagedProviderFactory().create(SandboxProviders.config(
                    limited.instances().get(0), Map.of(ManagedSettings.VALIDATE_TOKEN, true)), TestProviderContext.create());
            assertThat(created.tools()).hasSize(23);
        }
    }

    @Test
    void validateTokenRefusesARevokedToken() {
        Map<String, Object> instance = new java.util.HashMap<>(sandbox.instances().get(0));
        instance.put("api_token", "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
        assertThatThrownBy(() -> new DynatraceManagedProviderFactory().create(SandboxProviders.config(instance,
                Map.of(ManagedSettings.VALIDATE_TOKEN, true)), TestProviderContext.create()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("rejected the API token (401")
                .hasMessageNotContaining("BBBBBBBB");
    }

    @Test
    void holdModeProvesThatCallsToSeveralEnvironmentsRunTogether() throws Exception {
        try (DynatraceManagedSandbox held = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults()
                .withAliases("prod", "staging", "dev").holdUntilInFlight(3, Duration.ofSeconds(20)))) {
            List<Provider> providers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                providers.add(SandboxProviders.provider(held, i, TestProviderContext.create()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<ToolResult>> results = new ArrayList<>();
                for (Provider each : providers) {
                    results.add(pool.submit(() -> call(each, "get_environments_info", "{}")));
                }
                Set<String> aliases = new HashSet<>();
                for (Future<ToolResult> result : results) {
                    aliases.add(ok(result.get()).path("environment").asText());
                }
                assertThat(aliases).containsExactlyInAnyOrder("prod", "staging", "dev");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void holdModeFailsARequestThatArrivesAlone() {
        try (DynatraceManagedSandbox held = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults()
                .withAliases("prod", "staging").holdUntilInFlight(2, Duration.ofMillis(200)))) {
            ToolResult alone = call(SandboxProviders.provider(held, 0, TestProviderContext.create()), "list_slos", "{}");
            assertThat(alone.isError()).isTrue();
            assertThat(alone.allText()).contains("HTTP 503");
        }
    }
}
