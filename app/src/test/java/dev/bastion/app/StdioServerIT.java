package dev.bastion.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.testkit.McpTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled jar as MCP clients run it: a subprocess speaking JSON-RPC over stdio. */
class StdioServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String PROMETHEUS_TOKEN = "planted-prom-5b0c9d1e7f";
    private static final String FIXTURE_KEY = "planted-fixture-key-a41f07c3";

    @TempDir
    Path temp;

    private Path config(String yaml) throws IOException {
        Path file = temp.resolve("bastion.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static ObjectNode args(String... pairs) {
        ObjectNode node = F.objectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node;
    }

    @Test
    void stdoutCarriesOnlyProtocolMessagesAndNoPlantedSecretLeaks() throws Exception {
        Path yaml = config("providers:\n  fixture:\n    api_key: ${FIXTURE_KEY_SOURCE}\n");
        Map<String, String> env = Map.of("BASTION_LOG_LEVEL", "debug", "PROMETHEUS_URL", "https://127.0.0.1:1",
                "PROMETHEUS_BEARER_TOKEN", PROMETHEUS_TOKEN, "FIXTURE_KEY_SOURCE", FIXTURE_KEY);
        List<String> command = BastionJar.commandWithClasspath(
                List.of(BastionJar.itJar("bastion-docs-example"), BastionJar.itJar("bastion-testkit"),
                        BastionJar.testClasses()),
                "serve", "--config", yaml.toString());
        try (McpTestClient client = McpTestClient.stdio(command, env).timeout(Duration.ofSeconds(60))) {
            client.initialize();
            assertThat(client.listTools().get("tools").findValuesAsText("name"))
                    .contains("prometheus_query", "fixture_echo", "fixture_leak");
            JsonNode unreachable = client.callTool("prometheus_query", args("query", "up"));
            assertThat(unreachable.get("isError").asBoolean()).isTrue();
            JsonNode leak = client.callTool("fixture_leak", args());
            assertThat(leak.get("content").get(0).get("text").asText()).contains("[REDACTED]");
            JsonNode failure = client.callTool("fixture_fail", args());
            assertThat(failure.get("isError").asBoolean()).isTrue();
            assertThat(failure.get("content").get(0).get("text").asText()).contains("error id");
            JsonNode invalid = client.callTool("fixture_echo", args("text", FIXTURE_KEY + "x".repeat(200)));
            assertThat(invalid.get("isError").asBoolean()).isTrue();
            client.sendRawAndAwaitResponse("this is not json " + FIXTURE_KEY);
            client.sendRawAndAwaitResponse("{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"nope_" + PROMETHEUS_TOKEN + "\"}}");
            assertThat(client.closeInputAndWait(Duration.ofSeconds(20))).isZero();
            List<String> stdout = client.rawStdout();
            assertThat(stdout).isNotEmpty().allSatisfy(line -> {
                JsonNode message = JSON.readTree(line);
                assertThat(message.get("jsonrpc").asText()).as(line).isEqualTo("2.0");
            });
            String everything = String.join("\n", stdout) + "\n" + client.stderr();
            assertThat(client.stderr()).as("debug logging reached stderr").contains("DEBUG");
            assertThat(everything).doesNotContain(PROMETHEUS_TOKEN, FIXTURE_KEY);
        }
    }

    @Test
    void conformanceFixturesWorkOverStdio() throws Exception {
        Path yaml = config("providers:\n  conformance: {}\n");
        List<String> command = BastionJar.commandWithClasspath(
                List.of(BastionJar.itJar("bastion-testkit"), BastionJar.testClasses()),
                "serve", "--config", yaml.toString());
        try (McpTestClient client = McpTestClient.stdio(command, Map.of()).timeout(Duration.ofSeconds(60))) {
            client.onServerRequest(request -> {
                ObjectNode result = F.objectNode();
                if (request.get("method").asText().equals("sampling/createMessage")) {
                    result.put("role", "assistant").put("model", "stdio-it");
                    result.putObject("content").put("type", "text").put("text", "pong");
                } else {
                    result.put("action", "accept");
                    result.putObject("content").put("username", "ada").put("email", "ada@example.org");
                }
                return result;
            });
            ObjectNode capabilities = F.objectNode();
            capabilities.putObject("elicitation");
            capabilities.putObject("sampling");
            client.initialize(capabilities);
            assertThat(client.callTool("test_simple_text", null).get("content").get(0).get("text").asText())
                    .isEqualTo("This is a simple text response for testing.");
            ObjectNode progress = F.objectNode();
            progress.put("name", "test_tool_with_progress");
            progress.putObject("_meta").put("progressToken", "progress-test-1");
            McpTestClient.result(client.request("tools/call", progress));
            assertThat(client.notifications("notifications/progress")).hasSize(3);
            assertThat(client.callTool("test_sampling", args("prompt", "ping")).get("content").get(0)
                    .get("text").asText()).isEqualTo("LLM response: pong");
            assertThat(client.callTool("test_elicitation", args("message", "who?")).get("content").get(0)
                    .get("text").asText()).contains("action=accept");
            JsonNode resource = McpTestClient.result(client.request("resources/read", args("uri", "test://static-text")));
            assertThat(resource.get("contents").get(0).get("text").asText())
                    .isEqualTo("This is the content of the static text resource.");
            ObjectNode prompt = F.objectNode();
            prompt.put("name", "test_prompt_with_arguments");
            prompt.putObject("arguments").put("arg1", "a").put("arg2", "b");
            assertThat(McpTestClient.result(client.request("prompts/get", prompt)).get("messages")).hasSize(1);
            assertThat(client.closeInputAndWait(Duration.ofSeconds(20))).isZero();
        }
    }

    @Test
    void aProviderJarIsDiscoveredFromThePluginDirectoryAndFromTheClasspath() throws Exception {
        Path plugins = Files.createDirectory(temp.resolve("plugins"));
        Files.copy(BastionJar.itJar("bastion-docs-example"), plugins.resolve("prometheus-provider.jar"));
        Map<String, String> env = Map.of("PROMETHEUS_URL", "https://prometheus.example.com");

        String without = runToEnd(BastionJar.command("tools"), env);
        assertThat(without).doesNotContain("prometheus_query");

        String fromPlugins = runToEnd(BastionJar.command("tools", "--plugin-dir", plugins.toString()), env);
        assertThat(fromPlugins).contains("prometheus_query", "prometheus_list_alerts");

        String fromClasspath = runToEnd(BastionJar.commandWithClasspath(
                List.of(BastionJar.itJar("bastion-docs-example")), "tools"), env);
        assertThat(fromClasspath).contains("prometheus_query");
    }

    @Test
    void startupFailureIsOneClearLineOnStderrAndNothingOnStdout() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(BastionJar.command("serve", "--config",
                config("security:\n  rate_limit:\n    burts_size: 5\n").toString()));
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(Main.STARTUP_FAILED);
        assertThat(stdout).isEmpty();
        assertThat(stderr).contains("did you mean security.rate_limit.burst_size").doesNotContain("\tat ");
    }

    private static String runToEnd(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
