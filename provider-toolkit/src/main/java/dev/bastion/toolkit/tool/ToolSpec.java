package dev.bastion.toolkit.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.BackendFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tool declared in one place: its kind (read, write, destructive), title, description, arguments
 * (each declared once as an {@link Arg}), output schema, tags, fan-out, and the handler that runs
 * it with typed {@link Arguments} and the {@link CallContext} (progress, logging, elicitation,
 * cancellation, the deadline). The input schema is built from the arguments, with
 * {@code additionalProperties: false}.
 *
 * <pre>{@code
 * ToolSpec.read("acme_list_alerts", "List alerts")
 *         .description("Lists open alerts, newest first ... Example: {\"severity\":\"critical\"}.")
 *         .args(SEVERITY, LIMIT, CURSOR)
 *         .output(ALERTS_SCHEMA)
 *         .tags("alerts")
 *         .handler((args, context) -> ToolResult.structured(client.alerts(args.get(SEVERITY), context)))
 *         .build();
 * }</pre>
 *
 * <p>A handler throws {@link dev.bastion.core.tool.ToolFailure} (an {@link InvalidArgument}, a
 * {@link BackendFailure}) for anything the model should read as an {@code isError} result; other
 * exceptions become a sanitised error.
 */
public final class ToolSpec implements Tool {

    /** What a tool does when called. */
    @FunctionalInterface
    public interface Handler {
        ToolResult handle(Arguments args, CallContext context) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ToolKind kind;
    private final ToolDescriptor descriptor;
    private final Map<String, Arg<?>> args;
    private final String permission;
    private final Handler handler;

    private ToolSpec(ToolKind kind, ToolDescriptor descriptor, Map<String, Arg<?>> args, String permission,
                     Handler handler) {
        this.kind = kind;
        this.descriptor = descriptor;
        this.args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        this.permission = permission;
        this.handler = handler;
    }

    public static Builder read(String name, String title) {
        return new Builder(ToolKind.READ, name, title);
    }

    public static Builder write(String name, String title) {
        return new Builder(ToolKind.WRITE, name, title);
    }

    public static Builder destructive(String name, String title) {
        return new Builder(ToolKind.DESTRUCTIVE, name, title);
    }

    public ToolKind kind() {
        return kind;
    }

    /**
     * What the backend credential needs for this tool, such as {@code the API token scope
     * problems.read}; empty when nothing was declared.
     */
    public Optional<String> permission() {
        return Optional.ofNullable(permission);
    }

    @Override
    public ToolDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Runs the handler. A {@link ToolFailure} from anywhere inside it (an invalid argument, a backend
     * failure) becomes the {@code isError} result; a 403 names the permission the tool declared.
     */
    @Override
    public ToolResult call(ObjectNode arguments, CallContext context) throws Exception {
        try {
            return handler.handle(new Arguments(descriptor.name(), arguments, args.values()), context);
        } catch (BackendFailure failure) {
            if (failure.kind() == BackendFailure.Kind.FORBIDDEN && permission != null) {
                return ToolResult.error(failure.withHint(descriptor.name() + " needs " + permission + ".").getMessage());
            }
            return ToolResult.error(failure.getMessage());
        } catch (ToolFailure failure) {
            return ToolResult.error(failure.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ToolSpec[" + descriptor.name() + " " + kind + "]";
    }

    public static final class Builder {
        private final ToolKind kind;
        private final String name;
        private final String title;
        private String description;
        private final Map<String, Arg<?>> args = new LinkedHashMap<>();
        private ObjectNode outputSchema;
        private final Set<String> tags = new LinkedHashSet<>();
        private boolean fanOut;
        private boolean idempotent;
        private boolean openWorld = true;
        private String permission;
        private Handler handler;

        private Builder(ToolKind kind, String name, String title) {
            this.kind = requireNonNull(kind, "kind is null");
            this.name = requireNonNull(name, "name is null");
            this.title = requireNonNull(title, "title is null");
            this.idempotent = kind == ToolKind.READ;
        }

        /** For a model: what it returns, when to use it, and an example call. */
        public Builder description(String value) {
            this.description = requireNonNull(value, "description is null");
            return this;
        }

        public Builder args(Arg<?>... values) {
            for (Arg<?> arg : values) {
                if (args.put(arg.name(), arg) != null) {
                    throw new IllegalStateException(name + " declares argument " + arg.name() + " twice");
                }
            }
            return this;
        }

        public Builder args(List<Arg<?>> values) {
            return args(values.toArray(new Arg<?>[0]));
        }

        /** The JSON Schema of {@code structuredContent}. */
        public Builder output(ObjectNode schema) {
            this.outputSchema = requireNonNull(schema, "schema is null").deepCopy();
            return this;
        }

        /** The JSON Schema of {@code structuredContent}, as JSON text. */
        public Builder output(String schemaJson) {
            try {
                JsonNode parsed = JSON.readTree(schemaJson);
                if (!(parsed instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(name + ": the output schema is not a JSON object");
                }
                return output(object);
            } catch (IOException e) {
                throw new IllegalArgumentException(name + ": the output schema is not valid JSON: "
                        + e.getMessage(), e);
            }
        }

        public Builder tags(String... values) {
            tags.addAll(List.of(values));
            return this;
        }

        /** The tool accepts the instance value {@code ALL} and runs once per instance, concurrently. */
        public Builder fanOut() {
            this.fanOut = true;
            return this;
        }

        /** Calling a write tool twice with the same arguments has the effect of calling it once. */
        public Builder idempotent() {
            this.idempotent = true;
            return this;
        }

        /** The tool works only on Bastion's own state (a budget, a cache), not on an external system. */
        public Builder closedWorld() {
            this.openWorld = false;
            return this;
        }

        /**
         * What the backend credential must grant for this tool, said the way its users say it
         * ({@code the API token scope problems.read}). A 403 then names it.
         */
        public Builder permission(String value) {
            this.permission = requireNonNull(value, "permission is null");
            return this;
        }

        public Builder handler(Handler value) {
            this.handler = requireNonNull(value, "handler is null");
            return this;
        }

        public ToolSpec build() {
            if (description == null || description.isBlank()) {
                throw new IllegalStateException(name + " has no description");
            }
            requireNonNull(handler, name + " has no handler");
            Set<String> allTags = new LinkedHashSet<>(tags);
            allTags.add(kind.tag());
            ToolDescriptor.Builder descriptor = ToolDescriptor.builder(name)
                    .title(title)
                    .description(description)
                    .inputSchema(inputSchema())
                    .outputSchema(outputSchema)
                    .annotations(kind.annotations(idempotent, openWorld, title))
                    .tags(allTags.toArray(new String[0]));
            if (fanOut) {
                descriptor.fanOut();
            }
            return new ToolSpec(kind, descriptor.build(), args, permission, handler);
        }

        private ObjectNode inputSchema() {
            ObjectNode schema = JsonNodeFactory.instance.objectNode();
            schema.put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            List<String> required = new ArrayList<>();
            for (Arg<?> arg : args.values()) {
                properties.set(arg.name(), arg.schema());
                if (arg.isRequired()) {
                    required.add(arg.name());
                }
            }
            if (!required.isEmpty()) {
                ArrayNode list = schema.putArray("required");
                required.forEach(list::add);
            }
            schema.put("additionalProperties", false);
            return schema;
        }
    }
}
