package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.prompt.Prompt;
import dev.bastion.core.resource.Resource;
import dev.bastion.core.resource.ResourceTemplate;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the server offers, gathered from all provider instances: an immutable snapshot,
 * rebuilt when a provider reports a list change. Building it fails, naming both sides, when two
 * providers offer the same tool name, resource URI or prompt name.
 */
public final class Catalog {

    private final Map<String, RegisteredTool> tools;
    private final Map<String, Owned<Resource>> resources;
    private final List<Owned<ResourceTemplate>> templates;
    private final Map<String, Owned<Prompt>> prompts;

    /** A resource, template or prompt with the provider instance it belongs to. */
    public record Owned<T>(T item, String providerId, String alias) {
        String owner() {
            return providerId + "/" + alias;
        }
    }

    private Catalog(Map<String, RegisteredTool> tools, Map<String, Owned<Resource>> resources,
                    List<Owned<ResourceTemplate>> templates, Map<String, Owned<Prompt>> prompts) {
        this.tools = tools;
        this.resources = resources;
        this.templates = templates;
        this.prompts = prompts;
    }

    public static Catalog build(List<ProviderInstance> instances) {
        Map<String, List<ProviderInstance>> byProvider = new LinkedHashMap<>();
        for (ProviderInstance instance : instances) {
            byProvider.computeIfAbsent(instance.providerId(), id -> new ArrayList<>()).add(instance);
        }
        Map<String, RegisteredTool> tools = new LinkedHashMap<>();
        Map<String, Owned<Resource>> resources = new LinkedHashMap<>();
        List<Owned<ResourceTemplate>> templates = new ArrayList<>();
        Map<String, Owned<Prompt>> prompts = new LinkedHashMap<>();
        for (List<ProviderInstance> group : byProvider.values()) {
            addTools(group, tools);
            for (ProviderInstance instance : group) {
                for (Resource resource : instance.provider().resources()) {
                    Owned<Resource> owned = new Owned<>(resource, instance.providerId(), instance.alias());
                    Owned<Resource> previous = resources.putIfAbsent(resource.descriptor().uri(), owned);
                    // Every instance of a provider offers its static resources (a guide); the first serves them.
                    if (previous != null && !previous.providerId().equals(owned.providerId())) {
                        throw new IllegalStateException("Resource URI " + resource.descriptor().uri()
                                + " is offered by both " + previous.owner() + " and " + owned.owner());
                    }
                }
                for (ResourceTemplate template : instance.provider().resourceTemplates()) {
                    templates.add(new Owned<>(template, instance.providerId(), instance.alias()));
                }
                for (Prompt prompt : instance.provider().prompts()) {
                    Owned<Prompt> owned = new Owned<>(prompt, instance.providerId(), instance.alias());
                    Owned<Prompt> previous = prompts.putIfAbsent(prompt.descriptor().name(), owned);
                    if (previous != null && !previous.providerId().equals(owned.providerId())) {
                        throw new IllegalStateException("Prompt " + prompt.descriptor().name()
                                + " is offered by both " + previous.owner() + " and " + owned.owner());
                    }
                }
            }
        }
        return new Catalog(java.util.Collections.unmodifiableMap(tools), java.util.Collections.unmodifiableMap(resources), List.copyOf(templates),
                java.util.Collections.unmodifiableMap(prompts));
    }

    private static void addTools(List<ProviderInstance> group, Map<String, RegisteredTool> tools) {
        ProviderInstance first = group.get(0);
        Optional<String> argument = first.instanceArgument().isPresent() ? first.instanceArgument()
                : group.size() > 1 ? Optional.of("instance") : Optional.empty();
        Map<String, Map<String, Tool>> byName = new LinkedHashMap<>();
        for (ProviderInstance instance : group) {
            for (Tool tool : instance.provider().tools()) {
                String name = tool.descriptor().name();
                Map<String, Tool> perAlias = byName.computeIfAbsent(name, n -> new LinkedHashMap<>());
                if (perAlias.put(instance.alias(), tool) != null) {
                    throw new IllegalStateException("Tool " + name + " is offered twice by "
                            + instance.providerId() + "/" + instance.alias());
                }
            }
        }
        for (Map.Entry<String, Map<String, Tool>> entry : byName.entrySet()) {
            ToolDescriptor own = entry.getValue().values().iterator().next().descriptor();
            ToolDescriptor listed = argument.isPresent()
                    ? withInstanceArgument(own, argument.get(), List.copyOf(entry.getValue().keySet()),
                    first.providerId())
                    : own;
            RegisteredTool registered;
            try {
                registered = new RegisteredTool(listed, first.providerId(), argument, entry.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage() + " (provider " + first.providerId() + ")");
            }
            RegisteredTool previous = tools.putIfAbsent(entry.getKey(), registered);
            if (previous != null) {
                throw new IllegalStateException("Tool " + entry.getKey() + " is offered by both provider "
                        + previous.providerId() + " and provider " + first.providerId());
            }
        }
    }

    private static ToolDescriptor withInstanceArgument(ToolDescriptor own, String argument, List<String> aliases,
                                                       String providerId) {
        ObjectNode input = own.inputSchema().deepCopy();
        ObjectNode properties = input.has("properties") && input.get("properties").isObject()
                ? (ObjectNode) input.get("properties") : input.putObject("properties");
        if (properties.has(argument)) {
            throw new IllegalStateException("Tool " + own.name() + " of provider " + providerId
                    + " declares its own argument '" + argument + "', which the server reserves for choosing the "
                    + argument);
        }
        ObjectNode property = JsonNodeFactory.instance.objectNode();
        property.put("type", "string");
        ArrayNode values = property.putArray("enum");
        aliases.forEach(values::add);
        if (own.fanOut()) {
            values.add(RegisteredTool.ALL_INSTANCES);
        }
        property.put("default", aliases.get(0));
        property.put("description", "Which configured " + argument + " to use (default " + aliases.get(0) + ")"
                + (own.fanOut() ? "; ALL queries every " + argument + " in parallel and reports each separately." : "."));
        properties.set(argument, property);
        ObjectNode output = own.outputSchema();
        if (output != null && own.fanOut()) {
            output = fanOutOutputSchema(own.name(), output, argument);
        }
        return new ToolDescriptor(own.name(), own.title(), own.description(), input, output, own.annotations(),
                own.tags(), own.fanOut());
    }

    /** Where a schema keeps the subschemas its local references point into. */
    private static final List<String> DEFINITIONS = List.of("$defs", "definitions");

    /**
     * A fan-out tool returns either its own shape (one instance) or the merged per-instance shape
     * (ALL). The tool's schema appears twice inside the new one, so its {@code $defs} (and
     * {@code definitions}) move to the new root, where its {@code #/$defs/...} references still
     * resolve; a local reference to anything else could not, and is refused.
     */
    private static ObjectNode fanOutOutputSchema(String tool, ObjectNode own, String argument) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode single = own.deepCopy();
        if (single.has("$id")) {
            // Each copy would be a schema resource of its own, where #/$defs/... no longer finds the hoisted $defs.
            throw new IllegalStateException("Tool " + tool + " is a fan-out tool whose output schema has an $id;"
                    + " a fan-out tool's output schema is embedded in the server's and may not name itself");
        }
        single.remove("$schema");
        checkLocalReferences(tool, single);
        ObjectNode hoisted = f.objectNode();
        for (String key : DEFINITIONS) {
            JsonNode definitions = single.remove(key);
            if (definitions != null) {
                hoisted.set(key, definitions);
            }
        }
        ObjectNode merged = f.objectNode();
        merged.put("type", "object");
        ObjectNode item = f.objectNode();
        item.put("type", "object");
        ObjectNode itemProps = item.putObject("properties");
        itemProps.putObject(argument).put("type", "string");
        itemProps.putObject("isError").put("type", "boolean");
        itemProps.putObject("error").put("type", "string");
        itemProps.putObject("text").put("type", "string");
        itemProps.set("structuredContent", single.deepCopy());
        item.putArray("required").add(argument).add("isError");
        ObjectNode resultsProperty = merged.putObject("properties").putObject("results");
        resultsProperty.put("type", "array");
        resultsProperty.set("items", item);
        merged.putArray("required").add("results");
        ObjectNode either = f.objectNode();
        either.put("type", "object");
        either.putArray("anyOf").add(single).add(merged);
        either.setAll(hoisted);
        return either;
    }

    private static void checkLocalReferences(String tool, JsonNode node) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")
                    && DEFINITIONS.stream().noneMatch(key -> ref.asText().startsWith("#/" + key + "/"))) {
                throw new IllegalStateException("Tool " + tool + " is a fan-out tool whose output schema refers to "
                        + ref.asText() + "; a fan-out tool's output schema may refer only into its $defs");
            }
        }
        node.forEach(child -> checkLocalReferences(tool, child));
    }

    public List<RegisteredTool> tools() {
        return List.copyOf(tools.values());
    }

    public Optional<RegisteredTool> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public List<Owned<Resource>> resources() {
        return List.copyOf(resources.values());
    }

    public Optional<Owned<Resource>> resource(String uri) {
        return Optional.ofNullable(resources.get(uri));
    }

    public List<Owned<ResourceTemplate>> templates() {
        return templates;
    }

    public List<Owned<Prompt>> prompts() {
        return List.copyOf(prompts.values());
    }

    public Optional<Owned<Prompt>> prompt(String name) {
        return Optional.ofNullable(prompts.get(name));
    }
}
