package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Builds the JSON Schema 2020-12 object schemas of the tools' arguments. */
final class InputSchema {

    /** Dynatrace timeframes: relative ({@code now-2h}, {@code now-1d/d}), ISO-8601 or epoch milliseconds. */
    static final String TIME_PATTERN = "^(now([-+][0-9]{1,6}[smhdwMy])?(/[smhdwMy])?|[0-9]{10,13}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)$";
    static final String PAGE_KEY_PATTERN = "^[A-Za-z0-9_\\-+/=.~]{1,4096}$";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode schema = NODES.objectNode();
    private final ObjectNode properties = NODES.objectNode();
    private final ArrayNode required = NODES.arrayNode();

    private InputSchema() {
        schema.put("type", "object");
        schema.set("properties", properties);
    }

    static InputSchema builder() {
        return new InputSchema();
    }

    InputSchema string(String name, String description, int maxLength) {
        ObjectNode property = property(name, "string", description);
        property.put("minLength", 1);
        property.put("maxLength", maxLength);
        return this;
    }

    InputSchema pattern(String name, String description, String pattern, int maxLength) {
        ObjectNode property = property(name, "string", description);
        property.put("pattern", pattern);
        property.put("maxLength", maxLength);
        return this;
    }

    InputSchema time(String name, String description, String defaultValue) {
        ObjectNode property = property(name, "string", description);
        property.put("pattern", TIME_PATTERN);
        property.put("maxLength", 40);
        if (defaultValue != null) {
            property.put("default", defaultValue);
        }
        return this;
    }

    InputSchema enumeration(String name, String description, List<String> values, String defaultValue) {
        ObjectNode property = property(name, "string", description);
        ArrayNode allowed = property.putArray("enum");
        values.forEach(allowed::add);
        if (defaultValue != null) {
            property.put("default", defaultValue);
        }
        return this;
    }

    InputSchema integer(String name, String description, int min, int max, Integer defaultValue) {
        ObjectNode property = property(name, "integer", description);
        property.put("minimum", min);
        property.put("maximum", max);
        if (defaultValue != null) {
            property.put("default", defaultValue);
        }
        return this;
    }

    InputSchema bool(String name, String description, Boolean defaultValue) {
        ObjectNode property = property(name, "boolean", description);
        if (defaultValue != null) {
            property.put("default", defaultValue);
        }
        return this;
    }

    InputSchema stringArray(String name, String description, int maxItems, int maxLength, String pattern) {
        ObjectNode property = property(name, "array", description);
        ObjectNode items = property.putObject("items");
        items.put("type", "string");
        items.put("minLength", 1);
        items.put("maxLength", maxLength);
        if (pattern != null) {
            items.put("pattern", pattern);
        }
        property.put("minItems", 1);
        property.put("maxItems", maxItems);
        return this;
    }

    /** Lets an array argument be empty, when an empty list means something ("split by nothing"). */
    InputSchema allowEmpty(String name) {
        ((ObjectNode) properties.get(name)).put("minItems", 0);
        return this;
    }

    InputSchema object(String name, String description, ObjectNode definition) {
        ObjectNode property = definition.deepCopy();
        property.put("description", description);
        properties.set(name, property);
        return this;
    }

    /** The opaque paging cursor every list tool takes. */
    InputSchema nextPage() {
        return pattern("next_page", "Opaque cursor from the next_page field of a previous result of this tool;"
                + " when given, every other argument except environment is ignored, because the cursor"
                + " already encodes the original query.", PAGE_KEY_PATTERN, 4096);
    }

    InputSchema required(String... names) {
        for (String name : names) {
            if (!properties.has(name)) {
                throw new IllegalStateException("required argument is not declared: " + name);
            }
            required.add(name);
        }
        return this;
    }

    ObjectNode build() {
        ObjectNode out = schema.deepCopy();
        if (!required.isEmpty()) {
            out.set("required", required.deepCopy());
        }
        out.put("additionalProperties", false);
        return out;
    }

    private ObjectNode property(String name, String type, String description) {
        if (properties.has(name)) {
            throw new IllegalStateException("argument declared twice: " + name);
        }
        ObjectNode property = properties.putObject(name);
        property.put("type", type);
        property.put("description", description);
        return property;
    }
}
