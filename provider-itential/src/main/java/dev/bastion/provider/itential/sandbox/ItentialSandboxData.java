package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The platform's content, generated from a seed at a start time: devices, adapters and
 * applications, automations with their triggers, command templates and 300 historical jobs.
 */
final class ItentialSandboxData {

    static final int DEVICE_COUNT = 250;
    static final int HISTORICAL_JOBS = 300;
    static final String PLATFORM_VERSION = "5.46.0-2023.1.41.1";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] SITES = {"atl", "nyc", "sfo", "dfw", "chi", "sea"};
    private static final String[] TEST_NETS = {"192.0.2.", "198.51.100.", "203.0.113."};

    /** A device Configuration Manager knows; {@code ostype} is also its {@code device-type}. */
    record Device(String name, String ostype, String address, String origin, long bootMillis, long seed) {
    }

    /** An adapter or application of the platform, as the health routes report it. */
    record Component(String id, String packageId, String version, boolean running, boolean connected,
                     long startedMillis, long heapUsed) {
    }

    /** One step of an automation. */
    record TaskSpec(String taskId, String name, String summary, String app, String type) {
    }

    /**
     * An Operations Manager automation and the workflow it runs ({@code workflowId}, a UUID as
     * Automation Studio's ids are), which jobs run.
     */
    record Automation(String id, String name, String description, List<TaskSpec> tasks, String workflowId,
                      long created, long lastUpdated) {
    }

    /** An Operations Manager trigger; {@code schema} (endpoint triggers only) may be null. */
    record Trigger(String id, String name, String type, boolean enabled, String routeName, Automation automation,
                   String description, ObjectNode schema, long created) {
    }

    /** A MOP rule: {@code eval} is {@code contains}, {@code !contains} or {@code RegEx}. */
    record Rule(String rule, String eval, String severity) {
    }

    /** One command of a command template, passing when all ({@code passRule}) or any of its rules pass. */
    record TemplateCommand(String command, boolean passRule, List<Rule> rules) {
    }

    /** A MOP command template. */
    record Template(String id, String name, String description, String os, List<TemplateCommand> commands,
                    long created, long lastUpdated) {
    }

    final String serverId;
    final String userId;
    final String groupId;
    final String roleId;
    final long bootMillis;
    final List<Device> devices;
    final List<Component> adapters;
    final List<Component> applications;
    final List<Automation> automations;
    final List<Trigger> triggers;
    final List<Template> templates;
    final List<SimulatedJob> historicalJobs;

    private final Random random;

    ItentialSandboxData(long seed, long nowMillis) {
        this.random = new Random(seed);
        this.serverId = hex(64);
        this.userId = objectId(nowMillis - Duration.ofDays(400).toMillis());
        this.groupId = objectId(nowMillis - Duration.ofDays(400).toMillis());
        this.roleId = objectId(nowMillis - Duration.ofDays(400).toMillis());
        this.bootMillis = nowMillis - Duration.ofHours(50 + random.nextInt(500)).toMillis();
        this.devices = devices(seed, nowMillis);
        this.adapters = components(List.of(
                new String[] {"local_aaa", "@itential/adapter-local_aaa", "1.6.4"},
                new String[] {"ServiceNow", "@itential/adapter-servicenow", "2.7.1"},
                new String[] {"AutomationGateway", "@itential/adapter-automation_gateway", "4.3.2"},
                new String[] {"NSO", "@itential/adapter-nso", "5.1.0"},
                new String[] {"Email", "@itential/adapter-email", "0.7.3"},
                new String[] {"Kafka", "@itential/adapter-kafka", "0.9.8"}), "Kafka");
        this.applications = components(List.of(
                new String[] {"AutomationStudio", "@itential/app-automation_studio", "5.46.0"},
                new String[] {"OperationsManager", "@itential/app-operations_manager", "5.46.0"},
                new String[] {"ConfigurationManager", "@itential/app-configuration_manager", "5.46.1"},
                new String[] {"MOP", "@itential/app-mop", "5.46.0"},
                new String[] {"WorkflowBuilder", "@itential/app-workflow_builder", "5.46.0"},
                new String[] {"JsonForms", "@itential/app-json_forms", "5.46.0"},
                new String[] {"TemplateBuilder", "@itential/app-template_builder", "5.46.0"},
                new String[] {"Lifecycle", "@itential/app-lifecycle_manager", "5.46.0"}), null);
        this.automations = automations(nowMillis);
        this.triggers = triggers(nowMillis);
        this.templates = templates(nowMillis);
        this.historicalJobs = historicalJobs(nowMillis);
    }

    /** A fresh Mongo-ObjectId-like id: its first 8 hex digits are the creation time in seconds. */
    String objectId(long epochMillis) {
        return String.format(Locale.ROOT, "%08x", epochMillis / 1000) + hex(16);
    }

    String hex(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private List<Device> devices(long seed, long nowMillis) {
        List<Device> out = new ArrayList<>();
        int[] perRole = new int[3];
        for (int i = 0; i < DEVICE_COUNT; i++) {
            int role = i % 5 < 3 ? 0 : i % 5 == 3 ? 1 : 2;
            String prefix = new String[] {"rtr", "sw", "fw"}[role];
            String site = SITES[random.nextInt(SITES.length)];
            String name = String.format(Locale.ROOT, "%s-%s-%03d", prefix, site, ++perRole[role]);
            String ostype = switch (role) {
                case 0 -> random.nextInt(3) == 0 ? SimulatedDevices.JUNOS : SimulatedDevices.IOS;
                case 1 -> SimulatedDevices.NXOS;
                default -> random.nextBoolean() ? SimulatedDevices.JUNOS : SimulatedDevices.IOS;
            };
            String address = random.nextInt(4) == 0
                    ? TEST_NETS[random.nextInt(TEST_NETS.length)] + (1 + random.nextInt(254))
                    : "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            // Booted 1 to 300 days before the sandbox started, so its uptime moves with the clock.
            long booted = nowMillis - Duration.ofDays(1 + random.nextInt(300)).plusSeconds(random.nextInt(86_400))
                    .toMillis();
            out.add(new Device(name, ostype, address, random.nextBoolean() ? "NSO" : "IAG", booted, seed * 31 + i));
        }
        return List.copyOf(out);
    }

    private List<Component> components(List<String[]> specs, String stopped) {
        List<Component> out = new ArrayList<>();
        for (String[] spec : specs) {
            boolean running = !spec[0].equals(stopped);
            out.add(new Component(spec[0], spec[1], spec[2], running, running, bootMillis + random.nextInt(120_000),
                    running ? 40_000_000L + random.nextInt(120_000_000) : 0));
        }
        return List.copyOf(out);
    }

    private List<Automation> automations(long nowMillis) {
        TaskSpec getDevice = new TaskSpec("", "getDevice", "Get Device Details", "ConfigurationManager", "automatic");
        TaskSpec backup = new TaskSpec("", "backUpDevice", "Backup Device Configuration", "ConfigurationManager",
                "automatic");
        TaskSpec runTemplate = new TaskSpec("", "RunCommandTemplate", "Run Command Template", "MOP", "automatic");
        TaskSpec delay = new TaskSpec("", "delay", "Delay a Job", "WorkFlowEngine", "operation");
        TaskSpec change = new TaskSpec("", "createChangeRequest", "Create Change Request", "ServiceNow", "automatic");
        TaskSpec playbook = new TaskSpec("", "runPlaybook", "Run Ansible Playbook", "AutomationGateway", "automatic");
        TaskSpec makeData = new TaskSpec("", "makeData", "Make Data", "WorkFlowEngine", "automatic");
        TaskSpec apply = new TaskSpec("", "applyTemplate", "Apply Template to Device", "ConfigurationManager",
                "automatic");
        TaskSpec describe = new TaskSpec("", "updateJobDescription", "Update Job Description", "WorkFlowEngine",
                "operation");
        Object[][] specs = {
            {"Backup Device Configs", "Back up the running configuration of a device", List.of(getDevice, backup, describe)},
            {"Port Turn-Up", "Enable an access port and assign its VLAN", List.of(getDevice, change, apply, runTemplate)},
            {"Software Upgrade Precheck", "Check a device before an OS upgrade", List.of(getDevice, runTemplate, makeData)},
            {"Device Onboarding", "Add a device to inventory and baseline it", List.of(change, getDevice, backup, apply)},
            {"VLAN Provisioning", "Create a VLAN across a site's switches", List.of(makeData, apply, runTemplate)},
            {"Firewall Rule Request", "Open a firewall rule after approval", List.of(change, delay, playbook)},
            {"Interface Health Check", "Collect interface counters from a device", List.of(getDevice, runTemplate)},
            {"BGP Neighbor Audit", "Verify BGP neighbors against intent", List.of(runTemplate, makeData, describe)},
            {"Config Compliance Scan", "Check configurations against golden config", List.of(getDevice, backup,
                    makeData, describe)},
            {"Decommission Device", "Remove a device from service", List.of(change, playbook, delay, describe)},
        };
        List<Automation> out = new ArrayList<>();
        for (Object[] spec : specs) {
            List<TaskSpec> tasks = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<TaskSpec> steps = (List<TaskSpec>) spec[2];
            for (TaskSpec step : steps) {
                tasks.add(new TaskSpec(hex(4), step.name(), step.summary(), step.app(), step.type()));
            }
            long created = nowMillis - Duration.ofDays(200).toMillis();
            String name = (String) spec[0];
            // The workflow id and the update time follow from the server id and the name, so adding
            // them left the rest of the generated content as it was.
            String workflowId = UUID.nameUUIDFromBytes((serverId + name).getBytes(StandardCharsets.UTF_8)).toString();
            long updated = created + Duration.ofDays(Math.floorMod(workflowId.hashCode(), 150)).toMillis();
            out.add(new Automation(objectId(created), name, (String) spec[1], List.copyOf(tasks), workflowId,
                    created, updated));
        }
        return List.copyOf(out);
    }

    private List<Trigger> triggers(long nowMillis) {
        ObjectNode deviceSchema = schema(List.of("device"), "device", "string");
        ObjectNode portSchema = schema(List.of("device", "interface"), "device", "string", "interface", "string",
                "vlan", "integer");
        Object[][] specs = {
            {"Backup Device Configs API", "endpoint", true, "backup-device-configs", 0, deviceSchema},
            {"Port Turn-Up API", "endpoint", true, "port-turn-up", 1, portSchema},
            {"Interface Health Check API", "endpoint", true, "interface-health-check", 6, null},
            {"Device Onboarding API", "endpoint", false, "device-onboarding", 3, null},
            {"Software Upgrade Precheck", "manual", true, null, 2, null},
            {"VLAN Provisioning", "manual", true, null, 4, null},
            {"Nightly Config Compliance Scan", "schedule", true, null, 8, null},
            {"Weekly BGP Neighbor Audit", "schedule", false, null, 7, null},
        };
        List<Trigger> out = new ArrayList<>();
        for (Object[] spec : specs) {
            Automation automation = automations.get((Integer) spec[4]);
            long created = nowMillis - Duration.ofDays(30 + random.nextInt(120)).toMillis();
            out.add(new Trigger(objectId(created), (String) spec[0], (String) spec[1], (Boolean) spec[2],
                    (String) spec[3], automation, "Starts " + automation.name(), (ObjectNode) spec[5], created));
        }
        return List.copyOf(out);
    }

    /** A JSON Schema of an object input: its required properties, then pairs of property name and type. */
    private static ObjectNode schema(List<String> required, String... propertyTypes) {
        ObjectNode schema = NODES.objectNode();
        schema.put("$id", "input");
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (int i = 0; i < propertyTypes.length; i += 2) {
            properties.putObject(propertyTypes[i]).put("type", propertyTypes[i + 1]);
        }
        required.forEach(schema.putArray("required")::add);
        return schema;
    }

    private List<Template> templates(long nowMillis) {
        List<Template> out = new ArrayList<>();
        out.add(template(nowMillis, "IOS Show Version", "Checks the IOS XE version and uptime", SimulatedDevices.IOS,
                new TemplateCommand("show version", true, List.of(
                        new Rule("Cisco IOS XE Software", "contains", "error"),
                        new Rule("uptime is \\d+ (weeks?|days?)", "RegEx", "warning")))));
        out.add(template(nowMillis, "IOS Interface Status", "No interface may be administratively down",
                SimulatedDevices.IOS, new TemplateCommand("show ip interface brief", true, List.of(
                        new Rule("GigabitEthernet1", "contains", "error"),
                        new Rule("administratively down", "!contains", "warning")))));
        out.add(template(nowMillis, "NXOS Interfaces", "Uplinks are up on Nexus switches", SimulatedDevices.NXOS,
                new TemplateCommand("show interface brief", true, List.of(
                        new Rule("Eth1/1 ", "contains", "error"),
                        new Rule("linkFlapErrDisabled", "!contains", "error")))));
        out.add(template(nowMillis, "Junos Chassis", "Chassis inventory has a routing engine", SimulatedDevices.JUNOS,
                new TemplateCommand("show chassis hardware", true, List.of(
                        new Rule("Chassis", "contains", "error"),
                        new Rule("Routing Engine \\d", "RegEx", "error")))));
        out.add(template(nowMillis, "IOS Reachability", "Pings <!target!> from the device", SimulatedDevices.IOS,
                new TemplateCommand("ping <!target!>", false, List.of(
                        new Rule("Success rate is 100 percent", "contains", "error"),
                        new Rule("Success rate is [1-9][0-9] percent", "RegEx", "warning")))));
        return List.copyOf(out);
    }

    private Template template(long nowMillis, String name, String description, String os, TemplateCommand command) {
        long created = nowMillis - Duration.ofDays(60 + random.nextInt(300)).toMillis();
        long updated = created + Duration.ofDays(random.nextInt(50)).toMillis();
        return new Template(objectId(created), name, description, os, List.of(command), created, updated);
    }

    private List<SimulatedJob> historicalJobs(long nowMillis) {
        List<SimulatedJob> out = new ArrayList<>();
        long thirtyDays = Duration.ofDays(30).toMillis();
        for (int i = 0; i < HISTORICAL_JOBS; i++) {
            Automation automation = automations.get(random.nextInt(automations.size()));
            int draw = random.nextInt(100);
            // Whatever the seed, some jobs are still running and some paused, so they can be canceled.
            if (i % 60 == 59) {
                draw = 95;
            } else if (i % 60 == 29) {
                draw = 85;
            }
            SimulatedJob.Outcome outcome = draw < 55 ? SimulatedJob.Outcome.COMPLETE
                    : draw < 75 ? SimulatedJob.Outcome.ERROR
                    : draw < 83 ? SimulatedJob.Outcome.CANCELED
                    : draw < 89 ? SimulatedJob.Outcome.INCOMPLETE
                    : draw < 94 ? SimulatedJob.Outcome.PAUSED
                    : SimulatedJob.Outcome.COMPLETE;
            boolean stillRunning = draw >= 94;
            int tasks = automation.tasks().size();
            List<Long> durations = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                durations.add(200L + random.nextInt(20_000));
            }
            long start;
            int stopAt = outcome == SimulatedJob.Outcome.COMPLETE ? tasks : random.nextInt(tasks);
            if (stillRunning) {
                // It started recently and its last step takes hours.
                start = nowMillis - Duration.ofMinutes(1 + random.nextInt(30)).toMillis();
                durations.set(tasks - 1, Duration.ofHours(2 + random.nextInt(6)).toMillis());
            } else {
                start = nowMillis - Duration.ofHours(1).toMillis() - (long) (random.nextDouble() * thirtyDays);
            }
            ObjectNode variables = NODES.objectNode();
            variables.put("device", devices.get(random.nextInt(devices.size())).name());
            out.add(new SimulatedJob(objectId(start), automation, start, durations, outcome, stopAt, variables,
                    random.nextBoolean() ? "Pronghorn" : userId, serverId));
        }
        return List.copyOf(out);
    }
}
