package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One environment's Grail content, generated from the seed over the seven days before the start:
 * logs, events (Kubernetes, deployments, and whatever is ingested later), bizevents, spans, Davis
 * problems, vulnerability state reports in {@code security.events}, user events with exceptions,
 * entities (hosts, services, process groups, Kubernetes clusters), and 1-minute metric points for
 * host CPU and memory and service request count and response time, computed on demand.
 */
final class GrailData {

    static final DateTimeFormatter ISO_NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    static final List<String> METRICS = List.of("dt.host.cpu.usage", "dt.host.memory.usage",
            "dt.service.request.count", "dt.service.request.response_time");

    record Entity(String id, String name, String type, List<String> tags) {
    }

    final Instant end;
    final Instant start;
    final long seed;
    final List<Entity> hosts = new ArrayList<>();
    final List<Entity> services = new ArrayList<>();
    final List<Entity> processGroups = new ArrayList<>();
    final List<Entity> clusters = new ArrayList<>();
    private final Map<String, List<ObjectNode>> tables = new java.util.LinkedHashMap<>();
    /** The random sequence the tables continue, until they are generated. */
    private Random pending;
    private final List<ObjectNode> ingestedEvents = new CopyOnWriteArrayList<>();
    /** The host whose CPU runs hot, so "hosts with high CPU" finds one. */
    final int hotHost;

    GrailData(long seed, Instant now) {
        this.seed = seed;
        this.end = now.truncatedTo(ChronoUnit.MINUTES);
        this.start = end.minus(Duration.ofDays(7));
        Random random = new Random(seed);
        String[] hostNames = {"web-01", "web-02", "api-01", "api-02", "db-01"};
        for (String name : hostNames) {
            hosts.add(new Entity("HOST-" + hex(random, 16), name + ".sandbox.internal", "HOST",
                    List.of("env:sandbox", "role:" + name.substring(0, name.indexOf('-')))));
        }
        hotHost = random.nextInt(hosts.size());
        String[] serviceNames = {"checkout", "payment", "catalog", "frontend", "auth", "inventory"};
        for (String name : serviceNames) {
            services.add(new Entity("SERVICE-" + hex(random, 16), name, "SERVICE", List.of("team:" + name)));
        }
        for (String name : new String[] {"nginx", "java-checkout", "java-payment", "node-frontend", "postgres"}) {
            processGroups.add(new Entity("PROCESS_GROUP-" + hex(random, 16), name, "PROCESS_GROUP", List.of()));
        }
        for (String name : new String[] {"prod-eks", "edge-aks"}) {
            clusters.add(new Entity("KUBERNETES_CLUSTER-" + hex(random, 16), name, "KUBERNETES_CLUSTER",
                    List.of("cloud:" + (name.contains("eks") ? "aws" : "azure"))));
        }
        this.pending = random;
    }

    /**
     * The tables, generated on first use (most of a sandbox start otherwise), from the same random
     * sequence as the entities, so the data does not depend on when it is first read.
     */
    private synchronized Map<String, List<ObjectNode>> tables() {
        if (pending == null) {
            return tables;
        }
        Random random = pending;
        pending = null;
        tables.put("dt.entity.host", entities(hosts));
        tables.put("dt.entity.service", entities(services));
        tables.put("dt.entity.process_group", entities(processGroups));
        tables.put("dt.entity.kubernetes_cluster", entities(clusters));
        tables.put("logs", logs(random));
        tables.put("events", events(random));
        tables.put("bizevents", bizevents(random));
        tables.put("spans", spans(random));
        tables.put("dt.davis.problems", problems(random));
        List<ObjectNode> vulnerabilities = vulnerabilities(random);
        tables.put("security.events", vulnerabilities);
        tables.put("dt.security_events", vulnerabilities);
        tables.put("user.events", userEvents(random));
        // Its own sequence, so the tables above stay what they were before it was added.
        Random appRandom = new Random(seed ^ 0x5eed_a9911L);
        List<Entity> applications = new ArrayList<>();
        for (String name : new String[] {"sandbox-shop-web", "sandbox-shop-mobile"}) {
            applications.add(new Entity("APPLICATION-" + hex(appRandom, 16), name, "APPLICATION",
                    List.of("team:frontend")));
        }
        tables.put("dt.entity.application", entities(applications));
        return tables;
    }

    /** A copy of a table's records, newest data included; empty when there is no such table. */
    Optional<List<ObjectNode>> table(String name) {
        List<ObjectNode> rows = tables().get(name);
        if (rows == null) {
            return Optional.empty();
        }
        List<ObjectNode> out = new ArrayList<>(rows.size() + ingestedEvents.size());
        for (ObjectNode row : rows) {
            out.add(row.deepCopy());
        }
        if (name.equals("events")) {
            for (ObjectNode row : ingestedEvents) {
                out.add(row.deepCopy());
            }
        }
        return Optional.of(out);
    }

    /** The table names the sandbox holds. */
    List<String> tableNames() {
        return List.copyOf(tables().keySet());
    }

    void ingest(ObjectNode event) {
        ingestedEvents.add(event);
    }

    /**
     * The 1-minute points of a metric over the seven days, each {@code {timestamp, value, dimensions}};
     * empty for an unknown metric key. Deterministic: the value is a function of seed, series and minute.
     */
    Optional<List<ObjectNode>> metric(String key) {
        int kind = METRICS.indexOf(key);
        if (kind < 0) {
            return Optional.empty();
        }
        List<Entity> series = kind < 2 ? hosts : services;
        String dimension = kind < 2 ? "dt.entity.host" : "dt.entity.service";
        long minutes = Duration.between(start, end).toMinutes();
        List<ObjectNode> points = new ArrayList<>((int) (minutes * series.size()));
        for (int s = 0; s < series.size(); s++) {
            Entity entity = series.get(s);
            for (long m = 0; m < minutes; m++) {
                ObjectNode point = NODES.objectNode();
                point.put("timestamp", iso(start.plus(Duration.ofMinutes(m))));
                point.put("value", value(kind, s, m));
                ObjectNode dimensions = point.putObject("dimensions");
                dimensions.put(dimension, entity.id());
                points.add(point);
            }
        }
        return Optional.of(points);
    }

    private double value(int kind, int series, long minute) {
        double daily = Math.sin(2 * Math.PI * (minute % 1440) / 1440.0);
        double noise = noise(kind, series, minute);
        return switch (kind) {
            case 0 -> round(series == hotHost ? 88 + 4 * daily + 3 * noise : 25 + 10 * series + 8 * daily + 4 * noise);
            case 1 -> round(45 + 6 * series + 5 * daily + 2 * noise);
            case 2 -> Math.max(0, Math.round(120 + 40 * series + 60 * daily + 15 * noise));
            default -> round(Math.max(1, 180 + 35 * series + 40 * daily + 25 * noise) * 1000);
        };
    }

    private double noise(int kind, int series, long minute) {
        long h = seed * 0x9E3779B97F4A7C15L + kind * 0xC2B2AE3D27D4EB4FL + series * 0x165667B19E3779F9L + minute;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return ((h >>> 11) / (double) (1L << 53)) * 2 - 1;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private List<ObjectNode> entities(List<Entity> list) {
        List<ObjectNode> out = new ArrayList<>();
        for (Entity entity : list) {
            ObjectNode row = NODES.objectNode();
            row.put("id", entity.id());
            row.put("entity.name", entity.name());
            row.put("entity.type", entity.type());
            ArrayNode tags = row.putArray("tags");
            entity.tags().forEach(tags::add);
            row.put("lifetime.start", iso(start.minus(Duration.ofDays(30))));
            out.add(row);
        }
        return out;
    }

    private Instant at(Random random) {
        long span = Duration.between(start, end).toMillis();
        return start.plusMillis((long) (random.nextDouble() * span));
    }

    private static List<ObjectNode> sortedByTime(List<ObjectNode> rows) {
        rows.sort(Comparator.comparing(row -> row.path("timestamp").asText()));
        return rows;
    }

    private List<ObjectNode> logs(Random random) {
        String[] namespaces = {"shop", "payments", "platform"};
        String[][] messages = {
            {"INFO", "GET /api/products 200 in %d ms"}, {"INFO", "Order %d placed"},
            {"INFO", "Health check passed"}, {"WARN", "Slow query on orders took %d ms"},
            {"WARN", "Retrying connection to payment gateway (attempt %d)"},
            {"ERROR", "POST /api/checkout 500 Internal Server Error after %d ms"},
            {"ERROR", "java.net.SocketTimeoutException: Read timed out (payment-gateway:%d)"},
            {"ERROR", "Connection refused to db-01:5432 (pool size %d)"}, {"DEBUG", "Cache hit ratio %d%%"}};
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            double p = random.nextDouble();
            int pick = p < 0.6 ? random.nextInt(3) : p < 0.8 ? 3 + random.nextInt(2) : p < 0.95 ? 5 + random.nextInt(3) : 8;
            int s = random.nextInt(services.size());
            int h = random.nextInt(hosts.size());
            ObjectNode row = NODES.objectNode();
            row.put("timestamp", iso(at(random)));
            row.put("content", String.format(Locale.ROOT, messages[pick][1], 10 + random.nextInt(4900)));
            row.put("loglevel", messages[pick][0]);
            row.put("status", messages[pick][0]);
            row.put("dt.entity.host", hosts.get(h).id());
            row.put("host.name", hosts.get(h).name());
            row.put("k8s.namespace.name", namespaces[s % namespaces.length]);
            row.put("k8s.pod.name", services.get(s).name() + "-" + hex(random, 8) + "-" + hex(random, 5));
            row.put("service.name", services.get(s).name());
            row.put("dt.entity.service", services.get(s).id());
            row.put("log.source", "/var/log/containers/" + services.get(s).name() + ".log");
            out.add(row);
        }
        return sortedByTime(out);
    }

    private List<ObjectNode> events(Random random) {
        String[][] k8s = {{"BackOff", "Back-off restarting failed container"}, {"OOMKilled", "Container was OOM killed"},
            {"FailedScheduling", "0/3 nodes are available: insufficient cpu"}, {"Pulled", "Successfully pulled image"},
            {"Killing", "Stopping container"}};
        String[] namespaces = {"shop", "payments", "platform"};
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ObjectNode row = NODES.objectNode();
            row.put("timestamp", iso(at(random)));
            if (i % 5 == 4) {
                int s = random.nextInt(services.size());
                row.put("event.kind", "DAVIS_EVENT");
                row.put("event.type", "CUSTOM_DEPLOYMENT");
                row.put("event.name", "Deployment of " + services.get(s).name() + " 1." + random.nextInt(20) + "." + random.nextInt(10));
                row.put("event.provider", "sandbox-ci");
                row.put("dt.entity.service", services.get(s).id());
                row.put("event.id", hex(random, 16));
            } else {
                String[] kind = k8s[random.nextInt(k8s.length)];
                int c = random.nextInt(clusters.size());
                row.put("event.kind", "INFO_EVENT");
                row.put("event.type", "K8S_EVENT");
                row.put("event.provider", "KUBERNETES");
                row.put("event.name", kind[0]);
                row.put("k8s.event.reason", kind[0]);
                row.put("content", kind[1]);
                row.put("k8s.cluster.name", clusters.get(c).name());
                row.put("k8s.cluster.uid", uuid(random));
                row.put("dt.entity.kubernetes_cluster", clusters.get(c).id());
                row.put("k8s.namespace.name", namespaces[random.nextInt(namespaces.length)]);
                row.put("k8s.pod.name", services.get(random.nextInt(services.size())).name() + "-" + hex(random, 8));
                row.put("event.id", hex(random, 16));
            }
            out.add(row);
        }
        return sortedByTime(out);
    }

    private List<ObjectNode> bizevents(Random random) {
        String[] types = {"com.sandbox.shop.purchase", "com.sandbox.shop.checkout", "com.sandbox.shop.cart.add"};
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ObjectNode row = NODES.objectNode();
            row.put("timestamp", iso(at(random)));
            row.put("event.type", types[random.nextInt(types.length)]);
            row.put("event.provider", "www.sandbox-shop.example");
            row.put("amount", Math.round(random.nextDouble() * 50000) / 100.0);
            row.put("currency", random.nextBoolean() ? "EUR" : "USD");
            row.put("customer.id", "C-" + (1000 + random.nextInt(200)));
            row.put("items", 1 + random.nextInt(6));
            out.add(row);
        }
        return sortedByTime(out);
    }

    private List<ObjectNode> spans(Random random) {
        String[] routes = {"GET /api/products", "POST /api/checkout", "GET /api/cart", "POST /api/payments", "GET /login"};
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            int s = random.nextInt(services.size());
            boolean failed = random.nextDouble() < 0.06;
            ObjectNode row = NODES.objectNode();
            row.put("timestamp", iso(at(random)));
            row.put("trace.id", hex(random, 32));
            row.put("span.id", hex(random, 16));
            row.put("span.name", routes[random.nextInt(routes.length)]);
            row.put("span.kind", "server");
            row.put("service.name", services.get(s).name());
            row.put("dt.entity.service", services.get(s).id());
            row.put("duration", (long) (1_000_000 + random.nextDouble() * 900_000_000));
            row.put("http.request.method", row.path("span.name").asText().split(" ")[0]);
            row.put("http.response.status_code", failed ? 500 : 200);
            row.put("request.is_failed", failed);
            out.add(row);
        }
        return sortedByTime(out);
    }

    private List<ObjectNode> problems(Random random) {
        String[][] kinds = {{"AVAILABILITY", "Host or monitoring unavailable"}, {"ERROR", "Failure rate increase"},
            {"SLOWDOWN", "Response time degradation"}, {"RESOURCE_CONTENTION", "CPU saturation"},
            {"CUSTOM_ALERT", "Custom threshold breached"}, {"RESOURCE_CONTENTION", "Memory saturation"}};
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String[] kind = kinds[random.nextInt(kinds.length)];
            Instant begin = at(random);
            boolean active = i % 7 == 0 || begin.isAfter(end.minus(Duration.ofHours(3)));
            Instant finish = active ? null : begin.plus(Duration.ofMinutes(5 + random.nextInt(240)));
            if (finish != null && finish.isAfter(end)) {
                finish = end;
            }
            Entity root = kind[0].equals("AVAILABILITY") || kind[0].equals("RESOURCE_CONTENTION")
                    ? hosts.get(kind[1].startsWith("CPU") ? hotHost : random.nextInt(hosts.size()))
                    : services.get(random.nextInt(services.size()));
            ObjectNode row = NODES.objectNode();
            long startMillis = begin.toEpochMilli();
            String eventId = (1_000_000_000_000_000_000L + Math.floorMod(random.nextLong(), 8_000_000_000_000_000_000L))
                    + "_" + startMillis + "V2";
            row.put("timestamp", iso(begin));
            row.put("event.id", eventId);
            row.put("display_id", "P-" + (2400000 + seedOffset() * 1000 + i));
            row.put("event.kind", "DAVIS_PROBLEM");
            row.put("event.name", kind[1]);
            row.put("event.description", kind[1] + " on " + root.name());
            row.put("event.status", active ? "ACTIVE" : "CLOSED");
            row.put("event.status_transition", active ? "CREATED" : "RESOLVED");
            row.put("event.category", kind[0]);
            row.put("event.start", iso(begin));
            if (finish == null) {
                row.putNull("event.end");
            } else {
                row.put("event.end", iso(finish));
            }
            ArrayNode affected = row.putArray("affected_entity_ids");
            affected.add(root.id());
            if (random.nextBoolean()) {
                affected.add(services.get(random.nextInt(services.size())).id());
            }
            row.put("root_cause_entity_id", root.id());
            row.put("root_cause_entity_name", root.name());
            ArrayNode eventIds = row.putArray("dt.davis.event_ids");
            for (int e = 0; e <= random.nextInt(3); e++) {
                eventIds.add(hex(random, 16));
            }
            row.put("dt.davis.affected_users_count", (long) random.nextInt(500));
            row.put("dt.davis.is_duplicate", false);
            row.put("dt.davis.mute.status", "NOT_MUTED");
            row.put("maintenance.is_under_maintenance", i % 13 == 5);
            ArrayNode tags = row.putArray("entity_tags");
            root.tags().forEach(tags::add);
            row.put("k8s.cluster.name", clusters.get(i % clusters.size()).name());
            out.add(row);
        }
        return sortedByTime(out);
    }

    private int seedOffset() {
        return (int) Math.floorMod(seed, 97);
    }

    private List<ObjectNode> vulnerabilities(Random random) {
        String[][] catalog = {
            {"Remote code execution in log4j-core", "CVE-2021-44228", "CRITICAL", "10.0"},
            {"Deserialization of untrusted data in jackson-databind", "CVE-2020-36518", "HIGH", "7.5"},
            {"Prototype pollution in lodash", "CVE-2020-8203", "HIGH", "7.4"},
            {"Path traversal in spring-webmvc", "CVE-2024-38816", "HIGH", "8.1"},
            {"Denial of service in netty-codec-http2", "CVE-2023-44487", "HIGH", "7.5"},
            {"Regular expression denial of service in minimatch", "CVE-2022-3517", "MEDIUM", "5.3"},
            {"Improper input validation in commons-text", "CVE-2022-42889", "CRITICAL", "9.8"},
            {"Information exposure in openssl", "CVE-2023-0286", "MEDIUM", "5.9"},
            {"Cross-site scripting in jquery", "CVE-2020-11023", "MEDIUM", "6.1"},
            {"Weak randomness in node-uuid", "CVE-2015-8851", "LOW", "3.7"}};
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String[] v = catalog[i % catalog.length];
            Entity pg = processGroups.get(random.nextInt(processGroups.size()));
            double score = Math.min(10.0, Math.max(0.1, Double.parseDouble(v[3]) - (i / catalog.length) * 0.3));
            ObjectNode row = NODES.objectNode();
            row.put("timestamp", iso(at(random)));
            row.put("event.type", "VULNERABILITY_STATE_REPORT_EVENT");
            row.put("event.provider", "Dynatrace");
            row.put("event.level", "ENTITY");
            row.put("dt.system.bucket", "default_securityevents_builtin");
            row.put("vulnerability.id", String.valueOf(100_000_000_000L + Math.floorMod(random.nextLong(), 800_000_000_000L)));
            row.put("vulnerability.display_id", "S-" + (100 + seedOffset() * 100 + i));
            row.put("vulnerability.title", v[0]);
            row.put("vulnerability.external_id", v[1]);
            ArrayNode cves = row.putArray("vulnerability.references.cve");
            cves.add(v[1]);
            String level = score >= 9 ? "CRITICAL" : score >= 7 ? "HIGH" : score >= 4 ? "MEDIUM" : "LOW";
            row.put("vulnerability.risk.level", level);
            row.put("vulnerability.risk.score", Math.round(score * 10) / 10.0);
            row.put("vulnerability.resolution.status", i % 4 == 3 ? "RESOLVED" : "OPEN");
            row.put("vulnerability.stack", "CODE_LIBRARY");
            row.put("vulnerability.mute.status", "NOT_MUTED");
            row.put("vulnerability.parent.mute.status", "NOT_MUTED");
            row.put("vulnerability.davis_assessment.exposure_status", i % 3 == 0 ? "PUBLIC_NETWORK" : "NOT_DETECTED");
            row.put("affected_entity.id", pg.id());
            row.put("affected_entity.name", pg.name());
            row.put("affected_entity.type", "PROCESS_GROUP");
            row.put("dt.entity.process_group", pg.id());
            row.put("vulnerability.url", "/ui/apps/dynatrace.security.vulnerabilities/vulnerabilities/"
                    + row.path("vulnerability.id").asText());
            out.add(row);
        }
        return sortedByTime(out);
    }

    private List<ObjectNode> userEvents(Random random) {
        String[][] errors = {{"TypeError", "Cannot read properties of undefined (reading 'price')"},
            {"ReferenceError", "cart is not defined"}, {"NetworkError", "Failed to fetch /api/checkout"},
            {"SyntaxError", "Unexpected token < in JSON at position 0"}};
        String[] frontends = {"sandbox-shop-web", "sandbox-shop-mobile"};
        String[] os = {"Windows", "macOS", "Android", "iOS", "Linux"};
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Instant when = at(random);
            ObjectNode row = NODES.objectNode();
            row.put("timestamp", iso(when));
            row.put("start_time", iso(when));
            String frontend = frontends[random.nextInt(frontends.length)];
            row.put("frontend.name", frontend);
            row.put("dt.rum.application.id", frontend);
            row.put("dt.rum.application.entity", "APPLICATION-" + hex(random, 16));
            row.put("os.name", os[random.nextInt(os.length)]);
            if (i % 3 == 0) {
                String[] error = errors[random.nextInt(errors.length)];
                row.put("characteristics.has_error", true);
                row.put("error.id", hex(random, 16));
                row.put("error.type", error[0]);
                row.put("error.message", error[1]);
                row.put("exception.message", error[1]);
                row.put("exception.stack_trace", error[0] + ": " + error[1] + "\n    at checkout (app.js:"
                        + (10 + random.nextInt(900)) + ":" + random.nextInt(80) + ")");
            } else {
                row.put("characteristics.has_error", false);
                row.put("page.url.path", "/" + new String[] {"", "cart", "checkout", "product"}[random.nextInt(4)]);
            }
            out.add(row);
        }
        return sortedByTime(out);
    }

    static String iso(Instant instant) {
        return ISO_NANOS.format(instant);
    }

    private static String hex(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        return out.toString();
    }

    private static String uuid(Random random) {
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
}
