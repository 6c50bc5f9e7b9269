package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The generated content of one sandbox environment. Records are built from the recorded API
 * responses bundled under {@code fixtures/} (Apache-2.0, from dynatrace-oss/dynatrace-managed-mcp;
 * see the LICENSE and README there), varied with a seeded random source so every run serves the
 * same data.
 */
final class SandboxData {

    static final int PROBLEMS = 60;
    static final int EVENTS = 120;
    static final int LOGS = 300;
    static final int SECURITY_PROBLEMS = 130;
    static final int AUDIT_LOGS = 60;

    private static final String FIXTURES = "/dev/bastion/provider/dynatrace/managed/sandbox/fixtures/";
    private static final String[] ZONES = {"payments", "checkout", "platform"};
    private static final String[] LEVELS = {"ERROR", "WARN", "INFO", "INFO", "DEBUG"};

    final ObjectMapper json;
    final long now;
    final List<ObjectNode> entities = new ArrayList<>();
    final List<ObjectNode> entityTypes = new ArrayList<>();
    final List<ObjectNode> problems = new ArrayList<>();
    final List<ObjectNode> events = new ArrayList<>();
    final List<ObjectNode> metrics = new ArrayList<>();
    final List<ObjectNode> logs = new ArrayList<>();
    final List<ObjectNode> securityProblems = new ArrayList<>();
    final List<ObjectNode> slos = new ArrayList<>();
    final List<ObjectNode> auditLogs = new ArrayList<>();

    private final Random random;

    SandboxData(ObjectMapper json, long seed, long now) {
        this.json = json;
        this.now = now;
        this.random = new Random(seed);
        entityTypes();
        entities();
        problems();
        events();
        metrics();
        logs();
        securityProblems();
        slos();
        auditLogs();
    }

    ObjectNode fixture(String name) {
        try (InputStream in = SandboxData.class.getResourceAsStream(FIXTURES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing sandbox fixture " + name);
            }
            return (ObjectNode) json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String hex16() {
        return String.format(Locale.ROOT, "%016X", random.nextLong());
    }

    private ObjectNode ref(ObjectNode entity) {
        ObjectNode ref = json.createObjectNode();
        ObjectNode id = ref.putObject("entityId");
        id.put("id", entity.path("entityId").asText());
        id.put("type", entity.path("type").asText());
        ref.put("name", entity.path("displayName").asText());
        return ref;
    }

    private ObjectNode tag(String context, String key, String value) {
        ObjectNode tag = json.createObjectNode();
        tag.put("context", context);
        tag.put("key", key);
        if (value != null) {
            tag.put("value", value);
        }
        tag.put("stringRepresentation", (context.equals("CONTEXTLESS") ? "" : "[" + context + "]") + key
                + (value == null ? "" : ":" + value));
        return tag;
    }

    private ObjectNode zone(String name) {
        ObjectNode zone = json.createObjectNode();
        zone.put("id", String.valueOf(Math.abs((long) name.hashCode()) * 7919));
        zone.put("name", name);
        return zone;
    }

    private void entityTypes() {
        entityTypes.add(fixture("getEntityTypeDetails.json"));
        entityTypes.add(fixture("getEntityDetails.json"));
        for (String[] type : new String[][] {{"HOST", "Host", "dt.entity.host"},
                {"PROCESS_GROUP", "Process group", "dt.entity.process_group"},
                {"PROCESS_GROUP_INSTANCE", "Process", "dt.entity.process_group_instance"},
                {"APPLICATION", "Web application", "dt.entity.application"},
                {"KUBERNETES_CLUSTER", "Kubernetes cluster", "dt.entity.kubernetes_cluster"}}) {
            ObjectNode node = fixture("getEntityTypeDetails.json");
            node.put("type", type[0]);
            node.put("displayName", type[1]);
            node.put("dimensionKey", type[2]);
            entityTypes.add(node);
        }
    }

    private ObjectNode entity(String type, String name, String zone, String team) {
        ObjectNode entity = json.createObjectNode();
        entity.put("entityId", type + "-" + hex16());
        entity.put("displayName", name);
        entity.put("type", type);
        entity.put("firstSeenTms", now - 30L * 86_400_000L - random.nextInt(1_000_000_000));
        entity.put("lastSeenTms", now - random.nextInt(300_000));
        ObjectNode properties = entity.putObject("properties");
        ArrayNode tags = entity.putArray("tags");
        tags.add(tag("CONTEXTLESS", "team", team));
        tags.add(tag("CONTEXTLESS", "env", random.nextInt(4) == 0 ? "staging" : "prod"));
        // Real entities carry imported tags too (Kubernetes labels, cost centres), as the recorded logs show.
        tags.add(tag("KUBERNETES", "app.kubernetes.io/name", name));
        tags.add(tag("ENVIRONMENT", "costcenter", "FIN-" + (100 + random.nextInt(900))));
        tags.add(tag("ENVIRONMENT", "owner", team));
        entity.putArray("managementZones").add(zone(zone));
        entity.putObject("fromRelationships");
        entity.putObject("toRelationships");
        entity.put("healthState", random.nextInt(6) == 0 ? "UNHEALTHY" : "HEALTHY");
        switch (type) {
            case "HOST" -> {
                properties.put("osType", "LINUX");
                properties.put("osVersion", "Ubuntu 22.04.4 LTS (Jammy Jellyfish) (kernel 5.15.0-1057-azure)");
                properties.putArray("ipAddress").add("10.0." + random.nextInt(255) + "." + random.nextInt(255));
                properties.put("cpuCores", 2 << random.nextInt(4));
                properties.put("physicalMemory", (4L << random.nextInt(4)) * 1_073_741_824L);
                properties.put("monitoringMode", "FULL_STACK");
                properties.put("state", "RUNNING");
            }
            case "SERVICE" -> {
                properties.put("serviceType", "WEB_REQUEST_SERVICE");
                properties.put("agentTechnologyType", "JAVA");
                properties.putArray("serviceTechnologyTypes").add("Java").add("Spring Boot");
                properties.put("port", 8080 + random.nextInt(10));
            }
            case "PROCESS_GROUP" -> {
                properties.putArray("softwareTechnologies").add("JAVA");
                properties.put("detectedName", name);
            }
            case "KUBERNETES_CLUSTER" -> properties.put("kubernetesDistribution", "AKS");
            default -> properties.put("applicationType", "WEB_APPLICATION");
        }
        entities.add(entity);
        return entity;
    }

    private static void relate(ObjectNode from, String relation, ObjectNode to, String inverse) {
        ObjectNode target = from.withObjectProperty("fromRelationships");
        ArrayNode list = target.has(relation) ? (ArrayNode) target.get(relation) : target.putArray(relation);
        ObjectNode ref = list.addObject();
        ref.put("id", to.path("entityId").asText());
        ref.put("type", to.path("type").asText());
        ObjectNode back = to.withObjectProperty("toRelationships");
        ArrayNode backList = back.has(inverse) ? (ArrayNode) back.get(inverse) : back.putArray(inverse);
        ObjectNode backRef = backList.addObject();
        backRef.put("id", from.path("entityId").asText());
        backRef.put("type", from.path("type").asText());
    }

    private void entities() {
        ObjectNode templateHost = fixture("queryEntities.json");
        String realHostName = templateHost.path("entities").get(0).path("displayName").asText();
        List<ObjectNode> hosts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = i == 0 ? realHostName : String.format(Locale.ROOT, "%s-%02d.prod.internal",
                    i % 3 == 0 ? "db" : i % 3 == 1 ? "web" : "app", i);
            hosts.add(entity("HOST", name, ZONES[i % 3], i % 2 == 0 ? "payments" : "platform"));
        }
        String[] services = {"checkout", "checkout-api", "payment-gateway", "cart", "catalog", "search",
                "inventory", "shipping", "auth", "notifications"};
        List<ObjectNode> groups = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ObjectNode group = entity("PROCESS_GROUP", services[i] + "-jvm", ZONES[i % 3], "payments");
            relate(group, "runsOn", hosts.get(i), "runsOn");
            groups.add(group);
        }
        List<ObjectNode> serviceNodes = new ArrayList<>();
        for (int i = 0; i < services.length; i++) {
            ObjectNode service = entity("SERVICE", services[i], ZONES[i % 3], i < 5 ? "payments" : "platform");
            relate(service, "runsOn", groups.get(i % groups.size()), "runsOn");
            if (i > 0) {
                relate(serviceNodes.get(0), "calls", service, "calls");
            }
            serviceNodes.add(service);
        }
        for (String app : new String[] {"www.shop.example", "admin.shop.example", "m.shop.example"}) {
            ObjectNode application = entity("APPLICATION", app, "checkout", "web");
            relate(application, "calls", serviceNodes.get(0), "calls");
        }
        entity("KUBERNETES_CLUSTER", "weekplanner", "platform", "platform");
        entity("KUBERNETES_CLUSTER", "bookstore", "platform", "platform");
    }

    private void problems() {
        ObjectNode template = (ObjectNode) fixture("getProblemDetails.json").path("data");
        String[][] kinds = {{"AVAILABILITY", "INFRASTRUCTURE", "Host or monitoring unavailable"},
                {"ERROR", "SERVICES", "Failure rate increase"}, {"PERFORMANCE", "SERVICES", "Response time degradation"},
                {"RESOURCE_CONTENTION", "INFRASTRUCTURE", "CPU saturation"},
                {"ERROR", "APPLICATION", "JavaScript error rate increase"},
                {"CUSTOM_ALERT", "ENVIRONMENT", "Custom threshold breached"}};
        for (int i = 0; i < PROBLEMS; i++) {
            String[] kind = kinds[i % kinds.length];
            ObjectNode entity = entities.get(random.nextInt(entities.size()));
            ObjectNode problem = template.deepCopy();
            long start = now - (i + 1) * 20L * 60_000L;
            String problemId = (random.nextLong() & Long.MAX_VALUE) + "_" + start + "V2";
            problem.put("problemId", problemId);
            problem.put("displayId", "P-" + (2511000 + i));
            problem.put("title", kind[2] + " on " + entity.path("displayName").asText());
            problem.put("severityLevel", kind[0]);
            problem.put("impactLevel", kind[1]);
            boolean open = i < 20;
            problem.put("status", open ? "OPEN" : "CLOSED");
            problem.put("startTime", start);
            problem.put("endTime", open ? -1 : start + (5 + random.nextInt(50)) * 60_000L);
            problem.putArray("affectedEntities").add(ref(entity));
            problem.putArray("impactedEntities").add(ref(entity));
            problem.set("rootCauseEntity", i % 3 == 0 ? ref(entity) : json.nullNode());
            problem.set("entityTags", entity.path("tags").deepCopy());
            problem.set("managementZones", entity.path("managementZones").deepCopy());
            ObjectNode evidence = (ObjectNode) problem.path("evidenceDetails").path("details").get(0);
            evidence.put("displayName", kind[2]);
            evidence.put("startTime", start);
            evidence.set("entity", ref(entity));
            evidence.put("rootCauseRelevant", i % 3 == 0);
            ((ObjectNode) evidence.path("data")).put("startTime", start);
            ((ObjectNode) evidence.path("data")).set("entityId", ref(entity));
            ObjectNode impacts = problem.withObjectProperty("impactAnalysis");
            ArrayNode impactList = impacts.putArray("impacts");
            if (kind[1].equals("SERVICES") || kind[1].equals("APPLICATION")) {
                ObjectNode impact = impactList.addObject();
                impact.put("impactType", kind[1].equals("SERVICES") ? "SERVICE" : "APPLICATION");
                impact.set("impactedEntity", ref(entity));
                impact.put("estimatedAffectedUsers", random.nextInt(500));
            }
            ObjectNode comments = problem.withObjectProperty("recentComments");
            comments.putArray("comments");
            comments.put("totalCount", 0);
            problems.add(problem);
        }
    }

    private void events() {
        ObjectNode template = fixture("getEventDetails.json");
        String[][] kinds = {{"AVAILABILITY_EVENT", "Monitoring not available"}, {"ERROR_EVENT", "Backoff event"},
                {"CUSTOM_DEPLOYMENT", "Deployment"}, {"PROCESS_RESTART", "Process restart"},
                {"PERFORMANCE_EVENT", "Slow response time"}, {"CUSTOM_ANNOTATION", "Configuration change"}};
        for (int i = 0; i < EVENTS; i++) {
            String[] kind = kinds[i % kinds.length];
            ObjectNode entity = entities.get(random.nextInt(entities.size()));
            ObjectNode event = template.deepCopy();
            long start = now - (i + 1) * 59_000L;
            event.put("eventId", (random.nextLong()) + "_" + start);
            event.put("eventType", kind[0]);
            event.put("title", kind[1] + " of " + entity.path("displayName").asText());
            event.put("status", i % 4 == 0 ? "OPEN" : "CLOSED");
            event.put("startTime", start);
            event.put("endTime", i % 4 == 0 ? -1 : start + 30_000L);
            event.set("entityId", ref(entity));
            event.set("entityTags", entity.path("tags").deepCopy());
            event.set("managementZones", entity.path("managementZones").deepCopy());
            for (JsonNode property : event.path("properties")) {
                if (property.path("key").asText().equals("dt.event.title")) {
                    ((ObjectNode) property).put("value", event.path("title").asText());
                }
            }
            events.add(event);
        }
    }

    private void metrics() {
        ObjectNode cpu = fixture("getMetricDetails.json");
        metrics.add(cpu);
        String[][] defs = {
            {"builtin:host.mem.usage", "Memory used %", "Percent", "HOST", "dt.entity.host", "Host"},
            {"builtin:host.disk.avail", "Disk available", "Byte", "HOST", "dt.entity.host", "Host"},
            {"builtin:host.net.nic.trafficIn", "NIC received bytes", "BytePerSecond", "HOST", "dt.entity.host", "Host"},
            {"builtin:service.response.time", "Response time", "MicroSecond", "SERVICE", "dt.entity.service", "Service"},
            {"builtin:service.errors.total.rate", "Failure rate (any errors)", "Percent", "SERVICE", "dt.entity.service",
                "Service"},
            {"builtin:service.requestCount.total", "Request count", "Count", "SERVICE", "dt.entity.service", "Service"},
            {"builtin:tech.generic.cpu.usage", "Process CPU usage", "Percent", "PROCESS_GROUP_INSTANCE",
                "dt.entity.process_group_instance", "Process"},
            {"builtin:apps.web.actionCount.category", "Action count (by category)", "Count", "APPLICATION",
                "dt.entity.application", "Web application"},
            {"builtin:apps.other.crashAffectedUsersRate.os", "User rate - estimated users affected by crashes",
                "Percent", "APPLICATION", "dt.entity.application", "Web application"}};
        for (String[] def : defs) {
            ObjectNode metric = cpu.deepCopy();
            metric.put("metricId", def[0]);
            metric.put("displayName", def[1]);
            metric.put("unit", def[2]);
            metric.put("description", def[1] + " of each " + def[5].toLowerCase(Locale.ROOT) + ", as measured by OneAgent.");
            metric.putArray("entityType").add(def[3]);
            ObjectNode dimension = (ObjectNode) metric.path("dimensionDefinitions").get(0);
            dimension.put("key", def[4]);
            dimension.put("displayName", def[5]);
            dimension.put("name", def[5]);
            metric.put("lastWritten", now - random.nextInt(60_000));
            metrics.add(metric);
        }
        cpu.put("lastWritten", now - 30_000);
    }

    private void logs() {
        ObjectNode template = (ObjectNode) fixture("queryLogs.json").path("results").get(0);
        String[] messages = {"Connection to payment-gateway timed out after 30000 ms",
            "GET /api/v1/cart 200 12ms", "Retrying request to inventory (attempt 2)",
            "Writing [{status=500, error=Internal Server Error, path=/api/v1/workitems}]",
            "Cache miss for catalog item 4711", "Health check OK"};
        List<ObjectNode> hosts = entities.stream().filter(e -> e.path("type").asText().equals("HOST")).toList();
        for (int i = 0; i < LOGS; i++) {
            ObjectNode record = template.deepCopy();
            String level = LEVELS[i % LEVELS.length];
            ObjectNode host = hosts.get(i % hosts.size());
            long time = now - (i + 1) * 23_000L;
            record.put("timestamp", time);
            record.put("status", level);
            record.put("content", java.time.Instant.ofEpochMilli(time) + " " + level + " " + (4000 + i)
                    + " --- [http-nio-8084-exec-" + (i % 9) + "] " + messages[i % messages.length]);
            ObjectNode columns = (ObjectNode) record.path("additionalColumns");
            columns.putArray("host.name").add(host.path("displayName").asText());
            columns.putArray("dt.source_entity").add(host.path("entityId").asText());
            columns.putArray("dt.entity.host").add(host.path("entityId").asText());
            columns.putArray("loglevel").add(level);
            logs.add(record);
        }
    }

    private void securityProblems() {
        ObjectNode template = (ObjectNode) fixture("listSecurityProblems.json").path("securityProblems").get(0);
        ObjectNode details = fixture("getSecurityProblemDetails.json");
        String[] risks = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};
        String[][] packages = {{"org.apache.logging.log4j:log4j-core", "JAVA", "THIRD_PARTY", "Remote Code Execution"},
            {"github.com/kubernetes/kubernetes/pkg/volume/git_repo", "KUBERNETES", "RUNTIME", "Improper Input Validation"},
            {"com.fasterxml.jackson.core:jackson-databind", "JAVA", "THIRD_PARTY", "Deserialization of Untrusted Data"},
            {"express", "NODE_JS", "THIRD_PARTY", "Open Redirect"},
            {"checkout-service", "JAVA", "CODE_LEVEL", "SQL Injection"}};
        for (int i = 0; i < SECURITY_PROBLEMS; i++) {
            String[] kind = packages[i % packages.length];
            ObjectNode problem = template.deepCopy();
            String id = String.valueOf(Math.abs(random.nextLong()));
            problem.put("securityProblemId", id);
            problem.put("displayId", "S-" + (i + 1));
            problem.put("title", kind[3]);
            problem.put("packageName", kind[0]);
            problem.put("technology", kind[1]);
            problem.put("vulnerabilityType", kind[2]);
            problem.put("status", i % 5 == 4 ? "RESOLVED" : "OPEN");
            problem.put("muted", i % 17 == 0);
            problem.putArray("cveIds").add("CVE-20" + (21 + i % 5) + "-" + (1000 + i * 37));
            long first = now - (i + 1) * 3L * 3_600_000L;
            problem.put("firstSeenTimestamp", first);
            problem.put("lastOpenedTimestamp", first + 60_000);
            problem.put("lastUpdatedTimestamp", first + 3_600_000L);
            problem.put("url", "https://managed.example.invalid/e/sandbox/ui/security/problem/" + id);
            ObjectNode risk = details.path("riskAssessment").deepCopy();
            risk.put("riskLevel", risks[i % risks.length]);
            risk.put("riskScore", Math.round((9.8 - (i % risks.length) * 2.1 - random.nextDouble()) * 10) / 10.0);
            risk.put("exposure", i % 2 == 0 ? "PUBLIC_NETWORK" : "NOT_AVAILABLE");
            risk.put("publicExploit", i % 3 == 0 ? "AVAILABLE" : "NOT_AVAILABLE");
            risk.put("dataAssets", "NOT_AVAILABLE");
            problem.set("riskAssessment", risk);
            problem.put("description", "A " + kind[3].toLowerCase(Locale.ROOT) + " vulnerability in " + kind[0]
                    + " lets an attacker influence the affected process.");
            problem.put("remediationDescription", "Upgrade " + kind[0] + " to the latest patched version.");
            ArrayNode components = problem.putArray("vulnerableComponents");
            ObjectNode component = components.addObject();
            component.put("id", UUID.nameUUIDFromBytes(kind[0].getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
            component.put("displayName", kind[0]);
            component.put("fileName", kind[0].replace(':', '-') + ".jar");
            ArrayNode affected = problem.putArray("affectedEntities");
            affected.add(entities.get(i % entities.size()).path("entityId").asText());
            securityProblems.add(problem);
        }
    }

    private void slos() {
        ObjectNode listed = (ObjectNode) fixture("listSlos.json").path("slo").get(0);
        ObjectNode failing = fixture("getSloDetails.json");
        slos.add(failing);
        String[] names = {"Checkout availability", "Checkout latency p90", "Payment gateway error rate",
            "Cart availability", "Search latency", "Login success rate", "Shipping API availability"};
        for (int i = 0; i < names.length; i++) {
            ObjectNode slo = listed.deepCopy();
            slo.put("id", UUID.nameUUIDFromBytes(names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
            slo.put("name", names[i]);
            double evaluated = 99.9 - random.nextDouble() * (i % 3 == 2 ? 8 : 1);
            slo.put("evaluatedPercentage", evaluated);
            slo.put("target", 99.0);
            slo.put("warning", 99.5);
            slo.put("errorBudget", evaluated - 99.0);
            slo.put("status", evaluated >= 99.5 ? "SUCCESS" : evaluated >= 99.0 ? "WARNING" : "FAILURE");
            slo.put("enabled", i != 6);
            slo.put("relatedOpenProblems", i % 3 == 2 ? 1 : 0);
            slo.put("relatedTotalProblems", i % 3 == 2 ? 3 : 0);
            slos.add(slo);
        }
    }

    private void auditLogs() {
        String[][] kinds = {{"UPDATE", "CONFIG", "builtin:anomaly-detection.services"},
            {"CREATE", "TOKEN", "dt0c01.4XWQ2B5KCLNNZJ3KMZ3PCSUD"}, {"LOGIN", "WEB_UI", null},
            {"DELETE", "CONFIG", "builtin:alerting.profile"}, {"PATCH", "CONFIG", "builtin:management-zones"}};
        String[] users = {"alice@example.com", "bob@example.com", "deploy-bot", "carol@example.com"};
        for (int i = 0; i < AUDIT_LOGS; i++) {
            String[] kind = kinds[i % kinds.length];
            ObjectNode entry = json.createObjectNode();
            long time = now - (i + 1) * 110_000L;
            entry.put("logId", time + "0000" + i);
            entry.put("eventType", kind[0]);
            entry.put("category", kind[1]);
            if (kind[2] != null) {
                entry.put("entityId", kind[2] + (kind[1].equals("CONFIG") ? " (" + hex16() + ")" : ""));
            }
            entry.put("environmentId", "sandbox");
            entry.put("user", users[i % users.length]);
            entry.put("userType", users[i % users.length].contains("@") ? "USER_NAME" : "TOKEN_HASH");
            entry.put("userOrigin", "webui (10.0.0." + (i % 250) + ")");
            entry.put("timestamp", time);
            entry.put("success", i % 11 != 0);
            entry.put("message", kind[0].toLowerCase(Locale.ROOT) + " of " + (kind[2] == null ? "session" : kind[2]));
            entry.putNull("patch");
            auditLogs.add(entry);
        }
    }

    ObjectNode entityById(String id) {
        for (ObjectNode entity : entities) {
            if (entity.path("entityId").asText().equals(id)) {
                return entity;
            }
        }
        return null;
    }

    /** Whether {@code entity} satisfies an entity selector. */
    static boolean matches(SandboxSelector selector, JsonNode entity) {
        String name = entity.path("displayName").asText();
        if (!selector.matchesAny("type", entity.path("type").asText())
                || !selector.matchesAny("entityId", entity.path("entityId").asText())
                || !selector.matchesAny("entityName.equals", name)
                || !selector.matchesAny("healthState", entity.path("healthState").asText())) {
            return false;
        }
        for (String value : selector.values("entityName")) {
            if (!SandboxSelector.containsIgnoreCase(name, value)) {
                return false;
            }
        }
        for (String value : selector.values("entityName.startsWith")) {
            if (!name.toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        if (selector.has("mzName")) {
            boolean inZone = false;
            for (JsonNode zone : entity.path("managementZones")) {
                inZone |= selector.matchesAny("mzName", zone.path("name").asText());
            }
            if (!inZone) {
                return false;
            }
        }
        for (List<String> group : selector.groups("tag")) {
            boolean tagged = false;
            for (JsonNode tag : entity.path("tags")) {
                String representation = tag.path("stringRepresentation").asText();
                String keyValue = tag.path("key").asText() + (tag.has("value") ? ":" + tag.path("value").asText() : "");
                for (String wanted : group) {
                    tagged |= wanted.equals(representation) || wanted.equals(keyValue)
                            || wanted.equals(tag.path("key").asText());
                }
            }
            if (!tagged) {
                return false;
            }
        }
        return true;
    }
}
