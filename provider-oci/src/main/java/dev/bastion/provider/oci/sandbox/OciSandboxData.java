package dev.bastion.provider.oci.sandbox;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The generated world of the sandbox: a compartment tree under a tenancy, compute instances, load
 * balancers and autonomous databases in it, their metrics and some alarms. Shaped like the recorded
 * answers in the shared fixtures (and today's SDK models, which have a few more fields).
 */
final class OciSandboxData {

    static final String REGION = "us-sandbox-1";

    /** One compartment; {@code parentId} is {@code null} for the tenancy. */
    record Compartment(String id, String parentId, String name, String description, String lifecycleState,
                       Instant timeCreated) {
    }

    /** A resource that emits metrics. */
    record Resource(String id, String compartmentId, String namespace, String displayName, Map<String, String> dimensions) {
    }

    /** A metric definition of a namespace, with the unit of its data. */
    record MetricKind(String namespace, String name, String displayName, String unit, double base, double spread) {
    }

    /** An alarm and its current state. */
    record Alarm(String id, String compartmentId, String displayName, String namespace, String query, String severity,
                 String status, Instant timestampTriggered, String lifecycleState, Instant timeCreated) {
    }

    static final List<MetricKind> METRICS = List.of(
            new MetricKind("oci_computeagent", "CpuUtilization", "CPU Utilization", "percent", 35, 30),
            new MetricKind("oci_computeagent", "MemoryUtilization", "Memory Utilization", "percent", 55, 20),
            new MetricKind("oci_computeagent", "DiskBytesRead", "Disk Read Bytes", "bytes", 4_000_000, 3_000_000),
            new MetricKind("oci_computeagent", "NetworksBytesIn", "Network Receive Bytes", "bytes", 900_000, 600_000),
            new MetricKind("oci_lbaas", "HttpRequests", "HTTP Requests", "count", 1200, 800),
            new MetricKind("oci_lbaas", "BackendTimeouts", "Backend Timeouts", "count", 2, 2),
            new MetricKind("oci_autonomous_database", "CpuUtilization", "CPU Utilization", "percent", 25, 20),
            new MetricKind("oci_autonomous_database", "StorageUtilization", "Storage Utilization", "percent", 60, 5));

    final String tenancyId;
    final List<Compartment> compartments;
    final List<Resource> resources;
    final List<Alarm> alarms;
    final long seed;

    OciSandboxData(long seed, Instant now) {
        requireNonNull(now, "now is null");
        this.seed = seed;
        Random random = new Random(seed);
        this.tenancyId = "ocid1.tenancy.oc1.." + unique(random);
        List<Compartment> tree = new ArrayList<>();
        Instant created = Instant.parse("2024-03-01T09:00:00Z");
        tree.add(new Compartment(tenancyId, null, "sandboxtenancy", "The sandbox tenancy", "ACTIVE", created));
        List<Resource> all = new ArrayList<>();
        String[] teams = {"production", "staging", "shared-services"};
        String[] apps = {"web", "batch", "data"};
        int instanceNumber = 0;
        for (String team : teams) {
            String teamId = "ocid1.compartment.oc1.." + unique(random);
            tree.add(new Compartment(teamId, tenancyId, team, "Resources of " + team, "ACTIVE", created));
            for (String app : apps) {
                String appId = "ocid1.compartment.oc1.." + unique(random);
                tree.add(new Compartment(appId, teamId, team + "-" + app, app + " tier of " + team, "ACTIVE", created));
                for (int i = 1; i <= 3; i++) {
                    instanceNumber++;
                    String name = app + "-" + team.charAt(0) + "-" + i;
                    Map<String, String> dimensions = new LinkedHashMap<>();
                    String id = "ocid1.instance.oc1." + REGION + "." + unique(random);
                    dimensions.put("resourceId", id);
                    dimensions.put("resourceDisplayName", name);
                    dimensions.put("availabilityDomain", "Xyzw:US-SANDBOX-1-AD-" + (instanceNumber % 3 + 1));
                    dimensions.put("faultDomain", "FAULT-DOMAIN-" + (instanceNumber % 3 + 1));
                    dimensions.put("shape", i == 3 ? "VM.Standard.E4.Flex" : "VM.Standard3.Flex");
                    all.add(new Resource(id, appId, "oci_computeagent", name, Map.copyOf(dimensions)));
                }
            }
            String lbId = "ocid1.loadbalancer.oc1." + REGION + "." + unique(random);
            all.add(new Resource(lbId, teamId, "oci_lbaas", team + "-lb", Map.of("resourceId", lbId,
                    "resourceName", team + "-lb", "backendSetName", team + "-backends")));
            String dbId = "ocid1.autonomousdatabase.oc1." + REGION + "." + unique(random);
            all.add(new Resource(dbId, teamId, "oci_autonomous_database", team + "db", Map.of("resourceId", dbId,
                    "resourceName", team + "db", "deploymentType", "Shared")));
        }
        String oldId = "ocid1.compartment.oc1.." + unique(random);
        tree.add(new Compartment(oldId, tenancyId, "decommissioned", "Deleted in 2025", "DELETED", created));
        this.compartments = List.copyOf(tree);
        this.resources = List.copyOf(all);
        List<Alarm> alarmList = new ArrayList<>();
        for (int i = 0; i < teams.length; i++) {
            String teamId = tree.get(1 + i * (apps.length + 1)).id();
            String webCompartment = tree.get(2 + i * (apps.length + 1)).id();
            Resource web = all.stream().filter(r -> r.compartmentId().equals(webCompartment)).findFirst().orElseThrow();
            alarmList.add(new Alarm("ocid1.alarm.oc1." + REGION + "." + unique(random), teamId, teams[i] + " high CPU",
                    "oci_computeagent", "CpuUtilization[1m]{resourceId = \"" + web.id() + "\"}.mean() > 80",
                    "CRITICAL", i == 0 ? "FIRING" : "OK", now.minusSeconds(600L * (i + 1)), "ACTIVE", created));
            alarmList.add(new Alarm("ocid1.alarm.oc1." + REGION + "." + unique(random), teamId,
                    teams[i] + " memory pressure", "oci_computeagent", "MemoryUtilization[5m].max() > 90",
                    "WARNING", "OK", now.minusSeconds(86_400L), "ACTIVE", created));
            alarmList.add(new Alarm("ocid1.alarm.oc1." + REGION + "." + unique(random), teamId,
                    teams[i] + " LB timeouts", "oci_lbaas", "BackendTimeouts[1m].sum() > 10",
                    "ERROR", i == 1 ? "FIRING" : "OK", now.minusSeconds(1800L), "ACTIVE", created));
        }
        this.alarms = List.copyOf(alarmList);
    }

    /** {@code aaaa} and 56 base32-like characters, the shape of a real OCID's unique part. */
    private static String unique(Random random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder out = new StringBuilder("aaaaaaaa");
        for (int i = 0; i < 52; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Whether {@code compartmentId} is {@code ancestorId} or lies under it. */
    boolean isWithin(String compartmentId, String ancestorId) {
        String current = compartmentId;
        while (current != null) {
            if (current.equals(ancestorId)) {
                return true;
            }
            String parent = null;
            for (Compartment compartment : compartments) {
                if (compartment.id().equals(current)) {
                    parent = compartment.parentId();
                }
            }
            current = parent;
        }
        return false;
    }

    boolean compartmentExists(String id) {
        return compartments.stream().anyMatch(c -> c.id().equals(id));
    }

    /**
     * The raw one-minute value of a metric of a resource at a minute: a daily wave, a slower drift
     * and noise, deterministic in the seed so every call sees the same history.
     */
    double rawValue(Resource resource, MetricKind metric, long epochMinute) {
        long hash = (resource.id().hashCode() * 31L + metric.name().hashCode()) * 31L + seed;
        double phase = (hash & 0xffff) / 65536.0 * 2 * Math.PI;
        double daily = Math.sin(2 * Math.PI * (epochMinute % 1440) / 1440.0 + phase);
        double drift = Math.sin(2 * Math.PI * epochMinute / 10_080.0 + phase * 2) * 0.3;
        Random noise = new Random(hash ^ epochMinute * 0x9E3779B97F4A7C15L);
        double value = metric.base() + metric.spread() * (0.6 * daily + drift + 0.3 * (noise.nextDouble() - 0.5));
        if (metric.unit().equals("percent")) {
            value = Math.max(0, Math.min(100, value));
        }
        return Math.max(0, Math.round(value * 100) / 100.0);
    }

    List<MetricKind> metricsOf(String namespace) {
        return METRICS.stream().filter(m -> m.namespace().equals(namespace)).toList();
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
