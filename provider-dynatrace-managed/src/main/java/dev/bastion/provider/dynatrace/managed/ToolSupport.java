package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/** What the tool groups share: the client, the JSON mapper and the compact-output helpers. */
final class ToolSupport {

    static final String PREFIX = "dynatrace_managed_";

    final DynatraceManagedClient client;
    final ObjectMapper json;

    ToolSupport(DynatraceManagedClient client) {
        this.client = requireNonNull(client, "client is null");
        this.json = client.json();
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    /** A structured result whose text block is the same JSON, compact. */
    ToolResult structured(ObjectNode out) {
        try {
            return ToolResult.structured(out, json.writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A result whose shape varies with the backend object: text only, no output schema. */
    ToolResult text(JsonNode out) {
        try {
            return ToolResult.text(json.writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode schema(ObjectMapper json, String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("invalid built-in output schema", e);
        }
    }

    ObjectNode schema(String text) {
        return schema(json, text);
    }

    static ToolDescriptor.Builder read(String name, String title) {
        return ToolDescriptor.builder(PREFIX + name).title(title)
                .annotations(ToolAnnotations.readOnly().withTitle(title));
    }

    static ToolDescriptor.Builder write(String name, String title, boolean destructive, boolean idempotent) {
        return ToolDescriptor.builder(PREFIX + name).title(title)
                .annotations(ToolAnnotations.write(destructive, idempotent).withTitle(title));
    }

    /**
     * Applies paging: with a cursor only {@code nextPageKey} is sent, because the API rejects any
     * other parameter next to it; without one, {@code firstPage} adds the query parameters.
     */
    static DynatraceManagedClient.ApiRequest page(DynatraceManagedClient.ApiRequest request, String cursorParameter,
            String nextPage, Consumer<DynatraceManagedClient.ApiRequest> firstPage) {
        if (nextPage != null) {
            return request.query(cursorParameter, nextPage);
        }
        firstPage.accept(request);
        return request;
    }

    /** Copies {@code totalCount} and {@code nextPageKey} into the output as {@code total} and {@code next_page}. */
    static void paging(ObjectNode out, JsonNode response, String cursorField) {
        if (response.path("totalCount").isNumber()) {
            out.put("total", response.path("totalCount").asLong());
        }
        JsonNode next = response.path(cursorField);
        if (next.isTextual() && !next.asText().isEmpty()) {
            out.put("next_page", next.asText());
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

    static void putText(ObjectNode out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(key, value);
        }
    }

    static void putText(ObjectNode out, String key, JsonNode value) {
        if (value != null && value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
            out.put(key, value.asText());
        }
    }

    static void putNumber(ObjectNode out, String key, JsonNode value) {
        if (value != null && value.isNumber()) {
            out.set(key, value);
        }
    }

    /** Cuts long backend texts so one record cannot flood the model's context. */
    static String clip(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    /** The entity references of a list such as {@code affectedEntities}, at most {@code max} of them. */
    static ArrayNode entityRefs(ObjectMapper json, JsonNode list, int max) {
        ArrayNode out = json.createArrayNode();
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
    static ArrayNode zones(ObjectMapper json, JsonNode list) {
        ArrayNode out = json.createArrayNode();
        for (JsonNode zone : list) {
            String name = zone.path("name").asText("");
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Tag string representations, such as {@code [Kubernetes]team:payments}. */
    static ArrayNode tags(ObjectMapper json, JsonNode list) {
        ArrayNode out = json.createArrayNode();
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

    static void putArray(ObjectNode out, String key, ArrayNode values) {
        if (values != null && !values.isEmpty()) {
            out.set(key, values);
        }
    }
}
