package dev.bastion.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.testkit.McpTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled jar serving Streamable HTTP: {@code bastion serve --transport http}. */
class HttpServerIT {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String PLANTED_TOKEN = "plantedhttptoken6f2a9c41d8e7b305a1c4";

    @TempDir
    Path temp;

    private Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process start(Map<String, String> environment, String... args) throws IOException {
        Path yaml = Files.writeString(temp.resolve("bastion.yaml"), "providers:\n  conformance: {}\n");
        List<String> command = BastionJar.commandWithClasspath(
                List.of(BastionJar.itJar("bastion-testkit"), BastionJar.testClasses()),
                concat(new String[] {"serve", "--transport", "http", "--config", yaml.toString()}, args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (output) {
                        output.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "http-it-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private void awaitReady(int port) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited: " + output());
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not become ready: " + output());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void servesTheConformanceFixturesOverHttpAndCountsToolCalls() throws Exception {
        int port = freePort();
        start(Map.of(), "--port", Integer.toString(port));
        awaitReady(port);
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/mcp");
        try (McpTestClient client = McpTestClient.http(endpoint).timeout(Duration.ofSeconds(30))) {
            client.initialize();
            assertThat(client.listTools().path("tools").findValuesAsText("name")).contains("test_simple_text");
            ObjectNode progress = F.objectNode();
            progress.put("name", "test_tool_with_progress");
            progress.putObject("_meta").put("progressToken", "p");
            JsonNode result = McpTestClient.result(client.request("tools/call", progress));
            assertThat(result.path("content").get(0).path("text").asText()).isEqualTo("Progress test completed");
            assertThat(client.notifications("notifications/progress")).hasSize(3);
            assertThat(client.deleteSession()).isEqualTo(200);
        }
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
                .contains("bastion_tool_calls_total{tool=\"test_tool_with_progress\",outcome=\"success\"} 1");
        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"conformance/default\":\"ok\"");
    }

    @Test
    void requiresTheStaticTokenAndNeverPrintsIt() throws Exception {
        int port = freePort();
        start(Map.of("BASTION_HTTP_AUTH_MODE", "static", "BASTION_HTTP_TOKEN", PLANTED_TOKEN,
                "BASTION_HTTP_TOKEN_SCOPES", "bastion:read", "BASTION_LOG_LEVEL", "debug"),
                "--port", Integer.toString(port));
        awaitReady(port);
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/mcp");
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{}}}";
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(initialize)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer "
                + "resource_metadata=\"http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource/mcp\", "
                + "scope=\"bastion:read bastion:write\"");
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + PLANTED_TOKEN + "0")
                .POST(HttpRequest.BodyPublishers.ofString(initialize)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        List<String> bodies = new java.util.ArrayList<>(List.of(anonymous.body(), wrong.body()));
        try (McpTestClient client = McpTestClient.http(endpoint, Map.of("Authorization", "Bearer " + PLANTED_TOKEN))
                .timeout(Duration.ofSeconds(30))) {
            client.initialize();
            assertThat(client.callTool("test_simple_text", F.objectNode()).path("isError").asBoolean()).isFalse();
            HttpResponse<String> malformed = HTTP.send(HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Authorization", "Bearer " + PLANTED_TOKEN).header("Mcp-Session-Id", client.sessionId())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                            + PLANTED_TOKEN + "}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("-32700");
            bodies.add(malformed.body());
        }
        assertThat(bodies).noneMatch(body -> body.contains(PLANTED_TOKEN));
        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(output()).contains("serving MCP").doesNotContain(PLANTED_TOKEN);
    }

    @Test
    void refusesToServeOnAllInterfacesWithoutAuthentication() throws Exception {
        start(Map.of(), "--host", "0.0.0.0", "--port", Integer.toString(freePort()));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(Main.STARTUP_FAILED);
        assertThat(output()).contains("Refusing to serve MCP on 0.0.0.0 without authentication");
    }

    @Test
    void servesOnAllInterfacesWithoutAuthenticationOnlyWithTheExplicitFlagAndALoudWarning() throws Exception {
        int port = freePort();
        start(Map.of(), "--host", "0.0.0.0", "--port", Integer.toString(port), "--insecure-no-auth");
        awaitReady(port);
        assertThat(output()).contains("INSECURE").contains("WITHOUT AUTHENTICATION");
    }
}
