package dev.bastion.provider.itential;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow trigger an operator exposes as a tool of its own ({@code tools} of an Itential
 * instance): a name, a description for the model, the API endpoint trigger's route, the input
 * schema the tool offers, and whether it is destructive. Safer than the generic
 * {@code itential_start_workflow}, which the operator can then exclude.
 *
 * @param name the tool's name without the {@code itential_} prefix
 * @param description what the tool does, for the model
 * @param route the route name of the API endpoint trigger it starts
 * @param inputSchema an object schema: its {@code properties} become the tool's arguments
 * @param destructive whether the workflow destroys or replaces something ({@code destructiveHint})
 */
public record CuratedWorkflow(String name, String description, String route, ObjectNode inputSchema,
                              boolean destructive) {

    public static final String SETTING = "tools";
    private static final String NAME_PATTERN = "^[a-z][a-z0-9_]{0,47}$";
    private static final Set<String> FIELDS = Set.of("name", "description", "trigger", "input_schema", "annotations");
    private static final Set<String> ANNOTATIONS = Set.of("destructiveHint", "title");

    public CuratedWorkflow {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(route, "route is null");
        requireNonNull(inputSchema, "inputSchema is null");
    }

    /** Reads the {@code tools} setting; every problem names the entry and the field. */
    static List<CuratedWorkflow> read(JsonNode tools, String where) {
        if (tools == null || tools.isNull() || tools.isMissingNode()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw new ProviderConfigException(where + "." + SETTING + " must be a list of {name, description, trigger,"
                    + " input_schema, annotations}");
        }
        List<CuratedWorkflow> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode entry = tools.get(i);
            String at = where + "." + SETTING + "[" + i + "]";
            if (!entry.isObject()) {
                throw new ProviderConfigException(at + " must be a map");
            }
            for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!FIELDS.contains(field)) {
                    throw new ProviderConfigException(at + "." + field + " is not a tool setting; use " + FIELDS);
                }
            }
            String name = text(entry, "name", at);
            if (!name.matches(NAME_PATTERN)) {
                throw new ProviderConfigException(at + ".name must be lower-case letters, digits and _ (at most 48),"
                        + " starting with a letter; the tool is called itential_<name>");
            }
            if (!names.add(name)) {
                throw new ProviderConfigException(at + ".name '" + name + "' is used by another tool of this platform");
            }
            String description = text(entry, "description", at);
            String route = text(entry, "trigger", at);
            if (!route.matches(WorkflowTools.ROUTE_PATTERN)) {
                throw new ProviderConfigException(at + ".trigger must be the route name of an API endpoint trigger");
            }
            JsonNode schema = entry.path("input_schema");
            ObjectNode inputSchema;
            if (schema.isMissingNode() || schema.isNull()) {
                inputSchema = ToolSupport.object().put("type", "object");
            } else if (!schema.isObject() || (schema.has("type") && !"object".equals(schema.path("type").asText()))
                    || (schema.has("properties") && !schema.path("properties").isObject())) {
                throw new ProviderConfigException(at + ".input_schema must be a JSON Schema of type object with"
                        + " properties");
            } else {
                inputSchema = (ObjectNode) schema.deepCopy();
            }
            for (JsonNode required : inputSchema.path("required")) {
                if (!inputSchema.path("properties").has(required.asText())) {
                    throw new ProviderConfigException(at + ".input_schema requires '" + required.asText()
                            + "', which is not among its properties");
                }
            }
            JsonNode annotations = entry.path("annotations");
            if (!annotations.isMissingNode() && !annotations.isObject()) {
                throw new ProviderConfigException(at + ".annotations must be a map");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
                String key = it.next().getKey();
                if (!ANNOTATIONS.contains(key)) {
                    throw new ProviderConfigException(at + ".annotations." + key + " is not supported; use "
                            + ANNOTATIONS + " (a curated workflow is always a write tool that needs approval)");
                }
            }
            out.add(new CuratedWorkflow(name, description, route, inputSchema,
                    annotations.path("destructiveHint").asBoolean(false)));
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode entry, String field, String at) {
        JsonNode value = entry.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ProviderConfigException(at + "." + field + " is required");
        }
        return value.asText().strip();
    }
}
