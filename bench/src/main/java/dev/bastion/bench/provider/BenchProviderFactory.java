package dev.bastion.bench.provider;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import java.util.List;

/**
 * The benchmark lab's tools, {@code echo} and {@code payload}, as a Bastion provider, so that the lab
 * measures Bastion's protocol engine and security pipeline with the same tools as its reference
 * servers. It reaches no backend and is not part of the bundled server: it ships as its own plugin
 * jar ({@code bench/target/plugins}), enabled with {@code providers: {bench: {}}}.
 */
public final class BenchProviderFactory implements ProviderFactory {

    public static final String ID = "bench";

    @Override
    public String id() {
        return ID;
    }

    /**
     * No prefix: the lab calls the tools {@code echo} and {@code payload}, exactly. The engine does
     * not require a prefix; it is the convention of real providers, which share one tool namespace.
     */
    @Override
    public String toolPrefix() {
        return "";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        List<Tool> tools = List.of(new EchoTool(), new PayloadTool());
        return new Provider() {
            @Override
            public List<Tool> tools() {
                return tools;
            }

            @Override
            public HealthStatus health(CallContext call) {
                return HealthStatus.up("benchmark tools need no backend");
            }
        };
    }
}
