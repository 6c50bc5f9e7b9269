package dev.bastion.provider.oci;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.provider.oci.sandbox.OciSandbox;
import dev.bastion.testkit.ProviderBehavior;
import dev.bastion.testkit.ProviderContractTest;
import dev.bastion.testkit.SchemaArguments;

/**
 * The testkit's provider contract against the OCI sandbox, which verifies every request's
 * signature. The credential is the key file the config file names, not a secret setting, so
 * HAS_CREDENTIALS is off; {@code OciToolRequestsTest} and {@code OciSandboxTest} cover refusals.
 */
class OciContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new OciProviderFactory();
    }

    @Override
    protected boolean hasBehavior(ProviderBehavior behavior) {
        return switch (behavior) {
            case SUPPORTS_FAN_OUT -> true;
            case HAS_CREDENTIALS -> false;
            default -> super.hasBehavior(behavior);
        };
    }

    @Override
    protected ObjectNode argumentsFor(ToolDescriptor tool) {
        OciSandbox sandbox = (OciSandbox) sandbox().orElseThrow();
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        switch (tool.name()) {
            case "oci_summarize_metrics_data" -> {
                args.put("namespace", "oci_computeagent");
                args.put("query", "CpuUtilization[5m].mean()");
                args.put("include_subtree", true);
            }
            case "oci_get_alarm", "oci_get_alarm_history" -> args.put("alarm_id", sandbox.alarmIds().get(0));
            default -> {
                return SchemaArguments.minimal(tool.inputSchema());
            }
        }
        return args;
    }
}
