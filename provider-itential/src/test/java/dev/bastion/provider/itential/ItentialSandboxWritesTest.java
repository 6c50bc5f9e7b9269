package dev.bastion.provider.itential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.itential.sandbox.ItentialSandbox;
import dev.bastion.testkit.ProviderHarness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write tools end to end through the server's pipeline against the sandbox (writes allowed, no
 * approval), and a curated workflow tool with approval on.
 */
class ItentialSandboxWritesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> WRITES = Map.of("read_only", false, "approval", "none");
    private final ItentialSandbox sandbox = ItentialSandbox.start(ItentialSandbox.Options.defaults());

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private ProviderHarness harness(Map<String, Object> security) {
        return ProviderHarness.start(new ItentialProviderFactory(), sandbox.instances().get(0), security);
    }

    private static JsonNode call(ProviderHarness harness, String tool, String arguments) throws Exception {
        JsonNode result = harness.call("itential_" + tool, (ObjectNode) JSON.readTree(arguments));
        assertThat(result.path("isError").asBoolean()).as(tool + ": " + result).isFalse();
        return result.path("structuredContent");
    }

    @Test
    void groupChangesKeepEveryMemberTheyDoNotName() throws Exception {
        String group = sandbox.deviceGroupNames().stream().filter(name -> sandbox.groupDevices(name).size() == 3)
                .findFirst().orElseThrow();
        List<String> original = new ArrayList<>(sandbox.groupDevices(group));
        String newcomer = sandbox.deviceNames().stream().filter(d -> !original.contains(d)).findFirst().orElseThrow();
        try (ProviderHarness harness = harness(WRITES)) {
            JsonNode added = call(harness, "add_devices_to_group", "{\"group\":\"" + group + "\",\"devices\":[\""
                    + newcomer + "\"]}");
            assertThat(added.path("after").asInt()).isEqualTo(4);
            assertThat(sandbox.groupDevices(group)).containsAll(original).contains(newcomer).hasSize(4);

            JsonNode removed = call(harness, "remove_devices_from_group", "{\"group\":\"" + group + "\",\"devices\":[\""
                    + original.get(1) + "\",\"" + newcomer + "\"]}");
            assertThat(removed.path("after").asInt()).isEqualTo(2);
            assertThat(sandbox.groupDevices(group)).containsExactly(original.get(0), original.get(2));
        }
    }

    @Test
    void aStoppedAdapterIsStartedAndTheToolWaitsUntilItRuns() throws Exception {
        try (ProviderHarness harness = harness(WRITES)) {
            JsonNode adapters = call(harness, "list_adapters", "{\"state\":\"STOPPED\"}");
            String stopped = adapters.path("items").get(0).path("id").asText();

            JsonNode started = call(harness, "start_adapter", "{\"name\":\"" + stopped + "\"}");

            assertThat(started.path("before").asText()).isEqualTo("STOPPED");
            assertThat(started.path("state").asText()).isEqualTo("RUNNING");
            assertThat(started.path("reached").asBoolean()).isTrue();
        }
    }

    @Test
    void aComplianceRunEndsWithAReportPerDevice() throws Exception {
        try (ProviderHarness harness = harness(WRITES)) {
            JsonNode run = call(harness, "run_compliance_plan", "{\"plan_id\":\"" + sandbox.compliancePlanIds().get(0)
                    + "\"}");

            assertThat(run.path("status").asText()).isEqualTo("complete");
            assertThat(run.path("reports")).isNotEmpty();
            JsonNode report = call(harness, "describe_compliance_report", "{\"report_id\":\""
                    + run.path("reports").get(0).path("report_id").asText() + "\"}");
            assertThat(report.path("totals").isObject()).isTrue();
            assertThat(report.has("compliant")).isTrue();
        }
    }

    @Test
    void aLifecycleCreateActionAddsAnInstanceAndACancelledJobIsCancelled() throws Exception {
        try (ProviderHarness harness = harness(WRITES)) {
            String resource = sandbox.lifecycleResourceIds().get(0);
            JsonNode resources = call(harness, "list_lifecycle_resources", "{}");
            JsonNode model = null;
            for (JsonNode candidate : resources.path("resources")) {
                if (candidate.path("id").asText().equals(resource)) {
                    model = candidate;
                }
            }
            String create = null;
            for (JsonNode action : model.path("actions")) {
                if (action.path("type").asText().equals("create")) {
                    create = action.path("name").asText();
                }
            }
            int before = sandbox.lifecycleInstanceIds(resource).size();

            ObjectNode arguments = JSON.createObjectNode().put("resource_id", resource).put("action", create)
                    .put("instance_name", "vlan-400-bos");
            arguments.putObject("inputs").put("vlan_id", 400).put("site", "bos");
            JsonNode ran = call(harness, "run_lifecycle_action", arguments.toString());

            assertThat(ran.path("status").asText()).as(ran.toString()).isEqualTo("complete");
            assertThat(sandbox.lifecycleInstanceIds(resource)).hasSize(before + 1);

            String running = sandbox.runningJobIds().get(0);
            JsonNode cancelled = call(harness, "cancel_job", "{\"job_id\":\"" + running + "\"}");
            assertThat(cancelled.path("status").asText()).isEqualTo("canceled");
            assertThat(sandbox.runningJobIds()).doesNotContain(running);
        }
    }

    @Test
    void aCuratedWorkflowIsItsOwnToolThatChecksItsInputAndNeedsApproval() throws Exception {
        Map<String, Object> raw = new LinkedHashMap<>(sandbox.instances().get(0));
        raw.put("tools", List.of(Map.of("name", "backup_device", "description", "Backs up one device's configuration"
                        + " through the Backup Device Configs workflow.", "trigger", "backup-device-configs",
                "input_schema", Map.of("type", "object", "required", List.of("device"),
                        "properties", Map.of("device", Map.of("type", "string", "maxLength", 128))))));
        String device = sandbox.deviceNames().get(0);
        try (ProviderHarness open = ProviderHarness.start(new ItentialProviderFactory(), raw, WRITES);
             ProviderHarness gated = ProviderHarness.start(new ItentialProviderFactory(), raw,
                     Map.of("read_only", false, "approval", "writes"))) {
            JsonNode listed = null;
            for (JsonNode tool : open.client().listTools().path("tools")) {
                if (tool.path("name").asText().equals("itential_backup_device")) {
                    listed = tool;
                }
            }
            assertThat(listed).isNotNull();
            assertThat(listed.path("inputSchema").path("required").toString()).isEqualTo("[\"device\"]");
            assertThat(listed.path("annotations").path("readOnlyHint").asBoolean()).isFalse();

            JsonNode missing = open.client().request("tools/call", (ObjectNode) JSON.readTree(
                    "{\"name\":\"itential_backup_device\",\"arguments\":{}}"));
            assertThat(missing.toString()).contains("device");
            JsonNode started = call(open, "backup_device", "{\"device\":\"" + device + "\"}");
            assertThat(started.path("job_id").asText()).isNotEmpty();
            assertThat(started.path("status").asText()).isEqualTo("running");

            JsonNode refused = gated.call("itential_backup_device", (ObjectNode) JSON.readTree("{\"device\":\""
                    + device + "\"}"));
            assertThat(refused.path("isError").asBoolean()).isTrue();
            assertThat(refused.toString()).containsIgnoringCase("approv");
        }
    }
}
