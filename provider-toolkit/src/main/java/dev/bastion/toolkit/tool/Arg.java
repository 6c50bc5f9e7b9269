package dev.bastion.toolkit.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One tool argument, declared once: its name, description, JSON Schema (type and bounds), default
 * and whether it is required. The tool's input schema and the typed reading of the argument both
 * come from this declaration, so no default or bound is written twice.
 *
 * <p>Declarations are immutable values; share them between tools as constants:
 * <pre>{@code
 * static final Arg<Integer> LIMIT = Arg.integer("limit", "How many problems to return.", 1, 50).withDefault(20);
 * ...
 * int limit = args.get(LIMIT);
 * }</pre>
 *
 * @param <T> the Java type a reading returns
 */
public final class Arg<T> {

    /** Reads a present, non-null JSON value; throws {@link InvalidArgument} with the problem. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(String name, JsonNode value);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    private final String name;
    private final ObjectNode schema;
    private final Reader<T> reader;
    private final Function<T, JsonNode> writer;
    private final T defaultValue;
    private final boolean required;

    private Arg(String name, ObjectNode schema, Reader<T> reader, Function<T, JsonNode> writer, T defaultValue,
                boolean required) {
        this.name = requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("argument name must be snake_case: " + name);
        }
        this.schema = requireNonNull(schema, "schema is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.defaultValue = defaultValue;
        this.required = required;
    }

    private static <T> Arg<T> of(String name, String type, String description, Reader<T> reader,
                                 Function<T, JsonNode> writer) {
        requireNonNull(description, "description is null");
        if (description.isBlank()) {
            throw new IllegalArgumentException("argument " + name + " needs a description");
        }
        ObjectNode schema = NODES.objectNode();
        schema.put("type", type);
        schema.put("description", description);
        return new Arg<>(name, schema, reader, writer, null, false);
    }

    /** A non-empty string of at most {@code maxLength} characters; surrounding white space is trimmed. */
    public static Arg<String> string(String name, String description, int maxLength) {
        Arg<String> arg = of(name, "string", description, Arg::readText, TextNode::valueOf);
        arg.schema.put("minLength", 1);
        arg.schema.put("maxLength", positive(maxLength, "maxLength"));
        return arg;
    }

    /** A string matching {@code pattern} (a JSON Schema / Java regex, anchored by the caller). */
    public static Arg<String> pattern(String name, String description, String pattern, int maxLength) {
        Pattern compiled = Pattern.compile(pattern);
        Arg<String> arg = of(name, "string", description, (n, value) -> {
            String text = readText(n, value);
            if (!compiled.matcher(text).find()) {
                throw new InvalidArgument(n, "does not match the pattern " + pattern);
            }
            return text;
        }, TextNode::valueOf);
        arg.schema.put("pattern", pattern);
        arg.schema.put("maxLength", positive(maxLength, "maxLength"));
        return arg;
    }

    /** One of {@code values}. */
    public static Arg<String> enumeration(String name, String description, List<String> values) {
        List<String> allowed = List.copyOf(values);
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("enumeration " + name + " has no values");
        }
        Arg<String> arg = of(name, "string", description, (n, value) -> {
            String text = readText(n, value);
            if (!allowed.contains(text)) {
                throw new InvalidArgument(n, "must be one of " + String.join(", ", allowed));
            }
            return text;
        }, TextNode::valueOf);
        ArrayNode list = arg.schema.putArray("enum");
        allowed.forEach(list::add);
        return arg;
    }

    /** An integer within {@code [min, max]}. */
    public static Arg<Integer> integer(String name, String description, int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("integer " + name + ": min > max");
        }
        Arg<Integer> arg = of(name, "integer", description, (n, value) -> {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new InvalidArgument(n, "must be an integer");
            }
            int number = value.intValue();
            if (number < min || number > max) {
                throw new InvalidArgument(n, "must be between " + min + " and " + max);
            }
            return number;
        }, IntNode::valueOf);
        arg.schema.put("minimum", min);
        arg.schema.put("maximum", max);
        return arg;
    }

    public static Arg<Boolean> bool(String name, String description) {
        return of(name, "boolean", description, (n, value) -> {
            if (!value.isBoolean()) {
                throw new InvalidArgument(n, "must be true or false");
            }
            return value.booleanValue();
        }, BooleanNode::valueOf);
    }

    /**
     * A list of 1 to {@code maxItems} non-empty strings of at most {@code maxLength} characters, each
     * matching {@code itemPattern} when it is not {@code null}.
     */
    public static Arg<List<String>> strings(String name, String description, int maxItems, int maxLength,
                                            String itemPattern) {
        Pattern compiled = itemPattern == null ? null : Pattern.compile(itemPattern);
        Arg<List<String>> arg = of(name, "array", description, (n, value) -> {
            if (!value.isArray()) {
                throw new InvalidArgument(n, "must be an array of strings");
            }
            if (value.size() > maxItems) {
                throw new InvalidArgument(n, "must have at most " + maxItems + " items");
            }
            List<String> out = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                String text = readText(n, item);
                if (compiled != null && !compiled.matcher(text).find()) {
                    throw new InvalidArgument(n, "has an item that does not match the pattern " + itemPattern);
                }
                out.add(text);
            }
            return List.copyOf(out);
        }, list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
        ObjectNode items = arg.schema.putObject("items");
        items.put("type", "string");
        items.put("minLength", 1);
        items.put("maxLength", positive(maxLength, "maxLength"));
        if (itemPattern != null) {
            items.put("pattern", itemPattern);
        }
        arg.schema.put("minItems", 1);
        arg.schema.put("maxItems", positive(maxItems, "maxItems"));
        return arg;
    }

    /**
     * A JSON object or other structure described by {@code definition} (its {@code type} and
     * bounds); the tool reads it as a tree.
     */
    public static Arg<JsonNode> json(String name, String description, ObjectNode definition) {
        requireNonNull(definition, "definition is null");
        ObjectNode schema = definition.deepCopy();
        schema.put("description", requireNonNull(description, "description is null"));
        return new Arg<>(name, schema, (n, value) -> value, node -> node, null, false);
    }

    /** The same argument with a default, applied when the caller leaves it out, and shown in the schema. */
    public Arg<T> withDefault(T value) {
        requireNonNull(value, "default is null");
        reader.read(name, writer.apply(value));
        ObjectNode copy = schema.deepCopy();
        copy.set("default", writer.apply(value));
        return new Arg<>(name, copy, reader, writer, value, required);
    }

    /** The same argument, required. */
    public Arg<T> required() {
        return new Arg<>(name, schema.deepCopy(), reader, writer, defaultValue, true);
    }

    /**
     * The same argument with further schema keywords, for bounds the factories do not cover
     * (an empty list allowed: {@code arg.withSchema(s -> s.put("minItems", 0))}). The reading is
     * unchanged, so use this only for constraints the schema validation enforces before the call.
     */
    public Arg<T> withSchema(Consumer<ObjectNode> change) {
        ObjectNode copy = schema.deepCopy();
        change.accept(copy);
        return new Arg<>(name, copy, reader, writer, defaultValue, required);
    }

    /**
     * The same argument with a further check of its value, such as a backend's rule for what a
     * query value may hold; an {@link IllegalArgumentException} from {@code check} becomes an
     * {@link InvalidArgument} naming this argument, with the exception's message as the problem.
     */
    public Arg<T> checked(Consumer<? super T> check) {
        requireNonNull(check, "check is null");
        Reader<T> inner = reader;
        Reader<T> checking = (n, value) -> {
            T read = inner.read(n, value);
            try {
                check.accept(read);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgument(n, e.getMessage());
            }
            return read;
        };
        return new Arg<>(name, schema.deepCopy(), checking, writer, defaultValue, required);
    }

    /** The same declaration under another name (a second time argument, say). */
    public Arg<T> named(String newName, String description) {
        ObjectNode copy = schema.deepCopy();
        copy.put("description", description);
        return new Arg<>(newName, copy, reader, writer, defaultValue, required);
    }

    public String name() {
        return name;
    }

    public boolean isRequired() {
        return required;
    }

    /** The default, or {@code null}. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The property's JSON Schema, a copy. */
    public ObjectNode schema() {
        return schema.deepCopy();
    }

    /** Reads the value of this argument from {@code node}: the default when absent or {@code null}. */
    T read(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return defaultValue;
        }
        T value = reader.read(name, node);
        return value == null ? defaultValue : value;
    }

    @Override
    public String toString() {
        return "Arg[" + name + "]";
    }

    private static String readText(String name, JsonNode value) {
        if (!value.isTextual()) {
            throw new InvalidArgument(name, "must be a string");
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            throw new InvalidArgument(name, "must not be empty");
        }
        return text;
    }

    private static int positive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return value;
    }
}
