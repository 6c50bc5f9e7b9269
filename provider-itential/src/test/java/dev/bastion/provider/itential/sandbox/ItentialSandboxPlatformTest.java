package dev.bastion.provider.itential.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.testkit.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's device groups, component lifecycle, integration models, job cancel and metrics,
 * automations, compliance, backups, Lifecycle Manager and Gateway Manager behave as the platform's.
 */
class ItentialSandboxPlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
    private static final OkHttpClient HTTP = new OkHttpClient();

    private MutableClock clock;
    private ItentialSandbox sandbox;
    private String token;

    @BeforeEach
    void start() throws IOException {
        clock = new MutableClock();
        sandbox = ItentialSandbox.start(new ItentialSandbox.Options(42L, clock, Duration.ofHours(1)));
        ObjectNode body = JSON.createObjectNode();
        body.putObject("user").put("username", sandbox.username()).put("password", sandbox.password());
        token = JSON.readTree(send(new Request.Builder().url(sandbox.url() + "/login")
                .post(RequestBody.create(body.toString(), APPLICATION_JSON)).build()).body()).asText();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static Reply send(Request request) throws IOException {
        try (Response response = HTTP.newCall(request).execute()) {
            return new Reply(response.code(), response.body().string());
        }
    }

    private HttpUrl url(String path, String... query) {
        HttpUrl.Builder url = HttpUrl.get(sandbox.url() + path).newBuilder().addQueryParameter("token", token);
        for (int i = 0; i < query.length; i += 2) {
            url.addQueryParameter(query[i], query[i + 1]);
        }
        return url.build();
    }

    private Reply get(String path, String... query) throws IOException {
        return send(new Request.Builder().url(url(path, query)).build());
    }

    private Reply post(String path, Object body) throws IOException {
        return send(new Request.Builder().url(url(path))
                .post(RequestBody.create(JSON.writeValueAsString(body), APPLICATION_JSON)).build());
    }

    private Reply put(String path, Object body) throws IOException {
        return send(new Request.Builder().url(url(path)).put(RequestBody.create(
                body == null ? "" : JSON.writeValueAsString(body), APPLICATION_JSON)).build());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    @Test
    void aDeviceGroupPutReplacesItsDevices() throws IOException {
        JsonNode groups = get("/configuration_manager/deviceGroups").json();
        assertThat(groups.isArray()).isTrue();
        assertThat(groups.size()).isEqualTo(6);
        assertThat(texts(groups.findValues("name").stream().collect(JSON::createArrayNode, ArrayNode::add,
                ArrayNode::addAll))).containsExactlyElementsOf(sandbox.deviceGroupNames());
        JsonNode atlanta = null;
        for (JsonNode group : groups) {
            assertThat(group.path("devices").size()).isBetween(0, 20);
            assertThat(sandbox.deviceNames()).containsAll(texts(group.path("devices")));
            if (group.path("name").asText().equals("atlanta-core")) {
                atlanta = group;
            }
        }
        assertThat(atlanta).isNotNull();
        List<String> before = texts(atlanta.path("devices"));
        assertThat(before).hasSize(3).isEqualTo(sandbox.groupDevices("atlanta-core"));
        String id = atlanta.path("id").asText();
        assertThat(get("/configuration_manager/deviceGroups/" + id).json().path("name").asText())
                .isEqualTo("atlanta-core");

        String added = sandbox.deviceNames().get(200);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("details").putArray("devices").add(added);
        Reply updated = put("/configuration_manager/deviceGroups/" + id, body);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("status").asText()).isEqualTo("success");
        assertThat(updated.json().path("message").asText()).isEqualTo("Device group updated successfully");
        // Replace, not merge: the three members are gone.
        assertThat(texts(get("/configuration_manager/deviceGroups/" + id).json().path("devices")))
                .containsExactly(added);
        assertThat(sandbox.groupDevices("atlanta-core")).containsExactly(added);

        ObjectNode unknownDevice = JSON.createObjectNode();
        unknownDevice.putObject("details").putArray("devices").add(before.get(0)).add("no-such-device");
        Reply refused = put("/configuration_manager/deviceGroups/" + id, unknownDevice);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).isEqualTo("Device no-such-device does not exist");
        assertThat(sandbox.groupDevices("atlanta-core")).containsExactly(added);
        assertThat(put("/configuration_manager/deviceGroups/" + id, JSON.createObjectNode().put("devices", "x"))
                .status()).isEqualTo(400);

        Reply missing = get("/configuration_manager/deviceGroups/ffffffffffffffffffffffff");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("Device group not found");
    }

    private String adapterState(String name) throws IOException {
        JsonNode page = get("/health/adapters", "equals", name, "equalsField", "id").json();
        assertThat(page.path("total").asInt()).isEqualTo(1);
        return page.path("results").get(0).path("state").asText();
    }

    @Test
    void adaptersAndApplicationsStartAndStopByTheClock() throws IOException {
        assertThat(adapterState("Kafka")).isEqualTo("STOPPED");
        Reply started = put("/adapters/Kafka/start", null);
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().path("status").asText()).isEqualTo("success");
        assertThat(started.json().path("message").asText()).isEqualTo("Adapter Kafka started");
        assertThat(adapterState("Kafka")).isEqualTo("STARTING");
        clock.advance(Duration.ofMillis(1499));
        assertThat(adapterState("Kafka")).isEqualTo("STARTING");
        clock.advance(Duration.ofMillis(1));
        JsonNode kafka = get("/health/adapters/Kafka").json();
        assertThat(kafka.path("total").asInt()).isEqualTo(1);
        assertThat(kafka.path("results").get(0).path("state").asText()).isEqualTo("RUNNING");
        assertThat(kafka.path("results").get(0).path("connection").path("state").asText()).isEqualTo("ONLINE");
        assertThat(send(new Request.Builder().url(sandbox.url() + "/health/status").build()).body())
                .contains("\"adapters\":\"running\"");

        assertThat(put("/adapters/Kafka/start", null).json().path("message").asText())
                .isEqualTo("Adapter Kafka started");
        assertThat(adapterState("Kafka")).isEqualTo("RUNNING");

        assertThat(put("/adapters/Kafka/stop", null).json().path("message").asText()).isEqualTo("Adapter Kafka stopped");
        assertThat(adapterState("Kafka")).isEqualTo("STOPPING");
        clock.advance(Duration.ofSeconds(2));
        JsonNode stopped = get("/health/adapters/Kafka").json().path("results").get(0);
        assertThat(stopped.path("state").asText()).isEqualTo("STOPPED");
        assertThat(stopped.path("connection").path("state").asText()).isEqualTo("OFFLINE");
        assertThat(put("/adapters/Kafka/stop", null).status()).isEqualTo(200);
        assertThat(adapterState("Kafka")).isEqualTo("STOPPED");

        Reply restarted = put("/applications/MOP/restart", null);
        assertThat(restarted.json().path("message").asText()).isEqualTo("Application MOP restarted");
        assertThat(get("/health/applications/MOP").json().path("results").get(0).path("state").asText())
                .isEqualTo("STARTING");
        clock.advance(Duration.ofMillis(1500));
        assertThat(get("/health/applications", "equals", "MOP", "equalsField", "id").json().path("results").get(0)
                .path("state").asText()).isEqualTo("RUNNING");
        assertThat(get("/health/applications", "equals", "nothing", "equalsField", "id").json().path("total").asInt())
                .isZero();

        Reply unknown = put("/adapters/NoSuch/start", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).isEqualTo("Adapter NoSuch not found");
        assertThat(put("/applications/NoSuch/stop", null).json().path("message").asText())
                .isEqualTo("Application NoSuch not found");
        assertThat(get("/health/adapters/NoSuch").status()).isEqualTo(404);
    }

    @Test
    void integrationModelsPageTwentyFiveByDefaultAndAllByLimitAndSkip() throws IOException {
        JsonNode first = get("/integration-models").json();
        assertThat(first.path("integrationModels").size()).isEqualTo(25);
        assertThat(first.path("total").asInt()).isEqualTo(130);
        JsonNode model = first.path("integrationModels").get(0);
        assertThat(model.path("versionId").asText()).isEqualTo(model.path("model").asText() + ":"
                + model.path("properties").path("version").asText());
        assertThat(model.path("properties").path("server").has("host")).isTrue();

        Set<String> ids = new HashSet<>();
        int skip = 0;
        while (skip < 130) {
            JsonNode page = get("/integration-models", "limit", "100", "skip", String.valueOf(skip)).json();
            page.path("integrationModels").forEach(m -> ids.add(m.path("versionId").asText()));
            skip += 100;
        }
        assertThat(ids).hasSize(130);
        assertThat(get("/integration-models", "limit", "101").status()).isEqualTo(400);
    }

    @Test
    void runningAndPausedJobsCancelAndFinishedOnesAreRefused() throws IOException {
        List<String> running = sandbox.runningJobIds();
        assertThat(running).isNotEmpty();
        String paused = get("/operations-manager/jobs", "equals[status]", "paused", "limit", "1").json()
                .path("data").get(0).path("_id").asText();
        String complete = get("/operations-manager/jobs", "equals[status]", "complete", "limit", "1").json()
                .path("data").get(0).path("_id").asText();
        int canceledBefore = get("/operations-manager/jobs", "equals[status]", "canceled").json()
                .path("metadata").path("total").asInt();

        ObjectNode body = JSON.createObjectNode();
        body.putArray("jobIds").add(running.get(0)).add(paused);
        Reply canceled = post("/operations-manager/jobs/cancel", body);
        assertThat(canceled.status()).isEqualTo(200);
        assertThat(canceled.json().path("message").asText()).isEqualTo("Jobs canceled");
        assertThat(canceled.json().path("metadata").isObject()).isTrue();
        assertThat(canceled.json().path("data").findValuesAsText("_id")).containsExactly(running.get(0), paused);
        assertThat(canceled.json().path("data").findValuesAsText("status")).containsOnly("canceled");
        JsonNode job = get("/operations-manager/jobs/" + running.get(0)).json().path("data");
        assertThat(job.path("status").asText()).isEqualTo("canceled");
        assertThat(job.path("metrics").path("end_time").asLong()).isEqualTo(clock.millis());
        assertThat(sandbox.runningJobIds()).doesNotContain(running.get(0));
        assertThat(get("/operations-manager/jobs", "equals[status]", "canceled").json().path("metadata")
                .path("total").asInt()).isEqualTo(canceledBefore + 2);
        clock.advance(Duration.ofMinutes(50));
        assertThat(get("/operations-manager/jobs/" + running.get(0)).json().path("data").path("status").asText())
                .isEqualTo("canceled");

        ObjectNode finished = JSON.createObjectNode();
        finished.putArray("jobIds").add(complete);
        Reply refused = post("/operations-manager/jobs/cancel", finished);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).isEqualTo("Job " + complete + " is already complete");
        ObjectNode unknown = JSON.createObjectNode();
        unknown.putArray("jobIds").add("ffffffffffffffffffffffff");
        Reply missing = post("/operations-manager/jobs/cancel", unknown);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).contains("ffffffffffffffffffffffff");
        ObjectNode tooMany = JSON.createObjectNode();
        ArrayNode ids = tooMany.putArray("jobIds");
        sandbox.jobIds().subList(0, 101).forEach(ids::add);
        assertThat(post("/operations-manager/jobs/cancel", tooMany).status()).isEqualTo(400);
        assertThat(post("/operations-manager/jobs/cancel", JSON.createObjectNode().putArray("jobIds")).status())
                .isEqualTo(400);
    }

    @Test
    void jobMetricsCountTheCompletedJobsPerWorkflow() throws IOException {
        JsonNode all = get("/workflow_engine/jobs/metrics", "limit", "100").json();
        assertThat(all.path("total").asInt()).isEqualTo(all.path("results").size()).isEqualTo(10);
        int completed = get("/operations-manager/jobs", "equals[status]", "complete").json().path("metadata")
                .path("total").asInt();
        int sum = 0;
        for (JsonNode metric : all.path("results")) {
            int perDay = 0;
            double time = 0;
            for (JsonNode day : metric.path("metrics")) {
                perDay += day.path("jobsComplete").asInt();
                time += day.path("totalRunTime").asDouble();
            }
            assertThat(metric.path("jobsComplete").asInt()).isEqualTo(perDay);
            assertThat(metric.path("totalRunTime").asDouble()).isCloseTo(time, org.assertj.core.data.Offset.offset(0.01));
            sum += perDay;
        }
        assertThat(sum).isEqualTo(completed);

        JsonNode backup = get("/workflow_engine/jobs/metrics", "containsField", "workflow.name", "contains",
                "backup").json();
        assertThat(backup.path("total").asInt()).isEqualTo(1);
        JsonNode element = backup.path("results").get(0);
        assertThat(element.path("workflow").path("name").asText()).isEqualTo("Backup Device Configs");
        int backupsComplete = get("/operations-manager/jobs", "equals[status]", "complete", "equals[name]",
                "Backup Device Configs").json().path("metadata").path("total").asInt();
        assertThat(element.path("jobsComplete").asInt()).isEqualTo(backupsComplete);
        assertThat(get("/workflow_engine/jobs/metrics", "equalsField", "workflow.name", "equals", "Port Turn-Up")
                .json().path("total").asInt()).isEqualTo(1);
        assertThat(get("/workflow_engine/jobs/metrics", "limit", "3", "skip", "9").json().path("results").size())
                .isEqualTo(1);
    }

    @Test
    void automationsAreTheTriggersActionsAndFilterByFieldPairs() throws IOException {
        JsonNode list = get("/operations-manager/automations").json();
        assertThat(list.path("message").asText()).isEqualTo("Successfully retrieved automations");
        assertThat(list.path("metadata").path("limit").asInt()).isEqualTo(25);
        assertThat(list.path("metadata").path("total").asInt()).isEqualTo(10);
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(automation -> ids.add(automation.path("_id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(sandbox.automationIds());
        JsonNode triggers = get("/operations-manager/triggers", "limit", "100").json().path("data");
        triggers.forEach(trigger -> assertThat(sandbox.automationIds()).contains(trigger.path("actionId").asText()));

        JsonNode named = get("/operations-manager/automations", "equals", "Port Turn-Up", "equalsField", "name").json();
        assertThat(named.path("metadata").path("total").asInt()).isEqualTo(1);
        String id = named.path("data").get(0).path("_id").asText();
        assertThat(get("/operations-manager/automations", "equals[name]", "Port Turn-Up").status()).isEqualTo(400);
        JsonNode one = get("/operations-manager/automations/" + id).json().path("data");
        assertThat(one.path("componentType").asText()).isEqualTo("workflows");
        assertThat(one.path("componentId").asText()).isNotEmpty();
        assertThat(one.path("name").asText()).isEqualTo("Port Turn-Up");
        Reply unknown = get("/operations-manager/automations/ffffffffffffffffffffffff");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("data").isNull()).isTrue();
    }

    @Test
    void aCompliancePlanRunCompletesByTheClockAndReportsEachDevice() throws IOException {
        JsonNode trees = get("/configuration_manager/configs").json();
        assertThat(trees.findValuesAsText("id")).containsExactlyElementsOf(sandbox.goldenConfigTreeIds());
        JsonNode tree = trees.get(0);
        JsonNode version = get("/configuration_manager/configs/" + tree.path("id").asText() + "/initial").json();
        assertThat(version.path("root").path("name").asText()).isEqualTo("base");
        assertThat(version.path("root").path("attributes").has("configId")).isTrue();
        assertThat(get("/configuration_manager/configs/" + tree.path("id").asText() + "/v9").status()).isEqualTo(404);

        ObjectNode search = JSON.createObjectNode().put("name", "");
        search.putObject("options").put("start", 0).put("limit", 100);
        JsonNode plans = post("/configuration_manager/search/compliance_plans", search).json();
        assertThat(plans.path("totalCount").asInt()).isEqualTo(4);
        assertThat(plans.path("plans").findValuesAsText("id")).containsExactlyElementsOf(sandbox.compliancePlanIds());
        search.put("name", "ios all");
        JsonNode allSites = post("/configuration_manager/search/compliance_plans", search).json();
        assertThat(allSites.path("totalCount").asInt()).isEqualTo(1);
        JsonNode plan = allSites.path("plans").get(0);
        assertThat(plan.path("nodes").size()).isEqualTo(2);

        int reportsAtStart = sandbox.complianceReportIds().size();
        assertThat(reportsAtStart).isPositive();
        Reply run = post("/configuration_manager/compliance_plans/run",
                JSON.createObjectNode().put("planId", plan.path("id").asText()));
        assertThat(run.json().path("message").asText()).isEqualTo("Successfully started compliance plan.");
        String instanceId = run.json().path("instanceId").asText();
        ObjectNode byInstance = JSON.createObjectNode();
        byInstance.putObject("searchParams").put("instanceId", instanceId);
        JsonNode instance = post("/configuration_manager/search/compliance_plan_instances", byInstance).json()
                .path("plans").get(0);
        assertThat(instance.path("jobStatus").asText()).isEqualTo("running");
        String batchId = instance.path("batchId").asText();
        assertThat(get("/configuration_manager/compliance_reports/batch/" + batchId).json().size()).isZero();

        clock.advance(Duration.ofSeconds(3));
        ObjectNode latest = JSON.createObjectNode();
        latest.putObject("searchParams").put("planId", plan.path("id").asText()).put("limit", 1).put("start", 0);
        JsonNode newest = post("/configuration_manager/search/compliance_plan_instances", latest).json();
        assertThat(newest.path("totalCount").asInt()).isEqualTo(2);
        assertThat(newest.path("plans").get(0).path("id").asText()).isEqualTo(instanceId);
        assertThat(newest.path("plans").get(0).path("jobStatus").asText()).isEqualTo("complete");

        JsonNode reports = get("/configuration_manager/compliance_reports/batch/" + batchId).json();
        int devices = 0;
        for (JsonNode node : newest.path("plans").get(0).path("nodes")) {
            devices += node.path("devices").size();
        }
        assertThat(reports.size()).isEqualTo(devices).isPositive();
        assertThat(sandbox.complianceReportIds()).hasSize(reportsAtStart + devices);
        int nonCompliant = 0;
        for (JsonNode report : reports) {
            JsonNode details = get("/configuration_manager/compliance_reports/details/" + report.path("id").asText())
                    .json();
            assertThat(details.path("deviceName").asText()).isEqualTo(report.path("deviceName").asText());
            JsonNode totals = details.path("totals");
            assertThat(totals.path("errors").asInt() + totals.path("warnings").asInt() + totals.path("infos").asInt())
                    .isEqualTo(details.path("issues").size());
            assertThat(totals.path("passes").asInt()).isPositive();
            if (totals.path("errors").asInt() > 0) {
                nonCompliant++;
            }
        }
        assertThat(nonCompliant).isBetween(1, reports.size() - 1);
        // The grade is a function of the device: the historical run of the same plan agrees.
        String first = sandbox.complianceReportIds().get(0);
        assertThat(get("/configuration_manager/compliance_reports/details/" + first).status()).isEqualTo(200);
        assertThat(get("/configuration_manager/compliance_reports/details/ffffffffffffffffffffffff").status())
                .isEqualTo(404);
        assertThat(post("/configuration_manager/compliance_plans/run",
                JSON.createObjectNode().put("planId", "ffffffffffffffffffffffff")).status()).isEqualTo(404);
    }

    @Test
    void aBackupIsListedAndAnUnknownDeviceIsAPlainText500() throws IOException {
        int before = sandbox.backups();
        String device = sandbox.deviceNames().get(7);
        ObjectNode body = JSON.createObjectNode().put("name", device);
        body.putObject("options").put("description", "before change").put("notes", "CHG0042");
        Reply backedUp = post("/configuration_manager/devices/backups", body);
        assertThat(backedUp.status()).isEqualTo(200);
        assertThat(backedUp.json().path("status").asText()).isEqualTo("success");
        assertThat(backedUp.json().path("message").asText()).isEqualTo("Device " + device + " backed up successfully");
        String id = backedUp.json().path("id").asText();
        assertThat(sandbox.backups()).isEqualTo(before + 1);

        ObjectNode search = JSON.createObjectNode();
        search.putObject("options").put("start", 0).put("limit", 100).putObject("filter").put("name", device);
        JsonNode found = post("/configuration_manager/backups", search).json();
        assertThat(found.path("total").asInt()).isPositive();
        JsonNode newest = found.path("list").get(0);
        assertThat(newest.path("_id").asText()).isEqualTo(id);
        assertThat(newest.path("type").asText()).isEqualTo("native");
        assertThat(newest.path("notes").asText()).isEqualTo("CHG0042");
        found.path("list").forEach(b -> assertThat(b.path("name").asText()).isEqualTo(device));

        ObjectNode all = JSON.createObjectNode();
        all.putObject("options").put("start", 0).put("limit", 10);
        JsonNode page = post("/configuration_manager/backups", all).json();
        assertThat(page.path("total").asInt()).isEqualTo(before + 1);
        assertThat(page.path("list").size()).isEqualTo(10);

        Reply unknown = post("/configuration_manager/devices/backups", JSON.createObjectNode().put("name", "nope"));
        assertThat(unknown.status()).isEqualTo(500);
        assertThat(unknown.body()).isEqualTo("Device nope not found");
        assertThat(sandbox.backups()).isEqualTo(before + 1);
    }

    @Test
    void aLifecycleCreateActionAddsTheInstanceWhenItCompletes() throws IOException {
        JsonNode resources = get("/lifecycle-manager/resources", "limit", "100").json();
        assertThat(resources.path("metadata").path("total").asInt()).isEqualTo(3);
        List<String> ids = new ArrayList<>();
        resources.path("data").forEach(resource -> ids.add(resource.path("_id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(sandbox.lifecycleResourceIds());
        JsonNode vlan = get("/lifecycle-manager/resources", "equals[name]", "VLAN Service").json().path("data").get(0);
        String modelId = vlan.path("_id").asText();
        assertThat(vlan.path("schema").path("required").size()).isEqualTo(2);
        String create = null;
        String update = null;
        for (JsonNode action : vlan.path("actions")) {
            if (action.path("type").asText().equals("create")) {
                create = action.path("_id").asText();
            } else if (action.path("type").asText().equals("update")) {
                update = action.path("_id").asText();
            }
        }
        String instances = "/lifecycle-manager/resources/" + modelId + "/instances";
        int before = get(instances).json().path("metadata").path("total").asInt();
        JsonNode existing = get(instances).json().path("data").get(0);
        assertThat(existing.path("stateId").asText()).isEqualTo("0001");
        assertThat(existing.path("instanceData").isObject()).isTrue();

        String runAction = "/lifecycle-manager/resources/" + modelId + "/run-action";
        ObjectNode body = JSON.createObjectNode().put("actionId", create).put("instanceName", "vlan-400-dfw");
        body.putObject("inputs").put("vlan_id", 400).put("site", "dfw");
        Reply started = post(runAction, body);
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().path("message").asText()).isEqualTo("Action started");
        JsonNode execution = started.json().path("data");
        assertThat(execution.path("status").asText()).isEqualTo("running");
        String jobId = execution.path("jobId").asText();
        assertThat(get("/operations-manager/jobs/" + jobId).json().path("data").path("status").asText())
                .isEqualTo("running");
        assertThat(get(instances).json().path("metadata").path("total").asInt()).isEqualTo(before);

        clock.advance(Duration.ofSeconds(2));
        JsonNode done = get("/lifecycle-manager/action-executions/" + execution.path("_id").asText()).json()
                .path("data");
        assertThat(done.path("status").asText()).isEqualTo("complete");
        assertThat(done.path("progress").findValuesAsText("status")).containsOnly("complete");
        assertThat(done.path("errors").size()).isZero();
        assertThat(get("/operations-manager/jobs/" + jobId).json().path("data").path("status").asText())
                .isEqualTo("complete");
        JsonNode created = get(instances, "equals[name]", "vlan-400-dfw").json().path("data").get(0);
        assertThat(created.path("instanceData").path("vlan_id").asInt()).isEqualTo(400);
        assertThat(created.path("lastAction").path("type").asText()).isEqualTo("create");
        assertThat(get(instances + "/" + created.path("_id").asText()).json().path("data").path("name").asText())
                .isEqualTo("vlan-400-dfw");

        ObjectNode withInstance = body.deepCopy().put("instanceName", "other").put("instance", created.path("_id")
                .asText());
        assertThat(post(runAction, withInstance).status()).isEqualTo(400);
        Reply noInstance = post(runAction, JSON.createObjectNode().put("actionId", update));
        assertThat(noInstance.status()).isEqualTo(400);
        assertThat(noInstance.json().path("data").isNull()).isTrue();
        assertThat(post(runAction, JSON.createObjectNode().put("actionId", "zzzz").put("instanceName", "x")).status())
                .isEqualTo(400);
        ObjectNode invalid = JSON.createObjectNode().put("actionId", create).put("instanceName", "vlan-bad");
        invalid.putObject("inputs").put("vlan_id", "four hundred").put("site", "dfw");
        assertThat(post(runAction, invalid).status()).isEqualTo(400);
    }

    @Test
    void gatewayManagerListsItsServicesWithTheirInputSchemas() throws IOException {
        JsonNode services = get("/gateway_manager/v1/services").json().path("result");
        assertThat(services.size()).isEqualTo(4);
        for (JsonNode service : services) {
            JsonNode metadata = service.path("service_metadata");
            assertThat(metadata.path("name").asText()).isNotEmpty();
            assertThat(metadata.path("location").asText()).startsWith("cluster-");
            assertThat(metadata.path("type").asText()).isIn("ansible-playbook", "python-script", "opentofu-plan");
            assertThat(metadata.path("decorator").path("type").asText()).isEqualTo("object");
            assertThat(metadata.path("decorator").path("properties").size()).isPositive();
        }
    }
}
