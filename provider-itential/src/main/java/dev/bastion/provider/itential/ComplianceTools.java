package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.OffsetPaging;
import dev.bastion.toolkit.poll.PollResult;
import dev.bastion.toolkit.poll.PollStep;
import dev.bastion.toolkit.poll.Polling;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Duration;
import java.util.List;

/** Golden configuration trees, compliance plans and the reports they produce (Configuration Manager). */
final class ComplianceTools {

    static final int MAX_PLANS = 2000;
    private static final Arg<String> TREE = ToolSupport.id("tree_id", "Id of the golden config tree, from"
            + " itential_list_golden_config_trees.");
    private static final Arg<String> VERSION = Arg.pattern("version", "Version of the tree; default 'initial'.",
            ToolSupport.ID_PATTERN, 128).withDefault("initial");
    private static final Arg<String> PLAN = ToolSupport.id("plan_id", "Id of the compliance plan, from"
            + " itential_list_compliance_plans.");
    private static final Arg<String> REPORT = ToolSupport.id("report_id", "Id of the compliance report, from"
            + " itential_run_compliance_plan.");
    private static final Arg<String> NAME = Arg.string("name", "Only plans whose name contains this text.", 200);

    private final ToolSupport support;

    ComplianceTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listTrees(), describeTree(), listPlans(), runPlan(), describeReport());
    }

    private ToolSpec listTrees() {
        return ToolSupport.read("list_golden_config_trees", "List golden config trees", "GET /configuration_manager/configs")
                .description("Lists the golden configuration trees: their id, name, device type and versions.")
                .output("""
                        {"type":"object","required":["trees","count"],"properties":{
                          "trees":{"type":"array","items":{"type":"object","required":["id","name"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"device_type":{"type":"string"},
                            "versions":{"type":"array","items":{"type":"string"}}}}},
                          "count":{"type":"integer"}}}""")
                .tags("configuration_manager").fanOut()
                .handler((args, context) -> {
                    ObjectNode out = ToolSupport.object();
                    ArrayNode trees = out.putArray("trees");
                    for (JsonNode tree : support.client.send(support.client.get("configuration_manager", "configs"),
                            context)) {
                        ObjectNode item = trees.addObject();
                        item.put("id", tree.path("id").asText());
                        item.put("name", tree.path("name").asText());
                        CompactJson.put(item, "device_type", CompactJson.text(tree, "deviceType"));
                        ArrayNode versions = item.putArray("versions");
                        tree.path("versions").forEach(version -> versions.add(version.asText()));
                    }
                    out.put("count", trees.size());
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec describeTree() {
        return ToolSupport.read("describe_golden_config_tree", "Describe a golden config tree",
                        "GET /configuration_manager/configs/:id/:version")
                .description("Returns one version of a golden config tree as a flat list of its nodes: each node's"
                        + " path (such as base/DC/Atlanta), the devices and device groups assigned to it and its"
                        + " config spec id.")
                .args(TREE, VERSION)
                .output("""
                        {"type":"object","required":["id","version","nodes"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"version":{"type":"string"},
                          "device_type":{"type":"string"},
                          "nodes":{"type":"array","items":{"type":"object","required":["path"],"properties":{
                            "path":{"type":"string"},"devices":{"type":"array","items":{"type":"string"}},
                            "device_groups":{"type":"array","items":{"type":"string"}},
                            "config_id":{"type":"string"}}}}}}""")
                .tags("configuration_manager")
                .handler((args, context) -> {
                    String id = args.get(TREE);
                    String version = args.get(VERSION);
                    JsonNode tree = support.client.send(support.client.get("configuration_manager", "configs", id,
                            version).notFound("Golden config tree " + id + " version " + version), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("id", tree.path("id").asText(id));
                    CompactJson.put(out, "name", CompactJson.text(tree, "name"));
                    out.put("version", tree.path("version").asText(version));
                    CompactJson.put(out, "device_type", CompactJson.text(tree, "deviceType"));
                    ArrayNode nodes = out.putArray("nodes");
                    flatten(tree.path("root"), "", nodes, 0);
                    return ToolResult.structured(out);
                }).build();
    }

    private static void flatten(JsonNode node, String parent, ArrayNode out, int depth) {
        if (!node.isObject() || depth > 32) {
            return;
        }
        String path = parent.isEmpty() ? node.path("name").asText() : parent + "/" + node.path("name").asText();
        ObjectNode item = out.addObject();
        item.put("path", path);
        JsonNode attributes = node.path("attributes");
        item.set("devices", strings(attributes.path("devices")));
        item.set("device_groups", strings(attributes.path("deviceGroups")));
        CompactJson.put(item, "config_id", CompactJson.text(attributes, "configId"));
        for (JsonNode child : node.path("children")) {
            flatten(child, path, out, depth + 1);
        }
    }

    private static ArrayNode strings(JsonNode list) {
        ArrayNode out = ToolSupport.NODES.arrayNode();
        list.forEach(value -> out.add(value.asText()));
        return out;
    }

    private ToolSpec listPlans() {
        return ToolSupport.read("list_compliance_plans", "List compliance plans",
                        "POST /configuration_manager/search/compliance_plans")
                .description("Lists compliance plans (which golden config nodes to check on which devices); filter"
                        + " by name. Every page is read, up to " + MAX_PLANS + ".")
                .args(NAME)
                .output("""
                        {"type":"object","required":["plans","count"],"properties":{
                          "plans":{"type":"array","items":{"type":"object","required":["id","name"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
                            "nodes":{"type":"integer"}}}},
                          "count":{"type":"integer"},"total":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("configuration_manager").fanOut()
                .handler((args, context) -> {
                    OffsetPaging.Result result = OffsetPaging.readAll(ToolSupport.PAGE_LIMIT, MAX_PLANS,
                            (offset, limit) -> {
                                ObjectNode body = ToolSupport.object();
                                body.put("name", args.optional(NAME).orElse(""));
                                body.putObject("options").put("start", offset).put("limit", limit);
                                JsonNode page = support.client.send(support.client.post(body, "configuration_manager",
                                        "search", "compliance_plans").idempotent(), context);
                                return OffsetPaging.Page.of(page.path("plans"), ToolSupport.count(page, "totalCount"));
                            });
                    ObjectNode out = ToolSupport.object();
                    ArrayNode plans = out.putArray("plans");
                    for (JsonNode plan : result.items()) {
                        ObjectNode item = plans.addObject();
                        item.put("id", plan.path("id").asText());
                        item.put("name", plan.path("name").asText());
                        CompactJson.put(item, "description", CompactJson.text(plan, "description"));
                        item.put("nodes", plan.path("nodes").size());
                    }
                    out.put("count", plans.size());
                    out.put("total", result.total());
                    if (result.truncated()) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec runPlan() {
        return ToolSupport.write("run_compliance_plan", "Run a compliance plan",
                        "POST /configuration_manager/compliance_plans/run")
                .description("Runs a compliance plan, waits for it to finish (or for the call's time to run out) and"
                        + " returns the devices checked with their report ids; itential_describe_compliance_report"
                        + " shows what each one failed. It reads device configurations and changes nothing on them.")
                .args(PLAN)
                .output("""
                        {"type":"object","required":["plan_id","instance_id","status"],"properties":{
                          "plan_id":{"type":"string"},"instance_id":{"type":"string"},"status":{"type":"string"},
                          "reports":{"type":"array","items":{"type":"object","required":["report_id"],"properties":{
                            "report_id":{"type":"string"},"device":{"type":"string"},"node":{"type":"string"}}}},
                          "message":{"type":"string"}}}""")
                .tags("configuration_manager")
                .handler((args, context) -> {
                    String plan = args.get(PLAN);
                    Polling<String, JsonNode> polling = Polling.<String, JsonNode>builder("compliance plan run",
                                    (instance, ctx) -> {
                                        JsonNode found = instance(instance, ctx);
                                        String status = found.path("jobStatus").asText("unknown");
                                        return status.equals("complete") ? PollStep.done(found)
                                                : status.equals("error") || status.equals("canceled")
                                                ? failed(instance, status) : PollStep.running(instance, null, status);
                                    }, Polling.Cancel.impossible())
                            .backoff(Duration.ofMillis(500), Duration.ofSeconds(5))
                            .timeoutHint("the plan goes on; its reports appear in Configuration Manager when it ends")
                            .build();
                    String[] started = new String[1];
                    PollResult<JsonNode> result = polling.run(context, ctx -> {
                        ObjectNode body = ToolSupport.object();
                        body.put("planId", plan);
                        JsonNode answer = support.client.send(support.client.post(body, "configuration_manager",
                                "compliance_plans", "run").notFound("Compliance plan " + plan), ctx);
                        started[0] = answer.path("instanceId").asText("");
                        if (started[0].isEmpty()) {
                            throw new ToolFailure("The platform started compliance plan " + plan
                                    + " but named no run instance to follow");
                        }
                        return PollStep.running(started[0], null, "started");
                    });
                    ObjectNode out = ToolSupport.object();
                    out.put("plan_id", plan);
                    out.put("instance_id", started[0]);
                    if (result instanceof PollResult.Finished<JsonNode> finished) {
                        out.put("status", "complete");
                        ArrayNode reports = out.putArray("reports");
                        String batch = finished.value().path("batchId").asText("");
                        if (!batch.isEmpty()) {
                            for (JsonNode report : support.client.send(support.client.get("configuration_manager",
                                    "compliance_reports", "batch", batch), context)) {
                                ObjectNode item = reports.addObject();
                                item.put("report_id", report.path("id").asText());
                                CompactJson.put(item, "device", CompactJson.text(report, "deviceName"));
                                CompactJson.put(item, "node", CompactJson.text(report, "nodePath"));
                            }
                        }
                    } else {
                        out.put("status", "running");
                        out.put("message", result.message());
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private static PollStep<String, JsonNode> failed(String instance, String status) {
        throw new ToolFailure("The compliance plan run " + instance + " ended with status " + status);
    }

    /** The run instance; the platform wraps it in {@code plans[]} or in {@code groups[].plans[]}. */
    private JsonNode instance(String id, CallContext context) {
        ObjectNode body = ToolSupport.object();
        body.putObject("searchParams").put("instanceId", id);
        JsonNode answer = support.client.send(support.client.post(body, "configuration_manager", "search",
                "compliance_plan_instances").idempotent(), context);
        JsonNode plans = answer.path("plans");
        if (!plans.isArray() || plans.isEmpty()) {
            plans = answer.path("groups").path(0).path("plans");
        }
        for (JsonNode plan : plans) {
            if (id.equals(plan.path("id").asText())) {
                return plan;
            }
        }
        // Not searchable yet right after it started: still running as far as anyone can tell.
        return ToolSupport.object().put("id", id).put("jobStatus", "starting");
    }

    private ToolSpec describeReport() {
        return ToolSupport.read("describe_compliance_report", "Describe a compliance report",
                        "GET /configuration_manager/compliance_reports/details/:id")
                .description("Returns one device's compliance report: its totals of errors, warnings and passes and"
                        + " each issue with its severity, type and message.")
                .args(REPORT)
                .output("""
                        {"type":"object","required":["id","totals","issues"],"properties":{
                          "id":{"type":"string"},"device":{"type":"string"},"node":{"type":"string"},
                          "checked":{"type":"string"},"compliant":{"type":"boolean"},
                          "totals":{"type":"object","additionalProperties":{"type":"integer"}},
                          "issues":{"type":"array","items":{"type":"object","properties":{
                            "severity":{"type":"string"},"type":{"type":"string"},"message":{"type":"string"}}}}}}""")
                .tags("configuration_manager")
                .handler((args, context) -> {
                    String id = args.get(REPORT);
                    JsonNode report = support.client.send(support.client.get("configuration_manager",
                            "compliance_reports", "details", id).notFound("Compliance report " + id), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("id", report.path("id").asText(id));
                    CompactJson.put(out, "device", CompactJson.text(report, "deviceName"));
                    CompactJson.put(out, "node", CompactJson.text(report, "nodePath"));
                    CompactJson.put(out, "checked", ToolSupport.time(report.path("timestamp")));
                    ObjectNode totals = out.putObject("totals");
                    report.path("totals").fields().forEachRemaining(total -> totals.put(total.getKey(),
                            total.getValue().asInt()));
                    if (totals.path("errors").isNumber()) {
                        out.put("compliant", totals.path("errors").asInt() == 0);
                    }
                    ArrayNode issues = out.putArray("issues");
                    for (JsonNode issue : report.path("issues")) {
                        ObjectNode item = issues.addObject();
                        CompactJson.put(item, "severity", CompactJson.text(issue, "severity"));
                        CompactJson.put(item, "type", CompactJson.text(issue, "type"));
                        CompactJson.put(item, "message", CompactJson.text(issue, "message"));
                    }
                    return ToolResult.structured(out);
                }).build();
    }
}
