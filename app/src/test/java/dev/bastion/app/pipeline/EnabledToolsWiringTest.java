package dev.bastion.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.app.runtime.LaunchOptions;
import dev.bastion.app.runtime.ProviderInstances;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.provider.dynatrace.platform.sandbox.DynatracePlatformSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server hands its tool policy to providers as {@code EnabledTools}: a Dynatrace Platform
 * OAuth environment asks only for the scopes of the tools the policy enables, so a client without
 * the CoPilot's scopes is complete when the CoPilot tools are excluded and read-only mode is on.
 */
class EnabledToolsWiringTest {

    @TempDir
    Path temp;

    private HealthStatus health(DynatracePlatformSandbox sandbox, String security) throws Exception {
        Map<String, Object> oauth = sandbox.instances().get(2);
        Path config = temp.resolve("bastion-" + security.hashCode() + ".yaml");
        Files.writeString(config, "security:\n" + security + "  audit:\n    file: " + temp.resolve("audit.jsonl") + "\n"
                + "providers:\n  dynatrace-platform:\n    instances:\n"
                + "      - alias: dev\n"
                + "        url: " + oauth.get("url") + "\n"
                + "        oauth_client_id: " + oauth.get("oauth_client_id") + "\n"
                + "        oauth_client_secret: " + oauth.get("oauth_client_secret") + "\n"
                + "        sso_url: " + oauth.get("sso_url") + "\n"
                + "        allow_insecure_loopback: true\n");
        try (BastionRuntime runtime = BastionRuntime.start(new LaunchOptions(Optional.of(config), Optional.empty(), false,
                Map.of()), System.err)) {
            ProviderInstances.Entry entry = runtime.providers().entries().stream()
                    .filter(e -> e.config().providerId().equals("dynatrace-platform")).findFirst().orElseThrow();
            return entry.instance().provider().health(BackgroundCall.within(Duration.ofSeconds(10)));
        }
    }

    @Test
    void theOauthTokenFollowsTheServersToolPolicy() throws Exception {
        Set<String> withoutCopilotOrEmail = new HashSet<>(Set.of("app-engine:apps:run", "app-settings:objects:read",
                "storage:buckets:read", "storage:logs:read", "storage:events:read", "storage:bizevents:read",
                "storage:spans:read", "storage:security.events:read", "storage:user.events:read",
                "storage:entities:read", "storage:metrics:read", "davis:analyzers:read", "davis:analyzers:execute",
                "document:documents:read"));
        try (DynatracePlatformSandbox sandbox = DynatracePlatformSandbox.start(
                DynatracePlatformSandbox.Options.defaults().withClientScopes(withoutCopilotOrEmail))) {
            HealthStatus everyTool = health(sandbox, "  read_only: false\n  approval: none\n");
            HealthStatus policed = health(sandbox, "  read_only: true\n  tools:\n    exclude: [\"*_dql\", \"*copilot*\"]\n");

            assertThat(everyTool.detail()).contains("not granted davis-copilot:nl2dql:execute")
                    .contains("not granted email:emails:send");
            assertThat(policed.detail()).endsWith("the OAuth client was granted every scope the tools need");
        }
    }
}
