package com.example.acmestatus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.testkit.ProviderContractTest;

/** The whole provider contract, against the provider's own sandbox. */
class AcmeStatusContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new AcmeStatusProviderFactory();
    }

    /** The schema-derived id would be a component the sandbox does not have: name one it has. */
    @Override
    protected ObjectNode argumentsFor(ToolDescriptor tool) {
        ObjectNode arguments = super.argumentsFor(tool);
        if (tool.name().equals("acme_status_get_component")) {
            arguments.put("component", "api-gateway");
        }
        return arguments;
    }
}
