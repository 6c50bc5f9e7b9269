package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bastion.core.sanitize.Redactor;
import java.util.Iterator;
import java.util.Map;

/**
 * The one redaction pass over everything a session sends: responses (results, error messages and
 * {@code error.data}), notifications and server-to-client requests. Every string and member name
 * passes the redactor, so no handler can forget to; what a handler redacted already is unchanged
 * by a second pass. The correlation values the client chose are echoed as they are (the message
 * {@code id} and a progress notification's {@code progressToken}), because the protocol needs them
 * verbatim and they travel back only to the client that sent them.
 *
 * <p>Copy on change: a message with nothing to redact is sent as it is, without copying, so
 * descriptors and schemas shared between sessions are never modified.
 */
final class RedactingSink implements MessageSink {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final MessageSink target;
    private final Redactor redactor;

    RedactingSink(MessageSink target, Redactor redactor) {
        this.target = requireNonNull(target, "target is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
    }

    static MessageSink wrap(MessageSink target, Redactor redactor) {
        return target instanceof RedactingSink ? target : new RedactingSink(target, redactor);
    }

    @Override
    public void send(JsonNode message) {
        target.send(redactMessage(message));
    }

    JsonNode redactMessage(JsonNode message) {
        if (message == null) {
            return null;
        }
        if (message.isArray()) {
            // A batch of responses: each element is a message of its own.
            return redactArray(message, true);
        }
        return message.isObject() ? redactObject(message, "id", true) : redact(message);
    }

    /** {@code node} itself when nothing in it changes, else a copy with the redacted parts. */
    private JsonNode redact(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            String redacted = redactor.redact(text);
            return redacted.equals(text) ? node : TextNode.valueOf(redacted);
        }
        if (node.isArray()) {
            return redactArray(node, false);
        }
        if (node.isObject()) {
            return redactObject(node, null, false);
        }
        // Numbers, booleans and null carry no text a secret could hide in.
        return node;
    }

    private JsonNode redactArray(JsonNode node, boolean messages) {
        ArrayNode copy = null;
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            JsonNode redacted = messages ? redactMessage(element) : redact(element);
            if (redacted != element && copy == null) {
                copy = F.arrayNode(node.size());
                for (int k = 0; k < i; k++) {
                    copy.add(node.get(k));
                }
            }
            if (copy != null) {
                copy.add(redacted);
            }
        }
        return copy == null ? node : copy;
    }

    /**
     * @param exempt a member passed on as it is, or null
     * @param message whether {@code node} is a whole message, whose {@code params} exempt {@code progressToken}
     */
    private JsonNode redactObject(JsonNode node, String exempt, boolean message) {
        ObjectNode copy = null;
        int index = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); index++) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String name = key;
            JsonNode redacted = value;
            if (!key.equals(exempt)) {
                name = redactor.redact(key);
                redacted = message && key.equals("params") && value.isObject()
                        ? redactObject(value, "progressToken", false) : redact(value);
            }
            if ((redacted != value || !name.equals(key)) && copy == null) {
                copy = F.objectNode();
                Iterator<Map.Entry<String, JsonNode>> earlier = node.fields();
                for (int k = 0; k < index; k++) {
                    Map.Entry<String, JsonNode> before = earlier.next();
                    copy.set(before.getKey(), before.getValue());
                }
            }
            if (copy != null) {
                copy.set(name, redacted);
            }
        }
        return copy == null ? node : copy;
    }
}
