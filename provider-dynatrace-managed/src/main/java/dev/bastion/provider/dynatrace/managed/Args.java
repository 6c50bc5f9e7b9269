package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a tool's arguments. The pipeline has validated them against the input schema;
 * these checks repeat the essentials so a tool called directly still fails with a clear message.
 */
final class Args {

    private final ObjectNode node;

    Args(ObjectNode node) {
        this.node = requireNonNull(node, "node is null");
    }

    String text(String name) {
        String value = optText(name);
        if (value == null) {
            throw new InvalidArgumentException(name, "is required");
        }
        return value;
    }

    String optText(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidArgumentException(name, "must be a string");
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }

    String optText(String name, String defaultValue) {
        String value = optText(name);
        return value == null ? defaultValue : value;
    }

    /** An identifier that goes into a URL path segment: no control characters, not empty. */
    String id(String name) {
        String value = text(name);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidArgumentException(name, "must not contain control characters");
            }
        }
        if (value.equals(".") || value.equals("..")) {
            throw new InvalidArgumentException(name, "is not an id");
        }
        return value;
    }

    /** A value that goes into a selector; checked here so the message names the argument. */
    String selectorValue(String name) {
        String value = optText(name);
        if (value != null) {
            checkSelectorValue(name, value);
        }
        return value;
    }

    List<String> selectorValues(String name) {
        List<String> values = textList(name);
        for (String value : values) {
            checkSelectorValue(name, value);
        }
        return values;
    }

    private static void checkSelectorValue(String name, String value) {
        try {
            Selector.quote(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(name, e.getMessage());
        }
    }

    List<String> textList(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new InvalidArgumentException(name, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new InvalidArgumentException(name, "must hold non-empty strings");
            }
            out.add(item.asText().trim());
        }
        return List.copyOf(out);
    }

    /** An integer clamped to {@code [1, max]}, or {@code defaultValue} when absent. */
    int limit(String name, int defaultValue, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Math.min(defaultValue, max);
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new InvalidArgumentException(name, "must be an integer");
        }
        int number = value.asInt();
        if (number < 1) {
            throw new InvalidArgumentException(name, "must be at least 1");
        }
        return Math.min(number, max);
    }

    Boolean optBool(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidArgumentException(name, "must be true or false");
        }
        return value.asBoolean();
    }

    JsonNode raw(String name) {
        return node.get(name);
    }
}
