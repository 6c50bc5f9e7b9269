package dev.bastion.provider.dynatrace.managed.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.PageKeys;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One call to an environment's API: its single-valued query (restored from the page key when one
 * is sent), its body, and the request rules every endpoint shares with the real API: page size
 * caps, timeframes, selectors, {@code fields}, token scopes and paging.
 */
final class ApiCall {

    private static final List<String> PAGE_KEY_PARAMETERS = List.of("nextPageKey", "nextSliceKey");
    private static final Set<String> ENTITY_SELECTOR_CONDITIONS = Set.of("type", "entityId", "entityName",
            "entityName.equals", "entityName.startsWith", "tag", "mzName", "healthState");

    final SandboxEnvironment environment;
    final SandboxData data;
    final ObjectMapper json;
    private final SandboxRequest request;
    /** The path below {@code /api/}, which a page key is bound to. */
    private final String scope;
    private final Map<String, String> query;
    private final int offset;

    private ApiCall(SandboxEnvironment environment, SandboxRequest request, String scope, Map<String, String> query,
                    int offset) {
        this.environment = requireNonNull(environment, "environment is null");
        this.data = environment.data;
        this.json = environment.data.json;
        this.request = requireNonNull(request, "request is null");
        this.scope = scope;
        this.query = query;
        this.offset = offset;
    }

    /** The call for {@code request}, its page key (sent alone, as the API demands) resolved. */
    static ApiCall of(SandboxEnvironment environment, SandboxRequest request) {
        List<String> segments = request.segments();
        String scope = String.join("/", segments.subList(3, segments.size()));
        Map<String, String> query = new LinkedHashMap<>();
        request.query().forEach((name, values) -> query.put(name, values.get(values.size() - 1)));
        for (String parameter : PAGE_KEY_PARAMETERS) {
            if (query.containsKey(parameter)) {
                if (query.size() > 1) {
                    Set<String> others = new TreeSet<>(query.keySet());
                    others.remove(parameter);
                    throw badQuery(parameter, "must be the only query parameter when set; remove "
                            + String.join(", ", others));
                }
                PageKeys.Page page = environment.pageKeys.decode(parameter, scope, query.get(parameter));
                return new ApiCall(environment, request, scope, page.query(), page.offset());
            }
        }
        return new ApiCall(environment, request, scope, query, 0);
    }

    static SandboxError badQuery(String parameter, String message) {
        return SandboxError.badParameter(SandboxError.Location.QUERY, parameter, message);
    }

    static SandboxError badBody(String parameter, String message) {
        return SandboxError.badParameter(SandboxError.Location.BODY, parameter, message);
    }

    /** A decoded path parameter of the route. */
    String path(String name) {
        return request.pathParameter(name);
    }

    /** A query parameter, or null when it was not sent. */
    String query(String name) {
        return query.get(name);
    }

    String query(String name, String defaultValue) {
        return query.getOrDefault(name, defaultValue);
    }

    /** The JSON body; a missing node when there is none. */
    JsonNode body() {
        return request.json();
    }

    void requireScope(String scope) {
        if (!environment.scopes.contains(scope)) {
            throw SandboxError.of(403, "Token is missing required scope. Use one of: " + scope);
        }
    }

    int pageSize(String parameter, int defaultSize, int max) {
        String text = query.get(parameter);
        if (text == null) {
            return defaultSize;
        }
        int size;
        try {
            size = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw badQuery(parameter, "must be a number");
        }
        if (size < 1 || size > max) {
            throw badQuery(parameter, "must be between 1 and " + max);
        }
        return size;
    }

    /** Puts one page of {@code items} under {@code field}, with its counts and the key of the next page. */
    ObjectNode page(List<? extends JsonNode> items, String field, int size, String cursorField) {
        // The data can shrink between pages; an offset past the end is an empty last page.
        int start = Math.min(offset, items.size());
        int end = Math.min(items.size(), start + size);
        ObjectNode out = json.createObjectNode();
        if (end < items.size()) {
            out.put(cursorField, environment.pageKeys.encode(scope, query, end));
        } else {
            out.putNull(cursorField);
        }
        if (!cursorField.equals("nextSliceKey")) {
            out.put("pageSize", size);
            out.put("totalCount", items.size());
        } else {
            out.put("sliceSize", end - start);
        }
        ArrayNode list = out.putArray(field);
        for (int i = start; i < end; i++) {
            list.add(items.get(i));
        }
        return out;
    }

    /** {@code [from, to]} in epoch milliseconds. */
    long[] timeframe(String defaultFrom) {
        long now = System.currentTimeMillis();
        long from = time("from", defaultFrom, now);
        long to = time("to", "now", now);
        if (from > to) {
            throw badQuery("from", "must be before to");
        }
        return new long[] {from, to};
    }

    private long time(String parameter, String defaultValue, long now) {
        try {
            return SandboxTime.parse(query.getOrDefault(parameter, defaultValue), now);
        } catch (IllegalArgumentException e) {
            throw badQuery(parameter, e.getMessage());
        }
    }

    SandboxSelector selector(String parameter) {
        try {
            return SandboxSelector.parse(query.get(parameter));
        } catch (IllegalArgumentException e) {
            throw badQuery(parameter, "Invalid selector: " + e.getMessage());
        }
    }

    /** The names in {@code fields}, without their {@code +}. */
    Set<String> fields() {
        Set<String> out = new HashSet<>();
        String text = query.get("fields");
        if (text != null) {
            for (String field : text.split(",")) {
                out.add(field.trim().replaceFirst("^\\+", ""));
            }
        }
        return out;
    }

    /** The rules of {@code entitySelector}: a type or an id, and only conditions the API knows. */
    void checkEntitySelector(SandboxSelector selector, boolean required) {
        if (query.get("entitySelector") == null) {
            if (required) {
                throw badQuery("entitySelector", "must not be null");
            }
            return;
        }
        if (!selector.has("type") && !selector.has("entityId")) {
            throw badQuery("entitySelector", "The entity selector must specify the type or the entityId");
        }
        for (String name : selector.names()) {
            if (!ENTITY_SELECTOR_CONDITIONS.contains(name)) {
                throw badQuery("entitySelector", "Unknown selector condition " + name);
            }
        }
    }

    /** The item whose {@code field} is {@code id} (the stored node itself), or the API's 404. */
    static ObjectNode find(List<ObjectNode> items, String field, String id, String notFound) {
        for (ObjectNode item : items) {
            if (item.path(field).asText().equals(id)) {
                return item;
            }
        }
        throw SandboxError.notFound(notFound);
    }

    static boolean overlaps(JsonNode item, String startField, String endField, long[] frame) {
        long start = item.path(startField).asLong();
        long end = endField == null ? start : item.path(endField).asLong(-1);
        return start <= frame[1] && (end < 0 || end >= frame[0]);
    }
}
