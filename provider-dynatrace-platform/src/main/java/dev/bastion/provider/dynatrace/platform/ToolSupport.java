package dev.bastion.provider.dynatrace.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** What the Dynatrace Platform tools share: the prefix, the scopes each declares, and Grail's shapes. */
final class ToolSupport {

    static final String PREFIX = "dynatrace_platform_";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Relative timeframes: how far back from now. */
    static final String DURATION_PATTERN = "^[0-9]{1,4}[mhdw]$";

    static Arg<String> timeframe(String defaultValue) {
        return Arg.pattern("timeframe", "How far back from now to look, such as 2h, 24h, 7d or 30d; default "
                + defaultValue + ".", DURATION_PATTERN, 5).withDefault(defaultValue);
    }

    static Arg<Integer> limit(int defaultValue, int max) {
        return Arg.integer("limit", "At most this many; default " + defaultValue + ".", 1, max).withDefault(defaultValue);
    }

    static ToolSpec.Builder read(String name, String title, String... scopes) {
        return ToolSpec.read(PREFIX + name, title).permission(permission(scopes)).idempotent();
    }

    static ToolSpec.Builder write(String name, String title, String... scopes) {
        return ToolSpec.write(PREFIX + name, title).permission(permission(scopes));
    }

    static ToolSpec.Builder destructive(String name, String title, String... scopes) {
        return ToolSpec.destructive(PREFIX + name, title).permission(permission(scopes));
    }

    /** The sentence a 403 completes: which scopes to add, and where. */
    static String permission(String... scopes) {
        return (scopes.length == 1 ? "the scope " : "the scopes ") + String.join(", ", scopes) + "; add "
                + (scopes.length == 1 ? "it" : "them") + " to the platform token or the OAuth client of that environment";
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A Grail timestamp ({@code 2025-06-01T10:00:00.000000000Z}) as ISO-8601 seconds, or as it was. */
    static String time(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            return Instant.parse(value.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return value.asText();
        }
    }

    /** The strings of an array value, or the one string of a scalar. */
    static List<String> strings(JsonNode value) {
        List<String> out = new java.util.ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> out.add(item.asText()));
        } else if (value.isValueNode() && !value.isNull()) {
            out.add(value.asText());
        }
        return out;
    }
}
