package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Dql;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlData;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlException;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlQuery;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlResult;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Grail query API ({@code /platform/storage/query/v1/query:execute|poll|cancel|verify}): the
 * query is parsed and evaluated by the sandbox's DQL engine over the environment's data, at execute
 * time; a query that takes time ({@code // slow} in its text, or the sandbox's query latency) answers
 * 202 RUNNING with a request token until its time has passed by the clock, and is then handed out
 * once by poll (410 QUERY_GONE after). Long values are JSON strings in the answer, as the platform
 * sends them.
 */
final class QueryEndpoints {

    static final Duration SLOW = Duration.ofSeconds(2);
    private static final int DEFAULT_MAX_RECORDS = 1000;
    private static final int TTL_SECONDS = 600;

    private record Job(String environmentId, Instant started, Instant ready, ObjectNode result) {
    }

    private final Clock clock;
    private final Duration latency;
    private final Map<String, GrailData> data;
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    QueryEndpoints(Clock clock, Duration latency, Map<String, GrailData> data) {
        this.clock = clock;
        this.latency = latency;
        this.data = data;
        data.keySet().forEach(id -> received.put(id, new CopyOnWriteArrayList<>()));
    }

    List<String> received(String environmentId) {
        List<String> list = received.get(environmentId);
        if (list == null) {
            throw new IllegalArgumentException("no such environment: " + environmentId);
        }
        return List.copyOf(list);
    }

    List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    /** The DQL view of one environment's data. */
    static DqlData view(GrailData grail) {
        return new DqlData() {
            @Override
            public Optional<List<ObjectNode>> table(String name) {
                return grail.table(name);
            }

            @Override
            public Optional<List<ObjectNode>> metric(String key) {
                return grail.metric(key);
            }
        };
    }

    /** The scopes a query needs besides {@code storage:buckets:read}, by the data objects it reads. */
    static String scopeOf(String dataObject) {
        if (dataObject.equals("logs")) {
            return "storage:logs:read";
        }
        if (dataObject.equals("events") || dataObject.startsWith("dt.davis.")) {
            return "storage:events:read";
        }
        if (dataObject.equals("bizevents")) {
            return "storage:bizevents:read";
        }
        if (dataObject.equals("spans")) {
            return "storage:spans:read";
        }
        if (dataObject.equals("security.events") || dataObject.equals("dt.security_events")) {
            return "storage:security.events:read";
        }
        if (dataObject.equals("user.events")) {
            return "storage:user.events:read";
        }
        if (dataObject.equals("user.sessions")) {
            return "storage:user.sessions:read";
        }
        if (dataObject.startsWith("dt.entity.")) {
            return "storage:entities:read";
        }
        if (dataObject.startsWith("dt.system.")) {
            return "storage:system:read";
        }
        if (dataObject.equals("metrics")) {
            return "storage:metrics:read";
        }
        return "storage:buckets:read";
    }

    SandboxResponse execute(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        JsonNode body = request.json();
        if (!body.isObject() || !body.path("query").isTextual() || body.path("query").asText().isBlank()) {
            throw PlatformErrors.badBody("query", "must not be blank");
        }
        String text = body.path("query").asText();
        received.get(environmentId).add(text);
        DqlQuery query;
        try {
            query = Dql.parse(text);
        } catch (DqlException e) {
            return syntaxError(text, e);
        }
        principal.require("storage:buckets:read");
        for (String dataObject : query.dataObjects()) {
            principal.require(scopeOf(dataObject));
        }
        Instant now = clock.instant();
        Instant to = instant(body, "defaultTimeframeEnd", now);
        Instant from = instant(body, "defaultTimeframeStart", to.minus(Duration.ofHours(2)));
        int max = body.path("maxResultRecords").canConvertToInt() && body.path("maxResultRecords").asInt() > 0
                ? body.path("maxResultRecords").asInt() : DEFAULT_MAX_RECORDS;
        DqlResult result;
        long began = System.nanoTime();
        try {
            result = query.evaluate(view(data.get(environmentId)), now, from, to, max);
        } catch (DqlException e) {
            return syntaxError(text, e);
        }
        long millis = Math.max(1, (System.nanoTime() - began) / 1_000_000);
        ObjectNode rendered = render(text, result, from, to, max, millis);
        Duration takes = text.contains("// slow") && SLOW.compareTo(latency) > 0 ? SLOW : latency;
        if (takes.isZero()) {
            return SandboxResponse.json(finished(rendered));
        }
        String token = Base64Token.next();
        jobs.put(token, new Job(environmentId, now, now.plus(takes), rendered));
        ObjectNode running = NODES.objectNode();
        running.put("state", "RUNNING");
        running.put("requestToken", token);
        running.put("ttlSeconds", TTL_SECONDS);
        running.put("progress", 0);
        return SandboxResponse.json(202, running);
    }

    SandboxResponse poll(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("storage:buckets:read");
        String token = request.queryParameter("request-token")
                .orElseThrow(() -> PlatformErrors.badQuery("request-token", "must be given"));
        Job job = jobs.get(token);
        if (job == null || !job.environmentId().equals(environmentId)) {
            throw gone();
        }
        Instant now = clock.instant();
        if (now.isBefore(job.ready())) {
            ObjectNode running = NODES.objectNode();
            running.put("state", "RUNNING");
            running.put("ttlSeconds", TTL_SECONDS);
            long total = Duration.between(job.started(), job.ready()).toMillis();
            long done = Duration.between(job.started(), now).toMillis();
            running.put("progress", (int) Math.min(99, total == 0 ? 0 : done * 100 / total));
            return SandboxResponse.json(running);
        }
        if (jobs.remove(token) == null) {
            throw gone();
        }
        return SandboxResponse.json(finished(job.result()));
    }

    SandboxResponse cancel(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("storage:buckets:read");
        String token = request.queryParameter("request-token")
                .orElseThrow(() -> PlatformErrors.badQuery("request-token", "must be given"));
        Job job = jobs.get(token);
        if (job == null || !job.environmentId().equals(environmentId) || jobs.remove(token) == null) {
            throw gone();
        }
        if (!clock.instant().isBefore(job.ready())) {
            return SandboxResponse.json(finished(job.result()));
        }
        cancelled.add(token);
        return new SandboxResponse(202, "application/json;charset=utf-8", new byte[0], Map.of());
    }

    SandboxResponse verify(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        JsonNode body = request.json();
        if (!body.isObject() || !body.path("query").isTextual()) {
            throw PlatformErrors.badBody("query", "must be given");
        }
        String text = body.path("query").asText();
        received.get(environmentId).add(text);
        ObjectNode answer = NODES.objectNode();
        ArrayNode notifications = NODES.arrayNode();
        try {
            Dql.parse(text);
            answer.put("valid", true);
        } catch (DqlException e) {
            answer.put("valid", false);
            ObjectNode n = notifications.addObject();
            n.put("severity", "ERROR");
            n.put("notificationType", e.code());
            n.put("message", e.getMessage());
            n.set("syntaxPosition", position(e));
            ArrayNode arguments = n.putArray("arguments");
            e.arguments().forEach(arguments::add);
            n.put("messageFormat", e.getMessage());
            n.putArray("messageFormatSpecifierTypes");
        }
        if (body.path("generateCanonicalQuery").asBoolean(false)) {
            answer.put("canonicalQuery", canonical(text));
        }
        answer.set("notifications", notifications);
        return SandboxResponse.json(answer);
    }

    private static SandboxError gone() {
        return SandboxError.of(410, "QUERY_GONE");
    }

    private static ObjectNode finished(ObjectNode result) {
        ObjectNode body = NODES.objectNode();
        body.put("state", "SUCCEEDED");
        body.put("progress", 100);
        body.put("ttlSeconds", TTL_SECONDS);
        body.set("result", result.deepCopy());
        return body;
    }

    private static Instant instant(JsonNode body, String field, Instant fallback) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull() || value.asText().isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw PlatformErrors.badBody(field, "must be an ISO-8601 timestamp such as 2025-06-01T10:00:00Z");
        }
    }

    private SandboxResponse syntaxError(String text, DqlException e) {
        ObjectNode details = NODES.objectNode();
        boolean syntax = e.code().startsWith("PARSE_ERROR") || e.code().equals("UNKNOWN_COMMAND");
        details.put("exceptionType", syntax ? "DQL-SYNTAX-ERROR" : "DQL-SEMANTIC-ERROR");
        details.put("errorType", e.code());
        details.put("errorMessage", e.getMessage());
        ArrayNode arguments = details.putArray("arguments");
        e.arguments().forEach(arguments::add);
        details.put("queryString", text);
        details.put("errorMessageFormat", e.getMessage());
        details.putArray("errorMessageFormatSpecifierTypes");
        details.put("queryId", UUID.randomUUID().toString());
        details.set("syntaxErrorPosition", position(e));
        return PlatformErrors.response(400, e.code(), details);
    }

    private static ObjectNode position(DqlException e) {
        ObjectNode out = NODES.objectNode();
        ObjectNode start = out.putObject("start");
        start.put("column", e.column());
        start.put("index", e.index() < 0 ? 0 : e.index());
        start.put("line", e.line());
        ObjectNode end = out.putObject("end");
        end.put("column", e.endColumn());
        end.put("index", e.endIndex() < 0 ? (e.index() < 0 ? 0 : e.index()) : e.endIndex());
        end.put("line", e.endLine());
        return out;
    }

    /** The platform's canonical form: one command per line, each after the first starting with {@code | }. */
    static String canonical(String text) {
        List<String> commands = DqlText.commands(text);
        return String.join("\n| ", commands);
    }

    private ObjectNode render(String text, DqlResult result, Instant from, Instant to, int max, long millis) {
        ObjectNode out = NODES.objectNode();
        ArrayNode records = out.putArray("records");
        List<ObjectNode> mappings = new ArrayList<>();
        for (ObjectNode record : result.records()) {
            records.add(stringifyLongs(record));
            mappings.add(mappings(record));
        }
        ArrayNode types = out.putArray("types");
        int startIndex = 0;
        for (int i = 1; i <= mappings.size(); i++) {
            if (i == mappings.size() || !mappings.get(i).equals(mappings.get(startIndex))) {
                ObjectNode bucket = types.addObject();
                bucket.putArray("indexRange").add(startIndex).add(i - 1);
                bucket.set("mappings", mappings.get(startIndex));
                startIndex = i;
            }
        }
        ObjectNode grail = out.putObject("metadata").putObject("grail");
        grail.put("canonicalQuery", canonical(text));
        grail.put("timezone", "Z");
        grail.put("query", text);
        grail.put("scannedRecords", result.scannedRecords());
        grail.put("dqlVersion", "V1_0");
        grail.put("scannedBytes", result.scannedBytes());
        grail.put("scannedDataPoints", 0);
        ObjectNode timeframe = grail.putObject("analysisTimeframe");
        timeframe.put("start", GrailData.iso(from));
        timeframe.put("end", GrailData.iso(to));
        grail.put("locale", "und");
        grail.put("executionTimeMilliseconds", millis);
        ArrayNode notifications = grail.putArray("notifications");
        if (result.truncated()) {
            ObjectNode n = notifications.addObject();
            n.put("severity", "WARNING");
            n.put("notificationType", "RESULT_TRUNCATED");
            n.put("message", "The result has been limited to " + max + " records. Use maxResultRecords to get more.");
            n.put("messageFormat", "The result has been limited to %1$s records. Use maxResultRecords to get more.");
            n.putArray("arguments").add(String.valueOf(max));
            n.putArray("messageFormatSpecifierTypes").add("NUMBER");
        }
        grail.put("queryId", UUID.randomUUID().toString());
        grail.put("sampled", false);
        return out;
    }

    /** DQL longs as JSON strings, recursively, as the platform sends them. */
    static JsonNode stringifyLongs(JsonNode node) {
        if (node.isIntegralNumber()) {
            return NODES.textNode(node.asText());
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            node.properties().forEach(e -> out.set(e.getKey(), stringifyLongs(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(element -> out.add(stringifyLongs(element)));
            return out;
        }
        return node;
    }

    private static ObjectNode mappings(JsonNode record) {
        ObjectNode out = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            out.set(field.getKey(), type(field.getKey(), field.getValue()));
        }
        return out;
    }

    private static ObjectNode type(String name, JsonNode value) {
        ObjectNode out = NODES.objectNode();
        if (value.isNull()) {
            out.put("type", "undefined");
        } else if (value.isBoolean()) {
            out.put("type", "boolean");
        } else if (value.isIntegralNumber()) {
            out.put("type", name.equals("interval") || name.equals("duration") ? "duration" : "long");
        } else if (value.isNumber()) {
            out.put("type", "double");
        } else if (value.isTextual()) {
            String text = value.asText();
            out.put("type", text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z") ? "timestamp"
                    : name.equals("interval") && text.matches("\\d+") ? "duration" : "string");
        } else if (value.isObject()) {
            if (value.size() == 2 && value.has("start") && value.has("end")) {
                out.put("type", "timeframe");
            } else {
                out.put("type", "record");
                ObjectNode bucket = out.putArray("types").addObject();
                bucket.putArray("indexRange").add(0).add(0);
                bucket.set("mappings", mappings(value));
            }
        } else if (value.isArray()) {
            out.put("type", "array");
            ArrayNode types = out.putArray("types");
            List<ObjectNode> elements = new ArrayList<>();
            value.forEach(element -> elements.add(type("element", element)));
            int startIndex = 0;
            for (int i = 1; i <= elements.size(); i++) {
                if (i == elements.size() || !elements.get(i).equals(elements.get(startIndex))) {
                    ObjectNode bucket = types.addObject();
                    bucket.putArray("indexRange").add(startIndex).add(i - 1);
                    bucket.putObject("mappings").set("element", elements.get(startIndex));
                    startIndex = i;
                }
            }
        } else {
            out.put("type", "string");
        }
        return out;
    }

    /** Opaque request tokens with the characters real ones carry ({@code / + =}). */
    static final class Base64Token {
        private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

        private Base64Token() {
        }

        static String next() {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            return java.util.Base64.getEncoder().encodeToString(bytes) + "==";
        }
    }
}
