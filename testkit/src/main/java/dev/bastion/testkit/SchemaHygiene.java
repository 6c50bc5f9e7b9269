package dev.bastion.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the arguments an input schema leaves unbounded: objects that accept unknown properties,
 * strings without a length cap, numbers without a maximum, arrays without an item cap.
 */
final class SchemaHygiene {

    /** Quantifiers without an upper bound: {@code *}, {@code +} and {@code {n,}}, unless escaped. */
    private static final Pattern UNBOUNDED_QUANTIFIER = Pattern.compile("(?<!\\\\)(\\*|\\+|\\{\\d+,\\})");

    private SchemaHygiene() {
    }

    static void check(JsonNode schema, String path, List<String> problems) {
        if (!schema.isObject() || schema.has("const") || schema.has("enum")) {
            return;
        }
        for (String combinator : new String[] {"oneOf", "anyOf", "allOf"}) {
            JsonNode branches = schema.path(combinator);
            for (int i = 0; i < branches.size(); i++) {
                check(branches.get(i), path + " " + combinator + "[" + i + "]", problems);
            }
        }
        for (String type : types(schema)) {
            switch (type) {
                case "object" -> object(schema, path, problems);
                case "string" -> string(schema, path, problems);
                case "integer", "number" -> {
                    if (!schema.has("maximum") && !schema.has("exclusiveMaximum")) {
                        problems.add(path + ": a number without maximum");
                    }
                }
                case "array" -> {
                    if (!schema.has("maxItems")) {
                        problems.add(path + ": an array without maxItems");
                    }
                    if (schema.has("items")) {
                        check(schema.get("items"), path + " items", problems);
                    }
                }
                default -> {
                    // boolean and null carry no size
                }
            }
        }
    }

    private static List<String> types(JsonNode schema) {
        JsonNode type = schema.path("type");
        List<String> types = new ArrayList<>();
        if (type.isTextual()) {
            types.add(type.asText());
        } else if (type.isArray()) {
            type.forEach(item -> types.add(item.asText()));
        } else if (schema.has("properties")) {
            types.add("object");
        }
        return types;
    }

    private static void object(JsonNode schema, String path, List<String> problems) {
        JsonNode additional = schema.path("additionalProperties");
        if (additional.isObject() && schema.has("maxProperties")) {
            // A map of free keys is bounded by its size and by the schema of its values.
            check(additional, path + " values", problems);
        } else if (!additional.isBoolean() || additional.booleanValue()) {
            problems.add(path + ": an object without additionalProperties: false (or, for a map, maxProperties "
                    + "and a schema for the values)");
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            check(property.getValue(), path + " argument " + property.getKey(), problems);
        }
    }

    private static void string(JsonNode schema, String path, List<String> problems) {
        if (schema.has("maxLength")) {
            return;
        }
        String pattern = schema.path("pattern").asText("");
        boolean boundedPattern = pattern.startsWith("^") && pattern.endsWith("$")
                && !UNBOUNDED_QUANTIFIER.matcher(pattern).find();
        if (!boundedPattern) {
            problems.add(path + ": a string without maxLength (or an enum, or an anchored pattern of bounded length)");
        }
    }
}
