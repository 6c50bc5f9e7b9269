package dev.bastion.provider.itential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.command.DeviceCommandPolicy;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import java.io.IOException;
import java.net.URI;
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

/**
 * Each tool's exact request against MockWebServer: method, path, query and body, the login and the
 * token it puts on every later request, and the device-command allowlist in front of MOP.
 */
class ItentialToolRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "pl4tform-Pa55word-7731";
    private static final String TOKEN = "MTQ4ZmMzMGMxOTQ2MTg4N2ZjMDhiMTY0MzlkYTgwZmM=";

    private final SecretRedactor redactor = new SecretRedactor();
    private final Map<String, Function<RecordedRequest, MockResponse>> answers = new ConcurrentHashMap<>();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private MockWebServer server;
    private Map<String, Tool> tools;
    private Provider provider;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                String path = request.getRequestUrl().encodedPath();
                if (path.equals("/login")) {
                    return json("\"" + TOKEN + "\"");
                }
                Function<RecordedRequest, MockResponse> answer = answers.get(request.getMethod() + " " + path);
                return answer == null ? new MockResponse().setResponseCode(404).setBody("no answer for " + path)
                        : answer.apply(request);
            }
        });
        server.start();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("url", URI.create(server.url("/").toString().replaceAll("/$", "")));
        values.put("username", "operator");
        values.put("password", Secret.of(PASSWORD));
        values.put("keep_alive", Duration.ZERO);
        values.put("allow_insecure_loopback", true);
        ServerProviderContext context = new ServerProviderContext(JSON, redactor, Clock.systemUTC(), "test", Map.of(
                OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of()),
                DeviceCommandPolicy.class, DeviceCommandPolicy.defaults()));
        provider = new ItentialProviderFactory().create(new ProviderConfig("itential", "prod", values), context);
        tools = new LinkedHashMap<>();
        provider.tools().forEach(tool -> tools.put(tool.descriptor().name(), tool));
    }

    @AfterEach
    void stop() throws IOException {
        provider.close();
        server.shutdown();
    }

    private static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    private void answer(String methodAndPath, String body) {
        answers.put(methodAndPath, request -> json(body));
    }

    private ToolResult call(String tool, String arguments) throws Exception {
        return tools.get("itential_" + tool).call((ObjectNode) JSON.readTree(arguments),
                BackgroundCall.within(Duration.ofSeconds(10)));
    }

    /** The requests after the login, each checked for the session token in its query. */
    private List<RecordedRequest> apiRequests() {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest request : received) {
            if (request.getRequestUrl().encodedPath().equals("/login")) {
                continue;
            }
            assertThat(request.getRequestUrl().queryParameter("token")).as(request.getPath()).isEqualTo(TOKEN);
            out.add(request);
        }
        return out;
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().clone().readUtf8());
    }

    @Test
    void logsInOnceWithTheUserAndPutsTheTokenOnEveryRequest() throws Exception {
        answer("GET /mop/listTemplates", "[]");

        assertThat(call("list_command_templates", "{}").isError()).isFalse();
        assertThat(call("list_command_templates", "{}").isError()).isFalse();

        RecordedRequest login = received.get(0);
        assertThat(login.getMethod() + " " + login.getPath()).isEqualTo("POST /login");
        assertThat(body(login).toString()).isEqualTo("{\"user\":{\"username\":\"operator\",\"password\":\"" + PASSWORD
                + "\"}}");
        assertThat(received.stream().filter(r -> r.getPath().equals("/login"))).hasSize(1);
        assertThat(apiRequests()).hasSize(2);
        assertThat(redactor.redact("x " + TOKEN + " " + PASSWORD)).doesNotContain(TOKEN).doesNotContain(PASSWORD);
    }

    @Test
    void listJobsFollowsNextPageSkipToTheEndWithTheFilters() throws Exception {
        answers.put("GET /operations-manager/jobs", request -> {
            int skip = Integer.parseInt(request.getRequestUrl().queryParameter("skip"));
            StringBuilder data = new StringBuilder("[");
            int count = skip == 200 ? 50 : 100;
            for (int i = 0; i < count; i++) {
                data.append(i == 0 ? "" : ",").append("{\"_id\":\"").append(String.format("%024x", skip + i))
                        .append("\",\"name\":\"Backup\",\"status\":\"error\",\"metrics\":{\"start_time\":1700000000000}}");
            }
            String next = skip == 200 ? "null" : String.valueOf(skip + 100);
            return json("{\"message\":\"Successfully retrieved items\",\"data\":" + data + "],\"metadata\":{\"skip\":"
                    + skip + ",\"limit\":100,\"nextPageSkip\":" + next + ",\"total\":250,\"currentPageSize\":" + count
                    + "}}");
        });

        ToolResult result = call("list_jobs", "{\"status\":\"error\",\"name\":\"Backup\","
                + "\"since\":\"2026-06-01T00:00:00Z\"}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("count").asInt()).isEqualTo(250);
        assertThat(result.structuredContent().path("total").asInt()).isEqualTo(250);
        assertThat(result.structuredContent().has("truncated")).isFalse();
        assertThat(result.structuredContent().path("jobs").get(0).path("started").asText())
                .isEqualTo("2023-11-14T22:13:20Z");
        List<RecordedRequest> pages = apiRequests();
        assertThat(pages).extracting(r -> r.getRequestUrl().queryParameter("skip")).containsExactly("0", "100", "200");
        RecordedRequest first = pages.get(0);
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getRequestUrl().queryParameter("equals[status]")).isEqualTo("error");
        assertThat(first.getRequestUrl().queryParameter("contains[name]")).isEqualTo("Backup");
        assertThat(first.getRequestUrl().queryParameter("gt[metrics.start_time]")).isEqualTo("1780271999999");
        assertThat(first.getRequestUrl().queryParameter("limit")).isEqualTo("100");
        assertThat(first.getRequestUrl().queryParameter("sort")).isEqualTo("metrics.start_time");
        assertThat(first.getRequestUrl().queryParameter("order")).isEqualTo("-1");
    }

    @Test
    void aListThatStopsAtItsCapSaysSoAndHowToNarrowIt() throws Exception {
        answers.put("GET /operations-manager/jobs", request -> {
            int skip = Integer.parseInt(request.getRequestUrl().queryParameter("skip"));
            StringBuilder data = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                data.append(i == 0 ? "" : ",").append("{\"_id\":\"").append(String.format("%024x", skip + i))
                        .append("\",\"status\":\"complete\"}");
            }
            return json("{\"data\":" + data + "],\"metadata\":{\"nextPageSkip\":" + (skip + 100) + ",\"total\":900}}");
        });

        ToolResult result = call("list_jobs", "{\"max_results\":150}");

        assertThat(result.structuredContent().path("count").asInt()).isEqualTo(150);
        assertThat(result.structuredContent().path("total").asInt()).isEqualTo(900);
        assertThat(result.structuredContent().path("truncated").asBoolean()).isTrue();
        assertThat(result.structuredContent().path("hint").asText()).contains("narrow");
        assertThat(apiRequests()).hasSize(2);
    }

    @Test
    void listDevicesPagesByReturnCountWhichCountsAllMatches() throws Exception {
        answers.put("POST /configuration_manager/devices", request -> {
            try {
                JsonNode options = body(request).path("options");
                int start = options.path("start").asInt();
                int limit = options.path("limit").asInt();
                StringBuilder list = new StringBuilder("[");
                for (int i = start; i < Math.min(250, start + limit); i++) {
                    list.append(i == start ? "" : ",").append("{\"name\":\"rtr-").append(i)
                            .append("\",\"ostype\":\"cisco-ios\",\"address\":\"10.0.0.").append(i % 250).append("\"}");
                }
                return json("{\"entity\":\"device\",\"total\":250,\"return_count\":250,\"start_index\":" + start
                        + ",\"list\":" + list + "]}");
            } catch (IOException e) {
                return new MockResponse().setResponseCode(400);
            }
        });

        ToolResult result = call("list_devices", "{\"name\":\"rtr\"}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("count").asInt()).isEqualTo(250);
        List<RecordedRequest> pages = apiRequests();
        assertThat(pages).hasSize(3);
        assertThat(body(pages.get(0)).toString()).isEqualTo("{\"options\":{\"start\":0,\"limit\":100,\"order\":"
                + "\"ascending\",\"sort\":[{\"name\":1}],\"filter\":{\"name\":\"rtr\"},\"exactMatch\":false}}");
        assertThat(body(pages.get(2)).path("options").path("start").asInt()).isEqualTo(200);
    }

    @Test
    void runCommandSendsTheCheckedCommandToTheNamedDevices() throws Exception {
        answer("POST /mop/RunCommandDevices", "[{\"raw\":\"show version\",\"all_pass_flag\":true,\"evaluated\":"
                + "\"show version\",\"parameters\":{},\"rules\":[],\"device\":\"rtr-1\",\"response\":\"Cisco IOS XE"
                + " Software, Version 17.3.4a\",\"result\":true}]");

        ToolResult result = call("run_command", "{\"command\":\"  SHOW   version \",\"devices\":[\"rtr-1\"]}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("results").get(0).path("output").asText()).contains("17.3.4a");
        RecordedRequest sent = apiRequests().get(0);
        assertThat(sent.getMethod() + " " + sent.getRequestUrl().encodedPath()).isEqualTo("POST /mop/RunCommandDevices");
        assertThat(body(sent).toString()).isEqualTo("{\"command\":\"SHOW version\",\"devices\":[\"rtr-1\"],"
                + "\"variables\":{}}");
    }

    @Test
    void aTemplateWithARefusedCommandIsNotRunAndNothingIsSentButTheRead() throws Exception {
        answer("GET /mop/listATemplate/Interfaces", "[{\"name\":\"Interfaces\",\"os\":\"cisco-ios\",\"commands\":["
                + "{\"command\":\"show interfaces <!intf!>\",\"rules\":[]},{\"command\":\"show clock\",\"rules\":[]}]}]");
        answer("POST /mop/RunCommandTemplate", "{\"name\":\"Interfaces\",\"all_pass_flag\":true,\"command_results\":[]}");

        ToolResult injected = call("run_command_template", "{\"template\":\"Interfaces\",\"devices\":[\"rtr-1\"],"
                + "\"variables\":{\"intf\":\"Gi0/1 ; configure terminal\"}}");
        ToolResult unfilled = call("run_command_template", "{\"template\":\"Interfaces\",\"devices\":[\"rtr-1\"]}");
        ToolResult fine = call("run_command_template", "{\"template\":\"Interfaces\",\"devices\":[\"rtr-1\"],"
                + "\"variables\":{\"intf\":\"Gi0/1\"}}");

        assertThat(injected.isError()).isTrue();
        assertThat(injected.allText()).contains("Template 'Interfaces' was not run").contains("';'");
        assertThat(unfilled.isError()).isTrue();
        assertThat(unfilled.allText()).contains("variable 'intf' has no value");
        assertThat(fine.isError()).as(fine.allText()).isFalse();
        assertThat(apiRequests()).extracting(r -> r.getMethod() + " " + r.getRequestUrl().encodedPath())
                .containsExactly("GET /mop/listATemplate/Interfaces", "GET /mop/listATemplate/Interfaces",
                        "GET /mop/listATemplate/Interfaces", "POST /mop/RunCommandTemplate");
        RecordedRequest run = apiRequests().get(3);
        assertThat(body(run).toString()).isEqualTo("{\"template\":\"Interfaces\",\"devices\":[\"rtr-1\"],"
                + "\"variables\":{\"intf\":\"Gi0/1\"}}");
    }

    @Test
    void startWorkflowChecksTheInputAgainstTheTriggersSchemaBeforeStartingIt() throws Exception {
        answer("GET /operations-manager/triggers", "{\"message\":\"ok\",\"data\":[{\"_id\":\"t1\",\"name\":\"Provision"
                + " VLAN\",\"type\":\"endpoint\",\"routeName\":\"provision-vlan\",\"enabled\":true,\"schema\":{"
                + "\"type\":\"object\",\"required\":[\"vlan\"],\"properties\":{\"vlan\":{\"type\":\"integer\"}}}}],"
                + "\"metadata\":{\"total\":1}}");
        answer("POST /operations-manager/triggers/endpoint/provision-vlan", "{\"message\":\"started\",\"data\":{"
                + "\"_id\":\"6650c4b1e8d1f2a3b4c5d6e7\",\"name\":\"Provision VLAN\",\"status\":\"running\"},"
                + "\"metadata\":{}}");

        ToolResult refused = call("start_workflow", "{\"route\":\"provision-vlan\",\"input\":{\"vlan\":\"ten\"}}");
        ToolResult started = call("start_workflow", "{\"route\":\"provision-vlan\",\"input\":{\"vlan\":10}}");

        assertThat(refused.isError()).isTrue();
        assertThat(refused.allText()).contains("does not match the input schema of trigger 'provision-vlan'")
                .contains("/vlan");
        assertThat(started.isError()).as(started.allText()).isFalse();
        assertThat(started.structuredContent().path("job_id").asText()).isEqualTo("6650c4b1e8d1f2a3b4c5d6e7");
        List<RecordedRequest> sent = apiRequests();
        assertThat(sent).extracting(r -> r.getMethod() + " " + r.getRequestUrl().encodedPath()).containsExactly(
                "GET /operations-manager/triggers", "GET /operations-manager/triggers",
                "POST /operations-manager/triggers/endpoint/provision-vlan");
        assertThat(sent.get(0).getRequestUrl().queryParameter("equals")).isEqualTo("provision-vlan");
        assertThat(sent.get(0).getRequestUrl().queryParameter("equalsField")).isEqualTo("routeName");
        assertThat(body(sent.get(2)).toString()).isEqualTo("{\"vlan\":10}");
    }

    @Test
    void aDeviceConfigurationComesBackWithItsCredentialsMasked() throws Exception {
        answer("GET /configuration_manager/devices/rtr-1/configuration", "{\"device\":\"rtr-1\",\"config\":"
                + "\"hostname rtr-1\\nenable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\\nusername admin privilege 15"
                + " secret 9 $9$abc\\nsnmp-server community Publ1cStr1ng RO\\ninterface Gi0/1\\n description uplink\"}");

        ToolResult result = call("get_device_configuration", "{\"device\":\"rtr-1\"}");

        String config = result.structuredContent().path("config").asText();
        assertThat(config).contains("hostname rtr-1").contains("description uplink")
                .doesNotContain("hx5rVt7rPNoS4wqbXKX7m0").doesNotContain("$9$abc").doesNotContain("Publ1cStr1ng")
                .contains("enable secret 5 " + DeviceSecrets.MASK);
        assertThat(result.structuredContent().path("masked_lines").asInt()).isEqualTo(3);
    }

    @Test
    void anUnknownNameThatThePlatformAnswersWith500IsSaidAsNotFound() throws Exception {
        answers.put("POST /mop/RunCommandDevices", request -> new MockResponse().setResponseCode(500)
                .setHeader("Content-Type", "text/plain").setBody("Device rtr-404 not found"));

        ToolResult result = call("run_command", "{\"command\":\"show clock\",\"devices\":[\"rtr-404\"]}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("rtr-404 not found").contains("unknown name").doesNotContain("try again");
    }

    @Test
    void healthCombinesStatusServerApplicationsAndAdapters() throws Exception {
        answer("GET /health/status", "{\"host\":\"iap-1\",\"services\":[{\"service\":\"redis\",\"status\":\"running\"},"
                + "{\"service\":\"mongo\",\"status\":\"running\"}],\"apps\":\"running\",\"adapters\":\"degraded\"}");
        answer("GET /health/server", "{\"version\":\"6.0.2\",\"release\":\"2023.2\",\"uptime\":4668.4}");
        answer("GET /health/applications", "{\"results\":[{\"id\":\"OperationsManager\",\"state\":\"RUNNING\"}]}");
        answer("GET /health/adapters", "{\"results\":[{\"id\":\"ServiceNow\",\"state\":\"RUNNING\",\"connection\":"
                + "{\"state\":\"OFFLINE\"}},{\"id\":\"local_aaa\",\"state\":\"RUNNING\",\"connection\":{\"state\":"
                + "\"ONLINE\"}}],\"total\":2}");

        ToolResult result = call("get_health", "{}");

        JsonNode out = result.structuredContent();
        assertThat(out.path("version").asText()).isEqualTo("6.0.2");
        assertThat(out.path("services").path("mongo").asText()).isEqualTo("running");
        assertThat(out.path("adapters").path("state").asText()).isEqualTo("degraded");
        assertThat(out.path("adapters").path("not_running").toString()).isEqualTo("[\"ServiceNow\"]");
        assertThat(out.path("applications").has("not_running")).isFalse();
    }

    // --- device groups: merge, never replace (itential-mcp#383) ------------------------------------------

    private final List<String> groupDevices = new CopyOnWriteArrayList<>(List.of("rtr-1", "rtr-2", "rtr-3"));

    private void answerGroups() {
        answers.put("GET /configuration_manager/deviceGroups", request -> json("[{\"id\":\"g1\",\"name\":"
                + "\"atlanta-core\",\"devices\":" + devicesJson() + "},{\"id\":\"g2\",\"name\":\"lab\",\"devices\":[]}]"));
        answers.put("GET /configuration_manager/deviceGroups/g1", request -> json("{\"id\":\"g1\",\"name\":"
                + "\"atlanta-core\",\"devices\":" + devicesJson() + "}"));
        answers.put("PUT /configuration_manager/deviceGroups/g1", request -> {
            try {
                // The platform replaces the list with what it is sent.
                groupDevices.clear();
                body(request).path("details").path("devices").forEach(d -> groupDevices.add(d.asText()));
                return json("{\"status\":\"success\",\"message\":\"Device group updated successfully\"}");
            } catch (IOException e) {
                return new MockResponse().setResponseCode(400);
            }
        });
    }

    private String devicesJson() {
        return JSON.valueToTree(groupDevices).toString();
    }

    @Test
    void addingOneDeviceToAGroupOfThreeLeavesFour() throws Exception {
        answerGroups();

        ToolResult result = call("add_devices_to_group", "{\"group\":\"atlanta-core\",\"devices\":[\"rtr-4\","
                + "\"rtr-1\"]}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(groupDevices).containsExactly("rtr-1", "rtr-2", "rtr-3", "rtr-4");
        JsonNode out = result.structuredContent();
        assertThat(out.path("before").asInt()).isEqualTo(3);
        assertThat(out.path("after").asInt()).isEqualTo(4);
        assertThat(out.path("changed").toString()).isEqualTo("[\"rtr-4\"]");
        assertThat(out.path("unchanged").toString()).isEqualTo("[\"rtr-1\"]");
        RecordedRequest put = apiRequests().stream().filter(r -> r.getMethod().equals("PUT")).findFirst().orElseThrow();
        assertThat(body(put).toString()).isEqualTo("{\"details\":{\"devices\":[\"rtr-1\",\"rtr-2\",\"rtr-3\","
                + "\"rtr-4\"]}}");
    }

    @Test
    void concurrentAddsToOneGroupLoseNoDevice() throws Exception {
        answerGroups();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<ToolResult>> calls = new ArrayList<>();
        for (int i = 10; i < 18; i++) {
            String device = "rtr-" + i;
            calls.add(pool.submit(() -> call("add_devices_to_group", "{\"group\":\"atlanta-core\",\"devices\":[\""
                    + device + "\"]}")));
        }
        for (java.util.concurrent.Future<ToolResult> result : calls) {
            assertThat(result.get().isError()).as(result.get().allText()).isFalse();
        }
        pool.shutdown();

        assertThat(groupDevices).hasSize(11).contains("rtr-1", "rtr-2", "rtr-3", "rtr-10", "rtr-17");
    }

    @Test
    void aWriteThePlatformDidNotKeepIsAFailureNotASuccess() throws Exception {
        answerGroups();
        answers.put("PUT /configuration_manager/deviceGroups/g1", request -> json("{\"status\":\"success\"}"));

        ToolResult result = call("add_devices_to_group", "{\"group\":\"atlanta-core\",\"devices\":[\"rtr-4\"]}");

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("does not hold what was written").contains("missing [rtr-4]");
    }

    @Test
    void removingOneDeviceFromAGroupOfThreeLeavesTwo() throws Exception {
        answerGroups();

        ToolResult result = call("remove_devices_from_group", "{\"group\":\"atlanta-core\",\"devices\":[\"rtr-2\","
                + "\"rtr-9\"]}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(groupDevices).containsExactly("rtr-1", "rtr-3");
        assertThat(result.structuredContent().path("after").asInt()).isEqualTo(2);
        assertThat(result.structuredContent().path("unchanged").toString()).isEqualTo("[\"rtr-9\"]");
    }

    @Test
    void aChangeThatChangesNothingWritesNothing() throws Exception {
        answerGroups();

        ToolResult result = call("add_devices_to_group", "{\"group\":\"atlanta-core\",\"devices\":[\"rtr-2\"]}");

        assertThat(result.structuredContent().path("after").asInt()).isEqualTo(3);
        assertThat(apiRequests()).noneMatch(r -> r.getMethod().equals("PUT"));
        assertThat(call("add_devices_to_group", "{\"group\":\"nope\",\"devices\":[\"rtr-2\"]}").allText())
                .contains("No device group is called 'nope'");
    }

    @Test
    void everyIntegrationModelIsReadNotOnlyThePlatformsDefaultPage() throws Exception {
        answers.put("GET /integration-models", request -> {
            int skip = Integer.parseInt(request.getRequestUrl().queryParameter("skip"));
            int limit = Integer.parseInt(request.getRequestUrl().queryParameter("limit"));
            StringBuilder models = new StringBuilder("[");
            for (int i = skip; i < Math.min(130, skip + limit); i++) {
                models.append(i == skip ? "" : ",").append("{\"model\":\"m").append(i).append("\",\"versionId\":\"m")
                        .append(i).append(":1.0.0\"}");
            }
            return json("{\"integrationModels\":" + models + "],\"total\":130}");
        });

        ToolResult result = call("list_integration_models", "{}");

        assertThat(result.structuredContent().path("count").asInt()).isEqualTo(130);
        assertThat(result.structuredContent().has("truncated")).isFalse();
        assertThat(apiRequests()).extracting(r -> r.getRequestUrl().queryParameter("skip") + "/"
                + r.getRequestUrl().queryParameter("limit")).containsExactly("0/100", "100/100");
    }

    @Test
    void startingAnAdapterPollsItsHealthUntilItRuns() throws Exception {
        List<String> states = new CopyOnWriteArrayList<>(List.of("STOPPED", "STARTING", "STARTING", "RUNNING"));
        answers.put("GET /health/adapters", request -> json("{\"results\":[{\"id\":\"Kafka\",\"state\":\""
                + (states.size() > 1 ? states.remove(0) : states.get(0)) + "\"}],\"total\":1}"));
        answers.put("PUT /adapters/Kafka/start", request -> json("{\"status\":\"success\",\"message\":\"Adapter"
                + " Kafka started\"}"));

        ToolResult result = call("start_adapter", "{\"name\":\"Kafka\"}");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("before").asText()).isEqualTo("STOPPED");
        assertThat(result.structuredContent().path("state").asText()).isEqualTo("RUNNING");
        assertThat(result.structuredContent().path("reached").asBoolean()).isTrue();
        List<RecordedRequest> sent = apiRequests();
        assertThat(sent).filteredOn(r -> r.getMethod().equals("PUT")).hasSize(1);
        assertThat(sent.get(0).getRequestUrl().queryParameter("equals")).isEqualTo("Kafka");
        assertThat(sent.get(0).getRequestUrl().queryParameter("equalsField")).isEqualTo("id");
    }

    @Test
    void startingARunningAdapterSendsNothing() throws Exception {
        answers.put("GET /health/adapters", request -> json("{\"results\":[{\"id\":\"Kafka\",\"state\":"
                + "\"running\"}],\"total\":1}"));

        ToolResult result = call("start_adapter", "{\"name\":\"Kafka\"}");

        assertThat(result.structuredContent().path("message").asText()).contains("already RUNNING");
        assertThat(apiRequests()).noneMatch(r -> r.getMethod().equals("PUT"));
    }
}
