package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.BusyRefusal;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.audit.AuditInterceptor;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.audit.BusyRefusalAudit;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request refused as "Server busy" never reaches the pipeline, whose audit stage and metrics see
 * every other call: the engine tells its busy-refusal listener instead, and the audit records the
 * refused tools/call.
 */
class BusyRefusalTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LatchProvider latch = new LatchProvider(Optional.empty());
    private final StringWriter auditOut = new StringWriter();
    private final AuditLog audit = new AuditLog(auditOut, Redactor.NONE);
    private final List<BusyRefusal> refusals = new CopyOnWriteArrayList<>();
    private McpEngine engine;

    @AfterEach
    void stop() {
        latch.release.countDown();
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aBusyRefusalIsToldToTheListenerAndTheRefusedToolCallIsAudited() throws Exception {
        // One worker and no queue: while latch_wait runs, every other request is refused as busy.
        McpEngineOptions options = new McpEngineOptions("bastion", "test", null, 100, Duration.ofSeconds(30),
                Duration.ofSeconds(10), 1, 0);
        BusyRefusalAudit audited = new BusyRefusalAudit(audit);
        engine = EngineFixture.engine(options, ToolCallChain.of(List.of(new AuditInterceptor(audit))), refusal -> {
            refusals.add(refusal);
            audited.refused(refusal);
        }, latch);
        try (McpTestClient client = McpTestClient.inProcess(engine).timeout(Duration.ofSeconds(10))) {
            client.initialize();
            CompletableFuture<JsonNode> running = client.requestAsync("tools/call", call("latch_wait"));
            awaitStarted();

            JsonNode refusedCall = client.request("tools/call", call("latch_wait"));
            JsonNode refusedList = client.request("tools/list", null);
            JsonNode refusedUnknown = client.request("tools/call", call("no_such_tool"));

            for (JsonNode refused : List.of(refusedCall, refusedList, refusedUnknown)) {
                assertThat(refused.path("error").path("message").asText()).startsWith("Server busy");
            }
            assertThat(refusals).extracting(BusyRefusal::method).containsExactly("tools/call", "tools/list", "tools/call");
            assertThat(refusals.get(0).tool()).isEqualTo("latch_wait");
            assertThat(refusals.get(0).providerId()).isEqualTo("latch");
            assertThat(refusals.get(1).isToolCall()).isFalse();
            assertThat(refusals.get(2).isToolCall()).as("a name not in the catalog is not a tool").isFalse();

            latch.release.countDown();
            assertThat(client.await(running).path("result").path("isError").asBoolean()).isFalse();
        }

        List<JsonNode> records = auditOut.toString().lines().map(BusyRefusalTest::json).toList();
        assertThat(records).hasSize(2);
        JsonNode busy = records.stream().filter(r -> r.get("decision").asText().equals("server_busy")).findFirst()
                .orElseThrow();
        assertThat(busy.get("tool").asText()).isEqualTo("latch_wait");
        assertThat(busy.get("provider").asText()).isEqualTo("latch");
        assertThat(busy.get("outcome").asText()).isEqualTo("denied");
        assertThat(busy.get("reason").asText()).startsWith("Server busy");
        assertThat(busy.get("session").asText()).isEqualTo(audit.sessionFingerprint("test-session"))
                .isNotEqualTo("test-session");
        assertThat(busy.get("args_sha256").asText()).matches("[0-9a-f]{64}");
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (latch.started.get() == 0) {
            assertThat(System.nanoTime()).as("latch_wait did not start").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static ObjectNode call(String tool) {
        ObjectNode params = F.objectNode();
        params.put("name", tool);
        params.putObject("arguments");
        return params;
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
