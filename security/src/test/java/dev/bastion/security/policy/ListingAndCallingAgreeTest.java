package dev.bastion.security.policy;

import static dev.bastion.security.pipelinesupport.Calls.readTool;
import static dev.bastion.security.pipelinesupport.Calls.writeTool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.tool.ToolDescriptor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** For every combination, a tool is listed exactly when the authorization and gate stages would let it through. */
class ListingAndCallingAgreeTest {

    @Test
    void visibleExactlyWhenNoStageRefuses() {
        List<ToolDescriptor> tools = List.of(readTool("oci_list_metrics", "metrics"), readTool("oci_beta_query", "beta"),
                writeTool("oci_stop_instance", true), writeTool("itential_run_workflow", false),
                readTool("itential_get_devices", "devices"));
        List<Principal> principals = List.of(Principal.local(), new Principal("r", Set.of("bastion:read")),
                new Principal("w", Set.of("bastion:write")), new Principal("o", Set.of("bastion:oci:read")),
                new Principal("i", Set.of("bastion:itential:write")), new Principal("n", Set.of()));
        List<PolicyConfig> configs = List.of(PolicyConfig.defaults(),
                new PolicyConfig(false, ApprovalMode.NONE, List.of(), List.of(), List.of(), List.of()),
                new PolicyConfig(false, ApprovalMode.WRITES, List.of("oci_*"), List.of("*_stop_*"), List.of(), List.of("beta")),
                new PolicyConfig(true, ApprovalMode.DESTRUCTIVE, List.of(), List.of(), List.of("devices", "metrics"),
                        List.of()));
        int checked = 0;
        for (PolicyConfig config : configs) {
            ToolPolicy policy = new ToolPolicy(config, tool -> Optional.of(tool.name().substring(0, tool.name().indexOf('_'))));
            for (ToolDescriptor tool : tools) {
                String provider = tool.name().substring(0, tool.name().indexOf('_'));
                for (Principal principal : principals) {
                    boolean callable = policy.authorizationDenial(tool, provider, principal).isEmpty()
                            && policy.readOnlyDenial(tool).isEmpty();
                    assertThat(policy.visible(tool, principal))
                            .as("%s for %s under %s", tool.name(), principal.name(), config)
                            .isEqualTo(callable);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(120);
    }
}
