package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.poll.PollResult;
import dev.bastion.toolkit.poll.PollStep;
import dev.bastion.toolkit.poll.Polling;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Duration;
import java.util.List;

/** Lifecycle Manager: resource models, their instances, and running their actions. */
final class LifecycleTools {

    static final int MAX_ITEMS = 2000;
    private static final Arg<String> RESOURCE = ToolSupport.id("resource_id", "Id of the resource model, from"
            + " itential_list_lifecycle_resources.");
    private static final Arg<String> INSTANCE = ToolSupport.id("instance_id", "Id of the instance, from"
            + " itential_list_lifecycle_instances.");
    private static final Arg<String> NAME = Arg.string("name", "Only those whose name contains this text.", 200);
    private static final Arg<String> ACTION = Arg.string("action", "The action to run, by its name or id, as"
            + " itential_list_lifecycle_resources lists them.", 200).required();
    private static final Arg<String> TARGET = Arg.pattern("instance", "Id of the instance an update or delete action"
            + " acts on; not for create actions.", ToolSupport.ID_PATTERN, 128);
    private static final Arg<String> NEW_NAME = Arg.string("instance_name", "Name of the instance a create action"
            + " makes; only for create actions.", 200);
    private static final Arg<JsonNode> INPUTS = Arg.json("inputs", "The action's inputs, a JSON object matching the"
            + " resource's schema. Default {}.", JsonNodeFactory.instance.objectNode().put("type", "object")
            .put("maxProperties", 100).set("additionalProperties", JsonNodeFactory.instance.objectNode()));

    private final ToolSupport support;

    LifecycleTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listResources(), listInstances(), describeInstance(), runAction());
    }

    private ToolSpec listResources() {
        return ToolSupport.read("list_lifecycle_resources", "List lifecycle resources", "GET /lifecycle-manager/resources")
                .description("Lists Lifecycle Manager's resource models with their actions (name, id and type:"
                        + " create, update, delete) and whether they declare an instance schema.")
                .args(NAME)
                .output("""
                        {"type":"object","required":["resources","count"],"properties":{
                          "resources":{"type":"array","items":{"type":"object","required":["id","name"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
                            "schema":{"type":"boolean"},
                            "actions":{"type":"array","items":{"type":"object","properties":{
                              "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"}}}}}}},
                          "count":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("lifecycle_manager").fanOut()
                .handler((args, context) -> {
                    ToolSupport.Listing listing = support.list(() -> {
                        var request = support.client.get("lifecycle-manager", "resources");
                        args.optional(NAME).ifPresent(name -> request.query("contains[name]", name));
                        return request;
                    }, MAX_ITEMS, context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode resources = out.putArray("resources");
                    for (JsonNode resource : listing.items()) {
                        ObjectNode item = resources.addObject();
                        item.put("id", resource.path("_id").asText());
                        item.put("name", resource.path("name").asText());
                        CompactJson.put(item, "description", CompactJson.text(resource, "description"));
                        item.put("schema", resource.path("schema").isObject() && !resource.path("schema").isEmpty());
                        ArrayNode actions = item.putArray("actions");
                        for (JsonNode action : resource.path("actions")) {
                            ObjectNode compact = actions.addObject();
                            CompactJson.put(compact, "id", CompactJson.text(action, "_id"));
                            CompactJson.put(compact, "name", CompactJson.text(action, "name"));
                            CompactJson.put(compact, "type", CompactJson.text(action, "type"));
                        }
                    }
                    out.put("count", resources.size());
                    if (listing.truncated()) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec listInstances() {
        return ToolSupport.read("list_lifecycle_instances", "List lifecycle instances",
                        "GET /lifecycle-manager/resources/:id/instances")
                .description("Lists the instances of one resource model with their state and last action.")
                .args(RESOURCE, NAME)
                .output("""
                        {"type":"object","required":["instances","count"],"properties":{
                          "instances":{"type":"array","items":{"type":"object","required":["id","name"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"state":{"type":"string"},
                            "last_action":{"type":"string"},"updated":{"type":"string"}}}},
                          "count":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("lifecycle_manager")
                .handler((args, context) -> {
                    String resource = args.get(RESOURCE);
                    ToolSupport.Listing listing = support.list(() -> {
                        var request = support.client.get("lifecycle-manager", "resources", resource, "instances")
                                .notFound("Lifecycle resource " + resource);
                        args.optional(NAME).ifPresent(name -> request.query("contains[name]", name));
                        return request;
                    }, MAX_ITEMS, context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode instances = out.putArray("instances");
                    for (JsonNode instance : listing.items()) {
                        ObjectNode item = instances.addObject();
                        item.put("id", instance.path("_id").asText());
                        item.put("name", instance.path("name").asText());
                        CompactJson.put(item, "state", state(instance));
                        CompactJson.put(item, "last_action", lastAction(instance));
                        CompactJson.put(item, "updated", ToolSupport.time(instance.path("lastUpdated")));
                    }
                    out.put("count", instances.size());
                    if (listing.truncated()) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec describeInstance() {
        return ToolSupport.read("describe_lifecycle_instance", "Describe a lifecycle instance",
                        "GET /lifecycle-manager/resources/:id/instances/:instance")
                .description("Returns one instance of a resource model: its data, state and last action.")
                .args(RESOURCE, INSTANCE)
                .output("""
                        {"type":"object","required":["id","name"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
                          "state":{"type":"string"},"last_action":{"type":"string"},"data":{"type":"object"}}}""")
                .tags("lifecycle_manager")
                .handler((args, context) -> {
                    String resource = args.get(RESOURCE);
                    String id = args.get(INSTANCE);
                    JsonNode instance = ToolSupport.data(support.client.send(support.client.get("lifecycle-manager",
                            "resources", resource, "instances", id).notFound("Lifecycle instance " + id), context));
                    ObjectNode out = ToolSupport.object();
                    out.put("id", instance.path("_id").asText(id));
                    out.put("name", instance.path("name").asText());
                    CompactJson.put(out, "description", CompactJson.text(instance, "description"));
                    CompactJson.put(out, "state", state(instance));
                    CompactJson.put(out, "last_action", lastAction(instance));
                    if (instance.path("instanceData").isObject()) {
                        out.set("data", DeviceSecrets.maskJson(instance.path("instanceData")));
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec runAction() {
        return ToolSupport.destructive("run_lifecycle_action", "Run a lifecycle action",
                        "POST /lifecycle-manager/resources/:id/run-action")
                .description("Runs a resource model's action: a create action makes a new instance (give"
                        + " instance_name), an update or delete action changes or removes one (give instance). Waits"
                        + " for the action to finish or for the call's time to run out (the action then goes on) and"
                        + " returns its status.")
                .args(RESOURCE, ACTION, TARGET, NEW_NAME, INPUTS)
                .output("""
                        {"type":"object","required":["status"],"properties":{
                          "execution_id":{"type":"string"},"job_id":{"type":"string"},"action":{"type":"string"},
                          "type":{"type":"string"},"status":{"type":"string"},"errors":{"type":"array"},
                          "message":{"type":"string"}}}""")
                .tags("lifecycle_manager")
                .handler((args, context) -> {
                    String resource = args.get(RESOURCE);
                    JsonNode model = ToolSupport.data(support.client.send(support.client.get("lifecycle-manager",
                            "resources", resource).notFound("Lifecycle resource " + resource), context));
                    String wanted = args.get(ACTION);
                    JsonNode action = null;
                    for (JsonNode candidate : model.path("actions")) {
                        if (wanted.equals(candidate.path("_id").asText()) || wanted.equals(candidate.path("name").asText())) {
                            action = candidate;
                        }
                    }
                    if (action == null) {
                        throw new ToolFailure("Resource " + model.path("name").asText(resource) + " has no action '"
                                + wanted + "'; itential_list_lifecycle_resources lists its actions");
                    }
                    String type = action.path("type").asText();
                    boolean create = type.equals("create");
                    if (create && args.has(TARGET)) {
                        throw new ToolFailure("A create action makes a new instance: give instance_name, not instance");
                    }
                    if (!create && !args.has(TARGET)) {
                        throw new ToolFailure("The " + type + " action '" + action.path("name").asText()
                                + "' acts on an existing instance: give its id as instance");
                    }
                    ObjectNode body = ToolSupport.object();
                    body.put("actionId", action.path("_id").asText());
                    if (create) {
                        args.optional(NEW_NAME).ifPresent(name -> body.put("instanceName", name));
                    } else {
                        body.put("instance", args.get(TARGET));
                    }
                    body.set("inputs", args.optional(INPUTS).orElse(ToolSupport.object()));
                    Polling<String, JsonNode> polling = Polling.<String, JsonNode>builder("lifecycle action",
                                    (execution, ctx) -> {
                                        JsonNode found = ToolSupport.data(support.client.send(support.client.get(
                                                "lifecycle-manager", "action-executions", execution), ctx));
                                        String status = found.path("status").asText("unknown");
                                        return status.equals("running") ? PollStep.running(execution, null, status)
                                                : PollStep.done(found);
                                    // Stopping an infrastructure change half-way because this call ran out of time
                                    // would be worse than letting it finish: the action goes on.
                                    }, Polling.Cancel.impossible())
                            .backoff(Duration.ofMillis(500), Duration.ofSeconds(5))
                            .timeoutHint("itential_describe_lifecycle_instance shows the instance afterwards")
                            .build();
                    String[] started = new String[2];
                    PollResult<JsonNode> result = polling.run(context, ctx -> {
                        JsonNode execution = ToolSupport.data(support.client.send(support.client.post(body,
                                "lifecycle-manager", "resources", resource, "run-action"), ctx));
                        started[0] = execution.path("_id").asText(execution.path("executionId").asText(""));
                        started[1] = execution.path("jobId").asText("");
                        if (started[0].isEmpty()) {
                            // Started, but with nothing to poll: report what there is rather than fail (a retry
                            // would run the action twice).
                            return PollStep.done(execution);
                        }
                        return PollStep.running(started[0], null, execution.path("status").asText("running"));
                    });
                    ObjectNode out = ToolSupport.object();
                    CompactJson.put(out, "execution_id", started[0]);
                    CompactJson.put(out, "job_id", started[1]);
                    out.put("action", action.path("name").asText());
                    out.put("type", type);
                    if (result instanceof PollResult.Finished<JsonNode> finished && started[0].isEmpty()) {
                        out.put("status", finished.value().path("status").asText("running"));
                        out.put("message", "The platform named no execution to follow; follow the job with"
                                + " itential_describe_job.");
                    } else if (result instanceof PollResult.Finished<JsonNode> finished) {
                        out.put("status", finished.value().path("status").asText("unknown"));
                        if (finished.value().path("errors").isArray() && !finished.value().path("errors").isEmpty()) {
                            out.set("errors", finished.value().path("errors"));
                        }
                    } else {
                        out.put("status", "running");
                        out.put("message", result.message());
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    /** {@code stateId} 0001 ready, 0000 error, 0002 deleted, as the platform numbers them. */
    private static String state(JsonNode instance) {
        return switch (instance.path("stateId").asText("")) {
            case "0001" -> "ready";
            case "0000" -> "error";
            case "0002" -> "deleted";
            case "" -> null;
            default -> instance.path("stateId").asText();
        };
    }

    private static String lastAction(JsonNode instance) {
        JsonNode last = instance.path("lastAction");
        if (!last.isObject()) {
            return null;
        }
        return last.path("name").asText("?") + " (" + last.path("type").asText("?") + "): " + last.path("status")
                .asText("?");
    }
}
