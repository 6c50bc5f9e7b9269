package dev.bastion.toolkit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Shaping backend JSON into what a model needs: empty fields left out, long strings clipped, so one
 * record cannot flood the model's context and every byte of output says something.
 */
public final class CompactJson {

    private CompactJson() {
    }

    /**
     * The text of {@code node}'s {@code field}, or {@code null} when it is absent or JSON {@code null}
     * (backends differ: older answers omit keys, newer ones send null); numbers come back as text.
     */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** Puts {@code value} unless it is {@code null} or empty. */
    public static void put(ObjectNode out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(key, value);
        }
    }

    /** Puts a text or number value node unless it is missing, {@code null} or an empty string. */
    public static void put(ObjectNode out, String key, JsonNode value) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            put(out, key, value.asText());
        } else {
            out.set(key, value);
        }
    }

    /** Puts a number node unless it is missing or not a number. */
    public static void putNumber(ObjectNode out, String key, JsonNode value) {
        if (value != null && value.isNumber()) {
            out.set(key, value);
        }
    }

    /** Puts an array or object unless it is {@code null} or empty. */
    public static void putNonEmpty(ObjectNode out, String key, JsonNode value) {
        if (value != null && (value.isArray() || value.isObject()) && !value.isEmpty()) {
            out.set(key, value);
        }
    }

    /** {@code text} cut to {@code max} characters, marked with an ellipsis when cut; {@code null} stays {@code null}. */
    public static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, Math.max(0, max - 1)) + "…";
    }

    /**
     * A deep copy of {@code node} without {@code null}s, empty strings, empty arrays and empty
     * objects, with every string clipped to {@code maxString} characters.
     */
    public static JsonNode compact(JsonNode node, int maxString) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.asText();
            return text.length() <= maxString ? node : com.fasterxml.jackson.databind.node.TextNode.valueOf(
                    clip(text, maxString));
        }
        if (node.isObject()) {
            ObjectNode out = ((ObjectNode) node).objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = compact(field.getValue(), maxString);
                if (!isEmpty(value)) {
                    out.set(field.getKey(), value);
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = ((ArrayNode) node).arrayNode();
            for (JsonNode item : node) {
                JsonNode value = compact(item, maxString);
                if (!isEmpty(value)) {
                    out.add(value);
                }
            }
            return out;
        }
        return node;
    }

    private static boolean isEmpty(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode()
                || (value.isTextual() && value.asText().isEmpty())
                || ((value.isArray() || value.isObject()) && value.isEmpty());
    }
}
