package dev.bastion.security.validate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Size and shape limits for tool arguments, checked before any schema work so that a huge or
 * deeply nested request costs a walk of the tree and nothing more. These settings live in the
 * {@code security} section.
 *
 * @param maxRequestBytes the largest JSON-RPC request accepted, in bytes
 * @param maxDepth the deepest nesting of objects and arrays (the arguments object itself is depth 1)
 * @param maxStringLength the longest string value or property name, in characters
 * @param maxArrayLength the most elements of one array
 * @param maxProperties the most properties of one object
 */
public record StructuralLimits(
        long maxRequestBytes, int maxDepth, int maxStringLength, int maxArrayLength, int maxProperties) {

    public static final String MAX_REQUEST_BYTES = "max_request_bytes";
    public static final String MAX_DEPTH = "limits.max_depth";
    public static final String MAX_STRING_LENGTH = "limits.max_string_length";
    public static final String MAX_ARRAY_LENGTH = "limits.max_array_length";
    public static final String MAX_PROPERTIES = "limits.max_properties";

    public static final StructuralLimits DEFAULTS = new StructuralLimits(1024 * 1024, 32, 65_536, 1000, 256);

    /** A walk reports at most this many violations; one is enough to refuse, a few help to fix. */
    private static final int MAX_REPORTED = 5;

    public StructuralLimits {
        positive(maxRequestBytes, MAX_REQUEST_BYTES);
        positive(maxDepth, MAX_DEPTH);
        positive(maxStringLength, MAX_STRING_LENGTH);
        positive(maxArrayLength, MAX_ARRAY_LENGTH);
        positive(maxProperties, MAX_PROPERTIES);
    }

    /** The settings this record reads from the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(
                integer(MAX_REQUEST_BYTES, "BASTION_MAX_REQUEST_BYTES", DEFAULTS.maxRequestBytes(),
                        "Largest tools/call request accepted, in bytes."),
                integer(MAX_DEPTH, "BASTION_LIMITS_MAX_DEPTH", DEFAULTS.maxDepth(),
                        "Deepest nesting of objects and arrays in tool arguments."),
                integer(MAX_STRING_LENGTH, "BASTION_LIMITS_MAX_STRING_LENGTH", DEFAULTS.maxStringLength(),
                        "Longest string (or property name) in tool arguments, in characters."),
                integer(MAX_ARRAY_LENGTH, "BASTION_LIMITS_MAX_ARRAY_LENGTH", DEFAULTS.maxArrayLength(),
                        "Most elements of one array in tool arguments."),
                integer(MAX_PROPERTIES, "BASTION_LIMITS_MAX_PROPERTIES", DEFAULTS.maxProperties(),
                        "Most properties of one object in tool arguments."));
    }

    public static StructuralLimits from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        return new StructuralLimits(
                section.integer(MAX_REQUEST_BYTES).map(Integer::longValue).orElse(DEFAULTS.maxRequestBytes()),
                section.integer(MAX_DEPTH).orElse(DEFAULTS.maxDepth()),
                section.integer(MAX_STRING_LENGTH).orElse(DEFAULTS.maxStringLength()),
                section.integer(MAX_ARRAY_LENGTH).orElse(DEFAULTS.maxArrayLength()),
                section.integer(MAX_PROPERTIES).orElse(DEFAULTS.maxProperties()));
    }

    /**
     * Checks a request's size and its arguments' shape.
     *
     * @param arguments the tool arguments
     * @param requestBytes the size of the request on the wire
     * @return the violations (JSON Pointer and rule, never a value), empty when within limits
     */
    public List<String> check(JsonNode arguments, long requestBytes) {
        requireNonNull(arguments, "arguments is null");
        List<String> violations = new ArrayList<>();
        if (requestBytes > maxRequestBytes) {
            violations.add("(root): the request is " + requestBytes + " bytes, more than the limit of "
                    + maxRequestBytes + " bytes");
            return List.copyOf(violations);
        }
        walk(arguments, "", 1, violations);
        return List.copyOf(violations);
    }

    private void walk(JsonNode node, String pointer, int depth, List<String> violations) {
        if (violations.size() >= MAX_REPORTED) {
            return;
        }
        if (node.isTextual()) {
            if (node.textValue().length() > maxStringLength) {
                violations.add(at(pointer) + ": string is longer than " + maxStringLength + " characters");
            }
            return;
        }
        if (!node.isContainerNode()) {
            return;
        }
        if (depth > maxDepth) {
            violations.add(at(pointer) + ": nested deeper than " + maxDepth + " levels");
            return;
        }
        if (node.isArray()) {
            if (node.size() > maxArrayLength) {
                violations.add(at(pointer) + ": array has more than " + maxArrayLength + " items");
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, depth + 1, violations);
            }
            return;
        }
        if (node.size() > maxProperties) {
            violations.add(at(pointer) + ": object has more than " + maxProperties + " properties");
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (field.getKey().length() > maxStringLength) {
                violations.add(at(pointer) + ": has a property name longer than " + maxStringLength + " characters");
                continue;
            }
            walk(field.getValue(), pointer + "/" + escape(field.getKey()), depth + 1, violations);
        }
    }

    private static String at(String pointer) {
        return pointer.isEmpty() ? "(root)" : pointer;
    }

    /** RFC 6901 escaping of one reference token. */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static Setting integer(String key, String env, long defaultValue, String description) {
        return Setting.builder(key, SettingType.INTEGER)
                .env(env)
                .defaultValue(Long.toString(defaultValue))
                .format(FormatCheck.atLeast(1))
                .description(description)
                .build();
    }

    private static void positive(long value, String key) {
        if (value <= 0) {
            throw new ProviderConfigException("security." + key + ": must be at least 1, not " + value);
        }
    }
}
