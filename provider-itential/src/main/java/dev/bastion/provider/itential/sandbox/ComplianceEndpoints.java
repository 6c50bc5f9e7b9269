package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Configuration Manager's golden configuration and compliance: three golden-config trees (one per
 * device type) whose versions hold a {@code base} node and site nodes, each node with its config
 * spec (lines required or disallowed, optionally inside a parent section) and its devices; four
 * compliance plans over those nodes. Running a plan starts an instance that runs for
 * {@link #RUN_TIME} of the sandbox's clock; once complete it has one report per device of its
 * nodes, graded against the device's real running configuration by the node's spec and the
 * specs it inherits from {@code base}, so a device is non-compliant for a reason visible in its
 * configuration. One finished instance of each plan exists at start. Errors are
 * {@code {"message":...}}.
 */
final class ComplianceEndpoints {

    /** How long a compliance plan instance runs, by the sandbox's clock. */
    static final Duration RUN_TIME = Duration.ofSeconds(3);
    static final int MAX_LIMIT = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One line of a config spec: in {@code parent}'s section (or anywhere when null), required or disallowed. */
    record Spec(String parent, String words, String evalMode, String severity) {
    }

    /** A node of a golden-config tree version; {@code path} joins the names from {@code base} with {@code /}. */
    record Node(String name, String path, String configId, List<String> devices, List<Spec> specs,
                List<Node> children) {
    }

    /** A golden-config tree: its versions by name, each the root node. */
    record Tree(String id, String name, String deviceType, Map<String, Node> versions) {
    }

    /** One node a plan checks. */
    record PlanNode(Tree tree, String version, Node node) {
    }

    record Plan(String id, String name, String description, int throttle, List<PlanNode> nodes) {
    }

    /** A report of an instance: one device graded at one node. */
    record Report(String id, PlanNode target, String device) {
    }

    record Instance(String id, Plan plan, String batchId, long started, List<Report> reports) {
        long finished() {
            return started + RUN_TIME.toMillis();
        }

        boolean complete(long now) {
            return now >= finished();
        }
    }

    private final ItentialSandboxData data;
    private final Clock clock;
    private final Map<String, ItentialSandboxData.Device> devices = new LinkedHashMap<>();
    private final List<Tree> trees = new ArrayList<>();
    private final List<Plan> plans = new ArrayList<>();
    private final List<Instance> instances = new ArrayList<>();

    ComplianceEndpoints(ItentialSandboxData data, Clock clock) {
        this.data = data;
        this.clock = clock;
        data.devices.forEach(device -> devices.put(device.name(), device));
        long now = clock.millis();
        Tree ios = tree(now, "IOS Baseline", SimulatedDevices.IOS, List.of("initial", "v2"),
                List.of(new Spec(null, "service password-encryption", "required", "error"),
                        new Spec(null, "ntp server 192.0.2.123", "required", "error"),
                        new Spec("line vty 0 4", "transport input ssh", "required", "error"),
                        new Spec(null, "logging host 192.0.2.50", "required", "info")),
                List.of(new Spec("interface GigabitEthernet3", "no shutdown", "required", "error"),
                        new Spec(null, "ip address 203.0.113.", "disallowed", "warning")),
                new String[] {"Atlanta", "-atl-"}, new String[] {"New York", "-nyc-"});
        Tree nxos = tree(now, "NX-OS Data Center", SimulatedDevices.NXOS, List.of("initial"),
                List.of(new Spec(null, "feature lacp", "required", "error"),
                        new Spec(null, "feature interface-vlan", "required", "error"),
                        new Spec(null, "logging server 192.0.2.50", "required", "info")),
                List.of(new Spec("interface mgmt0", "ip address 198.51.100.", "disallowed", "error"),
                        new Spec("interface mgmt0", "ip address 203.0.113.", "disallowed", "warning")),
                new String[] {"DC-East", "-"});
        Tree junos = tree(now, "Junos Edge", SimulatedDevices.JUNOS, List.of("initial", "v2", "v3"),
                List.of(new Spec(null, "netconf {", "required", "error"),
                        new Spec(null, "ssh;", "required", "error"),
                        new Spec(null, "community public {", "disallowed", "error")),
                List.of(new Spec(null, "address 203.0.113.", "disallowed", "error"),
                        new Spec(null, "address 198.51.100.", "disallowed", "warning")),
                new String[] {"Edge", "rtr-"});
        trees.addAll(List.of(ios, nxos, junos));
        plans.add(plan("IOS Atlanta Compliance", "Atlanta IOS XE routers against the baseline", 5,
                new PlanNode(ios, "initial", ios.versions().get("initial").children().get(0))));
        plans.add(plan("IOS All Sites Compliance", "Every site of the IOS baseline, version 2", 10,
                new PlanNode(ios, "v2", ios.versions().get("v2").children().get(0)),
                new PlanNode(ios, "v2", ios.versions().get("v2").children().get(1))));
        plans.add(plan("NX-OS DC Compliance", "Data center Nexus switches", 5,
                new PlanNode(nxos, "initial", nxos.versions().get("initial").children().get(0))));
        plans.add(plan("Junos Edge Compliance", "Edge Junos routers, version 3", 5,
                new PlanNode(junos, "v3", junos.versions().get("v3").children().get(0))));
        for (Plan plan : plans) {
            instances.add(instance(plan, now - Duration.ofMinutes(30 + data.nextInt(48 * 60)).toMillis()));
        }
    }

    private Tree tree(long now, String name, String deviceType, List<String> versions, List<Spec> baseSpecs,
                      List<Spec> siteSpecs, String[]... sites) {
        long created = now - Duration.ofDays(90 + data.nextInt(200)).toMillis();
        Map<String, Node> byVersion = new LinkedHashMap<>();
        for (String version : versions) {
            List<Node> children = new ArrayList<>();
            for (String[] site : sites) {
                List<String> members = data.devices.stream()
                        .filter(d -> d.ostype().equals(deviceType) && d.name().contains(site[1]))
                        .limit(6).map(ItentialSandboxData.Device::name).toList();
                children.add(new Node(site[0], "base/" + site[0], data.objectId(created), members, siteSpecs,
                        List.of()));
            }
            byVersion.put(version, new Node("base", "base", data.objectId(created), List.of(), baseSpecs,
                    List.copyOf(children)));
        }
        return new Tree(data.objectId(created), name, deviceType, byVersion);
    }

    private Plan plan(String name, String description, int throttle, PlanNode... nodes) {
        return new Plan(data.objectId(clock.millis() - Duration.ofDays(30).toMillis()), name, description, throttle,
                List.of(nodes));
    }

    private Instance instance(Plan plan, long started) {
        List<Report> reports = new ArrayList<>();
        for (PlanNode node : plan.nodes()) {
            for (String device : node.node().devices()) {
                reports.add(new Report(data.objectId(started), node, device));
            }
        }
        return new Instance(data.objectId(started), plan, data.objectId(started), started, List.copyOf(reports));
    }

    List<String> treeIds() {
        return trees.stream().map(Tree::id).toList();
    }

    List<String> planIds() {
        return plans.stream().map(Plan::id).toList();
    }

    /** The ids of the reports of instances complete now, oldest instance first. */
    synchronized List<String> reportIds() {
        long now = clock.millis();
        return instances.stream().filter(i -> i.complete(now)).flatMap(i -> i.reports().stream())
                .map(Report::id).toList();
    }

    void register(SandboxServer.Builder builder) {
        String prefix = "/configuration_manager";
        builder.route("GET", prefix + "/configs", request -> {
            ArrayNode out = NODES.arrayNode();
            for (Tree tree : trees) {
                ObjectNode item = out.addObject();
                item.put("id", tree.id());
                item.put("name", tree.name());
                item.put("deviceType", tree.deviceType());
                tree.versions().keySet().forEach(item.putArray("versions")::add);
            }
            return SandboxResponse.json(out);
        });
        builder.route("GET", prefix + "/configs/{treeId}/{version}", this::treeVersion);
        builder.route("POST", prefix + "/search/compliance_plans", this::searchPlans);
        builder.route("POST", prefix + "/compliance_plans/run", this::run);
        builder.route("POST", prefix + "/search/compliance_plan_instances", this::searchInstances);
        builder.route("GET", prefix + "/compliance_reports/batch/{batchId}", this::batch);
        builder.route("GET", prefix + "/compliance_reports/details/{reportId}", this::details);
    }

    private SandboxResponse treeVersion(SandboxRequest request) {
        String treeId = request.pathParameter("treeId");
        String version = request.pathParameter("version");
        Tree tree = trees.stream().filter(t -> t.id().equals(treeId)).findFirst()
                .orElseThrow(() -> SandboxError.notFound("Golden config tree " + treeId + " not found"));
        Node root = Optional.ofNullable(tree.versions().get(version)).orElseThrow(() ->
                SandboxError.notFound("Version " + version + " of golden config tree " + treeId + " not found"));
        ObjectNode out = NODES.objectNode();
        out.put("id", tree.id());
        out.put("name", tree.name());
        out.put("version", version);
        out.put("deviceType", tree.deviceType());
        out.set("root", render(root));
        out.putObject("variables");
        return SandboxResponse.json(out);
    }

    private static ObjectNode render(Node node) {
        ObjectNode out = NODES.objectNode();
        out.put("name", node.name());
        ObjectNode attributes = out.putObject("attributes");
        node.devices().forEach(attributes.putArray("devices")::add);
        attributes.putArray("deviceGroups");
        attributes.putNull("remediationWorkflow");
        attributes.put("configId", node.configId());
        ArrayNode children = out.putArray("children");
        node.children().forEach(child -> children.add(render(child)));
        return out;
    }

    private SandboxResponse searchPlans(SandboxRequest request) {
        JsonNode body = request.json();
        String name = body.path("name").asText("").toLowerCase(Locale.ROOT);
        int start = body.path("options").path("start").asInt(0);
        int limit = body.path("options").path("limit").asInt(MAX_LIMIT);
        checkPage(start, limit, "options");
        List<Plan> matches = plans.stream().filter(p -> p.name().toLowerCase(Locale.ROOT).contains(name)).toList();
        ObjectNode out = NODES.objectNode();
        ArrayNode list = out.putArray("plans");
        for (Plan plan : matches.subList(Math.min(start, matches.size()), Math.min(start + limit, matches.size()))) {
            ObjectNode item = list.addObject();
            item.put("id", plan.id());
            item.put("name", plan.name());
            item.put("description", plan.description());
            item.put("throttle", plan.throttle());
            ArrayNode nodes = item.putArray("nodes");
            plan.nodes().forEach(n -> nodes.addObject().put("treeId", n.tree().id()).put("version", n.version())
                    .put("nodeId", n.node().configId()));
        }
        out.put("totalCount", matches.size());
        return SandboxResponse.json(out);
    }

    private static void checkPage(int start, int limit, String where) {
        if (start < 0) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, where + ".start", "must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, where + ".limit",
                    "must be between 1 and " + MAX_LIMIT);
        }
    }

    private SandboxResponse run(SandboxRequest request) {
        JsonNode planId = request.json().path("planId");
        if (!planId.isTextual()) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "planId", "is required");
        }
        Plan plan = plans.stream().filter(p -> p.id().equals(planId.asText())).findFirst()
                .orElseThrow(() -> SandboxError.notFound("Compliance plan " + planId.asText() + " not found"));
        Instance instance;
        synchronized (this) {
            instance = instance(plan, clock.millis());
            instances.add(instance);
        }
        ObjectNode out = NODES.objectNode();
        out.put("message", "Successfully started compliance plan.");
        out.put("planId", plan.id());
        out.put("instanceId", instance.id());
        return SandboxResponse.json(out);
    }

    private SandboxResponse searchInstances(SandboxRequest request) {
        JsonNode params = request.json().path("searchParams");
        int start = params.path("start").asInt(0);
        int limit = params.path("limit").asInt(MAX_LIMIT);
        checkPage(start, limit, "searchParams");
        Predicate<Instance> filter = instance -> true;
        if (params.path("instanceId").isTextual()) {
            String id = params.path("instanceId").asText();
            filter = filter.and(instance -> instance.id().equals(id));
        }
        if (params.path("planId").isTextual()) {
            String id = params.path("planId").asText();
            filter = filter.and(instance -> instance.plan().id().equals(id));
        }
        Comparator<Instance> byStart = Comparator.comparingLong(Instance::started);
        Comparator<Instance> order = params.path("sort").path("started").asInt(-1) >= 0 ? byStart
                : byStart.reversed();
        List<Instance> matches;
        synchronized (this) {
            matches = instances.stream().filter(filter).sorted(order).toList();
        }
        long now = clock.millis();
        ObjectNode out = NODES.objectNode();
        out.put("totalCount", matches.size());
        ArrayNode list = out.putArray("plans");
        for (Instance instance : matches.subList(Math.min(start, matches.size()),
                Math.min(start + limit, matches.size()))) {
            list.add(render(instance, now));
        }
        return SandboxResponse.json(out);
    }

    private static ObjectNode render(Instance instance, long now) {
        boolean complete = instance.complete(now);
        double progress = Math.min(1.0, (double) (now - instance.started()) / RUN_TIME.toMillis());
        ObjectNode out = NODES.objectNode();
        out.put("id", instance.id());
        out.put("name", instance.plan().name());
        out.put("description", instance.plan().description());
        out.put("planId", instance.plan().id());
        out.put("batchId", instance.batchId());
        out.put("jobStatus", complete ? "complete" : "running");
        out.put("started", SimulatedJob.iso(instance.started()));
        if (complete) {
            out.put("finished", SimulatedJob.iso(instance.finished()));
        } else {
            out.putNull("finished");
        }
        ArrayNode nodes = out.putArray("nodes");
        for (PlanNode node : instance.plan().nodes()) {
            ObjectNode item = nodes.addObject();
            item.put("treeId", node.tree().id());
            item.put("version", node.version());
            item.put("nodeId", node.node().configId());
            item.put("status", complete ? "complete" : "running");
            node.node().devices().forEach(item.putArray("devices")::add);
            item.put("processedDevices", complete ? node.node().devices().size()
                    : (int) (node.node().devices().size() * progress));
        }
        return out;
    }

    private SandboxResponse batch(SandboxRequest request) {
        String batchId = request.pathParameter("batchId");
        long now = clock.millis();
        ArrayNode out = NODES.arrayNode();
        synchronized (this) {
            for (Instance instance : instances) {
                if (instance.batchId().equals(batchId) && instance.complete(now)) {
                    for (Report report : instance.reports()) {
                        ObjectNode item = out.addObject();
                        item.put("id", report.id());
                        item.put("batchId", batchId);
                        item.put("treeId", report.target().tree().id());
                        item.put("nodePath", report.target().node().path());
                        item.put("deviceName", report.device());
                        item.put("specId", report.target().node().configId());
                        item.putArray("inheritedSpecIds").add(report.target().tree().versions()
                                .get(report.target().version()).configId());
                    }
                }
            }
        }
        return SandboxResponse.json(out);
    }

    private SandboxResponse details(SandboxRequest request) {
        String reportId = request.pathParameter("reportId");
        long now = clock.millis();
        Instance owner = null;
        Report report = null;
        synchronized (this) {
            for (Instance instance : instances) {
                for (Report candidate : instance.reports()) {
                    if (candidate.id().equals(reportId) && instance.complete(now)) {
                        owner = instance;
                        report = candidate;
                    }
                }
            }
        }
        if (report == null) {
            throw SandboxError.notFound("Compliance report " + reportId + " not found");
        }
        Node base = report.target().tree().versions().get(report.target().version());
        List<Spec> specs = new ArrayList<>(base.specs());
        specs.addAll(report.target().node().specs());
        List<String> config = Arrays.asList(SimulatedDevices.configuration(devices.get(report.device())).split("\n"));
        ObjectNode out = NODES.objectNode();
        out.put("id", report.id());
        out.put("deviceName", report.device());
        out.put("nodePath", report.target().node().path());
        out.put("timestamp", SimulatedJob.iso(owner.finished()));
        out.putArray("inheritedSpecIds").add(base.configId());
        ObjectNode totals = out.putObject("totals");
        ArrayNode issues = out.putArray("issues");
        int errors = 0;
        int warnings = 0;
        int infos = 0;
        int passes = 0;
        for (Spec spec : specs) {
            boolean present = present(config, spec);
            if (present == spec.evalMode().equals("required")) {
                passes++;
                continue;
            }
            switch (spec.severity()) {
                case "error" -> errors++;
                case "warning" -> warnings++;
                default -> infos++;
            }
            ObjectNode issue = issues.addObject();
            issue.put("severity", spec.severity());
            issue.put("type", spec.evalMode());
            issue.put("message", spec.evalMode().equals("required") ? "Required config not found"
                    : "Disallowed config found");
            ObjectNode detail = issue.putObject("spec");
            detail.put("words", spec.words());
            detail.put("evalMode", spec.evalMode());
            detail.put("severity", spec.severity());
            if (spec.parent() != null) {
                detail.put("parent", spec.parent());
            }
        }
        totals.put("errors", errors);
        totals.put("warnings", warnings);
        totals.put("infos", infos);
        totals.put("passes", passes);
        return SandboxResponse.json(out);
    }

    /** Whether a line starting with the spec's words is in the configuration, within its parent's section if any. */
    static boolean present(List<String> config, Spec spec) {
        boolean inSection = spec.parent() == null;
        for (String line : config) {
            boolean indented = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            if (spec.parent() != null) {
                if (!indented) {
                    inSection = line.trim().equals(spec.parent());
                    continue;
                }
            }
            if (inSection && line.trim().startsWith(spec.words())) {
                return true;
            }
        }
        return false;
    }
}
