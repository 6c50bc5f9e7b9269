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
import java.util.Locale;
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
    private static final String DT_SECRET_PART = DT_TOKEN.substring(DT_TOKEN.lastIndexOf('.') + 1);
    /** The token without its kind prefix: {@code PUBLIC.SECRET}. */
    private static final String DT_WITHOUT_PREFIX = DT_TOKEN.substring("dt0c01.".length());
    /** The server's inbound bearer, also placed where no secret belongs (the server's name). */
    private static final String SERVER_BEARER = "planted-server-bearer-4f0c9e2a7b1d6e3f8a5c0b9d2e7f1a4c";
    /** A Dynatrace token placed in a setting that is not secret; nothing registers it, only its shape is known. */
    private static final String MISPLACED_DT_TOKEN =
            "dt0c01.MISPLACEDPUBLIC000000001.MISPLACEDSECRET00000000000000000000000000000000000000000000001";
    private static final String QUERY_TOKEN = "planted-query-token-3b8e";
    private static final List<String> SECRETS = List.of(DT_TOKEN, DT_SECRET_PART, DT_WITHOUT_PREFIX,
            PROMETHEUS_TOKEN, FIXTURE_KEY, SERVER_BEARER);
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
                // A hostile backend also echoes partial and case-changed forms of the token it received.
                String token = echoed.startsWith("Api-Token ") ? echoed.substring("Api-Token ".length()) : echoed;
                if (token.indexOf('.') > 0 && token.lastIndexOf('.') > token.indexOf('.')) {
                    echoed = echoed + " secret " + token.substring(token.lastIndexOf('.') + 1) + " id "
                            + token.substring(token.indexOf('.') + 1) + " upper " + token.toUpperCase(Locale.ROOT)
                            + " lower " + token.substring(token.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                }
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
        env.put("BASTION_LOG_LEVEL", "trace");
        env.put("BASTION_HTTP_TOKEN", SERVER_BEARER);
        env.put("BASTION_SERVER_NAME", SERVER_BEARER);
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
            for (String form : List.of(DT_TOKEN.toUpperCase(Locale.ROOT), DT_SECRET_PART, DT_WITHOUT_PREFIX,
                    DT_SECRET_PART.toLowerCase(Locale.ROOT))) {
                results.add(client.request("tools/call", args("name", form)));                 // Unknown tool: <form>
            }
            results.add(client.request("resources/read", args("uri", "dt://" + DT_SECRET_PART))); // error.data.uri
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

        assertNoSecretIn(outputs);
    }

    /**
     * {@code bastion config} prints every value through the redactor, not only the secret settings:
     * a Dynatrace token given as the environment id, a token in the URL's query and the server's
     * bearer token given as its name.
     */
    @Test
    void configPrintsNoSecretPlacedInASettingNotDeclaredSecret() throws Exception {
        Path misplaced = temp.resolve("misplaced.yaml");
        Files.writeString(misplaced, String.join("\n",
                "providers:",
                "  dynatrace-managed:",
                "    url: https://dt.example.com/e?token=" + QUERY_TOKEN + "&page=1",
                "    api_token: ${PLANTED_DT_TOKEN}",
                ""));
        Map<String, String> misplacedEnv = new HashMap<>(env);
        misplacedEnv.put("DYNATRACE_ENVIRONMENT_ID", MISPLACED_DT_TOKEN);
        List<String> printed = new ArrayList<>();
        for (String[] cli : List.of(new String[] {"config"}, new String[] {"config", "--format", "yaml"},
                new String[] {"config", "--format", "json"})) {
            List<String> all = new ArrayList<>(List.of(cli));
            all.addAll(List.of("--config", misplaced.toString()));
            ProcessBuilder builder = new ProcessBuilder(BastionJar.command(all.toArray(String[]::new)));
            builder.environment().putAll(misplacedEnv);
            Process process = builder.start();
            process.getOutputStream().close();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(stdout + stderr).isZero();
            assertThat(stdout).contains("environment_id").contains("dt0c01.[REDACTED]");
            printed.add(stdout);
            printed.add(stderr);
        }

        assertNoSecretIn(printed);
        for (String output : printed) {
            assertThat(output).doesNotContain(QUERY_TOKEN).doesNotContain(MISPLACED_DT_TOKEN.substring(7))
                    .doesNotContain(MISPLACED_DT_TOKEN.substring(MISPLACED_DT_TOKEN.lastIndexOf('.') + 1));
        }
    }

    /** No secret in plain or Base64 form, and the Dynatrace token's secret part in no letter case. */
    private static void assertNoSecretIn(List<String> outputs) {
        for (String output : outputs) {
            for (String secret : SECRETS) {
                assertThat(output).doesNotContain(secret)
                        .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(output).doesNotContainIgnoringCase(DT_SECRET_PART).doesNotContainIgnoringCase(SERVER_BEARER);
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
