package dev.bastion.example.prometheus;

import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.testkit.ProviderContractTest;

/** Step 5 of the guide: the whole provider contract, against the provider's own sandbox. */
class PrometheusContractTest extends ProviderContractTest {

    @Override
    protected ProviderFactory factory() {
        return new PrometheusProviderFactory();
    }
}
