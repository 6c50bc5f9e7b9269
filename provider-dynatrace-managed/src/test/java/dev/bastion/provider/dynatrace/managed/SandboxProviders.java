package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Secret;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Turns the sandbox's raw instance maps into typed configs, as the server's config loader does. */
final class SandboxProviders {

    private SandboxProviders() {
    }

    static ProviderConfig config(Map<String, Object> instance, Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put(ManagedSettings.URL, URI.create((String) instance.get(ManagedSettings.URL)));
        values.put(ManagedSettings.ENVIRONMENT_ID, instance.get(ManagedSettings.ENVIRONMENT_ID));
        values.put(ManagedSettings.API_TOKEN, Secret.of((String) instance.get(ManagedSettings.API_TOKEN)));
        values.put(ManagedSettings.ALLOW_INSECURE_LOOPBACK, instance.get(ManagedSettings.ALLOW_INSECURE_LOOPBACK));
        values.putAll(extra);
        return new ProviderConfig(DynatraceManagedProviderFactory.ID, (String) instance.get("alias"), values);
    }

    static Provider provider(DynatraceManagedSandbox sandbox, int index, TestProviderContext context) {
        return new DynatraceManagedProviderFactory().create(config(sandbox.instances().get(index), Map.of()), context);
    }
}
