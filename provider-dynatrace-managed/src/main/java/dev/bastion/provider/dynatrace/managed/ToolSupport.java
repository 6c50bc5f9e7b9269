package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.Arguments;
import dev.bastion.toolkit.tool.Cursor;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/** What the tool groups share that is about Dynatrace: the client, paging by {@code nextPageKey}, and its JSON shapes. */
final class ToolSupport {

    static final String PREFIX = "dynatrace_managed_";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Dynatrace timeframes: relative ({@code now-2h}, {@code now-1d/d}), ISO-8601 or epoch milliseconds. */
    static final String TIME_PATTERN = "^(now([-+][0-9]{1,6}[smhdwMy])?(/[smhdwMy])?|[0-9]{10,13}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)$";
    static final Arg<String> TO = time("to", "End of the timeframe; default now.");
    static final Arg<String> NEXT_PAGE = Cursor.arg("The cursor already encodes the original query, so the"
            + " other arguments are ignored when it is given.");

    final DynatraceManagedClient client;

    ToolSupport(DynatraceManagedClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    /** A built-in JSON Schema. */
    static JsonNode schema(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("invalid built-in schema", e);
        }
    }

    static Arg<String> time(String name, String description) {
        return Arg.pattern(name, description, TIME_PATTERN, 40);
    }

    /** A read tool that needs {@code scope}. */
    static ToolSpec.Builder read(String name, String title, String scope) {
        return ToolSpec.read(PREFIX + name, title).permission(scope(scope));
    }

    /** A write tool that needs {@code scope}. */
    static ToolSpec.Builder write(String name, String title, String scope) {
        return ToolSpec.write(PREFIX + name, title).permission(scope(scope));
    }

    static ToolSpec.Builder destructive(String name, String title, String scope) {
        return ToolSpec.destructive(PREFIX + name, title).permission(scope(scope));
    }

    private static String scope(String scope) {
        return "the API token scope " + scope + "; add it to the token of that environment";
    }

    /** The API token scope a tool declared. */
    static String scopeOf(ToolSpec tool) {
        String permission = tool.permission().orElseThrow();
        return permission.substring("the API token scope ".length(), permission.indexOf(';'));
    }

    /**
     * Applies paging: with a cursor only {@code nextPageKey} is sent, because the API rejects any
     * other parameter next to it; without one, {@code firstPage} adds the query parameters.
     */
    static BackendRequest page(BackendRequest request, Arguments args, Consumer<BackendRequest> firstPage) {
        return page(request, args, "nextPageKey", firstPage);
    }

    /** As {@link #page(BackendRequest, Arguments, Consumer)} for an API whose cursor parameter is {@code parameter}. */
    static BackendRequest page(BackendRequest request, Arguments args, String parameter,
                               Consumer<BackendRequest> firstPage) {
        String key = Cursor.pageKey(args, NEXT_PAGE).orElse(null);
        if (key != null) {
            return request.query(parameter, key);
        }
        firstPage.accept(request);
        return request;
    }

    /** Copies {@code totalCount} and {@code nextPageKey} into the output as {@code total} and {@code next_page}. */
    static void paging(ObjectNode out, JsonNode response, Arguments args) {
        if (response.path("totalCount").isNumber()) {
            out.put("total", response.path("totalCount").asLong());
        }
        paging(out, response, args, "nextPageKey");
    }

    /** Copies the page key in {@code field} into the output as the {@code next_page} cursor. */
    static void paging(ObjectNode out, JsonNode response, Arguments args, String field) {
        JsonNode next = response.path(field);
        if (next.isTextual() && !next.asText().isEmpty()) {
            out.put("next_page", Cursor.next(args, next.asText()));
        }
    }

    /** Epoch milliseconds as ISO-8601 seconds; {@code null} for the API's "not set" values (-1, 0, absent). */
    static String time(JsonNode epochMillis) {
        if (epochMillis == null || !epochMillis.isNumber() || epochMillis.asLong() <= 0) {
            return null;
        }
        return Instant.ofEpochMilli(epochMillis.asLong()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code {"entityId":{"id":..,"type":..},"name":..}} as {@code name (ID)}. */
    static String entityRef(JsonNode ref) {
        if (ref == null || ref.isNull() || ref.isMissingNode()) {
            return null;
        }
        JsonNode idNode = ref.path("entityId");
        String id = idNode.isObject() ? idNode.path("id").asText("") : idNode.asText("");
        String name = ref.path("name").asText("");
        if (id.isEmpty()) {
            return name.isEmpty() ? null : name;
        }
        return name.isEmpty() || name.equals(id) ? id : name + " (" + id + ")";
    }

    /** The entity references of a list such as {@code affectedEntities}, at most {@code max} of them. */
    static ArrayNode entityRefs(JsonNode list, int max) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode item : list) {
            if (out.size() >= max) {
                break;
            }
            String ref = entityRef(item);
            if (ref != null) {
                out.add(ref);
            }
        }
        return out;
    }

    /** Management zone names. */
    static ArrayNode zones(JsonNode list) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode zone : list) {
            String name = zone.path("name").asText("");
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Tag string representations, such as {@code [Kubernetes]team:payments}. */
    static ArrayNode tags(JsonNode list) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode tag : list) {
            String text = tag.path("stringRepresentation").asText("");
            if (text.isEmpty()) {
                text = tag.path("key").asText("") + (tag.hasNonNull("value") ? ":" + tag.path("value").asText() : "");
            }
            if (!text.isEmpty()) {
                out.add(text);
            }
        }
        return out;
    }
}
