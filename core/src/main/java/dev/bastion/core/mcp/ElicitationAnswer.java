package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.ElicitationResult;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a client's answer to {@code elicitation/create} exactly as the specification (2025-11-25)
 * defines it, and nothing looser: {@code action} is one of the strings {@code accept},
 * {@code decline}, {@code cancel}; {@code content}, on accept, is an object whose values are
 * strings, numbers, booleans or arrays of strings and match the requested schema (every required
 * property present, no property the schema does not name, each of its declared type and, where the
 * schema lists values, one of them). Approval gates decide on this value, so a lenient reading
 * (an upper-case {@code ACCEPT}, {@code content: [true]}) would let a broken or hostile client
 * confirm something it never answered properly. A malformed answer is a
 * {@link ClientRequestException} whose message says what is wrong; it never carries the client's
 * values, only their JSON types.
 */
final class ElicitationAnswer {

    private ElicitationAnswer() {
    }

    static ElicitationResult parse(JsonNode result, ObjectNode requestedSchema) throws ClientRequestException {
        if (result == null || !result.isObject()) {
            throw malformed("the result must be an object, got " + type(result));
        }
        ElicitationResult.Action action = action(result.get("action"));
        JsonNode content = result.get("content");
        if (content != null && !content.isObject()) {
            throw malformed("content must be an object, got " + type(content));
        }
        if (action != ElicitationResult.Action.ACCEPT) {
            // The specification omits content unless the user accepted; whatever a client sends
            // with a decline or cancel means nothing and is not passed on.
            return new ElicitationResult(action, null);
        }
        if (content == null) {
            throw malformed("an accept must carry content with the requested values");
        }
        matchSchema((ObjectNode) content, requestedSchema);
        return new ElicitationResult(action, ((ObjectNode) content).deepCopy());
    }

    private static ElicitationResult.Action action(JsonNode action) throws ClientRequestException {
        if (action != null && action.isTextual()) {
            switch (action.textValue()) {
                case "accept":
                    return ElicitationResult.Action.ACCEPT;
                case "decline":
                    return ElicitationResult.Action.DECLINE;
                case "cancel":
                    return ElicitationResult.Action.CANCEL;
                default:
                    break;
            }
        }
        throw malformed("action must be exactly \"accept\", \"decline\" or \"cancel\""
                + (action != null && action.isTextual() ? "" : ", got " + type(action)));
    }

    private static void matchSchema(ObjectNode content, ObjectNode schema) throws ClientRequestException {
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            if (!content.has(required.asText())) {
                throw malformed("content lacks the required property '" + required.asText() + "'");
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = content.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode property = properties.get(field.getKey());
            if (property == null || !property.isObject()) {
                throw malformed("content has a property the request did not ask for ("
                        + shortName(field.getKey()) + ")");
            }
            matchProperty(field.getKey(), field.getValue(), property);
        }
    }

    private static void matchProperty(String name, JsonNode value, JsonNode property) throws ClientRequestException {
        String declared = property.path("type").asText("");
        boolean matches = switch (declared) {
            case "boolean" -> value.isBoolean();
            case "string" -> value.isTextual() && allowed(value, property);
            case "integer" -> value.isIntegralNumber()
                    || value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue());
            case "number" -> value.isNumber();
            case "array" -> value.isArray() && stringItems(value, property.path("items"));
            default -> false;
        };
        if (!matches) {
            throw malformed("content property '" + name + "' must be " + expected(declared, property)
                    + ", got " + type(value));
        }
    }

    /** A string property with {@code enum} or {@code oneOf} lists the only values it takes. */
    private static boolean allowed(JsonNode value, JsonNode schema) {
        JsonNode choices = schema.has("enum") ? schema.get("enum") : schema.has("oneOf") ? schema.get("oneOf")
                : schema.get("anyOf");
        if (choices == null || !choices.isArray()) {
            return true;
        }
        for (JsonNode choice : choices) {
            JsonNode allowedValue = choice.isObject() ? choice.get("const") : choice;
            if (allowedValue != null && allowedValue.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Multi-select answers are arrays of strings, each one of the listed values. */
    private static boolean stringItems(JsonNode values, JsonNode items) {
        for (JsonNode item : values) {
            if (!item.isTextual() || !allowed(item, items)) {
                return false;
            }
        }
        return true;
    }

    private static String expected(String declared, JsonNode property) {
        return switch (declared) {
            case "boolean" -> "a boolean";
            case "string" -> property.has("enum") || property.has("oneOf") || property.has("anyOf")
                    ? "one of the offered strings" : "a string";
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "array" -> "an array of the offered strings";
            default -> "of a type the request declared";
        };
    }

    private static String type(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "an unexpected value";
        };
    }

    /** Property names come from the client: shown only when short and plain. */
    private static String shortName(String name) {
        return name.length() <= 40 && name.matches("[A-Za-z0-9_.-]+") ? "'" + name + "'" : "an unnamed property";
    }

    private static ClientRequestException malformed(String why) {
        return new ClientRequestException("the client's answer to elicitation/create is malformed: " + why);
    }
}
