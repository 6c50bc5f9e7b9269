package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import dev.bastion.provider.dynatrace.managed.sandbox.SandboxTour;
import dev.bastion.testkit.ProviderBehavior;
import dev.bastion.testkit.ProviderContractTest;
import java.util.Map;

/** The testkit's provider contract, against the provider's own sandbox. */
class DynatraceManagedContractTest extends ProviderContractTest {

    private Map<String, ObjectNode> arguments;

    @Override
    protected ProviderFactory factory() {
        return new DynatraceManagedProviderFactory();
    }

    @Override
    protected boolean hasBehavior(ProviderBehavior behavior) {
        return switch (behavior) {
            case SUPPORTS_WRITES, SUPPORTS_FAN_OUT, SUPPORTS_CALLER_CREDENTIALS -> true;
            default -> super.hasBehavior(behavior);
        };
    }

    @Override
    protected ObjectNode argumentsFor(ToolDescriptor tool) {
        if (arguments == null) {
            DynatraceManagedSandbox sandbox = (DynatraceManagedSandbox) sandbox().orElseThrow();
            try {
                var provider = SandboxProviders.provider(sandbox, 0, TestProviderContext.create());
                arguments = SandboxTour.arguments(sandbox, (name, args) -> TestCalls.structured(provider, name, args));
            } catch (Exception e) {
                throw new AssertionError("the sandbox did not answer the argument look-ups", e);
            }
        }
        return arguments.get(tool.name().substring("dynatrace_managed_".length())).deepCopy();
    }
}
