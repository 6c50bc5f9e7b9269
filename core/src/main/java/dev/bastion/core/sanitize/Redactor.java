package dev.bastion.core.sanitize;

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
    default com.fasterxml.jackson.databind.JsonNode redact(com.fasterxml.jackson.databind.JsonNode tree) {
        if (tree == null) {
            return null;
        }
        if (tree.isTextual()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(redact(tree.asText()));
        }
        if (tree.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            tree.fields().forEachRemaining(field -> copy.set(field.getKey(), redact(field.getValue())));
            return copy;
        }
        if (tree.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
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
