package dev.bastion.provider.dynatrace.managed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolDescriptor;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Registration, settings and the tool descriptors' contract (names, schemas, annotations, fan-out). */
class DynatraceManagedProviderFactoryTest {

    private final DynatraceManagedProviderFactory factory = new DynatraceManagedProviderFactory();

    private List<Tool> tools() {
        return TestCalls.provider(TestCalls.config("prod", URI.create("https://managed.example.com"), "abc",
                TestCalls.TOKEN, Map.of()), TestProviderContext.create()).tools();
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(DynatraceManagedProviderFactory.class);
        assertThat(factory.id()).isEqualTo("dynatrace-managed");
        assertThat(factory.toolPrefix()).isEqualTo("dynatrace_managed_");
        assertThat(factory.instanceArgument()).contains("environment");
    }

    @Test
    void declaresTheSettingsWithTheSeedVariableNames() {
        Map<String, Setting> settings = new HashMap<>();
        factory.configSpec().settings().forEach(s -> settings.put(s.key(), s));
        assertThat(settings.keySet()).containsExactlyInAnyOrder("url", "environment_id", "api_token", "ui_url",
                "proxy", "ca_file", "validate_token", "timeout", "max_requests_per_second", "allow_insecure_loopback",
                "propagate_trace_context");
        assertThat(settings.get("url").envNames()).containsExactly("DYNATRACE_MANAGED_URL", "DT_API_ENDPOINT_URL");
        assertThat(settings.get("environment_id").envNames())
                .containsExactly("DYNATRACE_ENVIRONMENT_ID", "DT_MANAGED_ENVIRONMENT");
        assertThat(settings.get("api_token").envNames()).containsExactly("DYNATRACE_API_TOKEN", "DT_MANAGED_API_TOKEN");
        assertThat(settings.get("api_token").secret()).isTrue();
        assertThat(settings.get("api_token").formatCheck()).isPresent();
        assertThat(settings.get("api_token").formatCheck().get().check("DYNATRACE_API_TOKEN", "dt0s02.ABCDEFGH"))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("DYNATRACE_API_TOKEN", "OAuth client id", "dt0c01").doesNotContain("ABCDEFGH"));
        assertThat(settings.get("validate_token").defaultValue()).isEqualTo("false");
        assertThat(settings.get("allow_insecure_loopback").defaultValue()).isEqualTo("false");
        assertThat(settings.get("allow_insecure_loopback").description()).contains("sandboxes and tests only");
    }

    @Test
    void theTokenIsRegisteredWithTheRedactorWhenTheProviderIsCreated() {
        SecretRedactor redactor = new SecretRedactor();
        int before = redactor.registeredFormCount();
        TestCalls.provider(TestCalls.config("prod", URI.create("https://managed.example.com"), "abc",
                TestCalls.TOKEN, Map.of()), TestProviderContext.create(redactor));
        assertThat(redactor.registeredFormCount()).as("forms of the token registered").isGreaterThan(before);
        assertThat(redactor.redact("header Api-Token " + TestCalls.TOKEN)).doesNotContain(TestCalls.TOKEN);
    }

    @Test
    void defaultsApplyWhenOptionalSettingsAreAbsent() {
        ManagedSettings settings = ManagedSettings.from(new ProviderConfig("dynatrace-managed", "default", Map.of(
                "url", URI.create("https://managed.example.com/prefix/"), "environment_id", "abc-123",
                "api_token", Secret.of(TestCalls.TOKEN))));
        assertThat(settings.backend().timeout()).hasSeconds(30);
        assertThat(settings.validateToken()).isFalse();
        assertThat(settings.backend().allowInsecureLoopback()).isFalse();
        assertThat(settings.backend().maxRequestsPerSecond()).isZero();
        assertThat(settings.toString()).doesNotContain(TestCalls.TOKEN);
        assertThat(DynatraceManagedClient.environmentUrl(settings).toString())
                .isEqualTo("https://managed.example.com/prefix/e/abc-123");
    }

    @Test
    void rejectsAnEnvironmentIdThatWouldChangeThePath() {
        assertThatThrownBy(() -> ManagedSettings.from(new ProviderConfig("dynatrace-managed", "prod", Map.of(
                "url", URI.create("https://managed.example.com"), "environment_id", "../../admin",
                "api_token", Secret.of(TestCalls.TOKEN)))))
                .isInstanceOf(ProviderConfigException.class).hasMessageContaining("environment_id");
        assertThatThrownBy(() -> ManagedSettings.from(new ProviderConfig("dynatrace-managed", "prod", Map.of(
                "url", URI.create("https://managed.example.com"), "environment_id", "abc"))))
                .isInstanceOf(ProviderConfigException.class).hasMessageContaining("api_token is required");
        assertThatThrownBy(() -> ManagedSettings.from(new ProviderConfig("dynatrace-managed", "prod", Map.of(
                "url", URI.create("https://managed.example.com/e/abc"), "environment_id", "abc",
                "api_token", Secret.of(TestCalls.TOKEN)))))
                .isInstanceOf(ProviderConfigException.class).hasMessageContaining("without /e/");
        assertThatThrownBy(() -> ManagedSettings.from(new ProviderConfig("dynatrace-managed", "prod", Map.of(
                "url", URI.create("https://managed.example.com"), "environment_id", "abc",
                "api_token", Secret.of(TestCalls.TOKEN + "\n")))))
                .isInstanceOf(ProviderConfigException.class).hasMessageContaining("line breaks")
                .hasMessageNotContaining(TestCalls.TOKEN);
    }

    @Test
    void everyToolHasAPrefixedNameAStrictSchemaAndTruthfulAnnotations() {
        List<Tool> tools = tools();
        assertThat(tools).hasSize(23);
        for (Tool tool : tools) {
            ToolDescriptor d = tool.descriptor();
            assertThat(d.name()).matches("^dynatrace_managed_[a-z_]+$").hasSizeLessThanOrEqualTo(64);
            assertThat(d.inputSchema().path("type").asText()).isEqualTo("object");
            assertThat(d.inputSchema().path("additionalProperties").asBoolean(true)).as(d.name()).isFalse();
            assertThat(d.inputSchema().path("properties").has("environment")).as(d.name()).isFalse();
            assertThat(d.description()).as(d.name()).hasSizeGreaterThan(120);
            assertThat(d.outputSchema()).as(d.name()).isNotNull();
        }
        List<String> writes = tools.stream().filter(t -> !t.descriptor().readOnly())
                .map(t -> t.descriptor().name()).toList();
        assertThat(writes).containsExactlyInAnyOrder("dynatrace_managed_add_problem_comment",
                "dynatrace_managed_close_problem", "dynatrace_managed_ingest_event");
        assertThat(tools.stream().filter(t -> t.descriptor().annotations().destructiveHint())
                .map(t -> t.descriptor().name())).containsExactly("dynatrace_managed_close_problem");
        assertThat(tools.stream().filter(t -> t.descriptor().fanOut()).map(t -> t.descriptor().name()))
                .containsExactlyInAnyOrder("dynatrace_managed_get_environments_info", "dynatrace_managed_list_problems",
                        "dynatrace_managed_list_events", "dynatrace_managed_discover_entities",
                        "dynatrace_managed_list_security_problems", "dynatrace_managed_list_slos",
                        "dynatrace_managed_list_audit_logs", "dynatrace_managed_list_entity_types",
                        "dynatrace_managed_list_available_metrics");
    }

    @Test
    void listLimitsAreCappedAsDocumented() {
        Map<String, Integer> caps = Map.of("list_problems", 50, "discover_entities", 50, "list_events", 100,
                "query_logs", 1000, "list_available_metrics", 500, "list_security_problems", 100, "list_slos", 100);
        Map<String, JsonNode> schemas = new HashMap<>();
        tools().forEach(t -> schemas.put(t.descriptor().name(), t.descriptor().inputSchema()));
        caps.forEach((tool, cap) -> assertThat(schemas.get("dynatrace_managed_" + tool).path("properties")
                .path("limit").path("maximum").asInt()).as(tool).isEqualTo(cap));
    }
}
