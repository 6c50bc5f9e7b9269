package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Configuration Manager device groups. The platform's update replaces a group's device list, so
 * adding and removing read the group first, change exactly the named devices, write the whole list
 * back and report what changed: never the replacement that deleted every device not named
 * (itential-mcp#383).
 */
final class DeviceGroupTools {

    private static final Arg<String> GROUP = Arg.string("group", "Name of the device group, as"
            + " itential_list_device_groups lists it.", 200).required();
    private static final Arg<String> NAME = Arg.string("name", "Only groups whose name contains this text.", 200);
    private static final String CHANGE_OUTPUT = """
            {"type":"object","required":["group","before","after","changed"],"properties":{
              "group":{"type":"string"},"before":{"type":"integer"},"after":{"type":"integer"},
              "changed":{"type":"array","items":{"type":"string"}},
              "unchanged":{"type":"array","items":{"type":"string"}},
              "devices":{"type":"array","items":{"type":"string"}}}}""";

    private final ToolSupport support;
    private final java.util.concurrent.ConcurrentMap<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    DeviceGroupTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listGroups(), change(true), change(false));
    }

    private ToolSpec listGroups() {
        return ToolSupport.read("list_device_groups", "List device groups", "GET /configuration_manager/deviceGroups")
                .description("Lists Configuration Manager's device groups with their description, how many devices"
                        + " each has and the device names.")
                .args(NAME)
                .output("""
                        {"type":"object","required":["groups","count"],"properties":{
                          "groups":{"type":"array","items":{"type":"object","required":["name","devices"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
                            "device_count":{"type":"integer"},"devices":{"type":"array","items":{"type":"string"}}}}},
                          "count":{"type":"integer"}}}""")
                .tags("configuration_manager").fanOut()
                .handler((args, context) -> {
                    String name = args.optional(NAME).map(String::toLowerCase).orElse(null);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("groups");
                    for (JsonNode group : groups(context)) {
                        if (name != null && !group.path("name").asText().toLowerCase().contains(name)) {
                            continue;
                        }
                        ObjectNode item = list.addObject();
                        CompactJson.put(item, "id", CompactJson.text(group, "id"));
                        item.put("name", group.path("name").asText());
                        CompactJson.put(item, "description", CompactJson.text(group, "description"));
                        item.put("device_count", group.path("devices").size());
                        item.set("devices", group.path("devices").isArray() ? group.path("devices")
                                : ToolSupport.NODES.arrayNode());
                    }
                    out.put("count", list.size());
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec change(boolean add) {
        String verb = add ? "add" : "remove";
        return ToolSupport.write(verb + "_devices_" + (add ? "to" : "from") + "_group",
                        (add ? "Add devices to" : "Remove devices from") + " a group",
                        "GET and PUT /configuration_manager/deviceGroups")
                .description((add ? "Adds" : "Removes") + " exactly the named devices " + (add ? "to" : "from")
                        + " a device group and leaves every other member as it was: the group is read, changed and"
                        + " written back whole. Returns the member count before and after, the devices that changed"
                        + " and those that were " + (add ? "already members" : "not members") + ".")
                .args(GROUP, ToolSupport.DEVICES)
                .output(CHANGE_OUTPUT)
                .tags("configuration_manager")
                .handler((args, context) -> {
                    String name = args.get(GROUP);
                    List<String> named = new ArrayList<>(new LinkedHashSet<>(args.get(ToolSupport.DEVICES)));
                    JsonNode group = group(name, context);
                    String id = group.path("id").asText(group.path("_id").asText(""));
                    if (id.isEmpty()) {
                        throw new ToolFailure("The platform listed device group '" + name + "' without an id");
                    }
                    // Read, change and write back under one lock per group, so two calls in parallel cannot
                    // each write a list that lacks the other's change.
                    synchronized (locks.computeIfAbsent(id, key -> new Object())) {
                        List<String> before = devices(group(name, context), name);
                        Set<String> wanted = new LinkedHashSet<>(before);
                        for (String device : named) {
                            if (add) {
                                wanted.add(device);
                            } else {
                                wanted.remove(device);
                            }
                        }
                        List<String> after = before;
                        if (!wanted.equals(new LinkedHashSet<>(before))) {
                            ObjectNode body = ToolSupport.object();
                            ArrayNode devices = body.putObject("details").putArray("devices");
                            wanted.forEach(devices::add);
                            support.client.send(support.client.put(body, "configuration_manager", "deviceGroups", id),
                                    context);
                            // What the platform holds now, read back: the report is the result, not the intent.
                            List<String> written = devices(support.client.send(support.client.get(
                                    "configuration_manager", "deviceGroups", id), context), name);
                            List<String> lost = before.stream().filter(device -> wanted.contains(device)
                                    && !written.contains(device)).toList();
                            List<String> missing = wanted.stream().filter(device -> !before.contains(device)
                                    && !written.contains(device)).toList();
                            List<String> kept = add ? List.of() : named.stream().filter(written::contains).toList();
                            if (!lost.isEmpty() || !missing.isEmpty() || !kept.isEmpty()) {
                                throw new ToolFailure("Device group '" + name + "' does not hold what was written:"
                                        + (missing.isEmpty() ? "" : " missing " + missing)
                                        + (lost.isEmpty() ? "" : " (lost members " + lost + ")")
                                        + (kept.isEmpty() ? "" : " still holding " + kept)
                                        + "; it now has " + written.size() + " devices. Check the group on the platform.");
                            }
                            after = written;
                        }
                        ObjectNode out = ToolSupport.object();
                        out.put("group", name);
                        out.put("before", before.size());
                        out.put("after", after.size());
                        ArrayNode changed = out.putArray("changed");
                        ArrayNode unchanged = out.putArray("unchanged");
                        for (String device : named) {
                            boolean did = add ? !before.contains(device) && after.contains(device)
                                    : before.contains(device) && !after.contains(device);
                            (did ? changed : unchanged).add(device);
                        }
                        after.forEach(out.putArray("devices")::add);
                        return ToolResult.structured(out);
                    }
                }).build();
    }

    /** The one group called {@code name}; none or several is a failure that says so. */
    private JsonNode group(String name, CallContext context) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode candidate : groups(context)) {
            if (candidate.path("name").asText().equals(name)) {
                found.add(candidate);
            }
        }
        if (found.isEmpty()) {
            throw new ToolFailure("No device group is called '" + name + "' on platform " + support.client.alias()
                    + "; itential_list_device_groups lists them");
        }
        if (found.size() > 1) {
            throw new ToolFailure(found.size() + " device groups are called '" + name + "' on platform "
                    + support.client.alias() + "; rename one so the change cannot go to the wrong group");
        }
        return found.get(0);
    }

    /** The group's member names; a group without a devices list is a failure, not an empty group. */
    private static List<String> devices(JsonNode group, String name) {
        if (!group.path("devices").isArray()) {
            throw new ToolFailure("The platform answered device group '" + name + "' without its devices list");
        }
        List<String> out = new ArrayList<>();
        group.path("devices").forEach(device -> out.add(device.asText()));
        return out;
    }

    private JsonNode groups(CallContext context) {
        return support.client.send(support.client.get("configuration_manager", "deviceGroups"), context);
    }
}
