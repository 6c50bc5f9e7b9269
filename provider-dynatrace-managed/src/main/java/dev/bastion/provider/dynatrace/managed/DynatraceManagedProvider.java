package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** One Dynatrace Managed environment: its tools and its health check. */
public final class DynatraceManagedProvider implements Provider {

    private final ManagedSettings settings;
    private final DynatraceManagedClient client;
    private final List<ToolSpec> tools;

    DynatraceManagedProvider(ManagedSettings settings, DynatraceManagedClient client) {
        this.settings = requireNonNull(settings, "settings is null");
        this.client = requireNonNull(client, "client is null");
        ToolSupport support = new ToolSupport(client);
        List<ToolSpec> all = new ArrayList<>();
        all.addAll(new EnvironmentTools(support, settings).tools());
        all.addAll(new ProblemTools(support).tools());
        all.addAll(new EventTools(support).tools());
        all.addAll(new EntityTools(support).tools());
        all.addAll(new MetricTools(support).tools());
        all.addAll(new LogTools(support).tools());
        all.addAll(new SecurityProblemTools(support).tools());
        all.addAll(new SloTools(support).tools());
        all.addAll(new AuditLogTools(support).tools());
        this.tools = List.copyOf(all);
    }

    @Override
    public List<Tool> tools() {
        return List.copyOf(tools);
    }

    /** Compares the token's scopes with what the tools need. */
    TokenScopeCheck.Result checkToken(CallContext context) {
        return new TokenScopeCheck(client, settings.apiToken(), tools).run(context);
    }

    /**
     * Up when the environment answers and the token has every scope the read tools need; the
     * detail names the cluster version and each missing scope with the tools it breaks.
     */
    @Override
    public HealthStatus health(CallContext call) {
        requireNonNull(call, "call is null");
        String where = "environment " + settings.alias();
        String version;
        try {
            version = "cluster version " + client.getV1("config", "clusterversion").send(call).path("version")
                    .asText("unknown");
        } catch (BackendFailure e) {
            if (e.kind() == BackendFailure.Kind.FORBIDDEN) {
                version = "cluster version unknown (token lacks DataExport)";
            } else {
                return HealthStatus.down(e.getMessage());
            }
        }
        TokenScopeCheck.Result result;
        try {
            result = checkToken(call);
        } catch (BackendFailure e) {
            return HealthStatus.down(where + " reachable (" + version + "), but the token lookup failed: "
                    + e.getMessage());
        }
        List<String> missing = result.all();
        String detail = where + " reachable, " + version
                + (missing.isEmpty() ? "; the token has every scope the tools need" : "; " + String.join("; ", missing));
        return result.missingRead().isEmpty() ? HealthStatus.up(detail) : HealthStatus.down(detail);
    }
}
