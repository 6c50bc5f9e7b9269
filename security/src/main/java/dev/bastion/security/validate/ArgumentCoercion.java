package dev.bastion.security.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Undoes a common client quirk before validation: some clients (Claude among them) send arrays,
 * objects, numbers and booleans as JSON strings ({@code "[\"a\",\"b\"]"}, {@code "10"},
 * {@code "true"}). A top-level argument whose declared type is not {@code string} and whose value is
 * a string is replaced by what the string parses to, and only when that is of the declared type;
 * anything else is left for the schema validation to refuse. Arguments declared as strings (or with
 * several types including string) are never touched.
 */
public final class ArgumentCoercion {

    private static final ObjectMapper JSON = JsonMappers.create();

    private ArgumentCoercion() {
    }

    /** {@code arguments} itself when nothing needed coercion, else a coerced copy. */
    public static ObjectNode coerce(ObjectNode inputSchema, ObjectNode arguments) {
        JsonNode properties = inputSchema.path("properties");
        if (!properties.isObject() || arguments.isEmpty()) {
            return arguments;
        }
        ObjectNode out = null;
        Iterator<Map.Entry<String, JsonNode>> fields = arguments.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                continue;
            }
            String type = properties.path(field.getKey()).path("type").asText("");
            JsonNode coerced = parseAs(type, field.getValue().asText());
            if (coerced != null) {
                if (out == null) {
                    out = arguments.deepCopy();
                }
                out.set(field.getKey(), coerced);
            }
        }
        return out == null ? arguments : out;
    }

    private static JsonNode parseAs(String type, String text) {
        if (!(type.equals("array") || type.equals("object") || type.equals("integer") || type.equals("number")
                || type.equals("boolean"))) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text.strip());
        } catch (IOException e) {
            return null;
        }
        if (parsed == null) {
            return null;
        }
        boolean matches = switch (type) {
            case "array" -> parsed.isArray();
            case "object" -> parsed.isObject();
            case "integer" -> parsed.isIntegralNumber();
            case "number" -> parsed.isNumber();
            default -> parsed.isBoolean();
        };
        return matches ? parsed : null;
    }
}
