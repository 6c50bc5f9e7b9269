package dev.bastion.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bastion.security.testing.RedisServerProcess;
import dev.bastion.testkit.McpTestClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Two bundled jars ({@code bastion serve --transport http}) sharing one real redis-server for
 * their rate limits ({@code security.rate_limit.store}), and what they do when it goes away and
 * comes back.
 */
class SharedRateLimitsIT {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN = "sharedlimitstoken3b8e1f0a7c6d5e4f2a91";
    private static final String PLANTED_PASSWORD = "plantedstorepassword7e2c9a4b1d8f3065";
    private static final String RATE_LIMITED = "Rate limit exceeded for ";

    @TempDir
    Path temp;

    private RedisServerProcess redis;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<McpTestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        clients.forEach(McpTestClient::close);
        for (Replica replica : replicas) {
            replica.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    /** One {@code bastion serve --transport http} process and everything it printed. */
    private final class Replica {
        final int port;
        final Process process;
        private final ServerProcess server;

        Replica(String name, String whenUnavailable) throws Exception {
            this.port = ServerProcess.freePort();
            Path yaml = Files.writeString(temp.resolve(name + ".yaml"), """
                    http:
                      ready_cache: 0s
                    security:
                      rate_limit:
                        requests_per_minute: 1
                        burst_size: 10
                        store: %s
                        store_unavailable: %s
                    providers:
                      conformance: {}
                    """.formatted(redis.url(), whenUnavailable));
            List<String> command = BastionJar.commandWithClasspath(
                    List.of(BastionJar.itJar("bastion-testkit"), BastionJar.testClasses()),
                    "serve", "--transport", "http", "--config", yaml.toString(), "--port", Integer.toString(port));
            server = ServerProcess.start("shared-limits-" + name, command, Map.of("BASTION_HTTP_AUTH_MODE", "static",
                    "BASTION_HTTP_TOKEN", TOKEN, "BASTION_HTTP_TOKEN_SCOPES", "bastion:read",
                    "BASTION_RATE_LIMIT_STORE_PASSWORD", PLANTED_PASSWORD, "BASTION_LOG_LEVEL", "debug"), port);
            process = server.process();
            replicas.add(this);
            server.awaitHealthy(Duration.ofSeconds(60));
        }

        String output() {
            return server.output();
        }

        McpTestClient client() {
            McpTestClient client = McpTestClient.http(URI.create("http://127.0.0.1:" + port + "/mcp"),
                    Map.of("Authorization", "Bearer " + TOKEN)).timeout(Duration.ofSeconds(30));
            clients.add(client);
            client.initialize();
            return client;
        }

        HttpResponse<String> readyz() throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** Polls {@code /readyz} until {@code wanted}; the store is probed again every 5 s while it is down. */
        HttpResponse<String> awaitReadyz(Predicate<HttpResponse<String>> wanted) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            HttpResponse<String> last = readyz();
            while (!wanted.test(last)) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("/readyz stayed " + last.statusCode() + " " + last.body() + "\n" + output());
                }
                Thread.sleep(200);
                last = readyz();
            }
            return last;
        }

        void stop() throws InterruptedException {
            server.stop();
        }
    }

    private static JsonNode call(McpTestClient client) {
        return client.callTool("test_simple_text", F.objectNode());
    }

    private static boolean allowed(JsonNode result) {
        return !result.path("isError").asBoolean();
    }

    private static String text(JsonNode result) {
        return result.path("content").path(0).path("text").asText();
    }

    private void assertNoReplicaPrintedThePassword() throws InterruptedException {
        for (Replica replica : replicas) {
            replica.stop();
            assertThat(replica.output()).doesNotContain(PLANTED_PASSWORD);
        }
    }

    @Test
    void oneClientCallingTwoReplicasGetsOneBurstBetweenThem() throws Exception {
        redis = RedisServerProcess.start(PLANTED_PASSWORD);
        Replica first = new Replica("first", "fail_open");
        Replica second = new Replica("second", "fail_open");
        McpTestClient toFirst = first.client();
        McpTestClient toSecond = second.client();

        for (int i = 1; i <= 10; i++) {
            JsonNode result = call(i % 2 == 1 ? toFirst : toSecond);
            assertThat(allowed(result)).as("call %d: %s", i, result).isTrue();
        }
        JsonNode eleventh = call(toFirst);
        JsonNode twelfth = call(toSecond);

        assertThat(allowed(eleventh)).isFalse();
        // The static token's principal is "token", and the redactor reads "token: 1" as a credential.
        assertThat(text(eleventh)).startsWith(RATE_LIMITED).contains("requests per minute (burst 10)");
        assertThat(allowed(twelfth)).isFalse();
        assertThat(text(twelfth)).startsWith(RATE_LIMITED);
        HttpResponse<String> ready = first.readyz();
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"components\":{\"rate_limit_store\":\"ok\"}");
        // One bucket for the one client, under a hashed name.
        try (RedisClient inspect = RedisClient.builder().hostAndPort("127.0.0.1", redis.port())
                .clientConfig(DefaultJedisClientConfig.builder().password(PLANTED_PASSWORD).build())
                .build()) {
            assertThat(inspect.keys("*")).singleElement().asString().matches("bastion:rl:[0-9a-f]{64}");
        }
        assertThat(first.output()).contains("rate limits are shared across replicas through " + redis.url());
        assertNoReplicaPrintedThePassword();
    }

    @Test
    void failOpenKeepsServingWhileRedisIsDownStaysReadyAndSharesAgainWhenRedisIsBack() throws Exception {
        redis = RedisServerProcess.start(PLANTED_PASSWORD);
        Replica replica = new Replica("open", "fail_open");
        McpTestClient client = replica.client();
        for (int i = 1; i <= 10; i++) {
            assertThat(allowed(call(client))).as("shared call %d", i).isTrue();
        }
        assertThat(allowed(call(client))).isFalse();

        redis.stop();

        // The replica's own limiter takes over, with a budget of its own.
        JsonNode duringOutage = call(client);
        assertThat(allowed(duringOutage)).as(duringOutage.toString()).isTrue();
        HttpResponse<String> degraded = replica.awaitReadyz(r -> r.body().contains("degraded"));
        assertThat(degraded.statusCode()).isEqualTo(200);
        assertThat(degraded.body()).contains("\"status\":\"ready\"")
                .contains("\"components\":{\"rate_limit_store\":\"degraded\"}");
        for (int i = 2; i <= 10; i++) {
            assertThat(allowed(call(client))).as("local call %d", i).isTrue();
        }
        assertThat(allowed(call(client))).isFalse();

        redis.startAgain();

        HttpResponse<String> clean = replica.awaitReadyz(r -> r.body().contains("\"rate_limit_store\":\"ok\""));
        assertThat(clean.statusCode()).isEqualTo(200);
        // The restarted Redis is empty: the shared budget starts full, and it is the one spent.
        for (int i = 1; i <= 10; i++) {
            assertThat(allowed(call(client))).as("shared again, call %d", i).isTrue();
        }
        assertThat(text(call(client))).startsWith(RATE_LIMITED);
        String output = replica.output();
        assertThat(output.split("is unreachable \\(", -1)).as(output).hasSize(2);
        assertThat(output).contains("is reachable again; rate limits are shared across replicas again");
        assertNoReplicaPrintedThePassword();
    }

    @Test
    void failClosedRefusesWithAClearErrorAndIsNotReadyWhileRedisIsDown() throws Exception {
        redis = RedisServerProcess.start(PLANTED_PASSWORD);
        Replica replica = new Replica("closed", "fail_closed");
        McpTestClient client = replica.client();
        assertThat(allowed(call(client))).isTrue();

        redis.stop();

        JsonNode refused = call(client);
        assertThat(allowed(refused)).isFalse();
        assertThat(text(refused)).isEqualTo("The shared rate-limit store is unreachable, and this server refuses"
                + " rate-limited calls until it is back (security.rate_limit.store_unavailable: fail_closed)."
                + " Retry in a few seconds.");
        HttpResponse<String> notReady = replica.awaitReadyz(r -> r.statusCode() == 503);
        assertThat(notReady.body()).contains("\"status\":\"not_ready\"")
                .contains("\"components\":{\"rate_limit_store\":\"failing\"}");

        redis.startAgain();

        replica.awaitReadyz(r -> r.statusCode() == 200);
        assertThat(allowed(call(client))).isTrue();
        assertNoReplicaPrintedThePassword();
    }

    @Test
    void startsWithRedisUnreachableAndNeverPrintsThePasswordInItsConfiguration() throws Exception {
        redis = RedisServerProcess.start(PLANTED_PASSWORD);
        redis.stop();
        Replica replica = new Replica("unreachable", "fail_open");

        assertThat(allowed(call(replica.client()))).isTrue();
        assertThat(replica.readyz().body()).contains("\"rate_limit_store\":\"degraded\"");
        assertThat(replica.output()).contains("is unreachable at start");

        Path yaml = temp.resolve("unreachable.yaml");
        ProcessBuilder configCommand = new ProcessBuilder(BastionJar.commandWithClasspath(
                List.of(BastionJar.itJar("bastion-testkit"), BastionJar.testClasses()),
                "config", "--config", yaml.toString())).redirectErrorStream(true);
        configCommand.environment().put("BASTION_RATE_LIMIT_STORE_PASSWORD", PLANTED_PASSWORD);
        Process config = configCommand.start();
        config.getOutputStream().close();
        String printed;
        try (InputStream in = config.getInputStream()) {
            printed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(printed).containsPattern("security\\.rate_limit\\.store_password +\\[REDACTED\\]");
        assertThat(printed).doesNotContain(PLANTED_PASSWORD);
        assertNoReplicaPrintedThePassword();
    }
}
