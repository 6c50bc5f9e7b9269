package dev.bastion.app.plugin;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;

/** A provider factory that the discovery tests package into jars and service files. */
public class PluginTestFactory implements ProviderFactory {

    public static final String ID = "plugin-test";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        throw new UnsupportedOperationException("discovery tests never create providers");
    }
}
