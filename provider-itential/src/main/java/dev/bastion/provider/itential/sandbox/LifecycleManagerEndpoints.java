package dev.bastion.provider.itential.sandbox;

import static dev.bastion.provider.itential.sandbox.OperationsManagerEndpoints.enveloped;
import static dev.bastion.provider.itential.sandbox.OperationsManagerEndpoints.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lifecycle Manager: three resource models with their JSON Schema and actions, their instances,
 * and running an action ({@code POST /lifecycle-manager/resources/{modelId}/run-action}), which
 * starts an Operations Manager job of the action's workflow and an action execution; both take
 * {@link #ACTION_TIME} of the sandbox's clock. When the execution completes, a create adds the
 * instance, an update merges its inputs into the instance's data and a delete removes it.
 * Searches take bracket filters; every answer is in the {@code {message, data, metadata}}
 * envelope, errors included.
 */
final class LifecycleManagerEndpoints {

    /** How long an action execution runs, by the sandbox's clock. */
    static final Duration ACTION_TIME = Duration.ofSeconds(2);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PREFIX = "/lifecycle-manager";

    record Action(String id, String name, String type, ItentialSandboxData.Automation automation) {
    }

    record Model(String id, String name, String description, ObjectNode schema, List<Action> actions, long created) {
    }

    /** An instance of a model; mutable state, guarded by the endpoints' lock. */
    static final class Instance {
        final String id;
        final String name;
        final String description;
        final Model model;
        final long created;
        ObjectNode instanceData;
        long lastUpdated;
        ObjectNode lastAction;

        Instance(String id, String name, String description, Model model, ObjectNode instanceData, long created) {
            this.id = id;
            this.name = name;
            this.description = description;
            this.model = model;
            this.instanceData = instanceData;
            this.created = created;
            this.lastUpdated = created;
        }
    }

    /** An action execution; {@code applied} once its effect on the instances took place. */
    static final class Execution {
        final String id;
        final Model model;
        final Action action;
        final String instanceId;
        final String instanceName;
        final String instanceDescription;
        final ObjectNode inputs;
        final String jobId;
        final long startTime;
        boolean applied;

        Execution(String id, Model model, Action action, String instanceId, String instanceName,
                  String instanceDescription, ObjectNode inputs, String jobId, long startTime) {
            this.id = id;
            this.model = model;
            this.action = action;
            this.instanceId = instanceId;
            this.instanceName = instanceName;
            this.instanceDescription = instanceDescription;
            this.inputs = inputs;
            this.jobId = jobId;
            this.startTime = startTime;
        }

        long endTime() {
            return startTime + ACTION_TIME.toMillis();
        }
    }

    private final ItentialSandboxData data;
    private final OperationsManagerEndpoints operations;
    private final Clock clock;
    private final List<Model> models = new ArrayList<>();
    private final List<Instance> instances = new ArrayList<>();
    private final List<Execution> executions = new ArrayList<>();

    LifecycleManagerEndpoints(ItentialSandboxData data, OperationsManagerEndpoints operations, Clock clock) {
        this.data = data;
        this.operations = operations;
        this.clock = clock;
        long now = clock.millis();
        ItentialSandboxData.Automation vlan = automation("VLAN Provisioning");
        ItentialSandboxData.Automation onboarding = automation("Device Onboarding");
        ItentialSandboxData.Automation decommission = automation("Decommission Device");
        Model vlanService = model(now, "VLAN Service", "A VLAN across a site's switches",
                schema(List.of("vlan_id", "site"), "vlan_id", "integer", "name", "string", "site", "string"),
                new Object[] {"Provision", "create", vlan}, new Object[] {"Rename", "update", vlan},
                new Object[] {"Remove", "delete", vlan});
        Model loopback = model(now, "Loopback Interface", "A loopback interface on a router",
                schema(List.of("device", "address"), "device", "string", "address", "string"),
                new Object[] {"Create Loopback", "create", onboarding},
                new Object[] {"Change Address", "update", onboarding},
                new Object[] {"Delete Loopback", "delete", decommission});
        Model site = model(now, "Site", "A network site and its address plan",
                schema(List.of("code"), "code", "string", "city", "string"),
                new Object[] {"Open Site", "create", onboarding}, new Object[] {"Close Site", "delete", decommission});
        models.addAll(List.of(vlanService, loopback, site));
        instance(vlanService, now, "vlan-100-atl", NODES.objectNode().put("vlan_id", 100).put("name", "users")
                .put("site", "atl"));
        instance(vlanService, now, "vlan-200-nyc", NODES.objectNode().put("vlan_id", 200).put("name", "voice")
                .put("site", "nyc"));
        instance(vlanService, now, "vlan-300-sfo", NODES.objectNode().put("vlan_id", 300).put("name", "cameras")
                .put("site", "sfo"));
        String router = data.devices.get(0).name();
        instance(loopback, now, router + "-lo100", NODES.objectNode().put("device", router)
                .put("address", "10.254.0." + (1 + data.nextInt(250)) + "/32"));
        instance(loopback, now, router + "-lo200", NODES.objectNode().put("device", router)
                .put("address", "10.254.1." + (1 + data.nextInt(250)) + "/32"));
        instance(site, now, "atl", NODES.objectNode().put("code", "atl").put("city", "Atlanta"));
        instance(site, now, "nyc", NODES.objectNode().put("code", "nyc").put("city", "New York"));
    }

    private ItentialSandboxData.Automation automation(String name) {
        return data.automations.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    private static ObjectNode schema(List<String> required, String... propertyTypes) {
        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (int i = 0; i < propertyTypes.length; i += 2) {
            properties.putObject(propertyTypes[i]).put("type", propertyTypes[i + 1]);
        }
        required.forEach(schema.putArray("required")::add);
        return schema;
    }

    private Model model(long now, String name, String description, ObjectNode schema, Object[]... actions) {
        long created = now - Duration.ofDays(60 + data.nextInt(200)).toMillis();
        List<Action> list = new ArrayList<>();
        for (Object[] action : actions) {
            list.add(new Action(data.hex(4), (String) action[0], (String) action[1],
                    (ItentialSandboxData.Automation) action[2]));
        }
        return new Model(data.objectId(created), name, description, schema, List.copyOf(list), created);
    }

    private void instance(Model model, long now, String name, ObjectNode instanceData) {
        long created = now - Duration.ofDays(1 + data.nextInt(50)).toMillis();
        Instance instance = new Instance(data.objectId(created), name, "", model, instanceData, created);
        Action create = model.actions().get(0);
        instance.lastAction = lastAction(create, data.objectId(created), "complete");
        instances.add(instance);
    }

    private static ObjectNode lastAction(Action action, String executionId, String status) {
        ObjectNode out = NODES.objectNode();
        out.put("_id", action.id());
        out.put("executionId", executionId);
        out.put("name", action.name());
        out.put("type", action.type());
        out.put("status", status);
        return out;
    }

    List<String> modelIds() {
        return models.stream().map(Model::id).toList();
    }

    /** The ids of the current instances of the model {@code modelId}. */
    synchronized List<String> instanceIds(String modelId) {
        return instances.stream().filter(i -> i.model.id().equals(modelId)).map(i -> i.id).toList();
    }

    void register(SandboxServer.Builder builder) {
        builder.route("GET", PREFIX + "/resources", enveloped(request -> search(request,
                models.stream().map(this::render).toList(), "Successfully retrieved models")));
        builder.route("GET", PREFIX + "/resources/{id}", enveloped(request -> SandboxResponse.json(
                envelope("Successfully retrieved model", render(model(request.pathParameter("id")))))));
        builder.route("GET", PREFIX + "/resources/{modelId}/instances", enveloped(this::instances));
        builder.route("GET", PREFIX + "/resources/{modelId}/instances/{instanceId}", enveloped(this::instance));
        builder.route("POST", PREFIX + "/resources/{modelId}/run-action", enveloped(this::runAction));
        builder.route("GET", PREFIX + "/action-executions", enveloped(this::executions));
        builder.route("GET", PREFIX + "/action-executions/{id}", enveloped(this::execution));
    }

    private static SandboxResponse search(SandboxRequest request, List<ObjectNode> items, String message) {
        ObjectNode out = OperationsManagerSearch.search(request, items);
        out.put("message", message);
        return SandboxResponse.json(out);
    }

    private Model model(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> SandboxError.notFound("Resource " + id + " not found"));
    }

    private ObjectNode render(Model model) {
        ObjectNode out = NODES.objectNode();
        out.put("_id", model.id());
        out.put("name", model.name());
        out.put("description", model.description());
        out.set("schema", model.schema().deepCopy());
        ArrayNode actions = out.putArray("actions");
        for (Action action : model.actions()) {
            ObjectNode item = actions.addObject();
            item.put("_id", action.id());
            item.put("name", action.name());
            item.put("type", action.type());
            item.put("workflow", action.automation().workflowId());
            item.putNull("preWorkflowJst");
            item.putNull("postWorkflowJst");
        }
        out.put("created", SimulatedJob.iso(model.created()));
        out.putObject("createdBy").put("_id", data.userId).put("username", ItentialSandbox.USERNAME);
        out.put("lastUpdated", SimulatedJob.iso(model.created()));
        out.putObject("lastUpdatedBy").put("_id", data.userId).put("username", ItentialSandbox.USERNAME);
        return out;
    }

    /** Applies the effects of the executions that completed by now, in the order they started. */
    private void settle(long now) {
        for (Execution execution : executions) {
            if (execution.applied || now < execution.endTime()) {
                continue;
            }
            execution.applied = true;
            switch (execution.action.type()) {
                case "create" -> {
                    Instance instance = new Instance(execution.instanceId, execution.instanceName,
                            execution.instanceDescription, execution.model, execution.inputs.deepCopy(),
                            execution.endTime());
                    instance.lastAction = lastAction(execution.action, execution.id, "complete");
                    instances.add(instance);
                }
                case "update" -> find(execution.model, execution.instanceId).ifPresent(instance -> {
                    ObjectNode merged = instance.instanceData.deepCopy();
                    merged.setAll(execution.inputs);
                    instance.instanceData = merged;
                    instance.lastUpdated = execution.endTime();
                    instance.lastAction = lastAction(execution.action, execution.id, "complete");
                });
                default -> instances.removeIf(i -> i.id.equals(execution.instanceId));
            }
        }
    }

    private Optional<Instance> find(Model model, String instanceId) {
        return instances.stream().filter(i -> i.model == model && i.id.equals(instanceId)).findFirst();
    }

    private static ObjectNode render(Instance instance) {
        ObjectNode out = NODES.objectNode();
        out.put("_id", instance.id);
        out.put("name", instance.name);
        out.put("description", instance.description);
        out.put("modelId", instance.model.id());
        out.set("instanceData", instance.instanceData.deepCopy());
        out.put("stateId", "0001");
        out.set("lastAction", instance.lastAction.deepCopy());
        out.put("created", SimulatedJob.iso(instance.created));
        out.put("lastUpdated", SimulatedJob.iso(instance.lastUpdated));
        return out;
    }

    private SandboxResponse instances(SandboxRequest request) {
        Model model = model(request.pathParameter("modelId"));
        List<ObjectNode> items;
        synchronized (this) {
            settle(clock.millis());
            items = instances.stream().filter(i -> i.model == model).map(LifecycleManagerEndpoints::render).toList();
        }
        return search(request, items, "Successfully retrieved instances");
    }

    private SandboxResponse instance(SandboxRequest request) {
        Model model = model(request.pathParameter("modelId"));
        String id = request.pathParameter("instanceId");
        synchronized (this) {
            settle(clock.millis());
            Instance instance = find(model, id)
                    .orElseThrow(() -> SandboxError.notFound("Instance " + id + " not found"));
            return SandboxResponse.json(envelope("Successfully retrieved instance", render(instance)));
        }
    }

    private SandboxResponse runAction(SandboxRequest request) {
        Model model = model(request.pathParameter("modelId"));
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw SandboxError.of(400, "The request body must be a JSON object");
        }
        String actionId = body.path("actionId").asText("");
        Action action = model.actions().stream().filter(a -> a.id().equals(actionId)).findFirst()
                .orElseThrow(() -> SandboxError.of(400, "Action " + actionId + " not found on resource "
                        + model.name()));
        JsonNode inputs = body.path("inputs");
        if (inputs.isMissingNode() || inputs.isNull()) {
            inputs = NODES.objectNode();
        }
        if (!inputs.isObject()) {
            throw SandboxError.of(400, "inputs must be an object");
        }
        long now = clock.millis();
        synchronized (this) {
            settle(now);
            String instanceId;
            String instanceName;
            if (action.type().equals("create")) {
                if (body.has("instance")) {
                    throw SandboxError.of(400, "instance must not be given for a create action");
                }
                if (!body.path("instanceName").isTextual() || body.path("instanceName").asText().isBlank()) {
                    throw SandboxError.of(400, "instanceName is required for a create action");
                }
                instanceName = body.path("instanceName").asText();
                boolean taken = instances.stream().anyMatch(i -> i.model == model && i.name.equals(instanceName))
                        || executions.stream().anyMatch(e -> !e.applied && e.model == model
                        && e.action.type().equals("create") && e.instanceName.equals(instanceName));
                if (taken) {
                    throw SandboxError.of(400, "An instance named " + instanceName + " already exists");
                }
                OperationsManagerEndpoints.validate(model.schema(), inputs);
                instanceId = data.objectId(now);
            } else {
                if (!body.path("instance").isTextual()) {
                    throw SandboxError.of(400, "instance is required for a " + action.type() + " action");
                }
                Instance instance = find(model, body.path("instance").asText()).orElseThrow(() ->
                        SandboxError.notFound("Instance " + body.path("instance").asText() + " not found"));
                if (executions.stream().anyMatch(e -> !e.applied && e.instanceId.equals(instance.id))) {
                    throw SandboxError.of(400, "Instance " + instance.name + " has an action running");
                }
                instanceId = instance.id;
                instanceName = instance.name;
            }
            ObjectNode variables = ((ObjectNode) inputs).deepCopy();
            variables.put("instanceName", instanceName);
            int tasks = action.automation().tasks().size();
            List<Long> durations = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                long share = ACTION_TIME.toMillis() / tasks;
                durations.add(i < tasks - 1 ? share : ACTION_TIME.toMillis() - share * (tasks - 1));
            }
            SimulatedJob job = operations.spawn(action.automation(), durations, variables, ItentialSandbox.USERNAME);
            Execution execution = new Execution(data.objectId(now), model, action, instanceId, instanceName,
                    body.path("instanceDescription").asText(""), ((ObjectNode) inputs).deepCopy(), job.id(), now);
            executions.add(execution);
            find(model, instanceId).ifPresent(i -> i.lastAction = lastAction(action, execution.id, "running"));
            return SandboxResponse.json(envelope("Action started", render(execution, now)));
        }
    }

    private static ObjectNode render(Execution execution, long now) {
        boolean complete = now >= execution.endTime();
        ObjectNode out = NODES.objectNode();
        out.put("_id", execution.id);
        out.put("modelId", execution.model.id());
        out.put("modelName", execution.model.name());
        out.put("instanceId", execution.instanceId);
        out.put("instanceName", execution.instanceName);
        out.put("actionId", execution.action.id());
        out.put("actionName", execution.action.name());
        out.put("actionType", execution.action.type());
        out.put("status", complete ? "complete" : "running");
        out.put("startTime", SimulatedJob.iso(execution.startTime));
        if (complete) {
            out.put("endTime", SimulatedJob.iso(execution.endTime()));
        } else {
            out.putNull("endTime");
        }
        out.put("jobId", execution.jobId);
        ArrayNode progress = out.putArray("progress");
        progress.addObject().put("_id", "preTransformation").put("status", "complete");
        progress.addObject().put("_id", "workflow").put("status", complete ? "complete" : "running");
        progress.addObject().put("_id", "postTransformation").put("status", complete ? "complete" : "pending");
        out.putArray("errors");
        return out;
    }

    private SandboxResponse executions(SandboxRequest request) {
        long now = clock.millis();
        List<ObjectNode> items;
        synchronized (this) {
            settle(now);
            items = executions.stream().map(e -> render(e, now)).toList();
        }
        return search(request, items, "Successfully retrieved action executions");
    }

    private SandboxResponse execution(SandboxRequest request) {
        String id = request.pathParameter("id");
        long now = clock.millis();
        synchronized (this) {
            settle(now);
            Execution execution = executions.stream().filter(e -> e.id.equals(id)).findFirst()
                    .orElseThrow(() -> SandboxError.notFound("Action execution " + id + " not found"));
            return SandboxResponse.json(envelope("Successfully retrieved action execution", render(execution, now)));
        }
    }
}
