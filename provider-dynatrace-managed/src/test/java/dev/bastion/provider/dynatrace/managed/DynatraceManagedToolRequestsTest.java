package dev.bastion.provider.dynatrace.managed;

import dev.bastion.toolkit.http.BackendSettings;
import dev.bastion.toolkit.tool.Cursor;
import static dev.bastion.provider.dynatrace.managed.TestCalls.JSON;
import static dev.bastion.provider.dynatrace.managed.TestCalls.TOKEN;
import static dev.bastion.provider.dynatrace.managed.TestCalls.call;
import static dev.bastion.provider.dynatrace.managed.TestCalls.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.ToolResult;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * For each tool: the exact backend request (method, path, query, Api-Token header) and the compact
 * output built from a recorded response.
 */
class DynatraceManagedToolRequestsTest {

    private static final String ENV = "abc12345";
    private static final String BASE = "/e/" + ENV + "/api/v2/";

    private MockWebServer server;
    private Provider provider;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        provider = TestCalls.provider(TestCalls.config("prod", server.url("/").uri(), ENV, TOKEN,
                Map.of(BackendSettings.TIMEOUT, Duration.ofSeconds(5))), TestProviderContext.create());
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private void answer(String body) {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(body));
    }

    private RecordedRequest request() throws InterruptedException {
        return request("GET");
    }

    private RecordedRequest request(String method) throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getMethod()).isEqualTo(method);
        assertThat(request.getHeader("Authorization")).isEqualTo("Api-Token " + TOKEN);
        return request;
    }

    private static Map<String, String> query(RecordedRequest request) {
        HttpUrl url = request.getRequestUrl();
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String name : url.queryParameterNames()) {
            out.put(name, url.queryParameter(name));
        }
        return out;
    }

    private static JsonNode structured(ToolResult result) throws Exception {
        assertThat(result.isError()).as(result.allText()).isFalse();
        // The text block is the structured content, serialised compactly.
        assertThat(result.allText()).isEqualTo(JSON.writeValueAsString(result.structuredContent()));
        return result.structuredContent();
    }

    @Test
    void getEnvironmentsInfoReadsTheV1ClusterVersion() throws Exception {
        answer("{\"version\":\"1.328.54.20251118-123456\"}");
        JsonNode out = structured(call(provider, "get_environments_info", "{}"));
        RecordedRequest request = request();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo("/e/" + ENV + "/api/v1/config/clusterversion");
        assertThat(out.path("environment").asText()).isEqualTo("prod");
        assertThat(out.path("environment_id").asText()).isEqualTo(ENV);
        assertThat(out.path("cluster_version").asText()).isEqualTo("1.328.54.20251118-123456");
        assertThat(out.path("api_url").asText()).endsWith(BASE);
    }

    @Test
    void listProblemsSendsEscapedSelectorsAndReturnsCompactProblems() throws Exception {
        answer(fixture("listProblems.json"));
        JsonNode out = structured(call(provider, "list_problems", """
                {"status":"OPEN","impact_level":"INFRASTRUCTURE","entity_type":"KUBERNETES_CLUSTER",
                 "entity_name":"week\\"planner","tags":["team:platform"],"limit":50,"from":"now-6h"}"""));
        RecordedRequest request = request();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "problems");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "from", "now-6h",
                "problemSelector", "status(\"OPEN\"),impactLevel(\"INFRASTRUCTURE\")",
                "entitySelector", "type(\"KUBERNETES_CLUSTER\"),entityName(\"week~\"planner\"),tag(\"team:platform\")",
                "sort", "-startTime",
                "pageSize", "50"));
        JsonNode problem = out.path("problems").get(0);
        assertThat(problem.path("problem_id").asText()).isEqualTo("-2899693953000578799_1763288686574V2");
        assertThat(problem.path("display_id").asText()).isEqualTo("P-2511198");
        assertThat(problem.path("status").asText()).isEqualTo("OPEN");
        assertThat(problem.path("severity").asText()).isEqualTo("AVAILABILITY");
        assertThat(problem.path("start").asText()).isEqualTo("2025-11-16T10:24:46Z");
        assertThat(problem.has("end")).isFalse();
        assertThat(problem.path("affected").get(0).asText())
                .isEqualTo("weekplanner (KUBERNETES_CLUSTER-CBA3902E721DFC3D)");
        assertThat(out.path("total").asInt()).isEqualTo(12);
        assertThat(Cursor.decode("dynatrace_managed_list_problems", "next_page", out.path("next_page").asText()))
                .startsWith("AQANMTc2NDAx");
    }

    @Test
    void listProblemsSendsOnlyTheCursorOnLaterPages() throws Exception {
        answer(fixture("listProblems.json"));
        structured(call(provider, "list_problems", "{\"next_page\":\"" + Cursor.encode(
                "dynatrace_managed_list_problems", "AQANMTc2") + "\",\"status\":\"OPEN\",\"limit\":5}"));
        RecordedRequest request = request();
        assertThat(query(request)).containsExactly(Map.entry("nextPageKey", "AQANMTc2"));
    }

    @Test
    void getProblemDetailsAsksForEvidenceImpactAndComments() throws Exception {
        answer(JSON.readTree(fixture("getProblemDetails.json")).path("data").toString());
        JsonNode out = structured(call(provider, "get_problem_details",
                "{\"problem_id\":\"845025139905093722_1763133360000V2\"}"));
        RecordedRequest request = request();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "problems/845025139905093722_1763133360000V2");
        assertThat(query(request)).containsExactly(
                Map.entry("fields", "+evidenceDetails,+impactAnalysis,+recentComments"));
        assertThat(out.path("title").asText()).isEqualTo("Backoff event");
        assertThat(out.path("evidence").get(0).path("name").asText()).isEqualTo("Backoff event");
        assertThat(out.path("evidence").get(0).path("description").asText()).startsWith("Events with reason 'BackOff'");
        assertThat(out.path("impacted").get(0).asText()).isEqualTo("client (CLOUD_APPLICATION-4697ADC7B6A1F6B5)");
    }

    @Test
    void displayIdsAreResolvedToTheProblemIdFirst() throws Exception {
        answer(fixture("listProblems.json"));
        answer(JSON.readTree(fixture("getProblemDetails.json")).path("data").toString());
        structured(call(provider, "get_problem_details", "{\"problem_id\":\"P-2511198\"}"));
        RecordedRequest lookup = request();
        assertThat(lookup.getRequestUrl().encodedPath()).isEqualTo(BASE + "problems");
        assertThat(query(lookup)).containsExactlyInAnyOrderEntriesOf(Map.of("from", "now-365d",
                "problemSelector", "displayId(\"P-2511198\")", "pageSize", "1"));
        assertThat(request().getRequestUrl().encodedPath())
                .isEqualTo(BASE + "problems/-2899693953000578799_1763288686574V2");
    }

    @Test
    void listProblemCommentsPagesOnTheProblem() throws Exception {
        answer("{\"totalCount\":1,\"pageSize\":20,\"nextPageKey\":null,\"comments\":[{\"id\":\"c1\","
                + "\"createdAtTimestamp\":1763288686574,\"content\":\"Restarted pod\",\"authorName\":\"alice\","
                + "\"context\":\"Jira\"}]}");
        JsonNode out = structured(call(provider, "list_problem_comments", "{\"problem_id\":\"P1_2V2\",\"limit\":3}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "problems/P1_2V2/comments");
        assertThat(query(request)).containsExactly(Map.entry("pageSize", "3"));
        assertThat(out.path("comments").get(0).path("author").asText()).isEqualTo("alice");
        assertThat(out.path("comments").get(0).path("created").asText()).isEqualTo("2025-11-16T10:24:46Z");
        assertThat(out.has("next_page")).isFalse();
    }

    @Test
    void addProblemCommentPostsMessageAndContext() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(201).setBody("{\"id\":\"c9\",\"createdAtTimestamp\":"
                + "1763288686574,\"content\":\"x\",\"authorName\":\"token\",\"context\":\"Bastion\"}"));
        JsonNode out = structured(call(provider, "add_problem_comment",
                "{\"problem_id\":\"P1_2V2\",\"message\":\"Rolled back\"}"));
        RecordedRequest request = request("POST");
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "problems/P1_2V2/comments");
        assertThat(JSON.readTree(request.getBody().readUtf8()))
                .isEqualTo(JSON.readTree("{\"message\":\"Rolled back\",\"context\":\"Bastion\"}"));
        assertThat(out.path("comment_id").asText()).isEqualTo("c9");
    }

    @Test
    void closeProblemPostsTheClosingMessage() throws Exception {
        answer("{\"problemId\":\"P1_2V2\",\"closing\":true,\"comment\":{\"id\":\"c10\"}}");
        JsonNode out = structured(call(provider, "close_problem", "{\"problem_id\":\"P1_2V2\",\"message\":\"Fixed\"}"));
        RecordedRequest request = request("POST");
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "problems/P1_2V2/close");
        assertThat(JSON.readTree(request.getBody().readUtf8())).isEqualTo(JSON.readTree("{\"message\":\"Fixed\"}"));
        assertThat(out.path("closing").asBoolean()).isTrue();
        assertThat(out.path("comment_id").asText()).isEqualTo("c10");
    }

    @Test
    void listEventsSendsEventAndEntitySelectors() throws Exception {
        answer(fixture("queryEvents.json"));
        JsonNode out = structured(call(provider, "list_events",
                "{\"event_type\":\"AVAILABILITY_EVENT\",\"entity_ids\":[\"KUBERNETES_CLUSTER-CBA3902E721DFC3D\"]}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "events");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "from", "now-2h",
                "eventSelector", "eventType(\"AVAILABILITY_EVENT\")",
                "entitySelector", "entityId(\"KUBERNETES_CLUSTER-CBA3902E721DFC3D\")",
                "pageSize", "20"));
        JsonNode event = out.path("events").get(0);
        assertThat(event.path("event_id").asText()).isEqualTo("-2899693953000578799_1763288686574");
        assertThat(event.path("entity").asText()).isEqualTo("weekplanner (KUBERNETES_CLUSTER-CBA3902E721DFC3D)");
        assertThat(event.path("description").asText()).startsWith("Dynatrace API monitoring is not available.");
        assertThat(out.path("total").asInt()).isEqualTo(386);
    }

    @Test
    void getEventDetailsMapsPropertiesAndDropsSettingsBlobs() throws Exception {
        answer(fixture("getEventDetails.json"));
        JsonNode out = structured(call(provider, "get_event_details",
                "{\"event_id\":\"-2899693953000578799_1763288686574\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "events/-2899693953000578799_1763288686574");
        assertThat(request.getRequestUrl().querySize()).isZero();
        assertThat(out.path("properties").path("k8s.cluster.name").asText()).isEqualTo("weekplanner");
        assertThat(out.path("properties").has("dt.settings.object_id")).isFalse();
        assertThat(out.path("tags").get(0).asText())
                .isEqualTo("[Kubernetes]kubernetes-monitoring-issues:monitoring-not-available");
    }

    @Test
    void ingestEventPostsTheEventWithAnEscapedSelector() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(201).setBody(
                "{\"reportCount\":1,\"eventIngestResults\":[{\"correlationId\":\"abc\",\"status\":\"OK\"}]}"));
        JsonNode out = structured(call(provider, "ingest_event", """
                {"event_type":"CUSTOM_DEPLOYMENT","title":"Deploy 4.2","entity_type":"SERVICE",
                 "entity_name":"checkout","entity_name_match":"equals","timeout_minutes":15,
                 "properties":{"version":"4.2"}}"""));
        RecordedRequest request = request("POST");
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "events/ingest");
        assertThat(JSON.readTree(request.getBody().readUtf8())).isEqualTo(JSON.readTree("""
                {"eventType":"CUSTOM_DEPLOYMENT","title":"Deploy 4.2",
                 "entitySelector":"type(\\"SERVICE\\"),entityName.equals(\\"checkout\\")","timeout":15,
                 "properties":{"version":"4.2"}}"""));
        assertThat(out.path("report_count").asInt()).isEqualTo(1);
        assertThat(out.path("results").get(0).path("correlation_id").asText()).isEqualTo("abc");
    }

    @Test
    void listEntityTypesReturnsTypeNamesAndDimensionKeys() throws Exception {
        answer(fixture("listEntityTypes.json"));
        JsonNode out = structured(call(provider, "list_entity_types", "{}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "entityTypes");
        assertThat(query(request)).containsExactly(Map.entry("pageSize", "100"));
        assertThat(out.path("types").get(0).path("type").asText()).isEqualTo("APM_SECURITY_GATEWAY");
        assertThat(out.path("types").get(0).path("dimension_key").asText()).isEqualTo("dt.entity.apm_security_gateway");
        assertThat(out.path("types").get(0).has("properties")).isFalse();
    }

    @Test
    void getEntityTypeDetailsMapsRelationships() throws Exception {
        answer(fixture("getEntityDetails.json"));
        JsonNode out = structured(call(provider, "get_entity_type_details", "{\"type\":\"SERVICE\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "entityTypes/SERVICE");
        assertThat(out.path("from_relationships").path("runsOnHost").toString()).contains("HOST");
        assertThat(out.path("to_relationships").path("calls").toString()).contains("APPLICATION");
        assertThat(out.path("properties").path("port").asText()).isEqualTo("Number");
    }

    @Test
    void discoverEntitiesRequiresATypeAndAsksForCompactFields() throws Exception {
        answer(fixture("queryEntities.json"));
        JsonNode out = structured(call(provider, "discover_entities",
                "{\"entity_type\":\"HOST\",\"entity_name\":\"aks\",\"management_zone\":\"prod\",\"health_state\":\"UNHEALTHY\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "entities");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "entitySelector", "type(\"HOST\"),entityName(\"aks\"),mzName(\"prod\"),healthState(\"UNHEALTHY\")",
                "fields", "+firstSeenTms,+lastSeenTms,+tags,+managementZones",
                "pageSize", "20"));
        assertThat(out.path("entities").get(0).path("id").asText()).isEqualTo("HOST-0F66906C3BC01429");
        assertThat(out.path("total").asInt()).isEqualTo(18);
        assertThat(call(provider, "discover_entities", "{\"entity_name\":\"aks\"}").allText())
                .isEqualTo("Invalid argument entity_type: is required.");
    }

    @Test
    void getEntityDetailsAsksForPropertiesTagsAndZones() throws Exception {
        answer("{\"entityId\":\"HOST-0F66906C3BC01429\",\"displayName\":\"web-01\",\"type\":\"HOST\","
                + "\"firstSeenTms\":1763288686574,\"lastSeenTms\":1764018848109,\"properties\":{\"osType\":\"LINUX\","
                + "\"cpuCores\":4},\"tags\":[{\"context\":\"CONTEXTLESS\",\"key\":\"env\",\"value\":\"prod\","
                + "\"stringRepresentation\":\"env:prod\"}],\"managementZones\":[{\"id\":\"1\",\"name\":\"payments\"}]}");
        JsonNode out = structured(call(provider, "get_entity_details", "{\"entity_id\":\"HOST-0F66906C3BC01429\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "entities/HOST-0F66906C3BC01429");
        assertThat(query(request)).containsExactly(
                Map.entry("fields", "+properties,+tags,+managementZones,+firstSeenTms,+lastSeenTms"));
        assertThat(out.path("properties").path("cpuCores").asInt()).isEqualTo(4);
        assertThat(out.path("tags").get(0).asText()).isEqualTo("env:prod");
        assertThat(out.path("zones").get(0).asText()).isEqualTo("payments");
        assertThat(out.path("last_seen").asText()).isEqualTo("2025-11-24T21:14:08Z");
    }

    @Test
    void getEntityRelationshipsListsIdsPerRelationship() throws Exception {
        answer("{\"entityId\":\"SERVICE-1\",\"displayName\":\"checkout\",\"type\":\"SERVICE\","
                + "\"fromRelationships\":{\"runsOn\":[{\"id\":\"PROCESS_GROUP-2\",\"type\":\"PROCESS_GROUP\"}]},"
                + "\"toRelationships\":{\"calls\":[{\"id\":\"APPLICATION-3\",\"type\":\"APPLICATION\"}]}}");
        JsonNode out = structured(call(provider, "get_entity_relationships", "{\"entity_id\":\"SERVICE-1\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "entities/SERVICE-1");
        assertThat(query(request)).containsExactly(Map.entry("fields", "+fromRelationships,+toRelationships"));
        assertThat(out.path("from").path("runsOn").get(0).asText()).isEqualTo("PROCESS_GROUP-2");
        assertThat(out.path("to").path("calls").get(0).asText()).isEqualTo("APPLICATION-3");
    }

    @Test
    void listAvailableMetricsSearchesAndLimitsFields() throws Exception {
        answer(fixture("listAvailableMetrics.json"));
        JsonNode out = structured(call(provider, "list_available_metrics",
                "{\"search_text\":\"crash\",\"key_pattern\":\"builtin:apps.*\",\"limit\":500}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "metrics");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of("text", "crash",
                "metricSelector", "builtin:apps.*", "fields", "displayName,unit,description", "pageSize", "500"));
        assertThat(out.path("metrics").get(0).path("key").asText()).isEqualTo("builtin:apps.other.crashAffectedUsersRate.os");
        assertThat(out.path("metrics").get(0).path("description").asText()).hasSizeLessThanOrEqualTo(203);
        assertThat(out.path("total").asInt()).isEqualTo(188);
        assertThat(Cursor.decode("dynatrace_managed_list_available_metrics", "next_page",
                out.path("next_page").asText())).startsWith("__-rq96t3q0");
    }

    @Test
    void getMetricDetailsEncodesTheKeyAsOnePathSegment() throws Exception {
        answer(fixture("getMetricDetails.json"));
        JsonNode out = structured(call(provider, "get_metric_details", "{\"metric_key\":\"builtin:host.cpu.usage\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().pathSegments()).containsExactly("e", ENV, "api", "v2", "metrics",
                "builtin:host.cpu.usage");
        assertThat(out.path("default_aggregation").asText()).isEqualTo("avg");
        assertThat(out.path("dimensions").get(0).path("key").asText()).isEqualTo("dt.entity.host");
        assertThat(out.path("entity_types").get(0).asText()).isEqualTo("HOST");
        assertThat(out.path("last_written").asText()).isEqualTo("2025-11-24T21:17:05Z");
    }

    @Test
    void queryMetricsDataBuildsTheSelectorAndSummarisesSeries() throws Exception {
        answer(fixture("queryMetrics.json"));
        JsonNode out = structured(call(provider, "query_metrics_data", """
                {"metric_keys":["builtin:host.cpu.usage"],"aggregation":"avg","split_by":["dt.entity.host"],
                 "top":5,"entity_type":"HOST","tags":["env:prod"],"from":"now-3h","resolution":"1h"}"""));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "metrics/query");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "metricSelector", "builtin:host.cpu.usage:splitBy(\"dt.entity.host\"):avg"
                        + ":sort(value(avg,descending)):limit(5)",
                "entitySelector", "type(\"HOST\"),tag(\"env:prod\")",
                "from", "now-3h", "resolution", "1h"));
        JsonNode series = out.path("series").get(0);
        assertThat(series.path("metric").asText()).isEqualTo("builtin:host.cpu.usage");
        assertThat(series.path("dimensions").path("dt.entity.host").asText()).isEqualTo("HOST-1D1EA84AB7DF62B4");
        assertThat(series.path("start").asText()).isEqualTo("2025-11-23T22:00:00Z");
        assertThat(series.path("step_seconds").asInt()).isEqualTo(3600);
        assertThat(series.path("values").toString()).isEqualTo("[4.1,null,5.2]");
        assertThat(series.path("max").asDouble()).isEqualTo(5.2);
        assertThat(series.path("avg").asDouble()).isEqualTo(4.65);
    }

    @Test
    void queryLogsSendsTheQueryAsItsOwnParameter() throws Exception {
        answer(fixture("queryLogs.json"));
        JsonNode out = structured(call(provider, "query_logs",
                "{\"query\":\"status=\\\"ERROR\\\" AND content=\\\"timeout\\\"\",\"limit\":1000,\"sort\":\"timestamp\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "logs/search");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "query", "status=\"ERROR\" AND content=\"timeout\"", "from", "now-2h", "sort", "timestamp",
                "limit", "1000"));
        JsonNode log = out.path("logs").get(0);
        assertThat(log.path("time").asText()).isEqualTo("2025-11-24T21:14:08Z");
        assertThat(log.path("attributes").path("host.name").asText()).isEqualTo("dt-span-generator");
        assertThat(log.path("attributes").has("azure.vmid")).isFalse();
        assertThat(out.has("next_page")).isFalse();
    }

    @Test
    void queryLogsPagesWithTheSliceKeyAlone() throws Exception {
        answer(fixture("queryLogs.json"));
        structured(call(provider, "query_logs", "{\"next_page\":\"" + Cursor.encode("dynatrace_managed_query_logs",
                "slice-2") + "\",\"query\":\"x\"}"));
        assertThat(query(request())).containsExactly(Map.entry("nextSliceKey", "slice-2"));
    }

    @Test
    void listSecurityProblemsAsksForRiskAssessment() throws Exception {
        answer(fixture("listSecurityProblems.json"));
        JsonNode out = structured(call(provider, "list_security_problems",
                "{\"status\":\"OPEN\",\"risk_level\":\"HIGH\",\"cve_id\":\"CVE-2025-1767\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "securityProblems");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "securityProblemSelector", "status(\"OPEN\"),riskLevel(\"HIGH\"),cveId(\"CVE-2025-1767\")",
                "from", "now-30d", "sort", "-riskAssessment.riskScore", "fields", "+riskAssessment",
                "pageSize", "20"));
        JsonNode problem = out.path("security_problems").get(0);
        assertThat(problem.path("id").asText()).isEqualTo("10965700244432082338");
        assertThat(problem.path("cves").get(0).asText()).isEqualTo("CVE-2025-1767");
        assertThat(problem.path("first_seen").asText()).isEqualTo("2025-11-06T16:08:55Z");
        assertThat(out.path("total").asInt()).isEqualTo(214);
    }

    @Test
    void getSecurityProblemDetailsIncludesTheRisk() throws Exception {
        answer(fixture("getSecurityProblemDetails.json"));
        JsonNode out = structured(call(provider, "get_security_problem_details", "{\"security_problem_id\":\"SP-123\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "securityProblems/SP-123");
        assertThat(query(request)).containsExactly(Map.entry("fields",
                "+riskAssessment,+description,+remediationDescription,+vulnerableComponents,+affectedEntities"));
        assertThat(out.path("risk_level").asText()).isEqualTo("HIGH");
        assertThat(out.path("risk_score").asDouble()).isEqualTo(8.5);
        assertThat(out.path("exposure").asText()).isEqualTo("INTERNAL");
    }

    @Test
    void listSlosEvaluatesAndDropsUnevaluatedSentinels() throws Exception {
        answer(fixture("listSlos.json"));
        JsonNode out = structured(call(provider, "list_slos", "{\"text\":\"orders\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "slo");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of("sloSelector", "text(\"orders\")",
                "enabledSlos", "true", "evaluate", "true", "timeFrame", "CURRENT", "pageSize", "20"));
        JsonNode slo = out.path("slos").get(0);
        assertThat(slo.path("name").asText()).isEqualTo("DT-Orders K8 Error Rate");
        assertThat(slo.has("evaluated_percentage")).isFalse();
        assertThat(slo.has("error")).isFalse();
        assertThat(slo.path("target").asInt()).isEqualTo(95);
    }

    @Test
    void getSloDetailsKeepsTheErrorText() throws Exception {
        answer(fixture("getSloDetails.json"));
        JsonNode out = structured(call(provider, "get_slo_details",
                "{\"slo_id\":\"0775c411-c3a1-3286-8fd2-8a469ae0a1b9\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "slo/0775c411-c3a1-3286-8fd2-8a469ae0a1b9");
        assertThat(query(request)).containsExactly(Map.entry("timeFrame", "CURRENT"));
        assertThat(out.path("status").asText()).isEqualTo("FAILURE");
        assertThat(out.path("error").asText()).startsWith("At least one operand");
        assertThat(out.path("filter").asText()).isEqualTo("mzName(\"dt-orders-monolith\"),type(\"SERVICE\")");
        assertThat(out.has("related_open_problems")).isFalse();
    }

    @Test
    void listAuditLogsBuildsTheFilter() throws Exception {
        answer("{\"totalCount\":1,\"pageSize\":20,\"nextPageKey\":\"k2\",\"auditLogs\":[{\"logId\":\"1\","
                + "\"eventType\":\"UPDATE\",\"category\":\"CONFIG\",\"entityId\":\"builtin:alerting\","
                + "\"user\":\"alice\",\"timestamp\":1763288686574,\"success\":true,\"message\":\"m\"}]}");
        JsonNode out = structured(call(provider, "list_audit_logs",
                "{\"user\":\"alice\\\")\",\"event_type\":\"UPDATE\",\"category\":\"CONFIG\"}"));
        RecordedRequest request = request();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo(BASE + "auditlogs");
        assertThat(query(request)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "filter", "user(\"alice~\")\"),eventType(\"UPDATE\"),category(\"CONFIG\")",
                "from", "now-2h", "sort", "-timestamp", "pageSize", "20"));
        assertThat(out.path("audit_logs").get(0).path("user").asText()).isEqualTo("alice");
        assertThat(out.path("next_page").asText()).isEqualTo(Cursor.encode("dynatrace_managed_list_audit_logs", "k2"));
    }

    @Test
    void everyToolIsCoveredByThisClass() {
        Set<String> covered = Set.of("get_environments_info", "list_problems", "get_problem_details",
                "list_problem_comments", "add_problem_comment", "close_problem", "list_events", "get_event_details",
                "ingest_event", "list_entity_types", "get_entity_type_details", "discover_entities",
                "get_entity_details", "get_entity_relationships", "list_available_metrics", "get_metric_details",
                "query_metrics_data", "query_logs", "list_security_problems", "get_security_problem_details",
                "list_slos", "get_slo_details", "list_audit_logs");
        assertThat(provider.tools()).extracting(t -> t.descriptor().name().substring("dynatrace_managed_".length()))
                .containsExactlyInAnyOrderElementsOf(covered);
    }
}
