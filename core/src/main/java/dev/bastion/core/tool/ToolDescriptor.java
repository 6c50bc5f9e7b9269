package dev.bastion.core.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * What a client sees of a tool in {@code tools/list}.
 *
 * @param name unique across the server, {@code ^[a-z][a-z0-9_]{0,63}$}, starting with the provider's prefix
 * @param title a short human-readable title, or {@code null}
 * @param description written for a model: what it returns, when to use it, argument syntax with an example
 * @param inputSchema a JSON Schema 2020-12 object schema for the arguments
 * @param outputSchema a JSON Schema for {@code structuredContent}, or {@code null} when the shape is not stable
 * @param annotations behaviour hints; never {@code null}
 * @param tags free-form tags for include and exclude filters, such as {@code problems} or {@code write}
 * @param fanOut whether the tool accepts the instance value {@code ALL} and runs once per instance
 */
public record ToolDescriptor(
        String name,
        String title,
        String description,
        ObjectNode inputSchema,
        ObjectNode outputSchema,
        ToolAnnotations annotations,
        Set<String> tags,
        boolean fanOut) {

    public ToolDescriptor {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(inputSchema, "inputSchema is null");
        requireNonNull(annotations, "annotations is null");
        tags = Set.copyOf(requireNonNull(tags, "tags is null"));
    }

    public Optional<ObjectNode> output() {
        return Optional.ofNullable(outputSchema);
    }

    public boolean readOnly() {
        return annotations.readOnlyHint();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The schema of a tool without arguments. */
    public static ObjectNode noArguments() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        return schema;
    }

    public static final class Builder {
        private final String name;
        private String title;
        private String description;
        private ObjectNode inputSchema = noArguments();
        private ObjectNode outputSchema;
        private ToolAnnotations annotations;
        private Set<String> tags = Set.of();
        private boolean fanOut;

        private Builder(String name) {
            this.name = name;
        }

        public Builder title(String value) {
            this.title = value;
            return this;
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        public Builder inputSchema(ObjectNode value) {
            this.inputSchema = value;
            return this;
        }

        public Builder outputSchema(ObjectNode value) {
            this.outputSchema = value;
            return this;
        }

        public Builder annotations(ToolAnnotations value) {
            this.annotations = value;
            return this;
        }

        public Builder tags(String... values) {
            this.tags = Set.of(values);
            return this;
        }

        public Builder fanOut() {
            this.fanOut = true;
            return this;
        }

        public ToolDescriptor build() {
            return new ToolDescriptor(name, title, description, inputSchema, outputSchema, annotations, tags, fanOut);
        }
    }
}
