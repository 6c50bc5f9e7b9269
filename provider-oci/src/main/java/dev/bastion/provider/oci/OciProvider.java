package dev.bastion.provider.oci;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.prompt.Prompt;
import dev.bastion.core.resource.Resource;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.tool.ToolSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** One OCI profile: its read-only tools and its health check. */
public final class OciProvider implements Provider {


    private final OciClient client;
    private final List<Tool> tools;

    OciProvider(OciClient client, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        ToolSupport support = new ToolSupport(client);
        List<ToolSpec> all = new ArrayList<>();
        all.addAll(new IdentityTools(support).tools());
        all.addAll(new MetricTools(support, requireNonNull(clock, "clock is null")).tools());
        all.addAll(new AlarmTools(support).tools());
        this.tools = List.copyOf(all);
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public List<Resource> resources() {
        return List.of(MqlGuide.resource());
    }

    @Override
    public List<Prompt> prompts() {
        return List.of(MqlGuide.slowInstance());
    }

    /** Up when Identity answers a signed request for the tenancy's compartments. */
    @Override
    public HealthStatus health(CallContext call) {
        try {
            client.send(client.identityGet("compartments").query("compartmentId", client.tenancyId())
                    .query("limit", 1), call, ToolSupport.INSPECT_COMPARTMENTS);
            return HealthStatus.up("OCI profile " + client.alias() + ": Identity accepted the signed request");
        } catch (BackendFailure e) {
            return HealthStatus.down(e.getMessage());
        }
    }
}
