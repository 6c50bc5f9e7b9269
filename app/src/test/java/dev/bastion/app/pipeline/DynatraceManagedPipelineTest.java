package dev.bastion.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.app.runtime.LaunchOptions;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import dev.bastion.provider.dynatrace.managed.sandbox.SandboxTour;
import dev.bastion.testkit.McpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Dynatrace Managed tool through the whole server: configuration with --sandbox, discovery,
 * the full security pipeline (validation, gates, limits, redaction, output validation, audit) and
 * the engine, against the provider's sandbox.
 */
class DynatraceManagedPipelineTest {

    private static final String PREFIX = "dynatrace_managed_";

    @TempDir
    Path temp;

    @Test
    void everyToolSucceedsThroughTheFullPipelineAgainstTheSandbox() throws Exception {
        Path config = temp.resolve("bastion.yaml");
        Files.writeString(config, "security:\n  read_only: false\n  approval: none\n"
                + "  rate_limit:\n    requests_per_minute: 6000\n    burst_size: 100\n  audit:\n    file: "
                + temp.resolve("audit.jsonl") + "\n");
        try (BastionRuntime runtime = BastionRuntime.start(new LaunchOptions(Optional.of(config), Optional.empty(),
                true, Map.of()), System.err); McpTestClient client = McpTestClient.inProcess(runtime.engine())) {
            client.initialize();
            List<String> listed = client.listTools().get("tools").findValuesAsText("name");
            DynatraceManagedSandbox sandbox = runtime.sandbox(DynatraceManagedSandbox.class).orElseThrow();
            Map<String, ObjectNode> tour = SandboxTour.arguments(sandbox,
                    (name, args) -> client.callTool(PREFIX + name, args).get("structuredContent"));
            assertThat(listed.stream().filter(name -> name.startsWith(PREFIX)).map(name -> name.substring(PREFIX.length())))
                    .containsExactlyInAnyOrderElementsOf(tour.keySet());
            for (Map.Entry<String, ObjectNode> call : tour.entrySet()) {
                JsonNode result = client.callTool(PREFIX + call.getKey(), call.getValue());
                assertThat(result.get("isError").asBoolean()).as(call.getKey() + ": " + result).isFalse();
                assertThat(result.get("structuredContent")).as(call.getKey()).isNotNull();
            }
            List<String> audit = Files.readAllLines(temp.resolve("audit.jsonl"));
            assertThat(audit).hasSizeGreaterThanOrEqualTo(tour.size());
            assertThat(String.join("\n", audit)).doesNotContain(sandbox.environments().get(0).token());
        }
    }

    @Test
    void writeToolsAreHiddenAndRefusedInTheDefaultReadOnlyMode() {
        try (BastionRuntime runtime = BastionRuntime.start(new LaunchOptions(Optional.empty(), Optional.empty(),
                true, Map.of()), System.err); McpTestClient client = McpTestClient.inProcess(runtime.engine())) {
            client.initialize();
            assertThat(client.listTools().get("tools").findValuesAsText("name"))
                    .contains(PREFIX + "list_problems")
                    .doesNotContain(PREFIX + "close_problem", PREFIX + "add_problem_comment", PREFIX + "ingest_event");
            ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("problem_id", "P-1").put("message", "x");
            JsonNode refused = client.callTool(PREFIX + "close_problem", arguments);
            assertThat(refused.get("isError").asBoolean()).isTrue();
            assertThat(refused.get("content").get(0).get("text").asText()).contains("read-only mode");
        }
    }
}
