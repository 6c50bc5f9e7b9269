package dev.bastion.provider.dynatrace.platform;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** One Dynatrace Platform environment: its tools and a health check that reads the environment. */
final class DynatracePlatformProvider implements Provider {

    private final PlatformClient client;
    private final List<Tool> tools;

    DynatracePlatformProvider(PlatformClient client, String slackConnection) {
        this.client = requireNonNull(client, "client is null");
        GrailQueries queries = new GrailQueries(client);
        List<ToolSpec> all = new ArrayList<>();
        all.addAll(new QueryTools(client, queries).tools());
        all.addAll(new GrailTools(queries).tools());
        all.addAll(new DavisTools(client).tools());
        all.addAll(new DocumentTools(client).tools());
        all.addAll(new NotifyTools(client, slackConnection).tools());
        this.tools = List.copyOf(all);
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    /** Up when the environment answers {@code /platform/management/v1/environment} with the credentials. */
    @Override
    public HealthStatus health(CallContext call) {
        try {
            JsonNode info = client.send(client.get("platform", "management", "v1", "environment"), call);
            return HealthStatus.up("Dynatrace environment " + client.alias() + " (" + info.path("environmentId")
                    .asText("?") + ", " + info.path("state").asText("?") + ") accepted the credentials");
        } catch (BackendFailure e) {
            return HealthStatus.down(e.getMessage());
        }
    }
}
