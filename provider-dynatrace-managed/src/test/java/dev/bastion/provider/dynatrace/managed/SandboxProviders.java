package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.SettingValues;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import java.util.HashMap;
import java.util.Map;

/** Turns the sandbox's raw instance maps into typed configs, as the server's config loader does. */
final class SandboxProviders {

    private SandboxProviders() {
    }

    static ProviderConfig config(Map<String, Object> instance, Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(instance);
        raw.putAll(extra);
        return SettingValues.bind(DynatraceManagedProviderFactory.ID, ManagedSettings.spec(), raw);
    }

    static Provider provider(DynatraceManagedSandbox sandbox, int index, ProviderContext context) {
        return new DynatraceManagedProviderFactory().create(config(sandbox.instances().get(index), Map.of()), context);
    }
}
