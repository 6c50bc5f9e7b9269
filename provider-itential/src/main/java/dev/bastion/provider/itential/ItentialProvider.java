package dev.bastion.provider.itential;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.security.command.DeviceCommandPolicy;
import dev.bastion.security.validate.SchemaValidator;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** One Itential Platform: its tools, a health check that logs in, and the session it holds. */
final class ItentialProvider implements Provider {

    private final ItentialClient client;
    private final List<Tool> tools;
    private final AutoCloseable session;

    ItentialProvider(ItentialClient client, DeviceCommandPolicy policy, SchemaValidator validator,
                     List<CuratedWorkflow> curated, AutoCloseable session) {
        this.client = requireNonNull(client, "client is null");
        this.session = requireNonNull(session, "session is null");
        ToolSupport support = new ToolSupport(client);
        List<ToolSpec> all = new ArrayList<>();
        all.addAll(new HealthTools(support).tools());
        WorkflowTools workflows = new WorkflowTools(support, validator);
        all.addAll(workflows.tools());
        curated.forEach(workflow -> all.add(workflows.curated(workflow)));
        all.addAll(new JobTools(support).tools());
        all.addAll(new CommandTools(support, policy).tools());
        all.addAll(new DeviceTools(support).tools());
        all.addAll(new DeviceGroupTools(support).tools());
        all.addAll(new ComponentTools(support).tools());
        all.addAll(new ComplianceTools(support).tools());
        all.addAll(new LifecycleTools(support).tools());
        all.addAll(new CatalogTools(support).tools());
        this.tools = List.copyOf(all);
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    /** Up when the platform accepts the credentials: {@code GET /whoami} names the user and its roles. */
    @Override
    public HealthStatus health(CallContext call) {
        try {
            JsonNode whoami = client.send(client.get("whoami").query("roles", "names"), call);
            List<String> roles = new ArrayList<>();
            whoami.path("roleNames").forEach(role -> roles.add(role.asText()));
            return HealthStatus.up("Itential Platform " + client.alias() + ": logged in as "
                    + whoami.path("username").asText("?") + (roles.isEmpty() ? "" : " with roles "
                    + String.join(", ", roles)));
        } catch (BackendFailure e) {
            return HealthStatus.down(e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (Exception e) {
            // A session's close only stops its keep-alive thread; nothing is left to undo.
        }
    }
}
