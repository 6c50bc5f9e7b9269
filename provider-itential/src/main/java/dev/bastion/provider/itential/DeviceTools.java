package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.OffsetPaging;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Configuration Manager devices and their configurations. */
final class DeviceTools {

    static final int DEFAULT_MAX = 1000;
    static final int PAGE_LIMIT = 100;

    private static final Arg<String> NAME = Arg.string("name", "Only devices whose name contains this text.", 128);
    private static final Arg<Integer> MAX = Arg.integer("max_results", "Read at most this many devices (every page is"
            + " followed up to it); default " + DEFAULT_MAX + ".", 1, 10_000).withDefault(DEFAULT_MAX);

    private final ToolSupport support;

    DeviceTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listDevices(), describeDevice(), deviceConfiguration(), backup());
    }

    private static final Arg<String> DESCRIPTION = Arg.string("description", "What the backup is for.", 500);

    private ToolSpec backup() {
        return ToolSupport.write("backup_device_configuration", "Back up a device's configuration",
                        "POST /configuration_manager/devices/backups")
                .description("Reads the device's running configuration into a new Configuration Manager backup and"
                        + " returns the backup's id. It changes nothing on the device.")
                .args(ToolSupport.DEVICE, DESCRIPTION)
                .output("""
                        {"type":"object","required":["device","backup_id"],"properties":{
                          "device":{"type":"string"},"backup_id":{"type":"string"},"message":{"type":"string"}}}""")
                .tags("configuration_manager")
                .handler((args, context) -> {
                    String name = args.get(ToolSupport.DEVICE);
                    ObjectNode body = ToolSupport.object();
                    body.put("name", name);
                    ObjectNode options = body.putObject("options");
                    options.put("description", args.optional(DESCRIPTION).orElse("Backup by Bastion"));
                    options.put("notes", "");
                    JsonNode answer = support.client.send(support.client.post(body, "configuration_manager",
                            "devices", "backups").notFound("Device '" + name + "'"), context);
                    String id = answer.path("id").asText("");
                    if (id.isEmpty()) {
                        throw new dev.bastion.core.tool.ToolFailure("The platform answered the backup of " + name
                                + " without a backup id (" + CompactJson.clip(answer.path("message").asText(""), 200)
                                + "); look for it in Configuration Manager's backups");
                    }
                    ObjectNode out = ToolSupport.object();
                    out.put("device", name);
                    out.put("backup_id", id);
                    CompactJson.put(out, "message", CompactJson.text(answer, "message"));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec listDevices() {
        return ToolSupport.read("list_devices", "List devices", "POST /configuration_manager/devices")
                .description("Lists the network devices Configuration Manager knows, with their address, OS type"
                        + " and origin (the adapter that manages them); filter by name. Every page is read up to"
                        + " max_results; 'truncated' says when that stopped the reading, and 'total' is the"
                        + " platform's count of all matches.")
                .args(NAME, MAX)
                .output("""
                        {"type":"object","required":["devices","count","total"],"properties":{
                          "devices":{"type":"array","items":{"type":"object","required":["name"],"properties":{
                            "name":{"type":"string"},"host":{"type":"string"},"address":{"type":"string"},
                            "os":{"type":"string"},"type":{"type":"string"},"origin":{"type":"string"}}}},
                          "count":{"type":"integer"},"total":{"type":"integer"},"truncated":{"type":"boolean"},
                          "hint":{"type":"string"}}}""")
                .tags("configuration_manager").fanOut()
                .handler((args, context) -> {
                    long[] matches = {-1};
                    OffsetPaging.Result result = OffsetPaging.readAll(PAGE_LIMIT, args.get(MAX), (offset, limit) -> {
                        ObjectNode body = ToolSupport.object();
                        ObjectNode options = body.putObject("options");
                        options.put("start", offset);
                        options.put("limit", limit);
                        options.put("order", "ascending");
                        options.putArray("sort").addObject().put("name", 1);
                        args.optional(NAME).ifPresent(name -> options.putObject("filter").put("name", name));
                        options.put("exactMatch", false);
                        // A search by POST: it changes nothing, so it may be retried like a GET.
                        JsonNode page = support.client.send(support.client.post(body, "configuration_manager",
                                "devices").idempotent(), context);
                        // return_count counts all matches (itential-mcp reads it so), but versions differ on it:
                        // the reading goes on until a short or empty page, and return_count is only reported.
                        matches[0] = Math.max(matches[0], ToolSupport.count(page, "return_count"));
                        return OffsetPaging.Page.of(page.path("list"), -1);
                    });
                    List<JsonNode> devices = result.items();
                    boolean truncated = result.truncated();
                    long total = Math.max(matches[0], result.total());
                    ObjectNode out = ToolSupport.object();
                    ArrayNode items = out.putArray("devices");
                    for (JsonNode device : devices) {
                        ObjectNode item = items.addObject();
                        item.put("name", device.path("name").asText());
                        CompactJson.put(item, "host", CompactJson.text(device, "host"));
                        CompactJson.put(item, "address", CompactJson.text(device, "address"));
                        CompactJson.put(item, "os", CompactJson.text(device, "ostype"));
                        CompactJson.put(item, "type", CompactJson.text(device, "device-type"));
                        CompactJson.put(item, "origin", CompactJson.text(device, "origin"));
                    }
                    out.put("count", items.size());
                    out.put("total", Math.max(total, items.size()));
                    if (truncated) {
                        out.put("truncated", true);
                        out.put("hint", "Stopped at max_results; narrow with name, or raise max_results.");
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec describeDevice() {
        return ToolSupport.read("describe_device", "Describe a device", "GET /configuration_manager/devices/:name")
                .description("One device as Configuration Manager knows it: every field its adapter reports"
                        + " (address, port, OS, type, origin, actions).")
                .args(ToolSupport.DEVICE)
                .output("{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":{\"type\":\"string\"}}}")
                .tags("configuration_manager")
                .handler((args, context) -> {
                    String name = args.get(ToolSupport.DEVICE);
                    JsonNode device = support.client.send(support.client.get("configuration_manager", "devices", name)
                            .notFound("Device '" + name + "'"), context);
                    ObjectNode out = device.isObject() ? (ObjectNode) DeviceSecrets.maskJson(device)
                            : ToolSupport.object();
                    out.put("name", device.path("name").asText(name));
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec deviceConfiguration() {
        return ToolSupport.read("get_device_configuration", "Get a device's configuration",
                        "GET /configuration_manager/devices/:name/configuration")
                .description("The device's current configuration as Configuration Manager last read it. Values of"
                        + " lines that carry credentials (enable secrets, passwords, SNMP communities, keys) are"
                        + " replaced by '" + DeviceSecrets.MASK + "'; 'masked_lines' counts them.")
                .args(ToolSupport.DEVICE)
                .output("""
                        {"type":"object","required":["device","config","masked_lines"],"properties":{
                          "device":{"type":"string"},"config":{"type":"string"},"masked_lines":{"type":"integer"}}}""")
                .tags("configuration_manager")
                .handler((args, context) -> {
                    String name = args.get(ToolSupport.DEVICE);
                    JsonNode answer = support.client.send(support.client.get("configuration_manager", "devices", name,
                            "configuration").notFound("Device '" + name + "'"), context);
                    DeviceSecrets.Masked masked = DeviceSecrets.mask(answer.path("config").asText(""));
                    ObjectNode out = ToolSupport.object();
                    out.put("device", answer.path("device").asText(name));
                    out.put("config", masked.text());
                    out.put("masked_lines", masked.lines());
                    return ToolResult.structured(out);
                }).build();
    }
}
