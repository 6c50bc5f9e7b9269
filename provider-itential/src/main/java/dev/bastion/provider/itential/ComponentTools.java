package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.poll.PollResult;
import dev.bastion.toolkit.poll.PollStep;
import dev.bastion.toolkit.poll.Polling;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Starting, stopping and restarting adapters and applications. The platform answers at once and
 * changes the state afterwards, so each tool polls the component's health until it reaches the
 * new state or the call's deadline comes, and says which.
 */
final class ComponentTools {

    private static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.@/-]{0,127}$";

    private final ToolSupport support;

    ComponentTools(ToolSupport support) {
        this.support = support;
    }

    /** The kinds of component: the path under {@code /} and {@code /health/}, and the noun. */
    private enum Kind {
        ADAPTER("adapters", "adapter"), APPLICATION("applications", "application");

        final String path;
        final String noun;

        Kind(String path, String noun) {
            this.path = path;
            this.noun = noun;
        }
    }

    /** What a tool does to a component, and the state that says it is done. */
    private enum Action {
        START("start", "RUNNING"), STOP("stop", "STOPPED"), RESTART("restart", "RUNNING");

        final String verb;
        final String target;

        Action(String verb, String target) {
            this.verb = verb;
            this.target = target;
        }
    }

    List<ToolSpec> tools() {
        List<ToolSpec> tools = new java.util.ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Action action : Action.values()) {
                tools.add(tool(kind, action));
            }
        }
        return tools;
    }

    private ToolSpec tool(Kind kind, Action action) {
        Arg<String> name = Arg.pattern("name", "Name of the " + kind.noun + ", as itential_list_" + kind.path
                + " lists it (its id).", NAME_PATTERN, 128).required();
        String title = Character.toUpperCase(action.verb.charAt(0)) + action.verb.substring(1) + " an " + kind.noun;
        ToolSpec.Builder builder = action == Action.START
                ? ToolSupport.write(action.verb + "_" + kind.noun, title, "PUT /" + kind.path + "/:name/" + action.verb)
                : ToolSupport.destructive(action.verb + "_" + kind.noun, title,
                        "PUT /" + kind.path + "/:name/" + action.verb);
        return builder
                .description((action == Action.START ? "Starts" : action == Action.STOP ? "Stops" : "Restarts")
                        + " an " + kind.noun + " and waits until its health says " + action.target + ", or until"
                        + " the call's time is up. Returns the state before and after."
                        + (action == Action.START ? "" : " Workflows that use it fail while it is down."))
                .args(name)
                .output("""
                        {"type":"object","required":["name","before","state","reached"],"properties":{
                          "name":{"type":"string"},"before":{"type":"string"},"state":{"type":"string"},
                          "reached":{"type":"boolean"},"message":{"type":"string"}}}""")
                .tags(kind.path)
                .handler((args, context) -> {
                    String component = args.get(name);
                    String before = state(kind, component, context);
                    if (before.equals("DEAD") || before.equals("DELETED")) {
                        throw new ToolFailure("The " + kind.noun + " " + component + " is " + before
                                + "; it cannot be " + action.verb + "ed from that state");
                    }
                    ObjectNode out = ToolSupport.object();
                    out.put("name", component);
                    out.put("before", before);
                    boolean nothingToDo = (action == Action.START && before.equals("RUNNING"))
                            || (action == Action.STOP && before.equals("STOPPED"));
                    if (nothingToDo) {
                        out.put("state", before);
                        out.put("reached", true);
                        out.put("message", "The " + kind.noun + " was already " + before + "; nothing was sent.");
                        return ToolResult.structured(out);
                    }
                    if (action == Action.RESTART && !before.equals("RUNNING")) {
                        throw new ToolFailure("The " + kind.noun + " " + component + " is " + before + "; only a"
                                + " running one is restarted (start it with itential_start_" + kind.noun + ")");
                    }
                    // A restart is done only after the component was seen not running and then running again.
                    boolean[] wentDown = {action != Action.RESTART};
                    Polling<String, String> polling = Polling.<String, String>builder(kind.noun + " " + action.verb,
                                    (handle, ctx) -> {
                                        String state = state(kind, component, ctx);
                                        wentDown[0] |= !state.equals("RUNNING");
                                        return state.equals(action.target) && wentDown[0] ? PollStep.done(state)
                                                : PollStep.running(handle, null, state);
                                    }, Polling.Cancel.impossible())
                            .backoff(Duration.ofMillis(500), Duration.ofSeconds(2))
                            .timeoutHint("call itential_list_" + kind.path + " later to see its state")
                            .build();
                    PollResult<String> result = polling.run(context, ctx -> {
                        support.client.send(support.client.put(ToolSupport.object(), kind.path, component,
                                action.verb).notFound("The " + kind.noun + " '" + component + "'"), ctx);
                        return PollStep.running(component, null, "requested");
                    });
                    if (result instanceof PollResult.Finished<String> finished) {
                        out.put("state", finished.value());
                        out.put("reached", true);
                    } else {
                        out.put("state", state(kind, component, dev.bastion.core.tool.BackgroundCall.within(
                                Duration.ofSeconds(5))));
                        out.put("reached", false);
                        out.put("message", result.message());
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    /** The component's state from {@code /health/<kind>}, upper-cased (sources differ in case). */
    private String state(Kind kind, String name, dev.bastion.core.tool.CallContext context) {
        JsonNode answer = support.client.send(support.client.get("health", kind.path).query("equals", name)
                .query("equalsField", "id"), context);
        for (JsonNode item : answer.path("results")) {
            if (name.equals(item.path("id").asText())) {
                return item.path("state").asText("UNKNOWN").toUpperCase(Locale.ROOT);
            }
        }
        throw new ToolFailure("No " + kind.noun + " is called '" + name + "' on platform " + support.client.alias()
                + "; itential_list_" + kind.path + " lists them");
    }
}
