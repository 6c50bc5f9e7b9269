package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.PageKeys;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The document service ({@code /platform/document/v1/documents}): a filtered, sorted, paged list of
 * each environment's notebooks, dashboards and launchpads, a document's metadata and content, and
 * multipart creation of new documents, which the sandbox records.
 */
final class DocumentEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9-]{1,100}$");
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int MAX_PAGE_SIZE = 1000;

    private record Stored(ObjectNode metadata, String content) {
    }

    private final Clock clock;
    private final PageKeys pageKeys;
    private final Map<String, List<Stored>> documents = new LinkedHashMap<>();
    private final Map<String, String> owners = new LinkedHashMap<>();
    private final List<JsonNode> created = new CopyOnWriteArrayList<>();

    DocumentEndpoints(Clock clock, PageKeys pageKeys, List<String> environmentIds, long seed) {
        this.clock = clock;
        this.pageKeys = pageKeys;
        String[][] seeded = {{"notebook", "Getting started"}, {"notebook", "Kubernetes troubleshooting"},
            {"notebook", "Error log analysis"}, {"dashboard", "Host health"}, {"dashboard", "Service overview"},
            {"dashboard", "Business KPIs"}, {"launchpad", "Team launchpad"}};
        for (int e = 0; e < environmentIds.size(); e++) {
            Random random = new Random(seed + 7919L * e);
            String owner = new UUID(random.nextLong(), random.nextLong()).toString();
            owners.put(environmentIds.get(e), owner);
            List<Stored> list = new CopyOnWriteArrayList<>();
            for (int i = 0; i < seeded.length; i++) {
                String created = GrailData.iso(clock.instant().minusSeconds(86400L * (30 - i)));
                ObjectNode meta = metadata(new UUID(random.nextLong(), random.nextLong()).toString(), seeded[i][1],
                        seeded[i][0], "Sandbox " + seeded[i][0] + " " + (i + 1), owner, i % 2 == 0, created);
                list.add(new Stored(meta, seededContent(seeded[i][0], seeded[i][1])));
            }
            documents.put(environmentIds.get(e), list);
        }
    }

    /** Every document created through the API, as {@code {environmentId, metadata, content}}, oldest first. */
    List<JsonNode> created() {
        return List.copyOf(created);
    }

    SandboxResponse list(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("document:documents:read");
        String scope = "documents:" + environmentId;
        Map<String, String> query = new LinkedHashMap<>();
        int offset = 0;
        if (request.queryParameter("page-key").isPresent()) {
            PageKeys.Page page = pageKeys.decode("page-key", scope, request.queryParameter("page-key").get());
            query.putAll(page.query());
            offset = page.offset();
            request.queryParameter("page-size").ifPresent(size -> query.put("page-size", size));
        } else {
            request.queryParameter("filter").ifPresent(v -> query.put("filter", v));
            request.queryParameter("sort").ifPresent(v -> query.put("sort", v));
            request.queryParameter("page-size").ifPresent(v -> query.put("page-size", v));
        }
        int pageSize = DEFAULT_PAGE_SIZE;
        if (query.containsKey("page-size")) {
            try {
                pageSize = Integer.parseInt(query.get("page-size"));
            } catch (NumberFormatException e) {
                throw PlatformErrors.badQuery("page-size", "must be a number");
            }
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw PlatformErrors.badQuery("page-size", "must be between 1 and " + MAX_PAGE_SIZE);
            }
        }
        Predicate<JsonNode> filter = doc -> true;
        if (query.containsKey("filter") && !query.get("filter").isBlank()) {
            try {
                filter = DocumentFilter.parse(query.get("filter"));
            } catch (IllegalArgumentException e) {
                throw PlatformErrors.badQuery("filter", e.getMessage());
            }
        }
        List<ObjectNode> matches = new ArrayList<>();
        for (Stored doc : documents.get(environmentId)) {
            if (filter.test(doc.metadata())) {
                matches.add(doc.metadata());
            }
        }
        matches.sort(comparator(query.getOrDefault("sort", "name")));
        ObjectNode body = NODES.objectNode();
        ArrayNode out = body.putArray("documents");
        int endIndex = Math.min(matches.size(), offset + pageSize);
        for (int i = offset; i < endIndex; i++) {
            out.add(matches.get(i).deepCopy());
        }
        if (endIndex < matches.size()) {
            Map<String, String> carried = new LinkedHashMap<>(query);
            carried.remove("page-size");
            body.put("nextPageKey", pageKeys.encode(scope, carried, endIndex));
        } else {
            body.putNull("nextPageKey");
        }
        body.put("totalCount", matches.size());
        return SandboxResponse.json(body);
    }

    SandboxResponse metadata(String environmentId, PlatformAuth.Principal principal, String id) {
        principal.require("document:documents:read");
        return SandboxResponse.json(find(environmentId, id).metadata().deepCopy());
    }

    /** The document as the service sends it: multipart with its metadata and its content. */
    SandboxResponse document(String environmentId, PlatformAuth.Principal principal, String id) {
        principal.require("document:documents:read");
        Stored doc = find(environmentId, id);
        String boundary = "sandbox-" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + doc.metadata() + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"content\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + doc.content() + "\r\n--" + boundary + "--\r\n";
        return new SandboxResponse(200, "multipart/form-data; boundary=" + boundary,
                body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    SandboxResponse create(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("document:documents:write");
        Map<String, String> parts = Multipart.parse(request.header("content-type").orElse(null), request.body())
                .orElseThrow(() -> SandboxError.of(415, "Content-Type must be multipart/form-data"));
        String name = parts.getOrDefault("name", "").trim();
        String type = parts.getOrDefault("type", "").trim();
        String content = parts.get("content");
        if (name.isEmpty()) {
            throw PlatformErrors.badBody("name", "must not be blank");
        }
        if (name.length() > 200) {
            throw PlatformErrors.badBody("name", "must be at most 200 characters");
        }
        if (type.isEmpty()) {
            throw PlatformErrors.badBody("type", "must not be blank");
        }
        if (content == null) {
            throw PlatformErrors.badBody("content", "must be given");
        }
        if (type.equals("notebook") || type.equals("dashboard")) {
            try {
                JsonNode parsed = JSON.readTree(content);
                if (parsed == null || !parsed.isObject()) {
                    throw PlatformErrors.badBody("content", "must be a JSON object for a " + type);
                }
            } catch (IOException e) {
                throw PlatformErrors.badBody("content", "is not valid JSON");
            }
        }
        String id = parts.getOrDefault("id", "").trim();
        if (id.isEmpty()) {
            id = UUID.randomUUID().toString();
        } else if (!ID.matcher(id).matches()) {
            throw PlatformErrors.badBody("id", "may hold only A-Z, a-z, 0-9 and -, at most 100 characters");
        }
        List<Stored> list = documents.get(environmentId);
        synchronized (list) {
            for (Stored existing : list) {
                if (existing.metadata().path("id").asText().equals(id)) {
                    throw SandboxError.of(409, "A document with id " + id + " already exists");
                }
            }
            ObjectNode meta = metadata(id, name, type, parts.getOrDefault("description", ""), owners.get(environmentId),
                    !"false".equalsIgnoreCase(parts.getOrDefault("isPrivate", "true")), GrailData.iso(clock.instant()));
            list.add(new Stored(meta, content));
            ObjectNode record = NODES.objectNode();
            record.put("environmentId", environmentId);
            record.set("metadata", meta.deepCopy());
            try {
                record.set("content", JSON.readTree(content));
            } catch (IOException e) {
                record.put("content", content);
            }
            created.add(record);
            return SandboxResponse.json(201, meta.deepCopy());
        }
    }

    private Stored find(String environmentId, String id) {
        for (Stored doc : documents.get(environmentId)) {
            if (doc.metadata().path("id").asText().equals(id)) {
                return doc;
            }
        }
        throw SandboxError.notFound("Document " + id + " not found");
    }

    private static Comparator<ObjectNode> comparator(String sort) {
        Comparator<ObjectNode> out = null;
        for (String raw : sort.split(",")) {
            String field = raw.trim();
            if (field.isEmpty()) {
                continue;
            }
            boolean descending = field.startsWith("-");
            String name = descending ? field.substring(1) : field;
            Comparator<ObjectNode> one = Comparator.comparing(
                    (ObjectNode doc) -> name.contains(".") ? doc.at("/" + name.replace('.', '/')).asText() : doc.path(name).asText());
            one = descending ? one.reversed() : one;
            out = out == null ? one : out.thenComparing(one);
        }
        Comparator<ObjectNode> byId = Comparator.comparing(doc -> doc.path("id").asText());
        return out == null ? byId : out.thenComparing(byId);
    }

    private static ObjectNode metadata(String id, String name, String type, String description, String owner,
                                       boolean isPrivate, String time) {
        ObjectNode meta = NODES.objectNode();
        meta.put("id", id);
        meta.put("name", name);
        meta.put("type", type);
        meta.put("description", description);
        meta.put("version", 1);
        meta.put("owner", owner);
        meta.put("isPrivate", isPrivate);
        ArrayNode access = meta.putArray("access");
        access.add("read").add("write").add("delete");
        ObjectNode modification = meta.putObject("modificationInfo");
        modification.put("createdBy", owner);
        modification.put("createdTime", time);
        modification.put("lastModifiedBy", owner);
        modification.put("lastModifiedTime", time);
        meta.putNull("originAppId");
        meta.putNull("originExtensionId");
        return meta;
    }

    private static String seededContent(String type, String name) {
        ObjectNode content = NODES.objectNode();
        if (type.equals("notebook")) {
            ObjectNode timeframe = content.putObject("defaultTimeframe");
            timeframe.put("from", "now()-2h");
            timeframe.put("to", "now()");
            content.putArray("defaultSegments");
            ArrayNode sections = content.putArray("sections");
            ObjectNode markdown = sections.addObject();
            markdown.put("id", UUID.nameUUIDFromBytes((name + "md").getBytes(StandardCharsets.UTF_8)).toString());
            markdown.put("type", "markdown");
            markdown.put("markdown", "# " + name);
            ObjectNode dql = sections.addObject();
            dql.put("id", UUID.nameUUIDFromBytes((name + "dql").getBytes(StandardCharsets.UTF_8)).toString());
            dql.put("type", "dql");
            dql.put("showTitle", false);
            dql.putObject("state").putObject("input").put("value", "fetch logs\n| filter loglevel == \"ERROR\"\n| limit 20");
        } else {
            content.put("version", 17);
            content.putObject("variables");
            ObjectNode tiles = content.putObject("tiles");
            ObjectNode tile = tiles.putObject("0");
            tile.put("type", "data");
            tile.put("title", name);
            tile.put("query", "timeseries avg(dt.host.cpu.usage), by:{dt.entity.host}");
        }
        return content.toString();
    }
}
