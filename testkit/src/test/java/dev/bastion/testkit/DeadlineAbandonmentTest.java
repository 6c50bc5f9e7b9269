package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.audit.AuditInterceptor;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.limits.DeadlineInterceptor;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tool that ignores both its cancelled context and interruption still gets its call answered a
 * grace period after the deadline, audited once, and the worker it holds does not starve the next
 * request, even with a single worker thread.
 */
class DeadlineAbandonmentTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch returned = new CountDownLatch(1);
    private final ScheduledExecutorService timer = DeadlineInterceptor.timer();
    private final StringWriter audit = new StringWriter();
    private McpEngine engine;

    @AfterEach
    void stop() {
        release.countDown();
        if (engine != null) {
            engine.close();
        }
        timer.shutdownNow();
    }

    @Test
    void answersAuditsAndReplacesTheWorkerOfAToolThatIgnoresItsDeadline() throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new AuditInterceptor(new AuditLog(audit, Redactor.NONE)),
                new DeadlineInterceptor(timer, 4, Duration.ofMillis(200))));
        McpEngineOptions options = new McpEngineOptions("bastion", "test", null, 100, Duration.ofMillis(300),
                Duration.ofSeconds(10), 1, 16);
        engine = EngineFixture.engine(options, chain, new StubbornProvider());
        try (McpTestClient client = McpTestClient.inProcess(engine).timeout(Duration.ofSeconds(10))) {
            client.initialize();

            JsonNode answered = client.callTool("stubborn_wait", F.objectNode());

            assertThat(answered.path("isError").asBoolean()).isTrue();
            assertThat(answered.path("content").get(0).path("text").asText())
                    .matches("Tool stubborn_wait timed out after \\d+ ms; narrow the query or raise "
                            + "security\\.call_timeout\\.");
            assertThat(release.getCount()).as("the tool is still running").isEqualTo(1);

            JsonNode next = client.callTool("stubborn_quick", F.objectNode());
            assertThat(next.path("content").get(0).path("text").asText())
                    .as("served although the only worker is still held").isEqualTo("quick");

            release.countDown();
            List<JsonNode> records = records();
            assertThat(records).extracting(r -> r.path("tool").asText())
                    .containsExactlyInAnyOrder("stubborn_wait", "stubborn_quick");
            assertThat(records).filteredOn(r -> r.path("tool").asText().equals("stubborn_wait"))
                    .singleElement().satisfies(r -> assertThat(r.path("decision").asText()).isEqualTo("timeout"));
            assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
            JsonNode ping = client.request("ping", F.objectNode());
            assertThat(ping.has("result")).isTrue();
            assertThat(client.received()).filteredOn(m -> m.path("result").path("content").path(0).path("text")
                    .asText().contains("timed out")).as("no second response once the tool returned").hasSize(1);
        }
    }

    private List<JsonNode> records() throws Exception {
        List<JsonNode> records = new ArrayList<>();
        for (String line : audit.toString().split("\n")) {
            if (!line.isBlank()) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    /** {@code stubborn_wait} waits for the test's latch, deaf to cancellation and interruption. */
    private final class StubbornProvider implements ProviderFactory {
        @Override
        public String id() {
            return "stubborn";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.of();
        }

        @Override
        public Provider create(ProviderConfig config, ProviderContext context) {
            return new Provider() {
                @Override
                public List<Tool> tools() {
                    return List.of(tool("stubborn_wait", (arguments, ctx) -> {
                        while (true) {
                            try {
                                if (release.await(10, TimeUnit.SECONDS)) {
                                    returned.countDown();
                                    return ToolResult.text("too late");
                                }
                            } catch (InterruptedException ignored) {
                                // deliberately deaf, like a blocking library call
                            }
                        }
                    }), tool("stubborn_quick", (arguments, ctx) -> ToolResult.text("quick")));
                }

                @Override
                public HealthStatus health(CallContext call) {
                    return HealthStatus.up("test");
                }
            };
        }
    }

    private static Tool tool(String name, Tool.Body body) {
        return Tool.of(ToolDescriptor.builder(name).description("A test tool.")
                .annotations(ToolAnnotations.readOnly()).build(), body);
    }
}
