package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration Manager's devices: the search ({@code POST /configuration_manager/devices}, where
 * {@code return_count} is the number of matches and {@code list} one page of them), one device,
 * and its configuration. {@code total} and {@code unique_device_count} equal the number of matches
 * too, since every simulated device is known to one adapter only.
 */
final class ConfigurationManagerEndpoints {

    static final int MAX_LIMIT = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ItentialSandboxData data;

    ConfigurationManagerEndpoints(ItentialSandboxData data) {
        this.data = data;
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
