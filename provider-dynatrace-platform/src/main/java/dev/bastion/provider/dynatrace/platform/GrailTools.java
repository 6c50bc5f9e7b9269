package dev.bastion.provider.dynatrace.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactTable;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The typed Grail tools: problems, vulnerabilities, entities, Kubernetes events and exceptions. Each
 * writes its DQL with {@link DqlText} from its arguments, so no argument can change the query's shape.
 */
final class GrailTools {

    private static final Arg<String> PROBLEM_STATUS = Arg.enumeration("status", "ACTIVE or CLOSED; default both.",
            List.of("ACTIVE", "CLOSED"));
    private static final Arg<String> CATEGORY = Arg.enumeration("category", "Only problems of this category.",
            List.of("AVAILABILITY", "ERROR", "SLOWDOWN", "RESOURCE_CONTENTION", "CUSTOM_ALERT", "MONITORING_UNAVAILABLE"));
    private static final Arg<String> TEXT = Arg.string("text", "Only those whose title contains this text.", 200);
    private static final Arg<String> PROBLEM_ID = Arg.pattern("problem_id", "The problem's display id (P-2412345) or"
            + " event id, from dynatrace_platform_list_problems.", "^[A-Za-z0-9_:.-]{1,128}$", 128).required();
    private static final Arg<String> RISK = Arg.enumeration("risk_level", "Only vulnerabilities of this risk level.",
            List.of("CRITICAL", "HIGH", "MEDIUM", "LOW"));
    private static final Arg<String> VULN_STATUS = Arg.enumeration("status", "OPEN or RESOLVED; default OPEN.",
            List.of("OPEN", "RESOLVED")).withDefault("OPEN");
    private static final Arg<String> CVE = Arg.pattern("cve", "Only vulnerabilities with this CVE id.",
            "^CVE-[0-9]{4}-[0-9]{4,7}$", 20);
    private static final Arg<String> VULN_ID = Arg.pattern("vulnerability_id", "The vulnerability's display id"
            + " (S-1234) or id, from dynatrace_platform_list_vulnerabilities.", "^[A-Za-z0-9_:.-]{1,128}$", 128).required();
    private static final Map<String, String> ENTITY_TABLES = Map.of("host", "dt.entity.host", "service",
            "dt.entity.service", "process_group", "dt.entity.process_group", "kubernetes_cluster",
            "dt.entity.kubernetes_cluster", "application", "dt.entity.application");
    private static final Map<String, String> ENTITY_PREFIXES = Map.of("HOST", "host", "SERVICE", "service",
            "PROCESS_GROUP", "process_group", "KUBERNETES_CLUSTER", "kubernetes_cluster", "APPLICATION", "application");
    private static final Arg<String> ENTITY_TYPE = Arg.enumeration("type", "The kind of entity.",
            List.copyOf(new java.util.TreeSet<>(ENTITY_TABLES.keySet()))).required();
    private static final Arg<String> NAME = Arg.string("name", "Only entities whose name contains this text.", 200);
    private static final Arg<String> ENTITY_ID = Arg.pattern("entity_id", "The entity id, such as HOST-0123456789ABCDEF.",
            "^(HOST|SERVICE|PROCESS_GROUP|KUBERNETES_CLUSTER|APPLICATION)-[0-9A-F]{16}$", 40).required();
    private static final Arg<String> CLUSTER = Arg.string("cluster", "Only events of this Kubernetes cluster.", 200);
    private static final Arg<String> NAMESPACE = Arg.string("namespace", "Only events of this namespace.", 200);
    private static final Arg<String> K8S_REASON = Arg.string("reason", "Only events with this reason, such as BackOff,"
            + " OOMKilled or FailedScheduling.", 100);
    private static final Arg<String> FRONTEND = Arg.string("frontend", "Only exceptions of this frontend"
            + " (application).", 200);

    private final GrailQueries queries;

    GrailTools(GrailQueries queries) {
        this.queries = queries;
    }

    List<ToolSpec> tools() {
        return List.of(listProblems(), problemDetails(), listVulnerabilities(), vulnerabilityDetails(), findEntities(),
                entityDetails(), kubernetesEvents(), exceptions());
    }

    /** Runs the typed tool's DQL. */
    private GrailQueries.Answer run(DqlText dql, int limit, CallContext context) throws java.io.IOException {
        return queries.run(dql.text(), limit, null, context);
    }

    /** Runs the typed tool's DQL and returns its records (for a single-record lookup). */
    private JsonNode records(DqlText dql, int limit, CallContext context) throws java.io.IOException {
        return run(dql, limit, context).records();
    }

    private static final List<String> PROBLEM_FIELDS = List.of("event.id", "display_id", "event.name", "event.status",
            "event.category", "event.start", "event.end", "affected_entity_ids", "root_cause_entity_id");

    private ToolSpec listProblems() {
        Arg<String> timeframe = ToolSupport.timeframe("24h");
        Arg<Integer> limit = ToolSupport.limit(50, 500);
        return ToolSupport.read("list_problems", "List problems", "storage:events:read", "storage:buckets:read")
                .description("Lists Davis problems (dt.davis.problems), newest first: display id, title, status,"
                        + " category, start and end, the affected entities and the root cause. Example:"
                        + " {\"status\":\"ACTIVE\",\"timeframe\":\"2h\"}")
                .args(PROBLEM_STATUS, CATEGORY, TEXT, timeframe, limit)
                .output(PROBLEMS_OUTPUT)
                .tags("davis", "problems").fanOut()
                .handler((args, context) -> {
                    DqlText dql = DqlText.fetch("dt.davis.problems", args.get(timeframe));
                    List<String> conditions = new ArrayList<>();
                    args.optional(PROBLEM_STATUS).ifPresent(s -> conditions.add(DqlText.equalTo("event.status", s)));
                    args.optional(CATEGORY).ifPresent(c -> conditions.add(DqlText.equalTo("event.category", c)));
                    args.optional(TEXT).ifPresent(t -> conditions.add(DqlText.contains("event.name", t)));
                    if (!conditions.isEmpty()) {
                        dql.filter(DqlText.and(conditions));
                    }
                    dql.sort("event.start", true).limit(args.get(limit))
                            .fields(PROBLEM_FIELDS, java.util.Set.copyOf(PROBLEM_FIELDS));
                    GrailQueries.Answer answer = run(dql, args.get(limit), context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("problems");
                    for (JsonNode problem : answer.records()) {
                        list.add(problem(problem));
                    }
                    out.put("count", list.size());
                    GrailQueries.metadata(answer, queries.budget(), out);
                    return ToolResult.structured(out);
                }).build();
    }

    private static final String PROBLEMS_OUTPUT = """
            {"type":"object","required":["problems","count"],"properties":{
              "problems":{"type":"array","items":{"$ref":"#/$defs/problem"}},"count":{"type":"integer"}},
             "$defs":{"problem":{"type":"object","properties":{
               "id":{"type":"string"},"event_id":{"type":"string"},"title":{"type":"string"},
               "status":{"type":"string"},"category":{"type":"string"},"start":{"type":"string"},
               "end":{"type":"string"},"affected":{"type":"array","items":{"type":"string"}},
               "root_cause":{"type":"string"}}}}}""";

    private static ObjectNode problem(JsonNode record) {
        ObjectNode item = ToolSupport.object();
        CompactJson.put(item, "id", CompactJson.text(record, "display_id"));
        CompactJson.put(item, "event_id", CompactJson.text(record, "event.id"));
        CompactJson.put(item, "title", CompactJson.text(record, "event.name"));
        CompactJson.put(item, "status", CompactJson.text(record, "event.status"));
        CompactJson.put(item, "category", CompactJson.text(record, "event.category"));
        CompactJson.put(item, "start", ToolSupport.time(record.path("event.start")));
        CompactJson.put(item, "end", ToolSupport.time(record.path("event.end")));
        ArrayNode affected = item.putArray("affected");
        ToolSupport.strings(record.path("affected_entity_ids")).forEach(affected::add);
        CompactJson.put(item, "root_cause", CompactJson.text(record, "root_cause_entity_id"));
        return item;
    }

    private ToolSpec problemDetails() {
        return ToolSupport.read("get_problem_details", "Problem details", "storage:events:read", "storage:buckets:read")
                .description("Returns one Davis problem by its display id (P-…) or event id, with every field Grail"
                        + " holds for it, from the last 30 days.")
                .args(PROBLEM_ID)
                .output("{\"type\":\"object\",\"required\":[\"problem\"],\"properties\":{\"problem\":{\"type\":\"object\"}}}")
                .tags("davis", "problems")
                .handler((args, context) -> {
                    String id = args.get(PROBLEM_ID);
                    DqlText dql = DqlText.fetch("dt.davis.problems", "30d").filter("(" + DqlText.equalTo("display_id", id)
                            + ") or (" + DqlText.equalTo("event.id", id) + ")").sort("event.start", true).limit(1);
                    JsonNode found = records(dql, 1, context);
                    if (found.isEmpty()) {
                        throw new ToolFailure("No problem " + id + " in the last 30 days");
                    }
                    ObjectNode out = ToolSupport.object();
                    out.set("problem", found.get(0));
                    return ToolResult.structured(out);
                }).build();
    }

    private static final List<String> VULN_FIELDS = List.of("vulnerability.id", "vulnerability.display_id",
            "vulnerability.title", "vulnerability.risk.level", "vulnerability.risk.score",
            "vulnerability.references.cve", "vulnerability.resolution.status", "affected_entity.id",
            "affected_entity.name", "timestamp");

    private ToolSpec listVulnerabilities() {
        Arg<Integer> limit = ToolSupport.limit(50, 500);
        return ToolSupport.read("list_vulnerabilities", "List vulnerabilities", "storage:security.events:read",
                        "storage:buckets:read")
                .description("Lists vulnerabilities from security events, highest risk first: display id, title,"
                        + " risk level and score, CVEs, status and the affected entity. Example:"
                        + " {\"risk_level\":\"CRITICAL\"}")
                .args(RISK, VULN_STATUS, CVE, limit)
                .output("""
                        {"type":"object","required":["vulnerabilities","count"],"properties":{
                          "vulnerabilities":{"type":"array","items":{"type":"object"}},"count":{"type":"integer"}}}""")
                .tags("security", "vulnerabilities").fanOut()
                .handler((args, context) -> {
                    DqlText dql = DqlText.fetch("security.events", "30d");
                    List<String> conditions = new ArrayList<>();
                    conditions.add(DqlText.equalTo("vulnerability.resolution.status", args.get(VULN_STATUS)));
                    args.optional(RISK).ifPresent(r -> conditions.add(DqlText.equalTo("vulnerability.risk.level", r)));
                    args.optional(CVE).ifPresent(c -> conditions.add(DqlText.holds("vulnerability.references.cve", c)));
                    dql.filter(DqlText.and(conditions)).sort("vulnerability.risk.score", true).limit(args.get(limit))
                            .fields(VULN_FIELDS, java.util.Set.copyOf(VULN_FIELDS));
                    GrailQueries.Answer answer = run(dql, args.get(limit), context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("vulnerabilities");
                    for (JsonNode record : answer.records()) {
                        list.add(vulnerability(record));
                    }
                    out.put("count", list.size());
                    GrailQueries.metadata(answer, queries.budget(), out);
                    return ToolResult.structured(out);
                }).build();
    }

    private static ObjectNode vulnerability(JsonNode record) {
        ObjectNode item = ToolSupport.object();
        CompactJson.put(item, "id", CompactJson.text(record, "vulnerability.display_id"));
        CompactJson.put(item, "vulnerability_id", CompactJson.text(record, "vulnerability.id"));
        CompactJson.put(item, "title", CompactJson.text(record, "vulnerability.title"));
        CompactJson.put(item, "risk_level", CompactJson.text(record, "vulnerability.risk.level"));
        if (record.path("vulnerability.risk.score").isNumber() || record.path("vulnerability.risk.score").isTextual()) {
            CompactJson.put(item, "risk_score", CompactJson.text(record, "vulnerability.risk.score"));
        }
        ArrayNode cves = item.putArray("cves");
        ToolSupport.strings(record.path("vulnerability.references.cve")).forEach(cves::add);
        CompactJson.put(item, "status", CompactJson.text(record, "vulnerability.resolution.status"));
        CompactJson.put(item, "entity", CompactJson.text(record, "affected_entity.name"));
        CompactJson.put(item, "entity_id", CompactJson.text(record, "affected_entity.id"));
        return item;
    }

    private ToolSpec vulnerabilityDetails() {
        return ToolSupport.read("get_vulnerability_details", "Vulnerability details", "storage:security.events:read",
                        "storage:buckets:read")
                .description("Returns one vulnerability by its display id (S-…) or id, with every field of its newest"
                        + " security event.")
                .args(VULN_ID)
                .output("{\"type\":\"object\",\"required\":[\"vulnerability\"],\"properties\":{\"vulnerability\":"
                        + "{\"type\":\"object\"}}}")
                .tags("security", "vulnerabilities")
                .handler((args, context) -> {
                    String id = args.get(VULN_ID);
                    DqlText dql = DqlText.fetch("security.events", "30d").filter("("
                            + DqlText.equalTo("vulnerability.display_id", id) + ") or ("
                            + DqlText.equalTo("vulnerability.id", id) + ")").sort("timestamp", true).limit(1);
                    JsonNode found = records(dql, 1, context);
                    if (found.isEmpty()) {
                        throw new ToolFailure("No vulnerability " + id + " in the last 30 days");
                    }
                    ObjectNode out = ToolSupport.object();
                    out.set("vulnerability", found.get(0));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec findEntities() {
        Arg<Integer> limit = ToolSupport.limit(50, 1000);
        return ToolSupport.read("find_entities", "Find entities", "storage:entities:read", "storage:buckets:read")
                .description("Finds monitored entities (hosts, services, process groups, Kubernetes clusters,"
                        + " applications) by type and name: their id (use it in DQL or get_entity_details) and name."
                        + " Example: {\"type\":\"host\",\"name\":\"web\"}")
                .args(ENTITY_TYPE, NAME, limit)
                .output("""
                        {"type":"object","required":["entities","count"],"properties":{
                          "entities":{"type":"array","items":{"type":"object","properties":{
                            "id":{"type":"string"},"name":{"type":"string"}}}},"count":{"type":"integer"}}}""")
                .tags("entities").fanOut()
                .handler((args, context) -> {
                    DqlText dql = DqlText.fetch(ENTITY_TABLES.get(args.get(ENTITY_TYPE)), "3d");
                    args.optional(NAME).ifPresent(name -> dql.filter(DqlText.contains("entity.name", name)));
                    dql.sort("entity.name", false).limit(args.get(limit));
                    GrailQueries.Answer answer = run(dql, args.get(limit), context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("entities");
                    GrailQueries.metadata(answer, queries.budget(), out);
                    for (JsonNode entity : answer.records()) {
                        ObjectNode item = list.addObject();
                        CompactJson.put(item, "id", CompactJson.text(entity, "id"));
                        CompactJson.put(item, "name", CompactJson.text(entity, "entity.name"));
                    }
                    out.put("count", list.size());
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec entityDetails() {
        return ToolSupport.read("get_entity_details", "Entity details", "storage:entities:read", "storage:buckets:read")
                .description("Returns one entity by id, with every field Grail holds for it.")
                .args(ENTITY_ID)
                .output("{\"type\":\"object\",\"required\":[\"entity\"],\"properties\":{\"entity\":{\"type\":\"object\"}}}")
                .tags("entities")
                .handler((args, context) -> {
                    String id = args.get(ENTITY_ID);
                    String kind = ENTITY_PREFIXES.get(id.substring(0, id.lastIndexOf('-')).toUpperCase(Locale.ROOT));
                    DqlText dql = DqlText.fetch(ENTITY_TABLES.get(kind), "3d").filter(DqlText.equalTo("id", id)).limit(1);
                    JsonNode found = records(dql, 1, context);
                    if (found.isEmpty()) {
                        throw new ToolFailure("No entity " + id);
                    }
                    ObjectNode out = ToolSupport.object();
                    out.set("entity", found.get(0));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec kubernetesEvents() {
        Arg<String> timeframe = ToolSupport.timeframe("2h");
        Arg<Integer> limit = ToolSupport.limit(100, 1000);
        return ToolSupport.read("list_kubernetes_events", "List Kubernetes events", "storage:events:read",
                        "storage:buckets:read")
                .description("Lists Kubernetes events (from the events table), newest first, by cluster, namespace"
                        + " and reason. Example: {\"namespace\":\"shop\",\"reason\":\"BackOff\",\"timeframe\":\"6h\"}")
                .args(CLUSTER, NAMESPACE, K8S_REASON, timeframe, limit)
                .output(QueryTools.TABLE_OUTPUT)
                .tags("kubernetes", "events").fanOut()
                .handler((args, context) -> {
                    DqlText dql = DqlText.fetch("events", args.get(timeframe));
                    List<String> conditions = new ArrayList<>();
                    conditions.add("isNotNull(k8s.cluster.name)");
                    args.optional(CLUSTER).ifPresent(c -> conditions.add(DqlText.equalTo("k8s.cluster.name", c)));
                    args.optional(NAMESPACE).ifPresent(n -> conditions.add(DqlText.equalTo("k8s.namespace.name", n)));
                    args.optional(K8S_REASON).ifPresent(r -> conditions.add(DqlText.equalTo("k8s.event.reason", r)));
                    dql.filter(DqlText.and(conditions)).sort("timestamp", true).limit(args.get(limit));
                    GrailQueries.Answer answer = queries.run(dql.text(), args.get(limit), null, context);
                    ObjectNode out = GrailQueries.table(answer, CompactTable.Layout.COMPACT, ToolSupport.object());
                    GrailQueries.metadata(answer, queries.budget(), out);
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec exceptions() {
        Arg<String> timeframe = ToolSupport.timeframe("24h");
        Arg<Integer> limit = ToolSupport.limit(100, 1000);
        return ToolSupport.read("list_exceptions", "List exceptions", "storage:user.events:read", "storage:buckets:read")
                .description("Lists the exceptions users hit in the frontends (user events with an error), newest"
                        + " first: type, message and frontend. Example: {\"frontend\":\"shop\",\"timeframe\":\"24h\"}")
                .args(FRONTEND, timeframe, limit)
                .output(QueryTools.TABLE_OUTPUT)
                .tags("exceptions", "frontend").fanOut()
                .handler((args, context) -> {
                    DqlText dql = DqlText.fetch("user.events", args.get(timeframe));
                    List<String> conditions = new ArrayList<>();
                    conditions.add("isNotNull(error.type)");
                    args.optional(FRONTEND).ifPresent(f -> conditions.add(DqlText.equalTo("frontend.name", f)));
                    dql.filter(DqlText.and(conditions)).sort("timestamp", true).limit(args.get(limit));
                    GrailQueries.Answer answer = queries.run(dql.text(), args.get(limit), null, context);
                    ObjectNode out = GrailQueries.table(answer, CompactTable.Layout.COMPACT, ToolSupport.object());
                    GrailQueries.metadata(answer, queries.budget(), out);
                    return ToolResult.structured(out);
                }).build();
    }
}
