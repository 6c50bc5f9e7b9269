package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.time.Clock;
import java.util.Locale;

/**
 * Starting, stopping and restarting adapters ({@code PUT /adapters/{name}/start|stop|restart})
 * and applications ({@code PUT /applications/{name}/...}), no body. The answer comes at once
 * and the change follows by the clock ({@link SimulatedComponents}); an unknown name is a 404.
 */
final class ComponentEndpoints {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SimulatedComponents adapters;
    private final SimulatedComponents applications;
    private final Clock clock;

    ComponentEndpoints(SimulatedComponents adapters, SimulatedComponents applications, Clock clock) {
        this.adapters = adapters;
        this.applications = applications;
        this.clock = clock;
    }

    void register(SandboxServer.Builder builder) {
        for (SimulatedComponents.Action action : SimulatedComponents.Action.values()) {
            String verb = action.name().toLowerCase(Locale.ROOT);
            builder.route("PUT", "/adapters/{name}/" + verb, request -> act(adapters, request.pathParameter("name"),
                    action));
            builder.route("PUT", "/applications/{name}/" + verb, request -> act(applications,
                    request.pathParameter("name"), action));
        }
    }

    private SandboxResponse act(SimulatedComponents components, String name, SimulatedComponents.Action action) {
        if (!components.exists(name)) {
            throw SandboxError.notFound(components.kind() + " " + name + " not found");
        }
        components.apply(name, action, clock.millis());
        ObjectNode out = NODES.objectNode();
        out.put("status", "success");
        out.put("message", components.kind() + " " + name + " " + action.done);
        return SandboxResponse.json(out);
    }
}
