package dev.bastion.security.validate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.ToolDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates tool arguments against the tool's {@code inputSchema} and structured results against
 * its {@code outputSchema}, with the networknt validator and JSON Schema 2020-12 as the default
 * dialect. Each schema is compiled once per tool and reused while the tool keeps the same schema
 * object.
 *
 * <p>Schemas never reach out: a {@code $ref} to anything but the schema itself (or the bundled
 * JSON Schema meta-schemas) fails compilation instead of fetching a URL, so a tool schema can
 * neither leak requests nor change behaviour with a remote document.
 *
 * <p>Violations are compact messages that name the argument by its JSON Pointer and the rule it
 * broke ({@code /limit: must be at most 500}); they never repeat the offending value, which may be
 * a secret.
 */
public final class SchemaValidator {

    /** The JSON Schema 2020-12 meta-schema, bundled with the validator and loaded from the classpath. */
    public static final String META_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaValidator.class);

    private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.$@-]{1,64}");

    private final Redactor redactor;
    private final ConcurrentMap<String, Compiled> cache = new ConcurrentHashMap<>();
    private volatile Compiler compiler;
    private volatile JsonSchema metaSchema;

    /**
     * The validator's factory and settings. Creating the factory loads the meta-schema registry and
     * the format checkers, a noticeable part of a cold start, so it happens on the first
     * compilation (the first call of a tool), not when the pipeline is built.
     */
    private record Compiler(JsonSchemaFactory factory, SchemaValidatorsConfig config) {
        static Compiler create() {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                    // Only the bundled meta-schemas (mapped to classpath: IRIs) may be loaded; anything else
                    // (http, https, file, jar) is refused before a connection or a file is opened.
                    .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(SchemaValidator::isBundled))));
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(true)
                    .build();
            return new Compiler(factory, config);
        }
    }

    /** @param redactor applied to property names taken from the checked document (unknown properties) */
    public SchemaValidator(Redactor redactor) {
        this.redactor = requireNonNull(redactor, "redactor is null");
    }

    private Compiler compiler() {
        Compiler local = compiler;
        if (local == null) {
            synchronized (this) {
                local = compiler;
                if (local == null) {
                    local = Compiler.create();
                    compiler = local;
                }
            }
        }
        return local;
    }

    private static boolean isBundled(AbsoluteIri iri) {
        return iri.toString().startsWith("classpath:");
    }

    /**
     * Validates {@code arguments} against the tool's input schema.
     *
     * @return the violations, empty when the arguments are valid
     * @throws InvalidToolSchemaException when the tool's schema cannot be compiled
     */
    public List<String> validateArguments(ToolDescriptor tool, JsonNode arguments) {
        requireNonNull(tool, "tool is null");
        requireNonNull(arguments, "arguments is null");
        JsonSchema schema = compiled(tool.name(), "input", tool.inputSchema());
        return violations(schema.validate(arguments));
    }

    /**
     * Validates {@code document} against a schema that comes from a backend, such as the input
     * schema of an Itential workflow trigger, so a tool can refuse bad input before it is sent.
     *
     * @param name what the schema belongs to, for messages and the compilation cache
     * @return the violations, empty when the document is valid
     * @throws InvalidToolSchemaException when the schema cannot be compiled
     */
    public List<String> validateDocument(String name, JsonNode schema, JsonNode document) {
        requireNonNull(name, "name is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(document, "document is null");
        return violations(compiled(name, "document", schema).validate(document));
    }

    /**
     * Validates a result's {@code structuredContent} against the tool's output schema; a tool
     * without an output schema accepts anything.
     *
     * @return the violations, empty when the content is valid
     * @throws InvalidToolSchemaException when the tool's output schema cannot be compiled
     */
    public List<String> validateOutput(ToolDescriptor tool, JsonNode structuredContent) {
        requireNonNull(tool, "tool is null");
        if (tool.outputSchema() == null) {
            return List.of();
        }
        if (structuredContent == null) {
            return List.of("(root): structured content is missing although the tool declares an output schema");
        }
        JsonSchema schema = compiled(tool.name(), "output", tool.outputSchema());
        return violations(schema.validate(structuredContent));
    }

    /**
     * Checks that {@code schema} is a valid JSON Schema 2020-12 document (against the meta-schema)
     * that compiles without any external reference.
     *
     * @return the problems, empty when the schema is valid
     */
    public List<String> checkSchema(JsonNode schema) {
        requireNonNull(schema, "schema is null");
        List<String> problems = new ArrayList<>(violations(metaSchema().validate(schema)));
        if (problems.isEmpty()) {
            try {
                compile("schema", schema);
            } catch (InvalidToolSchemaException e) {
                problems.add(e.getMessage());
            }
        }
        return List.copyOf(problems);
    }

    private JsonSchema metaSchema() {
        JsonSchema local = metaSchema;
        if (local == null) {
            Compiler compiler = compiler();
            local = compiler.factory().getSchema(SchemaLocation.of(META_SCHEMA_2020_12), compiler.config());
            local.initializeValidators();
            metaSchema = local;
        }
        return local;
    }

    private JsonSchema compiled(String toolName, String kind, JsonNode schemaNode) {
        String key = kind + ':' + toolName;
        Compiled cached = cache.get(key);
        // Identity, not equality: a tool that is re-registered with a new schema object gets recompiled.
        if (cached != null && cached.source() == schemaNode) {
            return cached.schema();
        }
        JsonSchema schema = compile("the " + kind + " schema of tool " + toolName, schemaNode);
        cache.put(key, new Compiled(schemaNode, schema));
        return schema;
    }

    private JsonSchema compile(String what, JsonNode schemaNode) {
        try {
            Compiler compiler = compiler();
            JsonSchema schema = compiler.factory().getSchema(schemaNode, compiler.config());
            // Resolves every $ref now, so a bad reference fails at the first call rather than midway.
            schema.initializeValidators();
            return schema;
        } catch (JsonSchemaException | IllegalArgumentException | IllegalStateException e) {
            String reason = String.valueOf(e.getMessage());
            LOG.warn("Cannot compile {}: {}", what, reason);
            if (reason.contains("is not allowed to be loaded")) {
                throw new InvalidToolSchemaException(capitalize(what) + " refers to a schema outside itself; "
                        + "remote and file references ($ref) are never loaded");
            }
            throw new InvalidToolSchemaException(capitalize(what) + " is not a usable JSON Schema");
        }
    }

    private List<String> violations(Collection<ValidationMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<ValidationMessage> ordered = new ArrayList<>(messages);
        ordered.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getType));
        Set<String> anyOfLocations = new LinkedHashSet<>();
        Set<String> oneOfLocations = new LinkedHashSet<>();
        for (ValidationMessage message : ordered) {
            if ("oneOf".equals(message.getType())) {
                oneOfLocations.add(message.getInstanceLocation().toString());
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (ValidationMessage message : ordered) {
            String evaluation = message.getEvaluationPath().toString();
            String location = message.getInstanceLocation().toString();
            // Failures inside one branch of anyOf/oneOf say nothing useful on their own; report the choice once.
            if (evaluation.contains("/oneOf/") && oneOfLocations.stream().anyMatch(location::startsWith)) {
                continue;
            }
            if (evaluation.contains("/anyOf/")) {
                String anyOfLocation = anyOfLocation(message);
                if (anyOfLocations.add(anyOfLocation)) {
                    out.add(pointer(anyOfLocation) + ": must match at least one of the allowed schemas");
                }
                continue;
            }
            out.add(describe(message));
        }
        return List.copyOf(out);
    }

    /** The instance location of the anyOf a nested failure belongs to. */
    private static String anyOfLocation(ValidationMessage message) {
        String evaluation = message.getEvaluationPath().toString();
        String beforeAnyOf = evaluation.substring(0, evaluation.indexOf("/anyOf/"));
        // Count the instance steps taken before the anyOf: each "/properties/x" or "/items" moves one level.
        int depth = 0;
        String[] steps = beforeAnyOf.split("/");
        for (int i = 0; i < steps.length; i++) {
            if (("properties".equals(steps[i]) || "patternProperties".equals(steps[i])) && i + 1 < steps.length) {
                depth++;
                i++;
            } else if ("items".equals(steps[i]) || "prefixItems".equals(steps[i])
                    || "additionalProperties".equals(steps[i])) {
                depth++;
            }
        }
        String location = message.getInstanceLocation().toString();
        String[] parts = location.isEmpty() ? new String[0] : location.substring(1).split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < Math.min(depth, parts.length); i++) {
            prefix.append('/').append(parts[i]);
        }
        return prefix.toString();
    }

    private String describe(ValidationMessage message) {
        String at = pointer(message.getInstanceLocation().toString());
        JsonNode rule = message.getSchemaNode();
        String type = message.getType();
        return switch (type) {
            case "required" -> at + ": missing required property '" + message.getProperty() + "'";
            case "additionalProperties", "unevaluatedProperties" ->
                    at + ": unknown property " + propertyName(message.getProperty());
            case "dependentRequired" -> at + ": missing property '" + message.getProperty()
                    + "', required together with another property";
            case "type" -> at + ": must be of type " + typeText(rule);
            case "enum" -> at + ": must be one of " + enumText(rule);
            case "const" -> at + ": must be " + (rule.isTextual() ? "'" + rule.textValue() + "'" : rule.toString());
            case "maximum" -> at + ": must be at most " + rule.asText();
            case "minimum" -> at + ": must be at least " + rule.asText();
            case "exclusiveMaximum" -> at + ": must be less than " + rule.asText();
            case "exclusiveMinimum" -> at + ": must be greater than " + rule.asText();
            case "multipleOf" -> at + ": must be a multiple of " + rule.asText();
            case "maxLength" -> at + ": must be at most " + rule.asText() + " characters long";
            case "minLength" -> at + ": must be at least " + rule.asText() + " characters long";
            case "pattern" -> at + ": must match the pattern " + rule.asText();
            case "format" -> at + ": must be a valid " + rule.asText();
            case "maxItems" -> at + ": must have at most " + rule.asText() + " items";
            case "minItems" -> at + ": must have at least " + rule.asText() + " items";
            case "uniqueItems" -> at + ": must not contain duplicate items";
            case "maxProperties" -> at + ": must have at most " + rule.asText() + " properties";
            case "minProperties" -> at + ": must have at least " + rule.asText() + " properties";
            case "oneOf" -> at + ": must match exactly one of the allowed schemas";
            case "anyOf" -> at + ": must match at least one of the allowed schemas";
            case "not" -> at + ": must not match the excluded schema";
            case "false" -> at + ": is not allowed";
            case "contains", "minContains", "maxContains" -> at + ": does not contain the required items";
            case "propertyNames" -> at + ": has a property name that is not allowed";
            case "dependentSchemas" -> at + ": does not meet the conditions that one of its properties sets";
            default -> at + ": does not satisfy the '" + type + "' rule";
        };
    }

    private String propertyName(String name) {
        if (name == null) {
            return "(unnamed)";
        }
        String redacted = redactor.redact(name);
        return PRINTABLE_NAME.matcher(redacted).matches() ? "'" + redacted + "'" : "(with an unprintable name)";
    }

    private static String typeText(JsonNode rule) {
        if (rule.isArray()) {
            List<String> types = new ArrayList<>();
            rule.forEach(t -> types.add(t.asText()));
            return String.join(" or ", types);
        }
        return rule.asText();
    }

    private static String enumText(JsonNode rule) {
        List<String> values = new ArrayList<>();
        rule.forEach(v -> values.add(v.isTextual() ? v.textValue() : v.toString()));
        return values.toString();
    }

    private static String pointer(String location) {
        return location.isEmpty() ? "(root)" : location;
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private record Compiled(JsonNode source, JsonSchema schema) {
    }
}
