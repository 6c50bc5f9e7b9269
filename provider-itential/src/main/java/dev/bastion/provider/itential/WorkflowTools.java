package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.validate.InvalidToolSchemaException;
import dev.bastion.security.validate.SchemaValidator;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.List;

/** Workflows as Operations Manager exposes them: triggers, and starting one by its API endpoint. */
final class WorkflowTools {

    static final int MAX_TRIGGERS = 2000;
    static final String ROUTE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$";
    private static final Arg<String> TYPE = Arg.enumeration("type", "Only triggers of this type; 'endpoint' are the"
            + " ones itential_start_workflow can start. Default all.", List.of("endpoint", "manual", "schedule",
            "eventSystem"));
    private static final Arg<String> NAME = Arg.string("name", "Only triggers whose name contains this text.", 200);
    private static final Arg<String> ROUTE = Arg.pattern("route", "The API endpoint trigger's route name, as"
            + " itential_list_workflows lists it.", ROUTE_PATTERN, 128).required();
    private static final Arg<JsonNode> INPUT = Arg.json("input", "The workflow's input, a JSON object; checked"
            + " against the trigger's input schema when it has one. Default {}.",
            JsonNodeFactory.instance.objectNode().put("type", "object").put("maxProperties", 100)
                    .set("additionalProperties", JsonNodeFactory.instance.objectNode()));

    private static final String JOB_OUTPUT = """
            {"type":"object","required":["job_id","status"],"properties":{
              "job_id":{"type":"string"},"name":{"type":"string"},"status":{"type":"string"},
              "route":{"type":"string"},"note":{"type":"string"}}}""";

    private final ToolSupport support;
    private final SchemaValidator validator;

    WorkflowTools(ToolSupport support, SchemaValidator validator) {
        this.support = support;
        this.validator = validator;
    }

    List<ToolSpec> tools() {
        return List.of(listWorkflows(), describeWorkflow(), startWorkflow());
    }

    private static final Arg<String> AUTOMATION = ToolSupport.id("automation_id", "Id of the automation, the"
            + " automation_id itential_list_workflows gives.");

    private ToolSpec describeWorkflow() {
        return ToolSupport.read("describe_workflow", "Describe a workflow", "GET /operations-manager/automations/:id")
                .description("Returns one automation (the workflow behind triggers): its name, description, the"
                        + " workflow or compliance plan it runs, and every trigger that starts it with its route and"
                        + " input schema.")
                .args(AUTOMATION)
                .output("""
                        {"type":"object","required":["id","name","triggers"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
                          "component":{"type":"string"},"component_type":{"type":"string"},
                          "updated":{"type":"string"},
                          "triggers":{"type":"array","items":{"type":"object","required":["name"],"properties":{
                            "name":{"type":"string"},"type":{"type":"string"},"route":{"type":"string"},
                            "enabled":{"type":"boolean"},"input_schema":{"type":"object"}}}}}}""")
                .tags("operations_manager")
                .handler((args, context) -> {
                    String id = args.get(AUTOMATION);
                    JsonNode automation = ToolSupport.data(support.client.send(support.client.get("operations-manager",
                            "automations", id).notFound("Automation " + id), context));
                    ObjectNode out = ToolSupport.object();
                    out.put("id", automation.path("_id").asText(id));
                    out.put("name", automation.path("name").asText());
                    CompactJson.put(out, "description", CompactJson.text(automation, "description"));
                    CompactJson.put(out, "component", CompactJson.text(automation, "componentName"));
                    CompactJson.put(out, "component_type", CompactJson.text(automation, "componentType"));
                    CompactJson.put(out, "updated", ToolSupport.time(automation.path("lastUpdated")));
                    ArrayNode triggers = out.putArray("triggers");
                    ToolSupport.Listing listing = support.list(() -> support.client.get("operations-manager",
                            "triggers").query("equals", id).query("equalsField", "actionId"), MAX_TRIGGERS, context);
                    for (JsonNode trigger : listing.items()) {
                        ObjectNode item = triggers.addObject();
                        item.put("name", trigger.path("name").asText());
                        CompactJson.put(item, "type", CompactJson.text(trigger, "type"));
                        CompactJson.put(item, "route", CompactJson.text(trigger, "routeName"));
                        if (trigger.path("enabled").isBoolean()) {
                            item.put("enabled", trigger.path("enabled").asBoolean());
                        }
                        JsonNode schema = inputSchema(trigger);
                        if (schema != null) {
                            item.set("input_schema", schema);
                        }
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec listWorkflows() {
        return ToolSupport.read("list_workflows", "List workflows", "GET /operations-manager/triggers")
                .description("Lists the triggers that start workflows (automations): API endpoint triggers (start"
                        + " them with itential_start_workflow and their route), manual, scheduled and event"
                        + " triggers, with whether they are enabled and whether they declare an input schema. Every"
                        + " page is read, up to " + MAX_TRIGGERS + ".")
                .args(TYPE, NAME)
                .output("""
                        {"type":"object","required":["workflows","count"],"properties":{
                          "workflows":{"type":"array","items":{"type":"object","required":["id","name"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                            "route":{"type":"string"},"enabled":{"type":"boolean"},"description":{"type":"string"},
                            "automation_id":{"type":"string"},"input_schema":{"type":"boolean"}}}},
                          "count":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("operations_manager").fanOut()
                .handler((args, context) -> {
                    ToolSupport.Listing listing = support.list(() -> {
                        var request = support.client.get("operations-manager", "triggers");
                        // Triggers take field pairs; brackets (equals[type]=) are an error on this route.
                        args.optional(TYPE).ifPresent(type -> request.query("equals", type).query("equalsField", "type"));
                        args.optional(NAME).ifPresent(name -> request.query("contains", name)
                                .query("containsField", "name"));
                        return request;
                    }, MAX_TRIGGERS, context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("workflows");
                    for (JsonNode trigger : listing.items()) {
                        ObjectNode item = list.addObject();
                        item.put("id", trigger.path("_id").asText());
                        item.put("name", trigger.path("name").asText());
                        CompactJson.put(item, "type", CompactJson.text(trigger, "type"));
                        CompactJson.put(item, "route", CompactJson.text(trigger, "routeName"));
                        if (trigger.path("enabled").isBoolean()) {
                            item.put("enabled", trigger.path("enabled").asBoolean());
                        }
                        CompactJson.put(item, "description", CompactJson.text(trigger, "description"));
                        CompactJson.put(item, "automation_id", CompactJson.text(trigger, "actionId"));
                        item.put("input_schema", inputSchema(trigger) != null);
                    }
                    out.put("count", list.size());
                    if (listing.truncated()) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec startWorkflow() {
        return ToolSupport.write("start_workflow", "Start a workflow", "POST /operations-manager/triggers/endpoint/:route")
                .description("Starts the workflow behind an API endpoint trigger with the given input, after"
                        + " checking the input against the trigger's schema, and returns the new job (follow it with"
                        + " itential_describe_job). Workflows change networks and systems: this needs approval.")
                .args(ROUTE, INPUT)
                .output(JOB_OUTPUT)
                .tags("operations_manager")
                .handler((args, context) -> {
                    JsonNode input = args.optional(INPUT).orElse(JsonNodeFactory.instance.objectNode());
                    if (!input.isObject()) {
                        throw new ToolFailure("input must be a JSON object");
                    }
                    return start(args.get(ROUTE), (ObjectNode) input, context);
                }).build();
    }

    /** A workflow trigger the operator configured as a tool of its own; its input schema's properties are its arguments. */
    ToolSpec curated(CuratedWorkflow workflow) {
        List<Arg<?>> arguments = new java.util.ArrayList<>();
        java.util.Set<String> required = new java.util.HashSet<>();
        workflow.inputSchema().path("required").forEach(name -> required.add(name.asText()));
        workflow.inputSchema().path("properties").fields().forEachRemaining(property -> {
            ObjectNode definition = property.getValue().isObject() ? (ObjectNode) property.getValue().deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            String description = definition.path("description").asText(property.getKey());
            definition.remove("description");
            Arg<JsonNode> arg = Arg.json(property.getKey(), description, definition);
            arguments.add(required.contains(property.getKey()) ? arg.required() : arg);
        });
        ToolSpec.Builder builder = workflow.destructive()
                ? ToolSpec.destructive(ToolSupport.PREFIX + workflow.name(), title(workflow))
                : ToolSpec.write(ToolSupport.PREFIX + workflow.name(), title(workflow));
        return builder.permission("a platform role that allows starting the trigger " + workflow.route())
                .description(workflow.description() + " (Starts the Itential workflow trigger '" + workflow.route()
                        + "'; returns the job, which itential_describe_job follows.)")
                .args(arguments)
                .output(JOB_OUTPUT)
                .tags("operations_manager", "bindings")
                .handler((args, context) -> {
                    ObjectNode input = JsonNodeFactory.instance.objectNode();
                    for (Arg<?> arg : arguments) {
                        JsonNode value = args.raw().get(arg.name());
                        if (value != null) {
                            input.set(arg.name(), value);
                        }
                    }
                    return start(workflow.route(), input, context);
                }).build();
    }

    private static String title(CuratedWorkflow workflow) {
        String words = workflow.name().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** Finds the enabled endpoint trigger of {@code route}, checks {@code input} against its schema, and starts it. */
    private ToolResult start(String route, ObjectNode input, dev.bastion.core.tool.CallContext context) {
        JsonNode trigger = null;
        for (JsonNode candidate : support.list(() -> support.client.get("operations-manager", "triggers")
                .query("equals", route).query("equalsField", "routeName"), MAX_TRIGGERS, context).items()) {
            if (route.equals(candidate.path("routeName").asText()) && "endpoint".equals(candidate.path("type").asText())) {
                trigger = candidate;
            }
        }
        if (trigger == null) {
            throw new ToolFailure("No API endpoint trigger has the route '" + route + "' on platform "
                    + support.client.alias() + "; itential_list_workflows with type endpoint lists them");
        }
        if (trigger.path("enabled").isBoolean() && !trigger.path("enabled").asBoolean()) {
            throw new ToolFailure("The trigger '" + route + "' is disabled on platform " + support.client.alias());
        }
        boolean checked = checkInput(route, inputSchema(trigger), input);
        JsonNode job = ToolSupport.data(support.client.send(support.client.post(input, "operations-manager",
                "triggers", "endpoint", route), context));
        ObjectNode out = ToolSupport.object();
        out.put("job_id", job.path("_id").asText());
        CompactJson.put(out, "name", CompactJson.text(job, "name"));
        out.put("status", job.path("status").asText("unknown"));
        out.put("route", route);
        if (!checked) {
            out.put("note", "The trigger's input schema could not be compiled here; the platform checked the input.");
        }
        return ToolResult.structured(out);
    }

    /** The trigger's input schema ({@code schema}, or the older {@code formSchema}), or {@code null}. */
    static JsonNode inputSchema(JsonNode trigger) {
        for (String field : List.of("schema", "formSchema")) {
            JsonNode schema = trigger.path(field);
            if (schema.isObject() && !schema.isEmpty()) {
                return schema;
            }
        }
        return null;
    }

    /** Whether the input could be checked (there is no schema, or it compiled); refuses input that breaks it. */
    private boolean checkInput(String route, JsonNode schema, JsonNode input) {
        if (schema == null) {
            return true;
        }
        ObjectNode copy = schema.deepCopy();
        // Triggers declare draft-07 or no version; the rules used here are the same in 2020-12.
        copy.remove("$schema");
        copy.remove("$id");
        List<String> violations;
        try {
            violations = validator.validateDocument("trigger " + route, copy, input);
        } catch (InvalidToolSchemaException e) {
            return false;
        }
        if (!violations.isEmpty()) {
            throw new ToolFailure("The input does not match the input schema of trigger '" + route + "': "
                    + String.join("; ", violations.subList(0, Math.min(10, violations.size())))
                    + (violations.size() > 10 ? "; and " + (violations.size() - 10) + " more" : ""));
        }
        return true;
    }
}
