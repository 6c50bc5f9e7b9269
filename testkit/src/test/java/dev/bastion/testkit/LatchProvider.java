package dev.bastion.testkit;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.ListChange;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test provider whose tools block on latches the test controls, so cancellation, concurrency and
 * fan-out are proven without timing.
 */
final class LatchProvider implements ProviderFactory {

    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch cancelled = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();
    /** Counts down once per fan-out call; each call waits until all instances have arrived. */
    volatile CountDownLatch allArrived = new CountDownLatch(0);
    final List<ProviderContext> contexts = new ArrayList<>();
    volatile boolean extraTool;
    private final Optional<String> instanceArgument;

    LatchProvider(Optional<String> instanceArgument) {
        this.instanceArgument = instanceArgument;
    }

    @Override
    public String id() {
        return "latch";
    }

    @Override
    public Optional<String> instanceArgument() {
        return instanceArgument;
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        contexts.add(context);
        String alias = config.alias();
        return new Provider() {
            @Override
            public List<Tool> tools() {
                List<Tool> tools = new ArrayList<>(List.of(
                        Tool.of(ToolDescriptor.builder("latch_wait").description("Blocks until released or cancelled.")
                                .annotations(ToolAnnotations.readOnly()).build(), (args, ctx) -> {
                            started.incrementAndGet();
                            ctx.onCancel(cancelled::countDown);
                            while (!release.await(10, TimeUnit.MILLISECONDS)) {
                                ctx.checkCancelled();
                            }
                            return ToolResult.text("released");
                        }),
                        Tool.of(ToolDescriptor.builder("latch_where").description("Says which instance ran it.")
                                .annotations(ToolAnnotations.readOnly()).fanOut().build(), (args, ctx) -> {
                            allArrived.countDown();
                            if (!allArrived.await(10, TimeUnit.SECONDS)) {
                                return ToolResult.error("not all instances ran concurrently");
                            }
                            if (alias.equals("broken")) {
                                throw new IllegalStateException("instance broken failed with secret s3cr3t");
                            }
                            return ToolResult.text("ran on " + alias);
                        })));
                if (extraTool) {
                    tools.add(Tool.of(ToolDescriptor.builder("latch_extra").description("Appears after a change.")
                            .annotations(ToolAnnotations.readOnly()).build(), (a, c) -> ToolResult.text("extra")));
                }
                return tools;
            }

            @Override
            public HealthStatus health(CallContext call) {
                return HealthStatus.up("test");
            }
        };
    }

    void addExtraTool() {
        extraTool = true;
        contexts.get(0).listChanged(ListChange.TOOLS);
    }
}
