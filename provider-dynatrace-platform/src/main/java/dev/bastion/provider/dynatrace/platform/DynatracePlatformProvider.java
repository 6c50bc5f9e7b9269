package dev.bastion.provider.dynatrace.platform;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.EnabledTools;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.toolkit.credentials.OAuthClientCredentials;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.tool.ToolSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Dynatrace Platform environment: its tools, and a health check that reads the environment and
 * names each scope the OAuth client was not granted with the tools that need it.
 */
final class DynatracePlatformProvider implements Provider {

    private final PlatformClient client;
    private final Optional<OAuthClientCredentials> oauth;
    private final List<ToolSpec> specs;
    private final List<Tool> tools;
    private final EnabledTools enabled;

    DynatracePlatformProvider(PlatformClient client, Optional<OAuthClientCredentials> oauth, String slackConnection,
                              EnabledTools enabled) {
        this.client = requireNonNull(client, "client is null");
        this.oauth = requireNonNull(oauth, "oauth is null");
        this.enabled = requireNonNull(enabled, "enabled is null");
        GrailQueries queries = new GrailQueries(client);
        List<ToolSpec> all = new ArrayList<>();
        all.addAll(new QueryTools(client, queries).tools());
        all.addAll(new GrailTools(queries).tools());
        all.addAll(new DavisTools(client).tools());
        all.addAll(new DocumentTools(client).tools());
        all.addAll(new NotifyTools(client, slackConnection).tools());
        this.specs = List.copyOf(all);
        this.tools = List.copyOf(all);
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    /**
     * Up when the environment answers {@code /platform/management/v1/environment} with the
     * credentials. A scope the OAuth client was not granted leaves it up (a client meant for some
     * tools only is a valid choice) and is named in the detail with the tools that need it.
     */
    @Override
    public HealthStatus health(CallContext call) {
        JsonNode info;
        try {
            info = client.send(client.get("platform", "management", "v1", "environment"), call);
        } catch (BackendFailure e) {
            return HealthStatus.down(e.getMessage());
        }
        String detail = "Dynatrace environment " + client.alias() + " (" + info.path("environmentId").asText("?") + ", "
                + info.path("state").asText("?") + ") accepted the " + (oauth.isPresent() ? "OAuth client" : "platform token");
        return HealthStatus.up(detail + "; " + scopeReport());
    }

    /** The tools the server's policy lets run on this environment. */
    private List<ToolSpec> enabledTools() {
        return specs.stream().filter(tool -> enabled.enabled(DynatracePlatformProviderFactory.ID, client.alias(),
                tool.descriptor())).toList();
    }

    /**
     * What an OAuth token is asked for: the scopes the enabled tools declare, in the order of
     * {@link DynatracePlatformProviderFactory#SCOPES}; the environment call's scope when no tool is enabled.
     */
    List<String> enabledScopes() {
        java.util.Set<String> needed = new java.util.HashSet<>();
        enabledTools().forEach(tool -> needed.addAll(ScopeCheck.scopesOf(tool)));
        List<String> out = DynatracePlatformProviderFactory.SCOPES.stream().filter(needed::contains).toList();
        return out.isEmpty() ? List.of(QueryTools.ENVIRONMENT_SCOPE) : out;
    }

    /** Whether the OAuth client was granted fewer scopes than the tools declare (never for a platform token). */
    boolean lacksScopes() {
        try {
            return oauth.isPresent() && !ScopeCheck.missing(enabledTools(), oauth.get().grantedScopes()).isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * What the credentials' scopes mean for the tools: each scope the OAuth client was not granted
     * with the tools that need it, or that a platform token's scopes cannot be looked up.
     */
    String scopeReport() {
        if (oauth.isEmpty()) {
            return "a platform token's scopes cannot be looked up: a tool whose scope it lacks fails with a 403 that"
                    + " names the scope";
        }
        List<String> missing;
        try {
            missing = ScopeCheck.missing(enabledTools(), oauth.get().grantedScopes());
        } catch (IOException e) {
            return "the granted scopes could not be read: " + e.getMessage();
        }
        return missing.isEmpty() ? "the OAuth client was granted every scope the tools need"
                : "the OAuth client was " + String.join("; ", missing);
    }
}
