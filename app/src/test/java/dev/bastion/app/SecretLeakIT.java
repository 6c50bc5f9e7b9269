package dev.bastion.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.testkit.McpTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distinct known secrets are planted in every credential setting; every tool is driven through
 * success, backend error, timeout and bad arguments, and every CLI command runs. stdout, stderr,
 * the audit file and every error text are scanned: no secret, in plain or Base64 form, may appear.
 * The backend is hostile: it echoes the credentials it receives into its answers.
 */
class SecretLeakIT {

    private static final String DT_TOKEN = "dt0c01.PLANTEDDTPUBLIC000000001.PLANTEDDTSECRET0000000000000000000000000000000000000000000000001";
    private static final String PROMETHEUS_TOKEN = "planted-prometheus-bearer-7d1e";
    private static final String FIXTURE_KEY = "planted-fixture-api-key-52ac";
    private static final List<String> SECRETS = List.of(DT_TOKEN, DT_TOKEN.substring(DT_TOKEN.lastIndexOf('.') + 1),
            PROMETHEUS_TOKEN, FIXTURE_KEY);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path temp;

    private MockWebServer backend;
    private Path config;
    private Path audit;
    private Map<String, String> env;
    private final List<String> outputs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        backend = new MockWebServer();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                String path = request.getPath();
                String echoed = String.valueOf(request.getHeader("Authorization"));
                if (path.contains("/problems")) {
                    return new MockResponse().setHeader("Content-Type", "application/json").setBody(
                            "{\"totalCount\":1,\"pageSize\":50,\"problems\":[{\"problemId\":\"-1_1V2\",\"displayId\":"
                                    + "\"P-1\",\"title\":\"echo " + echoed + "\",\"status\":\"OPEN\",\"severityLevel\":"
                                    + "\"ERROR\",\"impactLevel\":\"SERVICES\",\"startTime\":1700000000000,"
                                    + "\"endTime\":-1,\"affectedEntities\":[],\"managementZones\":[]}]}");
                }
                if (path.contains("/entities")) {
                    Thread.sleep(3000);
                    return new MockResponse().setBody("{}");
                }
                return new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/json")
                        .setBody("{\"error\":{\"code\":500,\"message\":\"internal failure for " + echoed + "\"}}");
            }
        });
        backend.start();
        audit = temp.resolve("audit.jsonl");
        config = temp.resolve("bastion.yaml");
        Files.writeString(config, String.join("\n",
                "security:",
                "  rate_limit:",
                "    requests_per_minute: 6000",
                "    burst_size: 100",
                "  audit:",
                "    file: " + audit,
                "providers:",
                "  dynatrace-managed:",
                "    url: " + backend.url("/").toString().replaceAll("/$", ""),
                "    environment_id: abc12345",
                "    api_token: ${PLANTED_DT_TOKEN}",
                "    allow_insecure_loopback: true",
                "    timeout: 1s",
                "  fixture:",
                "    api_key: ${PLANTED_FIXTURE_KEY}",
                ""));
        env = new HashMap<>();
        env.put("BASTION_LOG_LEVEL", "debug");
        env.put("PLANTED_DT_TOKEN", DT_TOKEN);
        env.put("PLANTED_FIXTURE_KEY", FIXTURE_KEY);
        env.put("PROMETHEUS_URL", "https://127.0.0.1:1");
        env.put("PROMETHEUS_BEARER_TOKEN", PROMETHEUS_TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        backend.shutdown();
    }

    private List<String> command(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config.toString());
        return BastionJar.commandWithClasspath(List.of(BastionJar.itJar("bastion-docs-example"),
                BastionJar.itJar("bastion-testkit"), BastionJar.testClasses()), all.toArray(String[]::new));
    }

    private static ObjectNode args(Object... pairs) {
        ObjectNode node = F.objectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.putPOJO((String) pairs[i], pairs[i + 1]);
        }
        return node;
    }

    @Test
    void noPlantedSecretAppearsInAnyOutputOfAnyToolOrCommand() throws Exception {
        try (McpTestClient client = McpTestClient.stdio(command("serve"), env).timeout(Duration.ofSeconds(60))) {
            client.initialize();
            List<JsonNode> results = new ArrayList<>();
            results.add(client.callTool("dynatrace_managed_list_problems", args()));            // success, echoing backend
            results.add(client.callTool("dynatrace_managed_list_events", args()));              // backend error 500
            results.add(client.callTool("dynatrace_managed_discover_entities", args("entity_type", "HOST"))); // timeout
            results.add(client.callTool("dynatrace_managed_list_problems", args("limit", 5000, "status",
                    DT_TOKEN)));                                                                   // bad arguments
            results.add(client.callTool("prometheus_query", args("query", "up")));              // unreachable backend
            results.add(client.callTool("prometheus_query", args("query", PROMETHEUS_TOKEN, "limit", 0))); // bad args
            results.add(client.callTool("fixture_leak", args()));                               // tool output leak
            results.add(client.callTool("fixture_fail", args()));                               // exception with secret
            results.add(client.callTool("fixture_echo", args("text", FIXTURE_KEY + "x".repeat(200))));
            results.add(client.sendRawAndAwaitResponse("{\"jsonrpc\":\"2.0\",\"id\":90,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"" + FIXTURE_KEY + "\"}}"));
            results.add(client.sendRawAndAwaitResponse("not json " + DT_TOKEN));
            assertThat(results.get(0).get("isError").asBoolean()).as(results.get(0).toString()).isFalse();
            for (int i = 1; i < 6; i++) {
                assertThat(results.get(i).get("isError").asBoolean()).as(results.get(i).toString()).isTrue();
            }
            assertThat(client.closeInputAndWait(Duration.ofSeconds(30))).isZero();
            outputs.add(String.join("\n", client.rawStdout()));
            outputs.add(client.stderr());
            results.forEach(result -> outputs.add(result.toString()));
        }
        assertThat(backend.getRequestCount()).as("the backend was really called").isGreaterThanOrEqualTo(3);
        for (String[] cli : List.of(new String[] {"tools"}, new String[] {"tools", "--json"},
                new String[] {"config"}, new String[] {"config", "--format", "yaml"},
                new String[] {"config", "--format", "json"}, new String[] {"config", "--reference"},
                new String[] {"check", "--timeout", "2s"},
                new String[] {"call", "dynatrace_managed_list_problems"},
                new String[] {"call", "dynatrace_managed_list_events"},
                new String[] {"call", "fixture_leak"},
                new String[] {"call", "fixture_echo", "--arg", "text=" + FIXTURE_KEY + "y".repeat(200)})) {
            outputs.add(run(command(cli)));
        }
        outputs.add(run(BastionJar.command("version")));
        outputs.add(Files.readString(audit));
        assertThat(Files.readAllLines(audit)).hasSizeGreaterThanOrEqualTo(10);

        for (String output : outputs) {
            for (String secret : SECRETS) {
                assertThat(output).doesNotContain(secret)
                        .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private String run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // Only the program's output is scanned: the command line itself holds planted secrets.
        return output;
    }
}
