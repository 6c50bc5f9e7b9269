package dev.bastion.provider.dynatrace.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.ProviderHarness;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each tool's exact request against MockWebServer, the platform token on each, polling and the budget. */
class PlatformToolRequestsTest {

    static final String TOKEN = "dt0s16.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Function<RecordedRequest, MockResponse>> answers = new ConcurrentHashMap<>();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private MockWebServer server;
    private Map<String, Tool> tools;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                Function<RecordedRequest, MockResponse> answer = answers.get(request.getMethod() + " "
                        + request.getRequestUrl().encodedPath());
                return answer == null ? new MockResponse().setResponseCode(404).setBody("{}") : answer.apply(request);
            }
        });
        server.start();
        tools = tools(Map.of());
    }

    private Map<String, Tool> tools(Map<String, Object> extra) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("alias", "prod");
        values.put("url", server.url("/").toString().replaceAll("/$", ""));
        values.put("platform_token", TOKEN);
        values.put("allow_insecure_loopback", true);
        values.putAll(extra);
        SecretRedactor redactor = new SecretRedactor();
        Provider provider = new DynatracePlatformProviderFactory().create(ProviderHarness.bind(
                new DynatracePlatformProviderFactory(), values), new ServerProviderContext(JSON, redactor,
                Clock.systemUTC(), "test", Map.of(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of()))));
        Map<String, Tool> out = new LinkedHashMap<>();
        provider.tools().forEach(tool -> out.put(tool.descriptor().name(), tool));
        return out;
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    static String succeeded(String records, long scannedBytes) {
        return "{\"state\":\"SUCCEEDED\",\"progress\":100,\"result\":{\"records\":" + records + ",\"types\":[{\"indexRange\""
                + ":[0,0],\"mappings\":{\"display_id\":{\"type\":\"string\"},\"event.name\":{\"type\":\"string\"}}}],"
                + "\"metadata\":{\"grail\":{\"scannedBytes\":\"" + scannedBytes + "\",\"scannedRecords\":\"10\","
                + "\"notifications\":[]}}}}";
    }

    private ToolResult call(Map<String, Tool> from, String tool, String arguments, Duration within) throws Exception {
        return from.get("dynatrace_platform_" + tool).call((ObjectNode) JSON.readTree(arguments),
                BackgroundCall.within(within));
    }

    private ToolResult call(String tool, String arguments) throws Exception {
        return call(tools, tool, arguments, Duration.ofSeconds(10));
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().clone().readUtf8());
    }

    private List<RecordedRequest> to(String path) {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest request : received) {
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            if (request.getRequestUrl().encodedPath().equals(path)) {
                out.add(request);
            }
        }
        return out;
    }

    @Test
    void listProblemsWritesItsDqlFromTheArgumentsAndSendsTheToken() throws Exception {
        answers.put("POST /platform/storage/query/v1/query:execute", request -> json(200, succeeded(
                "[{\"display_id\":\"P-2412345\",\"event.name\":\"High CPU\",\"event.status\":\"ACTIVE\"}]", 1000)));

        ToolResult result = call("list_problems", "{\"status\":\"ACTIVE\",\"text\":\"CPU\",\"timeframe\":\"2h\"}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("problems").get(0).path("id").asText()).isEqualTo("P-2412345");
        JsonNode sent = body(to("/platform/storage/query/v1/query:execute").get(0));
        assertThat(sent.path("query").asText()).isEqualTo("fetch dt.davis.problems, from: now()-2h\n"
                + "| filter (event.status == \"ACTIVE\") and (contains(event.name, \"CPU\", caseSensitive: false))\n"
                + "| sort event.start desc\n| limit 50\n"
                + "| fields event.id, display_id, event.name, event.status, event.category, event.start, event.end,"
                + " affected_entity_ids, root_cause_entity_id");
        assertThat(sent.path("maxResultRecords").asInt()).isEqualTo(50);
    }

    @Test
    void aHostileValueStaysOneEscapedLiteral() throws Exception {
        answers.put("POST /platform/storage/query/v1/query:execute", request -> json(200, succeeded("[]", 0)));
        String hostile = "x\") or true | fetch logs // \\\"\n| limit 1";

        ToolResult result = call("list_problems", JSON.createObjectNode().put("text", hostile).toString());

        assertThat(result.isError()).as(result.allText()).isFalse();
        String query = body(to("/platform/storage/query/v1/query:execute").get(0)).path("query").asText();
        assertThat(query).contains("contains(event.name, " + DqlText.literal(hostile) + ", caseSensitive: false)");
        assertThat(DqlText.literal(hostile)).isEqualTo("\"x\\\") or true | fetch logs // \\\\\\\"\\n| limit 1\"");
        assertThat(query.split("\n")).hasSize(5);
    }

    @Test
    void aLongQueryIsPolledUntilItIsDone() throws Exception {
        answers.put("POST /platform/storage/query/v1/query:execute", request -> json(202,
                "{\"state\":\"RUNNING\",\"requestToken\":\"tok/1+=\",\"ttlSeconds\":399}"));
        List<String> polls = new CopyOnWriteArrayList<>();
        answers.put("GET /platform/storage/query/v1/query:poll", request -> {
            polls.add(request.getRequestUrl().queryParameter("request-token"));
            return polls.size() < 3 ? json(200, "{\"state\":\"RUNNING\",\"progress\":" + polls.size() * 30 + "}")
                    : json(200, succeeded("[{\"display_id\":\"P-1\"}]", 10));
        });

        ToolResult result = call("execute_dql", "{\"query\":\"fetch dt.davis.problems\"}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("record_count").asInt()).isEqualTo(1);
        assertThat(polls).containsOnly("tok/1+=").hasSize(3);
    }

    @Test
    void aQueryStillRunningAtTheDeadlineIsCancelledOnGrail() throws Exception {
        answers.put("POST /platform/storage/query/v1/query:execute", request -> json(202,
                "{\"state\":\"RUNNING\",\"requestToken\":\"tok-2\"}"));
        answers.put("GET /platform/storage/query/v1/query:poll", request -> json(200, "{\"state\":\"RUNNING\"}"));
        List<String> cancelled = new CopyOnWriteArrayList<>();
        answers.put("POST /platform/storage/query/v1/query:cancel", request -> {
            cancelled.add(request.getRequestUrl().queryParameter("request-token"));
            return new MockResponse().setResponseCode(202);
        });

        ToolResult result = call(tools, "execute_dql", "{\"query\":\"fetch logs\"}", Duration.ofMillis(2500));

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("did not finish").contains("was cancelled");
        assertThat(cancelled).containsExactly("tok-2");
    }

    @Test
    void theBudgetWarnsAtHalfAndFourFifthsAndRefusesWhenUsedUp() throws Exception {
        Map<String, Tool> budgeted = tools(Map.of("budget_gb", 1));
        answers.put("GET /platform/management/v1/environment", request -> json(200, "{\"environmentId\":\"abc12345\","
                + "\"state\":\"ACTIVE\"}"));
        List<Long> scanned = new CopyOnWriteArrayList<>(List.of(600_000_000L, 300_000_000L, 200_000_000L));
        answers.put("POST /platform/storage/query/v1/query:execute", request -> json(200, succeeded("[]",
                scanned.remove(0))));

        ToolResult half = call(budgeted, "execute_dql", "{\"query\":\"fetch logs\"}", Duration.ofSeconds(10));
        ToolResult fourFifths = call(budgeted, "execute_dql", "{\"query\":\"fetch logs\"}", Duration.ofSeconds(10));
        ToolResult full = call(budgeted, "execute_dql", "{\"query\":\"fetch logs\"}", Duration.ofSeconds(10));
        int sent = received.size();
        ToolResult refused = call(budgeted, "execute_dql", "{\"query\":\"fetch logs\"}", Duration.ofSeconds(10));

        assertThat(half.structuredContent().path("notifications").toString()).contains("to 50 %");
        assertThat(fourFifths.structuredContent().path("notifications").toString()).contains("to 80 %");
        assertThat(full.structuredContent().path("notifications").toString()).contains("to 100 %")
                .contains("new queries are refused");
        assertThat(refused.isError()).isTrue();
        assertThat(refused.allText()).contains("budget of environment prod is used up")
                .contains("raise budget_gb").contains("approve a reset");
        assertThat(received).hasSize(sent);
        assertThat(call(budgeted, "get_grail_budget", "{}", Duration.ofSeconds(5)).structuredContent()
                .path("used_percent").asDouble()).isEqualTo(110.0);
        call(budgeted, "reset_grail_budget", "{}", Duration.ofSeconds(5));
        scanned.add(1L);
        assertThat(call(budgeted, "execute_dql", "{\"query\":\"fetch logs\"}", Duration.ofSeconds(10)).isError()).isFalse();
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() throws Exception {
        answers.put("POST /platform/storage/query/v1/query:execute", request -> json(400, "{\"error\":{\"code\":400,"
                + "\"message\":\"UNKNOWN_COMMAND\",\"details\":{\"errorMessage\":\"There's no command `limt`.\","
                + "\"syntaxErrorPosition\":{\"start\":{\"column\":14,\"index\":13,\"line\":1}}}}}"));

        ToolResult result = call("execute_dql", "{\"query\":\"fetch logs | limt 5\"}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("There's no command `limt`. (line 1, column 14)");
    }

    @Test
    void anEmailToMoreThanTenIsRefusedAndOneToFewIsSentAsPlainText() throws Exception {
        answers.put("POST /platform/email/v1/emails", request -> json(202, "{\"requestId\":\"r-1\","
                + "\"invalidDestinations\":[]}"));
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("\"ops").append(i).append("@example.com\"");
        }

        ToolResult refused = call("send_email", "{\"to\":" + many + "],\"subject\":\"s\",\"body\":\"b\"}");
        ToolResult sent = call("send_email", "{\"to\":[\"ops@example.com\"],\"cc\":[\"lead@example.com\"],"
                + "\"subject\":\"Disk full\",\"body\":\"See P-1\"}");

        assertThat(refused.isError()).isTrue();
        assertThat(sent.structuredContent().path("request_id").asText()).isEqualTo("r-1");
        assertThat(body(to("/platform/email/v1/emails").get(0)).toString()).isEqualTo("{\"toRecipients\":"
                + "{\"emailAddresses\":[\"ops@example.com\"]},\"ccRecipients\":{\"emailAddresses\":[\"lead@example.com\"]},"
                + "\"bccRecipients\":{\"emailAddresses\":[]},\"subject\":\"Disk full\",\"body\":{\"contentType\":"
                + "\"text/plain\",\"body\":\"See P-1\"}}");
    }

    // --- OAuth: exactly the tools' scopes ------------------------------------------------------------

    private static final String ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
    /** The tools of the last provider {@link #oauthEnvironmentInfo} created. */
    private List<Tool> oauthTools;

    /**
     * An OAuth environment against the mock SSO (whose token requests' forms land in {@code forms}),
     * with the server services {@code services} besides the outbound client; its environment info tool.
     */
    private Tool oauthEnvironmentInfo(List<String> forms, Map<String, Object> extra, Map<Class<?>, Object> services) {
        answers.put("POST /sso/oauth2/token", request -> {
            forms.add(request.getBody().clone().readUtf8());
            return json(200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        answers.put("GET /platform/management/v1/environment", request -> json(200, "{\"environmentId\":\"abc12345\"}"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("alias", "prod");
        values.put("url", server.url("/").toString().replaceAll("/$", ""));
        values.put("oauth_client_id", "dt0s02.ABCDEFGH");
        values.put("oauth_client_secret", "dt0s02.ABCDEFGH.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM");
        values.put("sso_url", server.url("/").toString().replaceAll("/$", ""));
        values.put("allow_insecure_loopback", true);
        values.putAll(extra);
        SecretRedactor redactor = new SecretRedactor();
        Map<Class<?>, Object> all = new LinkedHashMap<>(services);
        all.put(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of()));
        Provider provider = new DynatracePlatformProviderFactory().create(ProviderHarness.bind(
                new DynatracePlatformProviderFactory(), values), new ServerProviderContext(JSON, redactor,
                Clock.systemUTC(), "test", all));
        oauthTools = provider.tools();
        return provider.tools().stream().filter(t -> t.descriptor().name().endsWith("get_environment_info"))
                .findFirst().orElseThrow();
    }

    /** The decoded fields of a form-encoded body. */
    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return form;
    }

    @Test
    void anOauthClientAsksForExactlyTheScopesTheToolsDeclare() throws Exception {
        List<String> forms = new CopyOnWriteArrayList<>();
        Tool info = oauthEnvironmentInfo(forms, Map.of("oauth_resource",
                "urn:dtaccount:12345678-1234-1234-1234-123456789abc"), Map.of());

        ToolResult result = info.call(JSON.createObjectNode(), BackgroundCall.within(Duration.ofSeconds(10)));

        assertThat(result.isError()).as(result.allText()).isFalse();
        Map<String, String> form = form(forms.get(0));
        assertThat(form).containsEntry("grant_type", "client_credentials").containsEntry("client_id", "dt0s02.ABCDEFGH")
                .containsEntry("resource", "urn:dtaccount:12345678-1234-1234-1234-123456789abc");
        assertThat(form.get("scope").split(" ")).containsExactlyElementsOf(DynatracePlatformProviderFactory.SCOPES);
        java.util.Set<String> declared = new java.util.TreeSet<>();
        oauthTools.forEach(tool -> declared.addAll(ScopeCheck.scopesOf((dev.bastion.toolkit.tool.ToolSpec) tool)));
        assertThat(DynatracePlatformProviderFactory.SCOPES).containsExactlyInAnyOrderElementsOf(declared);
        RecordedRequest platform = received.stream().filter(r -> r.getPath().startsWith("/platform")).findFirst()
                .orElseThrow();
        assertThat(platform.getHeader("Authorization")).isEqualTo("Bearer " + ACCESS_TOKEN);
    }

    @Test
    void anOauthTokenAsksOnlyForTheScopesOfTheToolsThePolicyEnables() throws Exception {
        List<String> forms = new CopyOnWriteArrayList<>();
        // As a policy with read-only mode and security.tools.exclude: ["*copilot*", "*_dql"] would decide.
        List<String> asked = new CopyOnWriteArrayList<>();
        dev.bastion.core.spi.EnabledTools enabled = (providerId, instance, tool) -> {
            asked.add(providerId + "/" + instance);
            return tool.readOnly() && !tool.name().contains("copilot") && !tool.name().endsWith("_dql");
        };
        Tool info = oauthEnvironmentInfo(forms, Map.of(), Map.of(dev.bastion.core.spi.EnabledTools.class, enabled));

        assertThat(info.call(JSON.createObjectNode(), BackgroundCall.within(Duration.ofSeconds(10))).isError()).isFalse();

        assertThat(form(forms.get(0)).get("scope").split(" ")).containsExactly("app-engine:apps:run",
                "storage:buckets:read", "storage:events:read", "storage:security.events:read",
                "storage:user.events:read", "storage:entities:read", "davis:analyzers:read", "davis:analyzers:execute",
                "document:documents:read");
        assertThat(asked).containsOnly("dynatrace-platform/prod");
    }

    // --- the other tools' exact requests -------------------------------------------------------------

    @Test
    void copilotAnalyzersDocumentsEventsAndSlackSendWhatTheApisTake() throws Exception {
        Map<String, Tool> slackTools = tools(Map.of("slack_connection_id", "C-OPS"));
        answers.put("POST /platform/davis/copilot/v1/skills/nl2dql:generate", request -> json(200,
                "{\"dql\":\"fetch logs\",\"status\":\"SUCCESSFUL\"}"));
        answers.put("POST /platform/davis/analyzers/v1/analyzers/dt.statistics.GenericForecastAnalyzer:execute",
                request -> json(200, "{\"result\":{\"resultStatus\":\"SUCCESSFUL\",\"executionStatus\":\"COMPLETED\","
                        + "\"output\":[{\"analysisStatus\":\"OK\"}]}}"));
        answers.put("GET /platform/document/v1/documents", request -> json(200, "{\"documents\":[{\"id\":\"d1\","
                + "\"name\":\"Ops\",\"type\":\"notebook\"}],\"totalCount\":1,\"nextPageKey\":null}"));
        answers.put("POST /platform/document/v1/documents", request -> json(201, "{\"id\":\"d2\",\"name\":\"Incident\"}"));
        answers.put("POST /platform/classic/environment-api/v2/events/ingest", request -> json(201,
                "{\"reportCount\":1,\"eventIngestResults\":[{\"correlationId\":\"c1\",\"status\":\"OK\"}]}"));
        answers.put("POST /platform/app-engine/app-functions/v1/apps/dynatrace.slack/api/slack-send-message",
                request -> json(200, "{\"result\":{\"ok\":true,\"ts\":\"1.2\"}}"));

        assertThat(call("generate_dql", "{\"text\":\"error logs\"}").isError()).isFalse();
        assertThat(call("execute_davis_analyzer", "{\"analyzer\":\"dt.statistics.GenericForecastAnalyzer\","
                + "\"input\":{\"forecastHorizon\":12}}").isError()).isFalse();
        assertThat(call("find_documents", "{\"name\":\"o'ps\",\"type\":\"notebook\"}").isError()).isFalse();
        assertThat(call("create_notebook", "{\"name\":\"Incident\",\"queries\":[\"fetch logs\"]}").isError())
                .isFalse();
        assertThat(call("send_event", "{\"event_type\":\"CUSTOM_DEPLOYMENT\",\"title\":\"v2\",\"entity_id\":"
                + "\"HOST-0123456789ABCDEF\"}").isError()).isFalse();
        assertThat(call(slackTools, "send_slack_message", "{\"channel\":\"#ops\",\"message\":\"hi\"}",
                Duration.ofSeconds(10)).isError()).isFalse();

        assertThat(body(to("/platform/davis/copilot/v1/skills/nl2dql:generate").get(0)).toString())
                .isEqualTo("{\"text\":\"error logs\"}");
        assertThat(body(to("/platform/davis/analyzers/v1/analyzers/dt.statistics.GenericForecastAnalyzer:execute")
                .get(0)).toString()).isEqualTo("{\"forecastHorizon\":12}");
        assertThat(to("/platform/document/v1/documents").get(0).getRequestUrl().queryParameter("filter"))
                .isEqualTo("name contains 'o\\'ps' and type == 'notebook'");
        RecordedRequest upload = to("/platform/document/v1/documents").get(1);
        assertThat(upload.getHeader("Content-Type")).startsWith("multipart/form-data");
        assertThat(upload.getBody().clone().readUtf8()).contains("name=\"name\"").contains("Incident")
                .contains("name=\"type\"").contains("notebook").contains("\"value\":\"fetch logs\"");
        assertThat(body(to("/platform/classic/environment-api/v2/events/ingest").get(0)).toString()).isEqualTo(
                "{\"eventType\":\"CUSTOM_DEPLOYMENT\",\"title\":\"v2\",\"entitySelector\":"
                        + "\"entityId(\\\"HOST-0123456789ABCDEF\\\")\"}");
        assertThat(body(to("/platform/app-engine/app-functions/v1/apps/dynatrace.slack/api/slack-send-message").get(0))
                .toString()).isEqualTo("{\"connection\":\"C-OPS\",\"channel\":\"#ops\",\"message\":\"hi\"}");
    }

    /** The rest of the read tools: for each, the arguments, then the one request it must send, exactly. */
    private static final String[][] READ_REQUESTS = {
                {"get_environment_info", "{}", "GET", "/platform/management/v1/environment", ""},
                {"verify_dql", "{\"query\":\"fetch logs | limit 1\"}", "POST", "/platform/storage/query/v1/query:verify", "{\"query\":\"fetch logs | limit 1\"}"},
                {"explain_dql", "{\"query\":\"fetch logs | limit 1\"}", "POST", "/platform/davis/copilot/v1/skills/dql2nl:explain", "{\"dql\":\"fetch logs | limit 1\"}"},
                {"ask_davis_copilot", "{\"question\":\"What is Grail?\"}", "POST", "/platform/davis/copilot/v1/skills/conversations:message", "{\"text\":\"What is Grail?\"}"},
                {"get_problem_details", "{\"problem_id\":\"P-2412345\"}", "POST", "/platform/storage/query/v1/query:execute", "{\"query\":\"fetch dt.davis.problems, from: now()-30d\\n| filter (display_id == \\\"P-2412345\\\") or (event.id == \\\"P-2412345\\\")\\n| sort event.start desc\\n| limit 1\",\"maxResultRecords\":1,\"requestTimeoutMilliseconds\":3000,\"fetchTimeoutSeconds\":60}"},
                {"list_vulnerabilities", "{\"risk_level\":\"CRITICAL\",\"cve\":\"CVE-2021-44228\",\"timeframe\":\"30d\"}", "POST", "/platform/storage/query/v1/query:execute", "{\"query\":\"fetch security.events, from: now()-30d\\n| filter (vulnerability.resolution.status == \\\"OPEN\\\") and (vulnerability.risk.level == \\\"CRITICAL\\\") and (in(\\\"CVE-2021-44228\\\", vulnerability.references.cve))\\n| sort vulnerability.risk.score desc\\n| limit 50\\n| fields vulnerability.id, vulnerability.display_id, vulnerability.title, vulnerability.risk.level, vulnerability.risk.score, vulnerability.references.cve, vulnerability.resolution.status, affected_entity.id, affected_entity.name, timestamp\",\"maxResultRecords\":50,\"requestTimeoutMilliseconds\":3000,\"fetchTimeoutSeconds\":60}"},
                {"get_vulnerability_details", "{\"vulnerability_id\":\"S-1234\"}", "POST", "/platform/storage/query/v1/query:execute", "{\"query\":\"fetch security.events, from: now()-30d\\n| filter (vulnerability.display_id == \\\"S-1234\\\") or (vulnerability.id == \\\"S-1234\\\")\\n| sort timestamp desc\\n| limit 1\",\"maxResultRecords\":1,\"requestTimeoutMilliseconds\":3000,\"fetchTimeoutSeconds\":60}"},
                {"get_entity_details", "{\"entity_id\":\"HOST-0123456789ABCDEF\"}", "POST", "/platform/storage/query/v1/query:execute", "{\"query\":\"fetch dt.entity.host, from: now()-3d\\n| filter id == \\\"HOST-0123456789ABCDEF\\\"\\n| limit 1\",\"maxResultRecords\":1,\"requestTimeoutMilliseconds\":3000,\"fetchTimeoutSeconds\":60}"},
                {"list_kubernetes_events", "{\"cluster\":\"prod-eu\",\"namespace\":\"shop\",\"reason\":\"BackOff\",\"timeframe\":\"1w\"}", "POST", "/platform/storage/query/v1/query:execute", "{\"query\":\"fetch events, from: now()-7d\\n| filter (isNotNull(k8s.cluster.name)) and (k8s.cluster.name == \\\"prod-eu\\\") and (k8s.namespace.name == \\\"shop\\\") and (k8s.event.reason == \\\"BackOff\\\")\\n| sort timestamp desc\\n| limit 100\",\"maxResultRecords\":100,\"requestTimeoutMilliseconds\":3000,\"fetchTimeoutSeconds\":60}"},
                {"list_exceptions", "{\"frontend\":\"www\",\"timeframe\":\"24h\"}", "POST", "/platform/storage/query/v1/query:execute", "{\"query\":\"fetch user.events, from: now()-24h\\n| filter (isNotNull(error.type)) and (frontend.name == \\\"www\\\")\\n| sort timestamp desc\\n| limit 100\",\"maxResultRecords\":100,\"requestTimeoutMilliseconds\":3000,\"fetchTimeoutSeconds\":60}"},
                {"list_davis_analyzers", "{\"name\":\"forecast\"}", "GET", "/platform/davis/analyzers/v1/analyzers?page-size=100&add-fields=category", ""},
    };

    @Test
    void eachOtherReadToolSendsExactlyTheRequestTheApiTakes() throws Exception {
        answers.put("POST /platform/storage/query/v1/query:execute", request -> json(200, succeeded("[]", 10)));
        answers.put("POST /platform/storage/query/v1/query:verify", request -> json(200,
                "{\"valid\":true,\"notifications\":[]}"));
        answers.put("GET /platform/management/v1/environment", request -> json(200, "{\"environmentId\":\"abc12345\","
                + "\"state\":\"ACTIVE\",\"createTime\":\"2024-01-01T00:00:00Z\"}"));
        answers.put("POST /platform/davis/copilot/v1/skills/dql2nl:explain", request -> json(200,
                "{\"summary\":\"s\",\"explanation\":\"e\",\"status\":\"SUCCESSFUL\"}"));
        answers.put("POST /platform/davis/copilot/v1/skills/conversations:message", request -> json(200,
                "{\"text\":\"t\",\"status\":\"SUCCESSFUL\"}"));
        answers.put("GET /platform/davis/analyzers/v1/analyzers", request -> json(200,
                "{\"analyzers\":[],\"totalCount\":0}"));
        for (String[] row : READ_REQUESTS) {
            int before = received.size();
            call(row[0], row[1]);
            List<RecordedRequest> sent = received.subList(before, received.size());

            assertThat(sent).as(row[0]).hasSize(1);
            RecordedRequest request = sent.get(0);
            assertThat(request.getMethod() + " " + request.getPath()).as(row[0]).isEqualTo(row[2] + " " + row[3]);
            assertThat(request.getHeader("Authorization")).as(row[0]).isEqualTo("Bearer " + TOKEN);
            String body = request.getBody().clone().readUtf8();
            assertThat(body.isEmpty() ? "" : JSON.readTree(body).toString()).as(row[0]).isEqualTo(row[4]);
        }
        assertThat(call("find_entities", "{\"name\":\"checkout\",\"type\":\"service\"}").isError()).isFalse();
        assertThat(body(received.get(received.size() - 1)).path("query").asText()).isEqualTo(
                "fetch dt.entity.service, from: now()-3d\n| filter contains(entity.name, \"checkout\", caseSensitive: false)"
                        + "\n| sort entity.name asc\n| limit 50");
    }
}
