package dev.bastion.provider.dynatrace.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.provider.dynatrace.platform.sandbox.DynatracePlatformSandbox;
import dev.bastion.testkit.ProviderHarness;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code bastion check} (the provider's health) and {@code validate_token: true} say, per
 * environment, which tools will fail for a scope the OAuth client was not granted.
 */
class PlatformScopeCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The sandbox's OAuth client lacks the CoPilot's nl2dql scope and the e-mail scope. */
    private static final Set<String> LIMITED = limited();

    private static Set<String> limited() {
        Set<String> scopes = new HashSet<>(DynatracePlatformProviderFactory.SCOPES);
        scopes.remove("davis-copilot:nl2dql:execute");
        scopes.remove("email:emails:send");
        return scopes;
    }

    private static DynatracePlatformSandbox sandbox(Set<String> clientScopes) {
        return DynatracePlatformSandbox.start(DynatracePlatformSandbox.Options.defaults().withClientScopes(clientScopes));
    }

    /** The sandbox's OAuth environment, with {@code changes} applied. */
    private static Map<String, Object> oauthEnvironment(DynatracePlatformSandbox sandbox, Map<String, Object> changes) {
        Map<String, Object> raw = new LinkedHashMap<>(sandbox.instances().get(2));
        raw.putAll(changes);
        return raw;
    }

    private static HealthStatus health(ProviderHarness.Instance instance) {
        return instance.provider().health(BackgroundCall.within(Duration.ofSeconds(10)));
    }

    @Test
    void healthNamesEachScopeTheOauthClientWasNotGrantedWithTheToolsThatNeedIt() {
        try (DynatracePlatformSandbox sandbox = sandbox(LIMITED);
             ProviderHarness.Instance instance = ProviderHarness.instance(new DynatracePlatformProviderFactory(),
                     oauthEnvironment(sandbox, Map.of()))) {
            HealthStatus status = health(instance);

            assertThat(status.healthy()).as(status.detail()).isTrue();
            assertThat(status.detail())
                    .contains("accepted the OAuth client")
                    .contains("not granted davis-copilot:nl2dql:execute, which dynatrace_platform_generate_dql needs")
                    .contains("not granted email:emails:send, which dynatrace_platform_send_email needs")
                    .doesNotContain("storage:logs:read")
                    .doesNotContain(sandbox.instances().get(2).get("oauth_client_secret").toString());
            // The read tool's scope comes before the write tool's.
            assertThat(status.detail().indexOf("nl2dql")).isLessThan(status.detail().indexOf("email:emails:send"));
        }
    }

    @Test
    void theToolTheReportNamesReallyFailsWithTheScopeAndTheOthersWork() {
        try (DynatracePlatformSandbox sandbox = sandbox(LIMITED);
             ProviderHarness harness = ProviderHarness.start(new DynatracePlatformProviderFactory(),
                     oauthEnvironment(sandbox, Map.of()))) {
            JsonNode copilot = harness.call("dynatrace_platform_generate_dql",
                    JSON.createObjectNode().put("text", "error logs of the last 2 hours"));
            JsonNode problems = harness.call("dynatrace_platform_list_problems",
                    JSON.createObjectNode().put("timeframe", "7d"));

            assertThat(copilot.path("isError").asBoolean()).as(copilot.toString()).isTrue();
            assertThat(copilot.path("content").get(0).path("text").asText()).contains("davis-copilot:nl2dql:execute");
            assertThat(problems.path("isError").asBoolean()).as(problems.toString()).isFalse();
        }
    }

    @Test
    void everyScopeGrantedIsSaidSo() {
        try (DynatracePlatformSandbox sandbox = sandbox(Set.copyOf(DynatracePlatformProviderFactory.SCOPES));
             ProviderHarness.Instance instance = ProviderHarness.instance(new DynatracePlatformProviderFactory(),
                     oauthEnvironment(sandbox, Map.of("validate_token", true)))) {
            assertThat(health(instance).detail()).endsWith("the OAuth client was granted every scope the tools need");
        }
    }

    @Test
    void aPlatformTokensScopesAreSaidToBeUnknowable() {
        try (DynatracePlatformSandbox sandbox = sandbox(LIMITED);
             ProviderHarness.Instance instance = ProviderHarness.instance(new DynatracePlatformProviderFactory(),
                     sandbox.instances().get(0))) {
            HealthStatus status = health(instance);

            assertThat(status.healthy()).isTrue();
            assertThat(status.detail()).contains("accepted the platform token")
                    .contains("a platform token's scopes cannot be looked up");
        }
    }

    @Test
    void validateTokenStartsWithMissingScopesButRefusesCredentialsTheEnvironmentRefuses() {
        try (DynatracePlatformSandbox sandbox = sandbox(LIMITED)) {
            try (ProviderHarness.Instance instance = ProviderHarness.instance(new DynatracePlatformProviderFactory(),
                    oauthEnvironment(sandbox, Map.of("validate_token", true)))) {
                assertThat(instance.provider().tools()).isNotEmpty();
            }
            String secret = sandbox.instances().get(2).get("oauth_client_secret").toString();
            String wrong = secret.substring(0, secret.length() - 4) + "ZZZZ";
            assertThatThrownBy(() -> ProviderHarness.instance(new DynatracePlatformProviderFactory(),
                    oauthEnvironment(sandbox, Map.of("validate_token", true, "oauth_client_secret", wrong))))
                    .isInstanceOf(ProviderConfigException.class)
                    .hasMessageContaining("dynatrace-platform[")
                    .hasMessageContaining("the credentials could not be validated")
                    .hasMessageContaining("invalid_client")
                    .message().doesNotContain(wrong).doesNotContain(secret);

            String token = sandbox.instances().get(0).get("platform_token").toString();
            String otherEnvironmentsToken = sandbox.instances().get(1).get("platform_token").toString();
            Map<String, Object> raw = new LinkedHashMap<>(sandbox.instances().get(0));
            raw.put("platform_token", otherEnvironmentsToken);
            raw.put("validate_token", true);
            assertThatThrownBy(() -> ProviderHarness.instance(new DynatracePlatformProviderFactory(), raw))
                    .isInstanceOf(ProviderConfigException.class)
                    .hasMessageContaining("the credentials could not be validated")
                    .message().doesNotContain(token).doesNotContain(otherEnvironmentsToken);
        }
    }

    @Test
    void theScopesOfEachToolAreReadFromItsPermission() {
        try (DynatracePlatformSandbox sandbox = sandbox(LIMITED);
             ProviderHarness.Instance instance = ProviderHarness.instance(new DynatracePlatformProviderFactory(),
                     sandbox.instances().get(0))) {
            Set<String> declared = new HashSet<>();
            instance.provider().tools().forEach(tool -> {
                List<String> scopes = ScopeCheck.scopesOf((dev.bastion.toolkit.tool.ToolSpec) tool);
                assertThat(scopes).as(tool.descriptor().name()).isNotEmpty();
                declared.addAll(scopes);
            });
            // What the OAuth client asks for is exactly what the tools declare.
            assertThat(declared).containsExactlyInAnyOrderElementsOf(DynatracePlatformProviderFactory.SCOPES);
        }
    }
}
