package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxHandler;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Configuration Manager's devices: the search ({@code POST /configuration_manager/devices}, where
 * {@code return_count} is the number of matches and {@code list} one page of them), one device,
 * and its configuration. {@code total} and {@code unique_device_count} equal the number of matches
 * too, since every simulated device is known to one adapter only.
 *
 * <p>Also the device groups (a bare array; {@code PUT deviceGroups/{id}} with
 * {@code {"details":{"devices":[...]}}} replaces a group's members, as the platform does, duplicates
 * dropped) and the configuration backups: {@code POST devices/backups} backs a device up at once
 * (an unknown device is a plain-text 500, as the platform answers), {@code POST backups} searches
 * them newest first. Groups and backups are generated from the seed at start.
 */
final class ConfigurationManagerEndpoints {

    static final int MAX_LIMIT = 100;
    static final int HISTORICAL_BACKUPS = 40;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A device group; {@code devices} are names of simulated devices, in order. */
    record DeviceGroup(String id, String name, String description, List<String> devices, long created,
                       String createdBy, long updated, String lastUpdatedBy) {
    }

    /** A configuration backup of a device. */
    record Backup(String id, String device, String provider, long date, String description, String notes,
                  String rawConfig) {
    }

    private final ItentialSandboxData data;
    private final SandboxSessions sessions;
    private final Clock clock;
    private final Map<String, ItentialSandboxData.Device> devices;
    private final Map<String, DeviceGroup> groups = new LinkedHashMap<>();
    private final List<Backup> backups = new ArrayList<>();

    ConfigurationManagerEndpoints(ItentialSandboxData data, SandboxSessions sessions, Clock clock) {
        this.data = data;
        this.sessions = sessions;
        this.clock = clock;
        this.devices = new LinkedHashMap<>();
        data.devices.forEach(device -> devices.put(device.name(), device));
        long now = clock.millis();
        group(now, "atlanta-core", "Core routers of the Atlanta data center", d -> d.name().startsWith("rtr-atl-"), 3);
        group(now, "nyc-access", "Access switches in New York", d -> d.name().startsWith("sw-nyc-"), 12);
        group(now, "edge-firewalls", "Internet edge firewalls", d -> d.name().startsWith("fw-"), 20);
        group(now, "junos-routers", "Juniper routers in the Junos upgrade wave",
                d -> d.name().startsWith("rtr-") && d.ostype().equals(SimulatedDevices.JUNOS), 15);
        group(now, "sfo-lab", "San Francisco lab devices", d -> d.name().contains("-sfo-"), 7);
        group(now, "decommissioned", "Devices awaiting removal", d -> false, 0);
        for (int i = 0; i < HISTORICAL_BACKUPS; i++) {
            ItentialSandboxData.Device device = data.devices.get(data.nextInt(data.devices.size()));
            long date = now - Duration.ofHours(1 + data.nextInt(30 * 24)).toMillis();
            backups.add(backup(data.objectId(date), device, date, "Nightly backup", ""));
        }
    }

    private void group(long now, String name, String description, Predicate<ItentialSandboxData.Device> members,
                       int size) {
        long created = now - Duration.ofDays(20 + data.nextInt(300)).toMillis();
        long updated = created + Duration.ofDays(data.nextInt(15)).toMillis();
        List<String> names = data.devices.stream().filter(members).limit(size).map(ItentialSandboxData.Device::name)
                .toList();
        String id = data.objectId(created);
        groups.put(id, new DeviceGroup(id, name, description, names, created, data.userId, updated, data.userId));
    }

    private Backup backup(String id, ItentialSandboxData.Device device, long date, String description, String notes) {
        return new Backup(id, device.name(), device.origin().equals("IAG") ? "AutomationGateway" : "NSO", date,
                description, notes, SimulatedDevices.configuration(device));
    }

    synchronized List<String> groupNames() {
        return groups.values().stream().map(DeviceGroup::name).toList();
    }

    synchronized List<String> groupDevices(String name) {
        return groups.values().stream().filter(g -> g.name().equals(name)).findFirst()
                .map(DeviceGroup::devices)
                .orElseThrow(() -> new IllegalArgumentException("no device group named " + name));
    }

    synchronized int backupCount() {
        return backups.size();
    }

    void register(SandboxServer.Builder builder) {
        builder.route("POST", "/configuration_manager/devices", this::search);
        builder.route("GET", "/configuration_manager/devices/{name}", request ->
                SandboxResponse.json(render(device(request))));
        builder.route("GET", "/configuration_manager/devices/{name}/configuration", request -> {
            ItentialSandboxData.Device device = device(request);
            ObjectNode out = NODES.objectNode();
            out.put("device", device.name());
            out.put("config", SimulatedDevices.configuration(device));
            return SandboxResponse.json(out);
        });
        builder.route("GET", "/configuration_manager/deviceGroups", request -> {
            ArrayNode out = NODES.arrayNode();
            synchronized (this) {
                groups.values().forEach(group -> out.add(render(group)));
            }
            return SandboxResponse.json(out);
        });
        builder.route("GET", "/configuration_manager/deviceGroups/{id}", request ->
                SandboxResponse.json(render(group(request.pathParameter("id")))));
        builder.route("PUT", "/configuration_manager/deviceGroups/{id}", this::updateGroup);
        builder.route("POST", "/configuration_manager/devices/backups", texted(this::backUp));
        builder.route("POST", "/configuration_manager/backups", this::searchBackups);
        builder.route("GET", "/configuration_manager/backups/{id}", request -> {
            String id = request.pathParameter("id");
            Backup backup;
            synchronized (this) {
                backup = backups.stream().filter(b -> b.id().equals(id)).findFirst()
                        .orElseThrow(() -> SandboxError.notFound("Backup not found"));
            }
            ObjectNode out = render(backup);
            out.put("rawConfig", backup.rawConfig());
            return SandboxResponse.json(out);
        });
    }

    private static SandboxHandler texted(SandboxHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (SandboxError e) {
                return SandboxResponse.text(e.status(), e.getMessage());
            }
        };
    }

    private synchronized DeviceGroup group(String id) {
        DeviceGroup group = groups.get(id);
        if (group == null) {
            throw SandboxError.notFound("Device group not found");
        }
        return group;
    }

    private SandboxResponse updateGroup(SandboxRequest request) {
        DeviceGroup group = group(request.pathParameter("id"));
        JsonNode names = request.json().path("details").path("devices");
        if (!names.isArray()) {
            throw SandboxError.of(400, "The body must be {\"details\":{\"devices\":[...]}}");
        }
        Set<String> members = new LinkedHashSet<>();
        for (JsonNode name : names) {
            if (!name.isTextual() || !devices.containsKey(name.asText())) {
                throw SandboxError.of(400, "Device " + (name.isTextual() ? name.asText() : name.toString())
                        + " does not exist");
            }
            members.add(name.asText());
        }
        String by = sessions.principal(request).map(SandboxSessions.Principal::id).orElse(data.userId);
        synchronized (this) {
            groups.put(group.id(), new DeviceGroup(group.id(), group.name(), group.description(),
                    List.copyOf(members), group.created(), group.createdBy(), clock.millis(), by));
        }
        ObjectNode out = NODES.objectNode();
        out.put("status", "success");
        out.put("message", "Device group updated successfully");
        return SandboxResponse.json(out);
    }

    private static ObjectNode render(DeviceGroup group) {
        ObjectNode out = NODES.objectNode();
        out.put("id", group.id());
        out.put("name", group.name());
        out.put("description", group.description());
        ArrayNode members = out.putArray("devices");
        group.devices().forEach(members::add);
        out.put("created", SimulatedJob.iso(group.created()));
        out.put("createdBy", group.createdBy());
        out.put("updated", SimulatedJob.iso(group.updated()));
        out.put("lastUpdatedBy", group.lastUpdatedBy());
        ObjectNode gbac = out.putObject("gbac");
        gbac.putArray("read");
        gbac.putArray("write");
        return out;
    }

    private SandboxResponse backUp(SandboxRequest request) {
        JsonNode body = request.json();
        if (!body.path("name").isTextual()) {
            throw SandboxError.of(400, "The body must name the device: {\"name\":...}");
        }
        String name = body.path("name").asText();
        ItentialSandboxData.Device device = devices.get(name);
        if (device == null) {
            throw SandboxError.of(500, "Device " + name + " not found");
        }
        JsonNode options = body.path("options");
        long now = clock.millis();
        Backup backup;
        synchronized (this) {
            backup = backup(data.objectId(now), device, now, options.path("description").asText(""),
                    options.path("notes").asText(""));
            backups.add(backup);
        }
        ObjectNode out = NODES.objectNode();
        out.put("status", "success");
        out.put("message", "Device " + name + " backed up successfully");
        out.put("id", backup.id());
        return SandboxResponse.json(out);
    }

    /** Backups newest first; {@code filter.name} is the device's exact name, or a regular expression with {@code regex}. */
    private SandboxResponse searchBackups(SandboxRequest request) {
        JsonNode options = request.json().path("options");
        int start = options.path("start").asInt(0);
        int limit = options.path("limit").asInt(MAX_LIMIT);
        if (start < 0) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "options.start", "must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "options.limit",
                    "must be between 1 and " + MAX_LIMIT);
        }
        JsonNode name = options.path("filter").path("name");
        Predicate<Backup> filter = backup -> true;
        if (name.isTextual()) {
            if (options.path("regex").asBoolean(false)) {
                Pattern pattern;
                try {
                    pattern = Pattern.compile(name.asText());
                } catch (PatternSyntaxException e) {
                    throw SandboxError.badParameter(SandboxError.Location.BODY, "options.filter.name",
                            "is not a valid regular expression");
                }
                filter = backup -> pattern.matcher(backup.device()).find();
            } else {
                filter = backup -> backup.device().equals(name.asText());
            }
        }
        List<Backup> matches;
        synchronized (this) {
            matches = backups.stream().filter(filter)
                    .sorted(Comparator.comparingLong(Backup::date).reversed().thenComparing(Backup::id)).toList();
        }
        ObjectNode out = NODES.objectNode();
        out.put("total", matches.size());
        ArrayNode list = out.putArray("list");
        matches.subList(Math.min(start, matches.size()), Math.min(start + limit, matches.size()))
                .forEach(backup -> list.add(render(backup)));
        return SandboxResponse.json(out);
    }

    private static ObjectNode render(Backup backup) {
        ObjectNode out = NODES.objectNode();
        out.put("_id", backup.id());
        out.put("name", backup.device());
        out.put("provider", backup.provider());
        out.put("type", "native");
        out.put("date", SimulatedJob.iso(backup.date()));
        out.put("description", backup.description());
        out.put("notes", backup.notes());
        return out;
    }

    private ItentialSandboxData.Device device(SandboxRequest request) {
        String name = request.pathParameter("name");
        return data.devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> SandboxError.notFound("Device not found"));
    }

    private SandboxResponse search(SandboxRequest request) {
        JsonNode options = request.json().path("options");
        int start = options.path("start").asInt(0);
        int limit = options.path("limit").asInt(MAX_LIMIT);
        if (start < 0) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "options.start", "must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "options.limit",
                    "must be between 1 and " + MAX_LIMIT);
        }
        boolean exact = options.path("exactMatch").asBoolean(false);
        JsonNode filter = options.path("filter");
        List<ObjectNode> matches = data.devices.stream().map(ConfigurationManagerEndpoints::render)
                .filter(device -> matches(device, filter, exact)).sorted(order(options)).toList();
        ObjectNode out = NODES.objectNode();
        out.put("entity", "device");
        out.put("total", matches.size());
        out.put("unique_device_count", matches.size());
        out.put("return_count", matches.size());
        out.put("start_index", start);
        ArrayNode list = out.putArray("list");
        matches.subList(Math.min(start, matches.size()), Math.min(start + limit, matches.size())).forEach(list::add);
        return SandboxResponse.json(out);
    }

    private static boolean matches(ObjectNode device, JsonNode filter, boolean exact) {
        for (Map.Entry<String, JsonNode> condition : filter.properties()) {
            JsonNode value = device.path(condition.getKey());
            String wanted = condition.getValue().asText();
            boolean ok = exact ? value.asText().equals(wanted)
                    : value.asText().toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT));
            if (value.isMissingNode() || !ok) {
                return false;
            }
        }
        return true;
    }

    /** By the first {@code sort} entry ({@code {"field": 1|-1}}), else by name in {@code order}. */
    private static Comparator<ObjectNode> order(JsonNode options) {
        String field = "name";
        boolean ascending = !options.path("order").asText("ascending").equals("descending");
        JsonNode sort = options.path("sort").path(0);
        if (sort.isObject() && sort.size() == 1) {
            Map.Entry<String, JsonNode> entry = sort.properties().iterator().next();
            field = entry.getKey();
            ascending = entry.getValue().asInt(1) >= 0;
        }
        String by = field;
        Comparator<ObjectNode> comparator = Comparator.comparing(device -> device.path(by).asText());
        return ascending ? comparator : comparator.reversed();
    }

    private static ObjectNode render(ItentialSandboxData.Device device) {
        ObjectNode out = NODES.objectNode();
        out.put("name", device.name());
        out.put("host", device.name());
        out.put("address", device.address());
        out.put("port", "22");
        out.put("device-type", device.ostype());
        out.put("ostype", device.ostype());
        out.put("origin", device.origin());
        out.put("authgroup", "default");
        out.putArray("actions").add("getConfig").add("getDevice").add("isAlive").add("backup").add("restore");
        return out;
    }
}
