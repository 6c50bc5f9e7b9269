package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.command.CommandPolicyException;
import dev.bastion.security.command.DeviceCommandPolicy;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MOP: command templates, and commands run on devices. Every command is checked by the server's
 * device-command allowlist ({@code security.device_commands}) before anything is sent, a
 * template's commands after its variables are filled in; a refused command names the rule and
 * nothing reaches the platform.
 */
final class CommandTools {

    /** Characters of device output kept per device; the rest is cut, and the result says so. */
    static final int MAX_OUTPUT_CHARS = 20_000;
    /** MOP's variable syntax in template commands. */
    private static final Pattern VARIABLE = Pattern.compile("<!([A-Za-z0-9_.-]+)!>");
    private static final String TEMPLATE_PATTERN = "^[^\\u0000-\\u001f\\u007f]{1,200}$";

    private static final Arg<String> COMMAND = Arg.string("command", "One CLI command, such as 'show version';"
            + " only commands the server's device-command allowlist allows are sent.", 500).required();
    private static final Arg<String> TEMPLATE = Arg.pattern("template", "Name of the command template, as"
            + " itential_list_command_templates lists it.", TEMPLATE_PATTERN, 200).required();
    private static final Arg<JsonNode> VARIABLES = Arg.json("variables", "Values of the template's <!name!>"
            + " variables, a JSON object of strings. Default {}.", JsonNodeFactory.instance.objectNode()
            .put("type", "object").put("maxProperties", 50).set("additionalProperties", JsonNodeFactory.instance.objectNode()
                    .put("type", "string").put("maxLength", 200)));
    private static final String RESULTS_OUTPUT = """
            {"type":"object","required":["results","passed"],"properties":{
              "template":{"type":"string"},"passed":{"type":"boolean"},
              "missing_devices":{"type":"array","items":{"type":"string"}},
              "results":{"type":"array","items":{"type":"object","required":["device","command"],"properties":{
                "device":{"type":"string"},"command":{"type":"string"},"passed":{"type":"boolean"},
                "output":{"type":"string"},"output_truncated":{"type":"boolean"},"masked_lines":{"type":"integer"},
                "rules":{"type":"array","items":{"type":"object","properties":{
                  "rule":{"type":"string"},"eval":{"type":"string"},"passed":{"type":"boolean"}}}}}}}}}""";

    private final ToolSupport support;
    private final DeviceCommandPolicy policy;

    CommandTools(ToolSupport support, DeviceCommandPolicy policy) {
        this.support = support;
        this.policy = policy;
    }

    List<ToolSpec> tools() {
        return List.of(listTemplates(), describeTemplate(), runCommand(), runTemplate());
    }

    private ToolSpec listTemplates() {
        return ToolSupport.read("list_command_templates", "List command templates", "GET /mop/listTemplates")
                .description("Lists MOP command templates: their name (use it with itential_describe_command_template"
                        + " and itential_run_command_template), OS, description and how many commands they run.")
                .output("""
                        {"type":"object","required":["templates","count"],"properties":{
                          "templates":{"type":"array","items":{"type":"object","required":["name"],"properties":{
                            "name":{"type":"string"},"os":{"type":"string"},"description":{"type":"string"},
                            "commands":{"type":"integer"},"updated":{"type":"string"}}}},
                          "count":{"type":"integer"}}}""")
                .tags("automation_studio").fanOut()
                .handler((args, context) -> {
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("templates");
                    for (JsonNode template : support.client.send(support.client.get("mop", "listTemplates"), context)) {
                        ObjectNode item = list.addObject();
                        item.put("name", template.path("name").asText());
                        CompactJson.put(item, "os", CompactJson.text(template, "os"));
                        CompactJson.put(item, "description", CompactJson.text(template, "description"));
                        item.put("commands", template.path("commands").size());
                        CompactJson.put(item, "updated", ToolSupport.time(template.path("lastUpdated")));
                    }
                    out.put("count", list.size());
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec describeTemplate() {
        return ToolSupport.read("describe_command_template", "Describe a command template", "GET /mop/listATemplate")
                .description("Returns one MOP command template: each command with its pass rules, and the"
                        + " <!name!> variables its commands use.")
                .args(TEMPLATE)
                .output("""
                        {"type":"object","required":["name","commands"],"properties":{
                          "name":{"type":"string"},"os":{"type":"string"},"description":{"type":"string"},
                          "variables":{"type":"array","items":{"type":"string"}},
                          "commands":{"type":"array","items":{"type":"object","required":["command"],"properties":{
                            "command":{"type":"string"},"rules":{"type":"array","items":{"type":"object"}}}}}}}""")
                .tags("automation_studio")
                .handler((args, context) -> {
                    JsonNode template = template(args.get(TEMPLATE), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("name", template.path("name").asText());
                    CompactJson.put(out, "os", CompactJson.text(template, "os"));
                    CompactJson.put(out, "description", CompactJson.text(template, "description"));
                    ArrayNode variables = out.putArray("variables");
                    ArrayNode commands = out.putArray("commands");
                    for (JsonNode command : template.path("commands")) {
                        String text = command.path("command").asText();
                        Matcher matcher = VARIABLE.matcher(text);
                        while (matcher.find()) {
                            if (!contains(variables, matcher.group(1))) {
                                variables.add(matcher.group(1));
                            }
                        }
                        ObjectNode item = commands.addObject();
                        item.put("command", text);
                        item.set("rules", command.path("rules").isArray() ? command.path("rules")
                                : ToolSupport.NODES.arrayNode());
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec runCommand() {
        return ToolSupport.write("run_command", "Run a command on devices", "POST /mop/RunCommandDevices")
                .description("Runs one CLI command on up to 50 devices and returns each device's output. Only"
                        + " commands the server's device-command allowlist allows are sent (by default show,"
                        + " display, ping and traceroute, never configuration mode, separators, line breaks or"
                        + " configuration dumps); a refused command names the rule and reaches no device.")
                .args(COMMAND, ToolSupport.DEVICES)
                .output(RESULTS_OUTPUT)
                .tags("automation_studio")
                .handler((args, context) -> {
                    String command = checked(args.get(COMMAND));
                    ObjectNode body = ToolSupport.object();
                    body.put("command", command);
                    ArrayNode devices = body.putArray("devices");
                    args.get(ToolSupport.DEVICES).forEach(devices::add);
                    body.putObject("variables");
                    JsonNode answer = support.client.send(support.client.post(body, "mop", "RunCommandDevices"),
                            context);
                    return ToolResult.structured(results(answer.isArray() ? answer : ToolSupport.NODES.arrayNode(),
                            args.get(ToolSupport.DEVICES), command, null));
                }).build();
    }

    private ToolSpec runTemplate() {
        return ToolSupport.write("run_command_template", "Run a command template on devices",
                        "GET /mop/listATemplate and POST /mop/RunCommandTemplate")
                .description("Runs a MOP command template on up to 50 devices and evaluates its pass rules. The"
                        + " template is read first and every command, with the variables filled in, is checked by"
                        + " the server's device-command allowlist; if one is refused, nothing is sent.")
                .args(TEMPLATE, ToolSupport.DEVICES, VARIABLES)
                .output(RESULTS_OUTPUT)
                .tags("automation_studio")
                .handler((args, context) -> {
                    String name = args.get(TEMPLATE);
                    JsonNode variables = args.optional(VARIABLES).orElse(ToolSupport.object());
                    for (JsonNode command : template(name, context).path("commands")) {
                        String filled = fill(command.path("command").asText(), variables);
                        Matcher unfilled = VARIABLE.matcher(filled);
                        if (unfilled.find()) {
                            throw new ToolFailure("Template '" + name + "' was not run: its variable '"
                                    + unfilled.group(1) + "' has no value in variables");
                        }
                        try {
                            policy.check(filled);
                        } catch (CommandPolicyException e) {
                            throw new ToolFailure("Template '" + name + "' was not run: " + e.getMessage());
                        }
                    }
                    ObjectNode body = ToolSupport.object();
                    body.put("template", name);
                    ArrayNode devices = body.putArray("devices");
                    args.get(ToolSupport.DEVICES).forEach(devices::add);
                    body.set("variables", variables);
                    JsonNode answer = support.client.send(support.client.post(body, "mop", "RunCommandTemplate"),
                            context);
                    // {name, all_pass_flag, command_results:[…]}, or the per-command results as a bare array.
                    JsonNode results = answer.isArray() ? answer : answer.path("command_results");
                    ObjectNode out = results(results.isArray() ? results : ToolSupport.NODES.arrayNode(),
                            args.get(ToolSupport.DEVICES), null, answer.path("all_pass_flag"));
                    out.put("template", answer.path("name").asText(name));
                    return ToolResult.structured(out);
                }).build();
    }

    /** The command as the allowlist normalises it, or the refusal naming the rule. */
    private String checked(String command) {
        try {
            return policy.check(command);
        } catch (CommandPolicyException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    /** The template named {@code name}; the platform answers an unknown one with an empty list. */
    private JsonNode template(String name, dev.bastion.core.tool.CallContext context) {
        JsonNode answer = support.client.send(support.client.get("mop", "listATemplate", name)
                .notFound("Command template '" + name + "'"), context);
        if (answer.isArray() && answer.size() > 1) {
            throw new ToolFailure("The platform answered " + answer.size() + " command templates for '" + name
                    + "'; nothing was run");
        }
        JsonNode template = answer.isArray() ? answer.path(0) : answer;
        if (template.isObject() && !name.equals(template.path("name").asText())) {
            throw new ToolFailure("The platform answered the command template '" + template.path("name").asText()
                    + "' for '" + name + "'; nothing was run");
        }
        if (!template.isObject() || !template.path("commands").isArray()) {
            throw new ToolFailure("No command template is called '" + name + "' on platform "
                    + support.client.alias() + "; itential_list_command_templates lists them");
        }
        return template;
    }

    /** {@code command} with MOP's {@code <!name!>} variables replaced as the platform will replace them. */
    static String fill(String command, JsonNode variables) {
        Matcher matcher = VARIABLE.matcher(command);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            JsonNode value = variables.path(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.isValueNode() && !value.isNull()
                    ? value.asText() : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The per-device results; {@code passed} only when there were results, each passed (and the
     * platform's own flag, when it gives one, agrees), and every device named answered.
     */
    private static ObjectNode results(JsonNode answers, List<String> devices, String command, JsonNode allPass) {
        ObjectNode out = ToolSupport.object();
        ArrayNode results = out.putArray("results");
        boolean passed = !answers.isEmpty();
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (JsonNode result : answers) {
            answered.add(result.path("device").asText());
            passed &= addResult(results, result, command != null ? command
                    : result.path("evaluated").asText(result.path("raw").asText()));
        }
        if (allPass != null && allPass.isBoolean()) {
            passed &= allPass.asBoolean();
        }
        ArrayNode missing = ToolSupport.NODES.arrayNode();
        devices.stream().filter(device -> !answered.contains(device)).forEach(missing::add);
        if (!missing.isEmpty()) {
            out.set("missing_devices", missing);
            passed = false;
        }
        out.put("passed", passed);
        return out;
    }

    private static boolean addResult(ArrayNode results, JsonNode result, String command) {
        ObjectNode item = results.addObject();
        item.put("device", result.path("device").asText("?"));
        item.put("command", command);
        boolean passed = result.path("result").asBoolean(result.path("all_pass_flag").asBoolean(false));
        item.put("passed", passed);
        DeviceSecrets.Masked masked = DeviceSecrets.mask(result.path("response").asText(""));
        String output = masked.text();
        if (masked.lines() > 0) {
            item.put("masked_lines", masked.lines());
        }
        if (output.length() > MAX_OUTPUT_CHARS) {
            item.put("output", output.substring(0, MAX_OUTPUT_CHARS));
            item.put("output_truncated", true);
        } else {
            item.put("output", output);
        }
        ArrayNode rules = ToolSupport.NODES.arrayNode();
        for (JsonNode rule : result.path("rules")) {
            ObjectNode compact = rules.addObject();
            CompactJson.put(compact, "rule", CompactJson.text(rule, "rule"));
            CompactJson.put(compact, "eval", CompactJson.text(rule, "eval"));
            if (rule.path("result").isBoolean()) {
                compact.put("passed", rule.path("result").asBoolean());
            }
        }
        if (!rules.isEmpty()) {
            item.set("rules", rules);
        }
        return passed;
    }

    private static boolean contains(ArrayNode array, String value) {
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            if (it.next().asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
