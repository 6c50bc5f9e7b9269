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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * MOP: the command templates, and running a command or a template on devices. Every command a
 * device runs is recorded, after the devices are all found (an unknown one stops the whole call). Errors are plain text, as the platform's MOP routes answer them: an
 * unknown device or template is a 500.
 */
final class MopEndpoints {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern VARIABLE = Pattern.compile("<!([A-Za-z0-9_]+)!>");

    private final ItentialSandboxData data;
    private final Map<String, ItentialSandboxData.Device> devices;
    private final Clock clock;
    private final List<ItentialSandbox.DeviceCommand> ran;

    MopEndpoints(ItentialSandboxData data, Clock clock, List<ItentialSandbox.DeviceCommand> ran) {
        this.data = data;
        this.devices = data.devices.stream().collect(Collectors.toMap(ItentialSandboxData.Device::name,
                Function.identity()));
        this.clock = clock;
        this.ran = ran;
    }

    void register(SandboxServer.Builder builder) {
        builder.route("GET", "/mop/listTemplates", request -> SandboxResponse.json(templates(data.templates)));
        builder.route("GET", "/mop/listATemplate/{name}", request -> SandboxResponse.json(templates(
                data.templates.stream().filter(t -> t.name().equals(request.pathParameter("name"))).toList())));
        builder.route("POST", "/mop/RunCommandDevices", texted(this::runCommandDevices));
        builder.route("POST", "/mop/RunCommandTemplate", texted(this::runCommandTemplate));
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

    private static ArrayNode templates(List<ItentialSandboxData.Template> templates) {
        ArrayNode out = NODES.arrayNode();
        for (ItentialSandboxData.Template template : templates) {
            ObjectNode node = out.addObject();
            node.put("_id", template.id());
            node.put("name", template.name());
            node.put("description", template.description());
            node.putNull("namespace");
            node.put("os", template.os());
            node.put("passRule", true);
            ArrayNode commands = node.putArray("commands");
            for (ItentialSandboxData.TemplateCommand command : template.commands()) {
                ObjectNode c = commands.addObject();
                c.put("command", command.command());
                c.put("passRule", command.passRule());
                ArrayNode rules = c.putArray("rules");
                command.rules().forEach(r -> rules.addObject().put("rule", r.rule()).put("eval", r.eval())
                        .put("severity", r.severity()));
            }
            node.put("created", template.created());
            node.put("createdBy", "admin@pronghorn");
            node.put("lastUpdated", template.lastUpdated());
            node.put("lastUpdatedBy", "admin@pronghorn");
        }
        return out;
    }

    private SandboxResponse runCommandDevices(SandboxRequest request) {
        JsonNode body = request.json();
        if (!body.path("command").isTextual() || body.path("command").asText().isBlank()) {
            throw SandboxError.of(400, "command is required");
        }
        List<ItentialSandboxData.Device> targets = targets(body);
        JsonNode variables = body.path("variables");
        String raw = body.path("command").asText();
        String evaluated = substitute(raw, variables);
        ArrayNode out = NODES.arrayNode();
        for (ItentialSandboxData.Device device : targets) {
            SimulatedDevices.Output output = run(device, evaluated);
            ObjectNode result = out.addObject();
            result.put("raw", raw);
            result.put("all_pass_flag", output.accepted());
            result.put("evaluated", evaluated);
            result.set("parameters", variables.isObject() ? variables.deepCopy() : NODES.objectNode());
            result.putArray("rules");
            result.put("device", device.name());
            result.put("response", output.text());
            result.put("result", output.accepted());
        }
        return SandboxResponse.json(out);
    }

    private SandboxResponse runCommandTemplate(SandboxRequest request) {
        JsonNode body = request.json();
        String name = body.path("template").asText("");
        if (name.isBlank()) {
            throw SandboxError.of(400, "template is required");
        }
        ItentialSandboxData.Template template = data.templates.stream().filter(t -> t.name().equals(name))
                .findFirst().orElseThrow(() -> SandboxError.of(500, "Template " + name + " not found"));
        List<ItentialSandboxData.Device> targets = targets(body);
        JsonNode variables = body.path("variables");
        ObjectNode out = NODES.objectNode();
        out.put("name", template.name());
        ArrayNode results = NODES.arrayNode();
        boolean allPass = true;
        for (ItentialSandboxData.TemplateCommand command : template.commands()) {
            String evaluated = substitute(command.command(), variables);
            for (ItentialSandboxData.Device device : targets) {
                SimulatedDevices.Output output = run(device, evaluated);
                ObjectNode result = results.addObject();
                result.put("raw", command.command());
                result.put("evaluated", evaluated);
                result.set("parameters", variables.isObject() ? variables.deepCopy() : NODES.objectNode());
                result.put("device", device.name());
                result.put("response", output.text());
                ArrayNode rules = result.putArray("rules");
                boolean any = false;
                boolean all = true;
                for (ItentialSandboxData.Rule rule : command.rules()) {
                    String evaluatedRule = substitute(rule.rule(), variables);
                    boolean passed = output.accepted() && evaluate(rule.eval(), evaluatedRule, output.text());
                    rules.addObject().put("rule", evaluatedRule).put("eval", rule.eval()).put("severity", rule.severity())
                            .put("raw", rule.rule()).put("result", passed);
                    any |= passed;
                    all &= passed;
                }
                boolean passed = output.accepted() && (command.rules().isEmpty() || (command.passRule() ? all : any));
                result.put("result", passed);
                result.put("all_pass_flag", passed);
                allPass &= passed;
            }
        }
        out.put("all_pass_flag", allPass);
        out.set("command_results", results);
        return SandboxResponse.json(out);
    }

    private List<ItentialSandboxData.Device> targets(JsonNode body) {
        JsonNode names = body.path("devices");
        if (!names.isArray() || names.isEmpty()) {
            throw SandboxError.of(400, "devices must be a non-empty array of device names");
        }
        List<ItentialSandboxData.Device> out = new ArrayList<>();
        for (JsonNode name : names) {
            ItentialSandboxData.Device device = name.isTextual() ? devices.get(name.asText()) : null;
            if (device == null) {
                throw SandboxError.of(500, "Device " + name.asText() + " not found");
            }
            out.add(device);
        }
        return out;
    }

    private SimulatedDevices.Output run(ItentialSandboxData.Device device, String command) {
        ran.add(new ItentialSandbox.DeviceCommand(device.name(), command));
        return SimulatedDevices.run(device, command, clock.millis());
    }

    private static String substitute(String text, JsonNode variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = variables.path(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value.isValueNode() ? value.asText() : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean evaluate(String eval, String rule, String response) {
        return switch (eval) {
            case "contains" -> response.contains(rule);
            case "!contains" -> !response.contains(rule);
            case "RegEx" -> regex(rule).matcher(response).find();
            case "!RegEx" -> !regex(rule).matcher(response).find();
            default -> false;
        };
    }

    private static Pattern regex(String rule) {
        try {
            return Pattern.compile(rule);
        } catch (PatternSyntaxException e) {
            throw SandboxError.of(500, "Invalid regular expression in rule: " + rule);
        }
    }
}
