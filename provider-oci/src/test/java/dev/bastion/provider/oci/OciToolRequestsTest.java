package dev.bastion.provider.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.oci.auth.OciSignatureVerifier;
import dev.bastion.provider.oci.auth.PemPrivateKeys;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each tool's exact request against MockWebServer: method, path, query and body, and a signature
 * that verifies as OCI verifies it (the test key's public half, the signing string rebuilt from
 * what arrived).
 */
class OciToolRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANCY = "ocid1.tenancy.oc1..aaaaaaaatenancy";
    private static final String USER = "ocid1.user.oc1..aaaaaaaauser";
    private static final String FINGERPRINT = "4b:f1:62:5d:0a:f9:b9:70:9d:dc:45:7c:3b:22:f9:1f";
    private static final String COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaweb";
    private static final String ALARM = "ocid1.alarm.oc1.iad.aaaaaaaaalarm";
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;

    private MockWebServer server;
    private Map<String, Tool> tools;
    private PublicKey publicKey;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        String pem;
        try (InputStream in = getClass().getResourceAsStream("/dev/bastion/provider/oci/auth/pkcs8.pem")) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        Path key = dir.resolve("key.pem");
        Files.writeString(key, pem);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        RSAPrivateCrtKey privateKey = PemPrivateKeys.read(pem, null, "key.pem");
        publicKey = KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        Path config = dir.resolve("config");
        Files.writeString(config, "[DEFAULT]\nuser=" + USER + "\nfingerprint=" + FINGERPRINT + "\nkey_file=" + key
                + "\ntenancy=" + TENANCY + "\nregion=us-ashburn-1\n");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("config_file", config);
        values.put("monitoring_endpoint", server.url("/").uri());
        values.put("identity_endpoint", server.url("/").uri());
        values.put("allow_insecure_loopback", true);
        SecretRedactor redactor = new SecretRedactor();
        ServerProviderContext context = new ServerProviderContext(JSON, redactor, Clock.fixed(NOW, ZoneOffset.UTC),
                "test", Map.of(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of())));
        var provider = new OciProviderFactory(Map.of(), dir).create(new ProviderConfig("oci", "prod", values), context);
        tools = new LinkedHashMap<>();
        provider.tools().forEach(tool -> tools.put(tool.descriptor().name(), tool));
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private ToolResult call(String tool, String arguments) throws Exception {
        return tools.get(tool).call((ObjectNode) JSON.readTree(arguments), BackgroundCall.within(Duration.ofSeconds(10)));
    }

    private void answer(String body, String... headers) {
        MockResponse response = new MockResponse().setHeader("Content-Type", "application/json")
                .setHeader("opc-request-id", "REQ1").setBody(body);
        for (int i = 0; i < headers.length; i += 2) {
            response.setHeader(headers[i], headers[i + 1]);
        }
        server.enqueue(response);
    }

    /** The next request, after checking that its signature verifies as OCI would verify it. */
    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        OciSignatureVerifier verifier = new OciSignatureVerifier(
                id -> id.equals(TENANCY + "/" + USER + "/" + FINGERPRINT) ? Optional.of(publicKey) : Optional.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        OciSignatureVerifier.Verdict verdict = verifier.verify(request.getMethod(), request.getPath(),
                name -> Optional.ofNullable(request.getHeader(name)));
        assertThat(verdict.verified()).as("signature of %s %s: %s", request.getMethod(), request.getPath(), verdict)
                .isTrue();
        String authorization = request.getHeader("Authorization");
        if (request.getMethod().equals("GET")) {
            assertThat(authorization).contains("headers=\"date (request-target) host\"");
        } else {
            assertThat(authorization).contains("headers=\"date (request-target) host content-length content-type"
                    + " x-content-sha256\"");
            assertThat(OciSignatureVerifier.checkBody(request.getBody().clone().readByteArray(),
                    name -> Optional.ofNullable(request.getHeader(name)))).isEmpty();
        }
        assertThat(request.getHeader("date")).isEqualTo("Fri, 04 Dec 2026 10:00:00 GMT");
        return request;
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().readUtf8());
    }

    @Test
    void listCompartmentsFollowsEveryPage() throws Exception {
        answer("[{\"id\":\"" + COMPARTMENT + "\",\"compartmentId\":\"" + TENANCY + "\",\"name\":\"web\","
                + "\"lifecycleState\":\"ACTIVE\"}]", "opc-next-page", "PAGE2");
        answer("[{\"id\":\"ocid1.compartment.oc1..aaaaaaaadb\",\"compartmentId\":\"" + TENANCY + "\",\"name\":\"db\"}]");

        ToolResult result = call("oci_list_compartments", "{\"name\":\"web\"}");

        RecordedRequest first = taken();
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getPath()).isEqualTo("/20160918/compartments?compartmentId=" + TENANCY + "&limit=1000&name=web");
        assertThat(taken().getPath()).isEqualTo("/20160918/compartments?compartmentId=" + TENANCY
                + "&limit=1000&name=web&page=PAGE2");
        assertThat(result.structuredContent().path("count").asInt()).isEqualTo(2);
        assertThat(result.structuredContent().path("compartments").get(0).path("parent_id").asText()).isEqualTo(TENANCY);
    }

    @Test
    void listCompartmentsOfASubtreeAsksTheTenancyAsOciRequires() throws Exception {
        answer("[{\"id\":\"" + COMPARTMENT + "\",\"compartmentId\":\"" + TENANCY + "\",\"name\":\"web\"},"
                + "{\"id\":\"ocid1.compartment.oc1..aaaaaaaachild\",\"compartmentId\":\"" + COMPARTMENT + "\",\"name\":\"c\"}]");

        ToolResult result = call("oci_list_compartments", "{\"compartment_id\":\"" + COMPARTMENT
                + "\",\"include_subtree\":true}");

        assertThat(taken().getPath()).isEqualTo("/20160918/compartments?compartmentId=" + TENANCY
                + "&limit=1000&accessLevel=ACCESSIBLE&compartmentIdInSubtree=true");
        assertThat(result.structuredContent().path("compartments")).hasSize(1);
        assertThat(result.structuredContent().path("compartments").get(0).path("name").asText()).isEqualTo("c");
    }

    @Test
    void listMetricNamespacesGroupsByNamespace() throws Exception {
        answer("[{\"namespace\":\"oci_lbaas\"},{\"namespace\":\"oci_computeagent\"}]");

        ToolResult result = call("oci_list_metric_namespaces", "{\"compartment_id\":\"" + COMPARTMENT + "\"}");

        RecordedRequest request = taken();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/20180401/metrics/actions/listMetrics?compartmentId=" + COMPARTMENT
                + "&limit=1000");
        assertThat(body(request).toString()).isEqualTo("{\"groupBy\":[\"namespace\"]}");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(result.structuredContent().path("namespaces").toString())
                .isEqualTo("[\"oci_computeagent\",\"oci_lbaas\"]");
    }

    @Test
    void listMetricsSendsEveryFilterInTheBody() throws Exception {
        answer("[{\"name\":\"CpuUtilization\",\"namespace\":\"oci_computeagent\",\"compartmentId\":\"" + COMPARTMENT
                + "\",\"dimensions\":{\"resourceDisplayName\":\"web-1\"}}]", "opc-next-page", "NEXT");

        ToolResult result = call("oci_list_metrics", "{\"compartment_id\":\"" + COMPARTMENT + "\",\"include_subtree\":true,"
                + "\"namespace\":\"oci_computeagent\",\"name\":\"CpuUtilization\",\"dimension_filters\":"
                + "{\"resourceDisplayName\":\"web-1\"},\"group_by\":[\"resourceDisplayName\"],\"limit\":50}");

        RecordedRequest request = taken();
        assertThat(request.getPath()).isEqualTo("/20180401/metrics/actions/listMetrics?compartmentId=" + COMPARTMENT
                + "&compartmentIdInSubtree=true&limit=50");
        assertThat(body(request).toString()).isEqualTo("{\"namespace\":\"oci_computeagent\",\"name\":\"CpuUtilization\","
                + "\"dimensionFilters\":{\"resourceDisplayName\":\"web-1\"},\"groupBy\":[\"resourceDisplayName\"]}");
        String cursor = result.structuredContent().path("next_page").asText();

        answer("[]");
        call("oci_list_metrics", "{\"compartment_id\":\"" + COMPARTMENT + "\",\"next_page\":\"" + cursor + "\"}");
        assertThat(taken().getPath()).endsWith("&limit=200&page=NEXT");
    }

    @Test
    void summarizeMetricsDataSendsTheQueryWithDefaultsOfThisCallAndAnswersCompactly() throws Exception {
        answer("[{\"namespace\":\"oci_computeagent\",\"compartmentId\":\"" + COMPARTMENT + "\",\"name\":\"CpuUtilization\","
                + "\"dimensions\":{\"resourceDisplayName\":\"web-1\"},\"metadata\":{\"displayName\":\"CPU Utilization\","
                + "\"unit\":\"percent\"},\"resolution\":\"5m\",\"aggregatedDatapoints\":["
                + "{\"timestamp\":\"2026-12-04T09:55:00.000Z\",\"value\":12.5},"
                + "{\"timestamp\":\"2026-12-04T10:00:00.000Z\",\"value\":14.0}]}]");

        ToolResult result = call("oci_summarize_metrics_data", "{\"compartment_id\":\"" + COMPARTMENT + "\","
                + "\"namespace\":\"oci_computeagent\",\"query\":\"CpuUtilization[5m]{resourceDisplayName = \\\"web-1\\\"}.mean()\"}");

        RecordedRequest request = taken();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/20180401/metrics/actions/summarizeMetricsData?compartmentId="
                + COMPARTMENT);
        assertThat(body(request).toString()).isEqualTo("{\"namespace\":\"oci_computeagent\",\"query\":"
                + "\"CpuUtilization[5m]{resourceDisplayName = \\\"web-1\\\"}.mean()\",\"startTime\":\"2026-12-04T07:00:00Z\","
                + "\"endTime\":\"2026-12-04T10:00:00Z\",\"resolution\":\"5m\"}");
        assertThat(result.structuredContent().path("series").toString()).isEqualTo("[{\"name\":\"CpuUtilization\","
                + "\"dimensions\":{\"resourceDisplayName\":\"web-1\"},\"unit\":\"percent\",\"count\":2,"
                + "\"points\":[[\"09:55\",12.5],[\"10:00\",14.0]]}]");
        assertThat(result.structuredContent().path("date").asText()).isEqualTo("2026-12-04");
    }

    @Test
    void invalidMqlIsRefusedWithItsPositionAndNothingIsSent() throws Exception {
        ToolResult result = call("oci_summarize_metrics_data", "{\"namespace\":\"oci_computeagent\","
                + "\"query\":\"CpuUtilization.mean()\"}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("query").contains("at position 15")
                .contains("expected '[' and an interval such as [1m]");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void alarmToolsSendTheirGets() throws Exception {
        answer("[{\"id\":\"" + ALARM + "\",\"displayName\":\"High CPU\",\"severity\":\"CRITICAL\",\"isEnabled\":true}]");
        call("oci_list_alarms", "{\"compartment_id\":\"" + COMPARTMENT + "\",\"lifecycle_state\":\"ACTIVE\"}");
        RecordedRequest list = taken();
        assertThat(list.getMethod()).isEqualTo("GET");
        assertThat(list.getPath()).isEqualTo("/20180401/alarms?compartmentId=" + COMPARTMENT
                + "&limit=100&lifecycleState=ACTIVE");

        answer("{\"id\":\"" + ALARM + "\",\"displayName\":\"High CPU\",\"destinations\":[\"t\"]}");
        ToolResult alarm = call("oci_get_alarm", "{\"alarm_id\":\"" + ALARM + "\"}");
        assertThat(taken().getPath()).isEqualTo("/20180401/alarms/" + ALARM);
        assertThat(alarm.structuredContent().path("name").asText()).isEqualTo("High CPU");

        answer("[{\"id\":\"a1\",\"status\":\"OK\",\"timestampTriggered\":\"2026-12-04T09:00:00Z\"},"
                + "{\"id\":\"a2\",\"status\":\"FIRING\",\"timestampTriggered\":\"2026-12-04T08:00:00Z\"}]");
        ToolResult statuses = call("oci_list_alarm_statuses", "{\"status\":\"FIRING\"}");
        assertThat(taken().getPath()).isEqualTo("/20180401/alarms/status?compartmentId=" + TENANCY
                + "&limit=100&status=FIRING");
        assertThat(statuses.structuredContent().path("statuses").get(0).path("id").asText()).isEqualTo("a2");
        assertThat(statuses.structuredContent().path("firing").asInt()).isEqualTo(1);

        answer("{\"alarmId\":\"" + ALARM + "\",\"isEnabled\":true,\"entries\":[{\"summary\":\"The alarm state is OK\","
                + "\"timestamp\":\"2026-12-04T09:00:00Z\",\"timestampTriggered\":null}]}");
        ToolResult history = call("oci_get_alarm_history", "{\"alarm_id\":\"" + ALARM + "\",\"limit\":10}");
        assertThat(taken().getPath()).isEqualTo("/20180401/alarms/" + ALARM + "/history?limit=10");
        assertThat(history.structuredContent().path("entries").get(0).has("triggered")).isFalse();
    }

    @Test
    void everyToolSendsOnlyGetsAndTheTwoReadOnlyActionPosts() throws Exception {
        List<String> sent = new ArrayList<>();
        for (Tool tool : tools.values()) {
            answer(tool.descriptor().name().matches("oci_get_alarm(_history)?") ? "{\"id\":\"" + ALARM + "\"}" : "[]");
            String args = switch (tool.descriptor().name()) {
                case "oci_summarize_metrics_data" -> "{\"namespace\":\"oci_computeagent\",\"query\":\"CpuUtilization[1m].max()\"}";
                case "oci_get_alarm", "oci_get_alarm_history" -> "{\"alarm_id\":\"" + ALARM + "\"}";
                default -> "{}";
            };
            assertThat(call(tool.descriptor().name(), args).isError()).as(tool.descriptor().name()).isFalse();
            assertThat(tool.descriptor().readOnly()).as(tool.descriptor().name()).isTrue();
            RecordedRequest request = taken();
            sent.add(request.getMethod() + " " + request.getPath().replaceAll("\\?.*", ""));
        }

        assertThat(tools).hasSize(8);
        assertThat(sent).allSatisfy(line -> assertThat(line).matches("GET /2016.*|GET /20180401/alarms.*"
                + "|POST /20180401/metrics/actions/(listMetrics|summarizeMetricsData)"));
    }

    @Test
    void notAuthorizedOrNotFoundSaysWhichPolicyTheToolNeeds() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                .setBody("{\"code\":\"NotAuthorizedOrNotFound\",\"message\":\"Authorization failed or requested resource"
                        + " not found.\"}"));

        ToolResult result = call("oci_list_alarms", "{}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("NotAuthorizedOrNotFound").contains("read alarms in compartment");
    }

    @Test
    void notAuthenticatedSaysWhatToCheckIncludingTheClock() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                .setBody("{\"code\":\"NotAuthenticated\",\"message\":\"The required information to complete"
                        + " authentication was not provided or was incorrect.\"}"));

        ToolResult result = call("oci_list_compartments", "{}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("NotAuthenticated").contains("clock").contains("config_file");
    }

    @Test
    void invalidParameterNamesTheParameterAndTheRequestId() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                .setHeader("opc-request-id", "REQ-400")
                .setBody("{\"code\":\"InvalidParameter\",\"message\":\"Invalid parameter 'compartmentId'\"}"));

        ToolResult result = call("oci_list_alarms", "{}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("400").contains("InvalidParameter: Invalid parameter 'compartmentId'")
                .contains("opc-request-id: REQ-400.");
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheWaitOciAsksFor() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "1")
                .setBody("{\"code\":\"TooManyRequests\",\"message\":\"Too many requests for the tenancy\"}"));
        answer("[]");

        ToolResult result = call("oci_list_alarms", "{}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(2);
        taken();
        taken();
    }

    @Test
    void tooManyRequestsThatDoesNotPassIsAClearErrorThatSaysWhenToRetry() throws Exception {
        for (int i = 0; i < 10; i++) {
            server.enqueue(new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
                    .setHeader("Retry-After", "120")
                    .setBody("{\"code\":\"TooManyRequests\",\"message\":\"Too many requests for the tenancy\"}"));
        }

        ToolResult result = call("oci_list_alarms", "{}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("429").contains("120");
        assertThat(result.allText()).doesNotContain("Exception");
    }

    @Test
    void aBackendSlowerThanTheCallsDeadlineIsATimeoutWithAHint() throws Exception {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("[]")
                .setHeadersDelay(5, TimeUnit.SECONDS));

        ToolResult result = tools.get("oci_list_alarms").call((ObjectNode) JSON.readTree("{}"),
                BackgroundCall.within(Duration.ofMillis(800)));

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).containsIgnoringCase("time").contains("narrow the time range or the compartment")
                .doesNotContain("Exception");
    }

    @Test
    void anHtmlPageOrAServerErrorIsNamedWithoutItsMarkup() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
                .setBody("<html><body><h1>502 Bad Gateway</h1></body></html>"));
        ToolResult html = call("oci_list_alarms", "{}");
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/json")
                    .setBody("{\"code\":\"InternalServerError\",\"message\":\"Internal Service Error, please try"
                            + " again\"}"));
        }
        ToolResult internal = call("oci_list_alarms", "{}");

        assertThat(html.isError()).isTrue();
        assertThat(html.allText()).contains("502").contains("Check the endpoint settings and the proxy")
                .doesNotContain("<html>");
        assertThat(internal.isError()).isTrue();
        assertThat(internal.allText()).contains("InternalServerError: Internal Service Error, please try again");
    }
}
