package dev.bastion.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Builds the smallest arguments that satisfy a tool's input schema: every required property, with
 * its default, first enum value, minimum, or a short string. Good enough for contract checks that
 * only need a well-formed call; tools whose schema asks for more (a pattern) get their arguments from
 * the contract test's {@code argumentsFor} override.
 */
public final class SchemaArguments {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SchemaArguments() {
    }

    public static ObjectNode minimal(JsonNode schema) {
        JsonNode value = valueFor(schema);
        return value instanceof ObjectNode object ? object : F.objectNode();
    }

    private static JsonNode valueFor(JsonNode schema) {
        if (schema.has("default")) {
            return schema.get("default");
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        for (String combinator : new String[] {"oneOf", "anyOf"}) {
            if (schema.has(combinator) && schema.get(combinator).size() > 0) {
                return valueFor(schema.get(combinator).get(0));
            }
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("object");
        switch (type) {
            case "object" -> {
                ObjectNode object = F.objectNode();
                JsonNode properties = schema.path("properties");
                for (JsonNode required : schema.path("required")) {
                    JsonNode property = properties.path(required.asText());
                    object.set(required.asText(), valueFor(property.isMissingNode() ? F.objectNode() : property));
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = F.arrayNode();
                int count = schema.path("minItems").asInt(0);
                for (int i = 0; i < count; i++) {
                    array.add(valueFor(schema.path("items")));
                }
                return array;
            }
            case "integer" -> {
                return F.numberNode(schema.has("minimum") ? schema.get("minimum").asLong() : 1L);
            }
            case "number" -> {
                return F.numberNode(schema.has("minimum") ? schema.get("minimum").asDouble() : 1.0);
            }
            case "boolean" -> {
                return F.booleanNode(false);
            }
            case "null" -> {
                return F.nullNode();
            }
            default -> {
                String format = schema.path("format").asText("");
                if (format.equals("date-time")) {
                    return F.textNode(Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
                }
                int length = Math.max(1, schema.path("minLength").asInt(1));
                return F.textNode("x".repeat(length));
            }
        }
    }
}
