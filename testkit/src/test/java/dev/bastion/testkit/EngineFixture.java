package dev.bastion.testkit;

import dev.bastion.core.mcp.BusyRefusalListener;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.testkit.conformance.ConformanceFixtures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds engines over test providers, for protocol tests: bare (no security stages) or with a given chain. */
final class EngineFixture {

    private EngineFixture() {
    }

    static McpEngine engine(McpEngineOptions options, ProviderFactory... factories) {
        return engine(options, ToolCallChain.of(List.of()), factories);
    }

    static McpEngine engine(McpEngineOptions options, ToolCallChain chain, ProviderFactory... factories) {
        return engine(options, chain, BusyRefusalListener.NONE, factories);
    }

    static McpEngine engine(McpEngineOptions options, ToolCallChain chain, BusyRefusalListener busyRefusals,
                            ProviderFactory... factories) {
        ServerProviderContext context = new ServerProviderContext(JsonMappers.create(), Redactor.NONE,
                Clock.systemUTC(), "test", Map.of());
        List<ProviderInstance> instances = new ArrayList<>();
        for (ProviderFactory factory : factories) {
            instances.add(new ProviderInstance(factory.id(), factory.toolPrefix(), ProviderConfig.DEFAULT_ALIAS,
                    factory.instanceArgument(),
                    factory.create(new ProviderConfig(factory.id(), ProviderConfig.DEFAULT_ALIAS, Map.of()), context)));
        }
        McpEngine engine = new McpEngine(options, JsonMappers.create(), () -> instances, chain, ToolVisibility.ALL, (what, failure) -> "Internal error in " + what,
                Redactor.NONE, busyRefusals);
        context.bind(engine);
        return engine;
    }

    static McpEngine conformance() {
        return engine(McpEngineOptions.defaults("test"), new ConformanceFixtures());
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
