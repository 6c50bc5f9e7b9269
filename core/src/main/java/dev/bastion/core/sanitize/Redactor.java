package dev.bastion.core.sanitize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Replaces secrets in text with {@code [REDACTED]}, keeping at most a short non-secret prefix
 * (such as {@code dt0c01.}). Applied to every log event, every error text sent to a client,
 * audit records and tool output.
 */
public interface Redactor {

    String redact(String text);

    /** Registers a configured secret value (and so its derived forms) at startup. */
    void registerSecret(String value);

    /** A copy of {@code tree} with every string value redacted. */
    default JsonNode redact(JsonNode tree) {
        if (tree == null) {
            return null;
        }
        if (tree.isTextual()) {
            return TextNode.valueOf(redact(tree.asText()));
        }
        if (tree.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            tree.fields().forEachRemaining(field -> copy.set(field.getKey(), redact(field.getValue())));
            return copy;
        }
        if (tree.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            tree.forEach(item -> copy.add(redact(item)));
            return copy;
        }
        return tree;
    }

    /** A redactor that changes nothing, for tests of code that does not handle secrets. */
    Redactor NONE = new Redactor() {
        @Override
        public String redact(String text) {
            return text;
        }

        @Override
        public void registerSecret(String value) {
        }
    };
}
