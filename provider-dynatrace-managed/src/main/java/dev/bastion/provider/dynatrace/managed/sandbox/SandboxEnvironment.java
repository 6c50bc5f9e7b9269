package dev.bastion.provider.dynatrace.managed.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One simulated environment: its id, token, data and the Environment API v2 endpoints the
 * provider uses. Request validation follows the real API: required parameters, page size caps,
 * and {@code nextPageKey} only on its own.
 */
public final class SandboxEnvironment {

    /** Every scope the provider's tools use. */
    public static final List<String> ALL_SCOPES = List.of("DataExport", "problems.read", "problems.write",
            "events.read", "events.ingest", "entities.read", "metrics.read", "logs.read", "securityProblems.read",
            "slo.read", "auditLogs.read");

    static final String CLUSTER_VERSION = "1.328.54.20251118-123456";

    private final String alias;
    private final String environmentId;
    private final String token;
    private final List<String> scopes;
    private final SandboxData data;
    private final ObjectMapper json;
    private final Map<String, List<ObjectNode>> comments = new LinkedHashMap<>();
    private final List<ObjectNode> ingested = new ArrayList<>();

    SandboxEnvironment(String alias, String environmentId, String token, List<String> scopes, SandboxData data) {
        this.alias = requireNonNull(alias, "alias is null");
        this.environmentId = requireNonNull(environmentId, "environmentId is null");
        this.token = requireNonNull(token, "token is null");
        this.scopes = List.copyOf(scopes);
        this.data = requireNonNull(data, "data is null");
        this.json = data.json;
    }

    public String alias() {
        return alias;
    }

    public String environmentId() {
        return environmentId;
    }

    /** The generated API token ({@code dt0c01.<24>.<64>}). */
    public String token() {
        return token;
    }

    /** The problems as the API stores them, newest first (state included). */
    public synchronized List<ObjectNode> problems() {
        return data.problems.stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> comments(String problemId) {
        return comments.getOrDefault(problemId, List.of()).stream().map(ObjectNode::deepCopy).toList();
    }

    /** Events created through {@code POST /events/ingest}. */
    public synchronized List<ObjectNode> ingestedEvents() {
        return ingested.stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> entities() {
        return data.entities.stream().map(ObjectNode::deepCopy).toList();
    }

    /** A failure the API reports with its error envelope. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient List<String[]> violations;

        ApiError(int status, String message, List<String[]> violations) {
            super(message, null, false, false);
            this.status = status;
            this.violations = violations;
        }

        static ApiError badParameter(String parameter, String location, String message) {
            List<String[]> violations = new ArrayList<>();
            violations.add(new String[] {parameter, message, location});
            return new ApiError(400, "Constraints violated.", violations);
        }

        static ApiError notFound(String message) {
            return new ApiError(404, message, List.of());
        }
    }

    /** A parsed request: path below {@code api/v2}, single-valued query, JSON body or null. */
    record Call(String method, List<String> path, Map<String, String> query, JsonNode body) {
    }

    boolean authorized(String header) {
        return header != null && header.equals("Api-Token " + token);
    }

    synchronized JsonNode handleV2(Call call) {
        Call effective = resolvePageKey(call);
        List<String> p = effective.path();
        String method = effective.method();
        if (p.isEmpty()) {
            throw ApiError.notFound("Not found");
        }
        String head = p.get(0);
        return switch (head) {
            case "problems" -> problemsEndpoint(method, p, effective);
            case "events" -> eventsEndpoint(method, p, effective);
            case "entities" -> requireGet(method, () -> p.size() == 1 ? listEntities(effective) : entity(p.get(1), effective));
            case "entityTypes" -> requireGet(method, () -> p.size() == 1 ? listEntityTypes(effective) : entityType(p.get(1)));
            case "metrics" -> requireGet(method, () -> p.size() == 1 ? listMetrics(effective)
                    : p.get(1).equals("query") && p.size() == 2 ? queryMetrics(effective) : metric(p.get(1)));
            case "logs" -> requireGet(method, () -> {
                if (p.size() != 2 || !p.get(1).equals("search")) {
                    throw ApiError.notFound("Not found");
                }
                return searchLogs(effective);
            });
            case "securityProblems" -> requireGet(method, () -> p.size() == 1 ? listSecurityProblems(effective)
                    : securityProblem(p.get(1), effective));
            case "slo" -> requireGet(method, () -> p.size() == 1 ? listSlos(effective) : slo(p.get(1)));
            case "auditlogs" -> requireGet(method, () -> listAuditLogs(effective));
            case "apiTokens" -> {
                if (!method.equals("POST") || p.size() != 2 || !p.get(1).equals("lookup")) {
                    throw ApiError.notFound("Not found");
                }
                yield lookupToken(effective);
            }
            default -> throw ApiError.notFound("Not found");
        };
    }

    JsonNode clusterVersion() {
        if (!scopes.contains("DataExport")) {
            throw new ApiError(403, "Token is missing required scope. Use one of: DataExport", List.of());
        }
        ObjectNode out = json.createObjectNode();
        out.put("version", CLUSTER_VERSION);
        return out;
    }

    private interface Body {
        JsonNode get();
    }

    private static JsonNode requireGet(String method, Body body) {
        if (!method.equals("GET")) {
            throw new ApiError(405, "Method " + method + " not allowed", List.of());
        }
        return body.get();
    }

    private void requireScope(String scope) {
        if (!scopes.contains(scope)) {
            throw new ApiError(403, "Token is missing required scope. Use one of: " + scope, List.of());
        }
    }

    // ---------------------------------------------------------------- paging

    private Call resolvePageKey(Call call) {
        String key = call.query().containsKey("nextPageKey") ? "nextPageKey"
                : call.query().containsKey("nextSliceKey") ? "nextSliceKey" : null;
        if (key == null) {
            return call;
        }
        if (call.query().size() > 1) {
            Set<String> others = new HashSet<>(call.query().keySet());
            others.remove(key);
            throw ApiError.badParameter(key, "QUERY", "must be the only query parameter when set; remove "
                    + String.join(", ", others.stream().sorted().toList()));
        }
        JsonNode decoded;
        try {
            decoded = json.readTree(Base64.getUrlDecoder().decode(call.query().get(key)));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ApiError.badParameter(key, "QUERY", "is not a valid page key");
        }
        if (decoded == null || !decoded.path("p").asText().equals(String.join("/", call.path()))) {
            throw ApiError.badParameter(key, "QUERY", "belongs to a different request");
        }
        Map<String, String> query = new LinkedHashMap<>();
        decoded.path("q").properties().forEach(e -> query.put(e.getKey(), e.getValue().asText()));
        query.put("#offset", decoded.path("o").asText("0"));
        return new Call(call.method(), call.path(), query, call.body());
    }

    private String pageKey(Call call, int offset) {
        ObjectNode key = json.createObjectNode();
        key.put("p", String.join("/", call.path()));
        ObjectNode q = key.putObject("q");
        call.query().forEach((name, value) -> {
            if (!name.startsWith("#")) {
                q.put(name, value);
            }
        });
        key.put("o", offset);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    private int pageSize(Call call, String parameter, int defaultSize, int max) {
        String text = call.query().get(parameter);
        if (text == null) {
            return defaultSize;
        }
        int size;
        try {
            size = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiError.badParameter(parameter, "QUERY", "must be a number");
        }
        if (size < 1 || size > max) {
            throw ApiError.badParameter(parameter, "QUERY", "must be between 1 and " + max);
        }
        return size;
    }

    /** Puts one page of {@code items} under {@code field}, with totalCount, pageSize and nextPageKey. */
    private ObjectNode page(Call call, List<? extends JsonNode> items, String field, int size, String cursorField) {
        int offset = Integer.parseInt(call.query().getOrDefault("#offset", "0"));
        ObjectNode out = json.createObjectNode();
        int end = Math.min(items.size(), offset + size);
        if (end < items.size()) {
            out.put(cursorField, pageKey(call, end));
        } else {
            out.putNull(cursorField);
        }
        if (!cursorField.equals("nextSliceKey")) {
            out.put("pageSize", size);
            out.put("totalCount", items.size());
        } else {
            out.put("sliceSize", end - Math.min(offset, end));
        }
        ArrayNode list = out.putArray(field);
        for (int i = offset; i < end; i++) {
            list.add(items.get(i));
        }
        return out;
    }

    private long[] timeframe(Call call, String defaultFrom) {
        long now = System.currentTimeMillis();
        long from = time(call, "from", defaultFrom, now);
        long to = time(call, "to", "now", now);
        if (from > to) {
            throw ApiError.badParameter("from", "QUERY", "must be before to");
        }
        return new long[] {from, to};
    }

    private static long time(Call call, String parameter, String defaultValue, long now) {
        String text = call.query().getOrDefault(parameter, defaultValue);
        try {
            return SandboxTime.parse(text, now);
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter(parameter, "QUERY", e.getMessage());
        }
    }

    private static SandboxSelector selector(Call call, String parameter) {
        try {
            return SandboxSelector.parse(call.query().get(parameter));
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter(parameter, "QUERY", "Invalid selector: " + e.getMessage());
        }
    }

    private static Set<String> fields(Call call) {
        Set<String> out = new HashSet<>();
        String text = call.query().get("fields");
        if (text != null) {
            for (String field : text.split(",")) {
                out.add(field.trim().replaceFirst("^\\+", ""));
            }
        }
        return out;
    }

    private static boolean overlaps(JsonNode item, String startField, String endField, long[] frame) {
        long start = item.path(startField).asLong();
        long end = endField == null ? start : item.path(endField).asLong(-1);
        return start <= frame[1] && (end < 0 || end >= frame[0]);
    }

    // ---------------------------------------------------------------- problems

    private JsonNode problemsEndpoint(String method, List<String> p, Call call) {
        if (p.size() == 1) {
            requireScope("problems.read");
            return requireGet(method, () -> listProblems(call));
        }
        ObjectNode problem = findProblem(p.get(1));
        if (p.size() == 2) {
            requireScope("problems.read");
            return requireGet(method, () -> problemView(problem, fields(call), true));
        }
        if (p.size() == 3 && p.get(2).equals("comments")) {
            if (method.equals("POST")) {
                requireScope("problems.write");
                return addComment(problem, call.body());
            }
            requireScope("problems.read");
            return requireGet(method, () -> {
                List<ObjectNode> list = new ArrayList<>(comments.getOrDefault(problem.path("problemId").asText(),
                        List.of()));
                list.sort(Comparator.comparingLong((ObjectNode c) -> c.path("createdAtTimestamp").asLong()).reversed());
                return page(call, list, "comments", pageSize(call, "pageSize", 10, 500), "nextPageKey");
            });
        }
        if (p.size() == 3 && p.get(2).equals("close") && method.equals("POST")) {
            requireScope("problems.write");
            return close(problem, call.body());
        }
        throw ApiError.notFound("Not found");
    }

    private ObjectNode findProblem(String id) {
        for (ObjectNode problem : data.problems) {
            if (problem.path("problemId").asText().equals(id)) {
                return problem;
            }
        }
        throw ApiError.notFound("The requested problem " + id + " was not found.");
    }

    private JsonNode listProblems(Call call) {
        long[] frame = timeframe(call, "now-2h");
        SandboxSelector problemSelector = selector(call, "problemSelector");
        SandboxSelector entitySelector = selector(call, "entitySelector");
        checkEntitySelector(call, entitySelector, false);
        int size = pageSize(call, "pageSize", 50, 500);
        Set<String> fields = fields(call);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode problem : data.problems) {
            if (!overlaps(problem, "startTime", "endTime", frame)
                    || !problemSelector.matchesAny("status", problem.path("status").asText())
                    || !problemSelector.matchesAny("severityLevel", problem.path("severityLevel").asText())
                    || !problemSelector.matchesAny("impactLevel", problem.path("impactLevel").asText())
                    || !problemSelector.matchesAny("displayId", problem.path("displayId").asText())) {
                continue;
            }
            boolean text = true;
            for (String value : problemSelector.values("text")) {
                text &= SandboxSelector.containsIgnoreCase(problem.path("title").asText(), value);
            }
            if (!text || !affects(problem, entitySelector, call)) {
                continue;
            }
            matching.add(problemView(problem, fields, false));
        }
        String sort = call.query().getOrDefault("sort", "-startTime");
        if (sort.equals("+startTime")) {
            matching.sort(Comparator.comparingLong(pr -> pr.path("startTime").asLong()));
        } else {
            matching.sort(Comparator.comparingLong((ObjectNode pr) -> pr.path("startTime").asLong()).reversed());
        }
        ObjectNode out = page(call, matching, "problems", size, "nextPageKey");
        out.putArray("warnings");
        return out;
    }

    private boolean affects(ObjectNode problem, SandboxSelector entitySelector, Call call) {
        if (call.query().get("entitySelector") == null) {
            return true;
        }
        for (JsonNode affected : problem.path("affectedEntities")) {
            ObjectNode entity = data.entityById(affected.path("entityId").path("id").asText());
            if (entity != null && SandboxData.matches(entitySelector, entity)) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode problemView(ObjectNode problem, Set<String> fields, boolean detail) {
        ObjectNode view = problem.deepCopy();
        if (!fields.contains("evidenceDetails")) {
            view.remove("evidenceDetails");
        }
        if (!fields.contains("impactAnalysis")) {
            view.remove("impactAnalysis");
        }
        if (!fields.contains("recentComments")) {
            view.remove("recentComments");
        } else {
            List<ObjectNode> list = comments.getOrDefault(problem.path("problemId").asText(), List.of());
            ObjectNode recent = view.putObject("recentComments");
            ArrayNode array = recent.putArray("comments");
            for (int i = list.size() - 1; i >= 0 && array.size() < 5; i--) {
                array.add(list.get(i).deepCopy());
            }
            recent.put("totalCount", list.size());
        }
        return view;
    }

    private JsonNode addComment(ObjectNode problem, JsonNode body) {
        String message = body == null ? "" : body.path("message").asText("");
        if (message.isBlank()) {
            throw ApiError.badParameter("message", "PAYLOAD_BODY", "must not be blank");
        }
        ObjectNode comment = json.createObjectNode();
        comment.put("id", UUID.randomUUID().toString());
        comment.put("createdAtTimestamp", System.currentTimeMillis());
        comment.put("content", message);
        comment.put("authorName", "sandbox-api-token");
        comment.put("context", body.path("context").asText(""));
        comments.computeIfAbsent(problem.path("problemId").asText(), k -> new ArrayList<>()).add(comment);
        return comment.deepCopy();
    }

    private JsonNode close(ObjectNode problem, JsonNode body) {
        String message = body == null ? "" : body.path("message").asText("");
        if (message.isBlank()) {
            throw ApiError.badParameter("message", "PAYLOAD_BODY", "must not be blank");
        }
        if (!problem.path("status").asText().equals("OPEN")) {
            throw new ApiError(400, "The problem " + problem.path("displayId").asText() + " is already closed.",
                    List.of());
        }
        problem.put("status", "CLOSED");
        problem.put("endTime", System.currentTimeMillis());
        ObjectNode commentBody = json.createObjectNode();
        commentBody.put("message", message);
        commentBody.put("context", "Problem closed");
        JsonNode comment = addComment(problem, commentBody);
        ObjectNode out = json.createObjectNode();
        out.put("problemId", problem.path("problemId").asText());
        out.put("closing", true);
        out.set("comment", comment);
        return out;
    }

    // ---------------------------------------------------------------- events

    private JsonNode eventsEndpoint(String method, List<String> p, Call call) {
        if (p.size() == 2 && p.get(1).equals("ingest")) {
            if (!method.equals("POST")) {
                throw new ApiError(405, "Method " + method + " not allowed", List.of());
            }
            requireScope("events.ingest");
            return ingest(call.body());
        }
        requireScope("events.read");
        if (p.size() == 1) {
            return requireGet(method, () -> listEvents(call));
        }
        return requireGet(method, () -> {
            for (ObjectNode event : allEvents()) {
                if (event.path("eventId").asText().equals(p.get(1))) {
                    return event.deepCopy();
                }
            }
            throw ApiError.notFound("Event " + p.get(1) + " not found");
        });
    }

    private List<ObjectNode> allEvents() {
        List<ObjectNode> all = new ArrayList<>(ingested);
        all.addAll(data.events);
        return all;
    }

    private JsonNode listEvents(Call call) {
        long[] frame = timeframe(call, "now-2h");
        SandboxSelector eventSelector = selector(call, "eventSelector");
        SandboxSelector entitySelector = selector(call, "entitySelector");
        checkEntitySelector(call, entitySelector, false);
        int size = pageSize(call, "pageSize", 100, 1000);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode event : allEvents()) {
            if (!overlaps(event, "startTime", "endTime", frame)
                    || !eventSelector.matchesAny("eventType", event.path("eventType").asText())
                    || !eventSelector.matchesAny("status", event.path("status").asText())) {
                continue;
            }
            if (call.query().get("entitySelector") != null) {
                ObjectNode entity = data.entityById(event.path("entityId").path("entityId").path("id").asText());
                if (entity == null || !SandboxData.matches(entitySelector, entity)) {
                    continue;
                }
            }
            matching.add(event.deepCopy());
        }
        matching.sort(Comparator.comparingLong((ObjectNode e) -> e.path("startTime").asLong()).reversed());
        ObjectNode out = page(call, matching, "events", size, "nextPageKey");
        out.putArray("warnings");
        return out;
    }

    private static final List<String> INGEST_TYPES = List.of("AVAILABILITY_EVENT", "CUSTOM_ALERT",
            "CUSTOM_ANNOTATION", "CUSTOM_CONFIGURATION", "CUSTOM_DEPLOYMENT", "CUSTOM_INFO", "ERROR_EVENT",
            "MARKED_FOR_TERMINATION", "PERFORMANCE_EVENT", "RESOURCE_CONTENTION_EVENT");

    private JsonNode ingest(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badParameter("body", "PAYLOAD_BODY", "must be a JSON object");
        }
        String type = body.path("eventType").asText("");
        if (!INGEST_TYPES.contains(type)) {
            throw ApiError.badParameter("eventType", "PAYLOAD_BODY", "must be one of " + INGEST_TYPES);
        }
        String title = body.path("title").asText("");
        if (title.isBlank()) {
            throw ApiError.badParameter("title", "PAYLOAD_BODY", "must not be blank");
        }
        List<ObjectNode> targets = new ArrayList<>();
        if (body.hasNonNull("entitySelector")) {
            SandboxSelector selector;
            try {
                selector = SandboxSelector.parse(body.path("entitySelector").asText());
            } catch (IllegalArgumentException e) {
                throw ApiError.badParameter("entitySelector", "PAYLOAD_BODY", "Invalid selector: " + e.getMessage());
            }
            for (ObjectNode entity : data.entities) {
                if (SandboxData.matches(selector, entity)) {
                    targets.add(entity);
                }
            }
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode results = out.putArray("eventIngestResults");
        long now = System.currentTimeMillis();
        int reports = Math.max(1, targets.size());
        for (int i = 0; i < reports; i++) {
            ObjectNode event = json.createObjectNode();
            String correlation = UUID.randomUUID().toString();
            event.put("eventId", Math.abs(correlation.hashCode()) + "_" + now);
            event.put("correlationId", correlation);
            event.put("eventType", type);
            event.put("title", title);
            event.put("status", "OPEN");
            event.put("startTime", body.path("startTime").asLong(now));
            event.put("endTime", body.path("endTime").asLong(-1));
            if (!targets.isEmpty()) {
                ObjectNode ref = event.putObject("entityId");
                ObjectNode id = ref.putObject("entityId");
                id.put("id", targets.get(i).path("entityId").asText());
                id.put("type", targets.get(i).path("type").asText());
                ref.put("name", targets.get(i).path("displayName").asText());
            }
            ArrayNode properties = event.putArray("properties");
            body.path("properties").properties().forEach(e -> {
                ObjectNode property = properties.addObject();
                property.put("key", e.getKey());
                property.put("value", e.getValue().asText());
            });
            ingested.add(0, event);
            ObjectNode result = results.addObject();
            result.put("correlationId", correlation);
            result.put("status", "OK");
        }
        out.put("reportCount", reports);
        return out;
    }

    // ---------------------------------------------------------------- entities

    private void checkEntitySelector(Call call, SandboxSelector selector, boolean required) {
        String text = call.query().get("entitySelector");
        if (text == null) {
            if (required) {
                throw ApiError.badParameter("entitySelector", "QUERY", "must not be null");
            }
            return;
        }
        if (!selector.has("type") && !selector.has("entityId")) {
            throw ApiError.badParameter("entitySelector", "QUERY",
                    "The entity selector must specify the type or the entityId");
        }
        Set<String> known = Set.of("type", "entityId", "entityName", "entityName.equals", "entityName.startsWith",
                "tag", "mzName", "healthState");
        for (String name : selector.names()) {
            if (!known.contains(name)) {
                throw ApiError.badParameter("entitySelector", "QUERY", "Unknown selector condition " + name);
            }
        }
    }

    private JsonNode listEntities(Call call) {
        requireScope("entities.read");
        SandboxSelector selector = selector(call, "entitySelector");
        checkEntitySelector(call, selector, true);
        int size = pageSize(call, "pageSize", 50, 500);
        Set<String> fields = fields(call);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode entity : data.entities) {
            if (SandboxData.matches(selector, entity)) {
                matching.add(entityView(entity, fields, false));
            }
        }
        String sort = call.query().get("sort");
        if (sort != null) {
            Comparator<ObjectNode> byName = Comparator.comparing(e -> e.path("displayName").asText());
            matching.sort(sort.startsWith("-") ? byName.reversed() : byName);
        }
        return page(call, matching, "entities", size, "nextPageKey");
    }

    private JsonNode entity(String id, Call call) {
        requireScope("entities.read");
        ObjectNode entity = data.entityById(id);
        if (entity == null) {
            throw ApiError.notFound("Entity with ID " + id + " not found");
        }
        return entityView(entity, fields(call), true);
    }

    private ObjectNode entityView(ObjectNode entity, Set<String> fields, boolean detail) {
        ObjectNode view = json.createObjectNode();
        view.put("entityId", entity.path("entityId").asText());
        view.put("displayName", entity.path("displayName").asText());
        view.put("type", entity.path("type").asText());
        for (String field : List.of("firstSeenTms", "lastSeenTms", "properties", "tags", "managementZones",
                "fromRelationships", "toRelationships")) {
            if (fields.contains(field) || (detail && fields.isEmpty())) {
                view.set(field, entity.path(field).deepCopy());
            }
        }
        return view;
    }

    private JsonNode listEntityTypes(Call call) {
        requireScope("entities.read");
        int size = pageSize(call, "pageSize", 50, 500);
        return page(call, data.entityTypes.stream().map(ObjectNode::deepCopy).toList(), "types", size, "nextPageKey");
    }

    private JsonNode entityType(String type) {
        requireScope("entities.read");
        for (ObjectNode entityType : data.entityTypes) {
            if (entityType.path("type").asText().equals(type)) {
                return entityType.deepCopy();
            }
        }
        throw ApiError.notFound("Entity type " + type + " not found");
    }

    // ---------------------------------------------------------------- metrics

    private JsonNode listMetrics(Call call) {
        requireScope("metrics.read");
        int size = pageSize(call, "pageSize", 100, 500);
        String text = call.query().get("text");
        String keys = call.query().get("metricSelector");
        Predicate<String> keyMatch = keys == null ? k -> true : wildcard(keys).asMatchPredicate();
        Set<String> fields = fields(call);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode metric : data.metrics) {
            String key = metric.path("metricId").asText();
            if (!keyMatch.test(key)) {
                continue;
            }
            if (text != null && !SandboxSelector.containsIgnoreCase(key + " " + metric.path("displayName").asText()
                    + " " + metric.path("description").asText(), text)) {
                continue;
            }
            ObjectNode view = json.createObjectNode();
            view.put("metricId", key);
            for (String field : List.of("displayName", "description", "unit")) {
                if (fields.isEmpty() || fields.contains(field)) {
                    view.set(field, metric.path(field).deepCopy());
                }
            }
            matching.add(view);
        }
        return page(call, matching, "metrics", size, "nextPageKey");
    }

    /** {@code builtin:host.*} as a pattern: only {@code *} is special, everything else is literal. */
    private static java.util.regex.Pattern wildcard(String keys) {
        StringBuilder regex = new StringBuilder();
        for (String part : keys.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(java.util.regex.Pattern.quote(part));
        }
        return java.util.regex.Pattern.compile(regex.toString());
    }

    private JsonNode metric(String key) {
        requireScope("metrics.read");
        for (ObjectNode metric : data.metrics) {
            if (metric.path("metricId").asText().equals(key)) {
                return metric.deepCopy();
            }
        }
        throw ApiError.notFound("Metric " + key + " not found");
    }

    private JsonNode queryMetrics(Call call) {
        requireScope("metrics.read");
        String selectorText = call.query().get("metricSelector");
        if (selectorText == null || selectorText.isBlank()) {
            throw ApiError.badParameter("metricSelector", "QUERY", "must not be null");
        }
        long[] frame = timeframe(call, "now-2h");
        SandboxSelector entitySelector = selector(call, "entitySelector");
        checkEntitySelector(call, entitySelector, false);
        String resolution = call.query().getOrDefault("resolution", "120");
        long step = resolutionMillis(resolution, frame);
        ObjectNode out = json.createObjectNode();
        out.put("totalCount", 0);
        out.putNull("nextPageKey");
        out.put("resolution", resolution.equals("Inf") ? "Inf" : (step / 60_000) + "m");
        ArrayNode results = out.putArray("result");
        int total = 0;
        for (String part : SandboxMetrics.splitTopLevel(selectorText)) {
            SandboxMetrics.Query query;
            try {
                query = SandboxMetrics.Query.parse(part);
            } catch (IllegalArgumentException e) {
                throw ApiError.badParameter("metricSelector", "QUERY", e.getMessage());
            }
            ObjectNode metric = null;
            for (ObjectNode candidate : data.metrics) {
                if (candidate.path("metricId").asText().equals(query.key())) {
                    metric = candidate;
                }
            }
            if (metric == null) {
                throw ApiError.notFound("Metric selector: the metric " + query.key() + " does not exist");
            }
            String entityType = metric.path("entityType").get(0).asText();
            String dimension = metric.path("dimensionDefinitions").get(0).path("key").asText();
            List<ObjectNode> sources = new ArrayList<>();
            for (ObjectNode entity : data.entities) {
                if (entity.path("type").asText().equals(entityType)
                        && (call.query().get("entitySelector") == null || SandboxData.matches(entitySelector, entity))) {
                    sources.add(entity);
                }
            }
            ObjectNode result = results.addObject();
            ArrayNode series = result.putArray("data");
            List<ObjectNode> generated = SandboxMetrics.series(json, query, dimension, sources, frame, step,
                    resolution.equals("Inf"));
            generated.forEach(series::add);
            total += generated.size();
            result.put("dataPointCountRatio", 0.0000216);
            result.put("dimensionCountRatio", 0.00018);
            result.put("metricId", part);
        }
        out.put("totalCount", total);
        return out;
    }

    private static long resolutionMillis(String resolution, long[] frame) {
        long span = Math.max(60_000L, frame[1] - frame[0]);
        if (resolution.equals("Inf")) {
            return span;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]{1,4})([smhdwMyq]?)$").matcher(resolution);
        if (!m.matches()) {
            throw ApiError.badParameter("resolution", "QUERY", "is not a valid resolution");
        }
        long n = Long.parseLong(m.group(1));
        long step = switch (m.group(2)) {
            case "" -> Math.max(60_000L, span / Math.max(1, n) / 60_000L * 60_000L);
            case "s", "m" -> Math.max(60_000L, n * 60_000L);
            case "h" -> n * 3_600_000L;
            case "d" -> n * 86_400_000L;
            default -> n * 7 * 86_400_000L;
        };
        if (span / step > 10_080) {
            throw ApiError.badParameter("resolution", "QUERY", "gives more than 10080 data points");
        }
        return step;
    }

    // ---------------------------------------------------------------- logs

    private JsonNode searchLogs(Call call) {
        requireScope("logs.read");
        long[] frame = timeframe(call, "now-2h");
        int limit = pageSize(call, "limit", 1000, 10_000);
        Predicate<JsonNode> filter = SandboxLogQuery.parse(call.query().get("query"));
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode record : data.logs) {
            long time = record.path("timestamp").asLong();
            if (time >= frame[0] && time <= frame[1] && filter.test(record)) {
                matching.add(record.deepCopy());
            }
        }
        String sort = call.query().getOrDefault("sort", "-timestamp");
        if (!sort.equals("-timestamp") && !sort.equals("timestamp")) {
            throw ApiError.badParameter("sort", "QUERY", "must be timestamp or -timestamp");
        }
        Comparator<ObjectNode> byTime = Comparator.comparingLong(r -> r.path("timestamp").asLong());
        matching.sort(sort.equals("timestamp") ? byTime : byTime.reversed());
        ObjectNode page = page(call, matching, "results", limit, "nextSliceKey");
        ObjectNode out = json.createObjectNode();
        out.set("nextSliceKey", page.get("nextSliceKey"));
        out.set("results", page.get("results"));
        out.set("sliceSize", page.get("sliceSize"));
        return out;
    }

    // ---------------------------------------------------------------- security problems

    private JsonNode listSecurityProblems(Call call) {
        requireScope("securityProblems.read");
        long[] frame = timeframe(call, "now-30d");
        SandboxSelector selector = selector(call, "securityProblemSelector");
        int size = pageSize(call, "pageSize", 100, 500);
        Set<String> fields = fields(call);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode problem : data.securityProblems) {
            if (problem.path("lastUpdatedTimestamp").asLong() < frame[0]
                    || problem.path("firstSeenTimestamp").asLong() > frame[1]
                    || !selector.matchesAny("status", problem.path("status").asText())
                    || !selector.matchesAny("riskLevel", problem.path("riskAssessment").path("riskLevel").asText())
                    || !selector.matchesAny("vulnerabilityType", problem.path("vulnerabilityType").asText())) {
                continue;
            }
            if (selector.has("cveId")) {
                boolean cve = false;
                for (JsonNode id : problem.path("cveIds")) {
                    cve |= selector.values("cveId").contains(id.asText());
                }
                if (!cve) {
                    continue;
                }
            }
            matching.add(securityView(problem, fields));
        }
        String sort = call.query().getOrDefault("sort", "-lastUpdatedTimestamp");
        Comparator<ObjectNode> order = switch (sort.replaceFirst("^[+-]", "")) {
            case "riskAssessment.riskScore" -> Comparator.comparingDouble(
                    sp -> data.securityProblems.stream()
                            .filter(o -> o.path("securityProblemId").equals(sp.path("securityProblemId")))
                            .findFirst().orElseThrow().path("riskAssessment").path("riskScore").asDouble());
            case "firstSeenTimestamp" -> Comparator.comparingLong(sp -> sp.path("firstSeenTimestamp").asLong());
            case "displayId" -> Comparator.comparingInt(sp -> Integer.parseInt(sp.path("displayId").asText().substring(2)));
            default -> Comparator.comparingLong(sp -> sp.path("lastUpdatedTimestamp").asLong());
        };
        matching.sort(sort.startsWith("-") ? order.reversed() : order);
        return page(call, matching, "securityProblems", size, "nextPageKey");
    }

    private ObjectNode securityView(ObjectNode problem, Set<String> fields) {
        ObjectNode view = problem.deepCopy();
        for (String extra : List.of("riskAssessment", "description", "remediationDescription", "vulnerableComponents",
                "affectedEntities")) {
            if (!fields.contains(extra)) {
                view.remove(extra);
            }
        }
        return view;
    }

    private JsonNode securityProblem(String id, Call call) {
        requireScope("securityProblems.read");
        for (ObjectNode problem : data.securityProblems) {
            if (problem.path("securityProblemId").asText().equals(id)) {
                return securityView(problem, fields(call));
            }
        }
        throw ApiError.notFound("Security problem " + id + " not found");
    }

    // ---------------------------------------------------------------- SLOs

    private JsonNode listSlos(Call call) {
        requireScope("slo.read");
        SandboxSelector selector = selector(call, "sloSelector");
        int size = pageSize(call, "pageSize", 10, 10_000);
        String enabled = call.query().getOrDefault("enabledSlos", "true");
        boolean evaluate = Boolean.parseBoolean(call.query().getOrDefault("evaluate", "false"));
        if (call.query().getOrDefault("timeFrame", "CURRENT").equals("GTF")
                && (call.query().get("from") == null || call.query().get("to") == null)) {
            throw ApiError.badParameter("from", "QUERY", "from and to are required when timeFrame is GTF");
        }
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode slo : data.slos) {
            boolean isEnabled = slo.path("enabled").asBoolean();
            if ((enabled.equals("true") && !isEnabled) || (enabled.equals("false") && isEnabled)) {
                continue;
            }
            boolean text = true;
            for (String value : selector.values("text")) {
                text &= SandboxSelector.containsIgnoreCase(slo.path("name").asText(), value);
            }
            String health = slo.path("status").asText().equals("FAILURE") ? "UNHEALTHY" : "HEALTHY";
            if (!text || !selector.matchesAny("healthState", health) || !selector.matchesAny("name",
                    slo.path("name").asText())) {
                continue;
            }
            ObjectNode view = slo.deepCopy();
            if (!evaluate) {
                view.put("evaluatedPercentage", -1);
                view.put("errorBudget", -1);
                view.put("status", "NONE");
            }
            matching.add(view);
        }
        return page(call, matching, "slo", size, "nextPageKey");
    }

    private JsonNode slo(String id) {
        requireScope("slo.read");
        for (ObjectNode slo : data.slos) {
            if (slo.path("id").asText().equals(id)) {
                return slo.deepCopy();
            }
        }
        throw ApiError.notFound("SLO " + id + " not found");
    }

    // ---------------------------------------------------------------- audit logs

    private JsonNode listAuditLogs(Call call) {
        requireScope("auditLogs.read");
        long[] frame = timeframe(call, "now-2w");
        SandboxSelector filter = selector(call, "filter");
        int size = pageSize(call, "pageSize", 1000, 5000);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode entry : data.auditLogs) {
            long time = entry.path("timestamp").asLong();
            if (time < frame[0] || time > frame[1]
                    || !filter.matchesAny("user", entry.path("user").asText())
                    || !filter.matchesAny("eventType", entry.path("eventType").asText())
                    || !filter.matchesAny("category", entry.path("category").asText())
                    || !filter.matchesAny("entityId", entry.path("entityId").asText())) {
                continue;
            }
            matching.add(entry.deepCopy());
        }
        Comparator<ObjectNode> byTime = Comparator.comparingLong(e -> e.path("timestamp").asLong());
        matching.sort(call.query().getOrDefault("sort", "-timestamp").equals("timestamp") ? byTime : byTime.reversed());
        return page(call, matching, "auditLogs", size, "nextPageKey");
    }

    // ---------------------------------------------------------------- tokens

    private JsonNode lookupToken(Call call) {
        JsonNode body = call.body();
        String presented = body == null ? "" : body.path("token").asText("");
        if (presented.isBlank()) {
            throw ApiError.badParameter("token", "PAYLOAD_BODY", "must not be blank");
        }
        if (!presented.equals(token)) {
            throw ApiError.notFound("Token not found");
        }
        ObjectNode out = json.createObjectNode();
        String[] parts = token.split("\\.");
        out.put("id", parts[0] + "." + parts[1]);
        out.put("name", "sandbox-" + alias.toLowerCase(Locale.ROOT));
        out.put("enabled", true);
        out.put("personalAccessToken", false);
        out.put("owner", "sandbox");
        out.put("creationDate", java.time.Instant.ofEpochMilli(data.now).toString());
        ArrayNode granted = out.putArray("scopes");
        scopes.forEach(granted::add);
        return out;
    }
}
