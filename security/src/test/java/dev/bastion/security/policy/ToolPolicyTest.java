package dev.bastion.security.policy;

import static dev.bastion.security.pipelinesupport.Calls.readTool;
import static dev.bastion.security.pipelinesupport.Calls.writeTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.ToolDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolPolicyTest {

    private static final Principal LOCAL = new Principal("local:ops", Set.of(Principal.ALL_SCOPES));

    private static PolicyConfig config(boolean readOnly, List<String> include, List<String> exclude,
                                       List<String> tagsInclude, List<String> tagsExclude) {
        return new PolicyConfig(readOnly, ApprovalMode.DESTRUCTIVE, include, exclude, tagsInclude, tagsExclude);
    }

    @Test
    void readOnlyModeHidesWriteToolsAndKeepsReadTools() {
        ToolPolicy policy = new ToolPolicy(PolicyConfig.defaults());

        assertThat(policy.visible(readTool("dynatrace_managed_list_problems"), LOCAL)).isTrue();
        assertThat(policy.visible(writeTool("dynatrace_managed_close_problem", false), LOCAL)).isFalse();
        assertThat(policy.readOnlyDenial(writeTool("dynatrace_managed_close_problem", false)))
                .hasValueSatisfying(m -> assertThat(m).contains("security.read_only: false"));
    }

    @Test
    void writeToolsAreVisibleWhenReadOnlyIsOff() {
        ToolPolicy policy = new ToolPolicy(config(false, List.of(), List.of(), List.of(), List.of()));

        assertThat(policy.visible(writeTool("itential_run_workflow", true), LOCAL)).isTrue();
    }

    @Test
    void excludeGlobHidesMatchingToolsAndNamesThePattern() {
        ToolPolicy policy = new ToolPolicy(config(true, List.of(), List.of("dynatrace_managed_*"), List.of(), List.of()));
        ToolDescriptor excluded = readTool("dynatrace_managed_list_problems");

        assertThat(policy.visible(excluded, LOCAL)).isFalse();
        assertThat(policy.visible(readTool("oci_list_metrics"), LOCAL)).isTrue();
        assertThat(policy.authorizationDenial(excluded, "dynatrace-managed", LOCAL))
                .hasValue("Tool dynatrace_managed_list_problems is excluded by security.tools.exclude pattern "
                        + "'dynatrace_managed_*'.");
    }

    @Test
    void includeGlobOffersOnlyMatchingTools() {
        ToolPolicy policy = new ToolPolicy(config(true, List.of("oci_*", "itential_get_?"), List.of(), List.of(), List.of()));

        assertThat(policy.visible(readTool("oci_list_metrics"), LOCAL)).isTrue();
        assertThat(policy.visible(readTool("itential_get_x"), LOCAL)).isTrue();
        assertThat(policy.visible(readTool("itential_get_xy"), LOCAL)).isFalse();
        assertThat(policy.authorizationDenial(readTool("dynatrace_x"), "dt", LOCAL))
                .hasValueSatisfying(m -> assertThat(m).contains("security.tools.include"));
    }

    @Test
    void tagFiltersIncludeAndExclude() {
        ToolPolicy policy = new ToolPolicy(config(true, List.of(), List.of(), List.of("problems", "beta"),
                List.of("beta")));

        assertThat(policy.visible(readTool("a_tool", "problems"), LOCAL)).isTrue();
        assertThat(policy.visible(readTool("b_tool", "problems", "beta"), LOCAL)).isFalse();
        assertThat(policy.visible(readTool("c_tool", "metrics"), LOCAL)).isFalse();
        assertThat(policy.authorizationDenial(readTool("b_tool", "beta"), "p", LOCAL))
                .hasValueSatisfying(m -> assertThat(m).contains("tag 'beta'").contains("security.tags.exclude"));
    }

    @Test
    void readScopeCallsReadToolsButNotWriteTools() {
        ToolPolicy policy = new ToolPolicy(config(false, List.of(), List.of(), List.of(), List.of()));
        Principal reader = new Principal("alice", Set.of("bastion:read"));

        assertThat(policy.authorizationDenial(readTool("oci_list_metrics"), "oci", reader)).isEmpty();
        assertThat(policy.authorizationDenial(writeTool("oci_stop_instance", true), "oci", reader))
                .hasValue("Principal alice may not call write tool oci_stop_instance: it needs one of the scopes "
                        + "bastion:write, bastion:oci:write.");
        assertThat(policy.visible(writeTool("oci_stop_instance", true), reader)).isFalse();
    }

    @Test
    void writeScopeAlsoCallsReadTools() {
        ToolPolicy policy = new ToolPolicy(config(false, List.of(), List.of(), List.of(), List.of()));
        Principal writer = new Principal("bob", Set.of("bastion:write"));

        assertThat(policy.authorizationDenial(readTool("oci_list_metrics"), "oci", writer)).isEmpty();
        assertThat(policy.authorizationDenial(writeTool("oci_stop_instance", true), "oci", writer)).isEmpty();
    }

    @Test
    void perProviderScopeIsLimitedToThatProvider() {
        ToolPolicy policy = new ToolPolicy(config(false, List.of(), List.of(), List.of(), List.of()),
                tool -> Optional.of(tool.name().startsWith("oci_") ? "oci" : "itential"));
        Principal ociReader = new Principal("carol", Set.of("bastion:oci:read"));

        assertThat(policy.authorizationDenial(readTool("oci_list_metrics"), "oci", ociReader)).isEmpty();
        assertThat(policy.authorizationDenial(readTool("itential_get_devices"), "itential", ociReader)).isPresent();
        assertThat(policy.visible(readTool("oci_list_metrics"), ociReader)).isTrue();
        assertThat(policy.visible(readTool("itential_get_devices"), ociReader)).isFalse();
    }

    @Test
    void principalWithoutScopesSeesNothing() {
        ToolPolicy policy = new ToolPolicy(PolicyConfig.defaults());

        assertThat(policy.visible(readTool("oci_list_metrics"), new Principal("nobody", Set.of()))).isFalse();
    }

    @Test
    void readsDefaultsAndExplicitValuesFromTheSection() {
        assertThat(PolicyConfig.from(new ProviderConfig("security", "default", Map.of())))
                .isEqualTo(PolicyConfig.defaults());

        PolicyConfig explicit = PolicyConfig.from(new ProviderConfig("security", "default", Map.of(
                "read_only", false,
                "approval", "writes",
                "tools.include", List.of("oci_*"),
                "tools.exclude", List.of("oci_delete_*"),
                "tags.include", List.of("metrics"),
                "tags.exclude", List.of("beta"))));
        assertThat(explicit).isEqualTo(new PolicyConfig(false, ApprovalMode.WRITES, List.of("oci_*"),
                List.of("oci_delete_*"), List.of("metrics"), List.of("beta")));
        assertThat(PolicyConfig.settings()).extracting(s -> s.key())
                .containsExactly("read_only", "approval", "tools.include", "tools.exclude", "tags.include", "tags.exclude");
    }

    @Test
    void rejectsUnknownApprovalModeAndBrokenGlob() {
        assertThatThrownBy(() -> PolicyConfig.from(new ProviderConfig("security", "default", Map.of("approval", "always"))))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("security.approval must be one of destructive, writes, none, not 'always'");
        assertThatThrownBy(() -> PolicyConfig.from(new ProviderConfig("security", "default",
                Map.of("tools.exclude", List.of("oci_[a")))))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("security.tools.exclude");
        assertThat(PolicyConfig.settings().get(1).formatCheck().orElseThrow().check("BASTION_APPROVAL", "always"))
                .hasValue("BASTION_APPROVAL must be one of destructive, writes, none");
    }
}
