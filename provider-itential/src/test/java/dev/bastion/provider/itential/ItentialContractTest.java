package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.provider.itential.sandbox.ItentialSandbox;
import dev.bastion.testkit.ProviderBehavior;
import dev.bastion.testkit.ProviderContractTest;
import dev.bastion.testkit.SchemaArguments;

/** The testkit's provider contract against the Itential sandbox, which checks the login as the platform does. */
class ItentialContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new ItentialProviderFactory();
    }

    @Override
    protected boolean hasBehavior(ProviderBehavior behavior) {
        return switch (behavior) {
            case SUPPORTS_FAN_OUT, SUPPORTS_WRITES, SUPPORTS_COMMANDS -> true;
            default -> super.hasBehavior(behavior);
        };
    }

    @Override
    protected ObjectNode argumentsFor(ToolDescriptor tool) {
        ItentialSandbox sandbox = (ItentialSandbox) sandbox().orElseThrow();
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        String device = sandbox.deviceNames().get(0);
        switch (tool.name()) {
            case "itential_describe_device", "itential_get_device_configuration" -> args.put("device", device);
            case "itential_run_command" -> {
                args.put("command", "show version");
                args.putArray("devices").add(device);
            }
            case "itential_describe_job" -> args.put("job_id", sandbox.jobIds().get(0));
            case "itential_describe_command_template" -> args.put("template", sandbox.templateNames().get(0));
            case "itential_run_command_template" -> {
                args.put("template", sandbox.templateNames().get(0));
                args.putArray("devices").add(device);
            }
            case "itential_start_workflow" -> args.put("route", sandbox.endpointRoutes().get(0));
            case "itential_cancel_job" -> args.put("job_id", sandbox.runningJobIds().get(0));
            case "itential_describe_workflow" -> args.put("automation_id", sandbox.automationIds().get(0));
            case "itential_describe_golden_config_tree" -> args.put("tree_id", sandbox.goldenConfigTreeIds().get(0));
            case "itential_describe_compliance_report" -> args.put("report_id", sandbox.complianceReportIds().get(0));
            case "itential_run_compliance_plan" -> args.put("plan_id", sandbox.compliancePlanIds().get(0));
            case "itential_list_lifecycle_instances" -> args.put("resource_id", sandbox.lifecycleResourceIds().get(0));
            case "itential_describe_lifecycle_instance" -> {
                String resource = sandbox.lifecycleResourceIds().stream()
                        .filter(id -> !sandbox.lifecycleInstanceIds(id).isEmpty()).findFirst().orElseThrow();
                args.put("resource_id", resource);
                args.put("instance_id", sandbox.lifecycleInstanceIds(resource).get(0));
            }
            case "itential_add_devices_to_group", "itential_remove_devices_from_group" -> {
                args.put("group", sandbox.deviceGroupNames().get(0));
                args.putArray("devices").add(device);
            }
            case "itential_backup_device_configuration" -> args.put("device", device);
            default -> {
                return SchemaArguments.minimal(tool.inputSchema());
            }
        }
        return args;
    }
}
