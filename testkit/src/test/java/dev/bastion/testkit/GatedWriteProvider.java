package dev.bastion.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One destructive tool, {@code gated_delete} (optional string argument {@code id}), so the default
 * approval mode asks before it runs; {@code runs} counts the times it really ran.
 */
final class GatedWriteProvider implements ProviderFactory {

    private final AtomicInteger runs;

    GatedWriteProvider(AtomicInteger runs) {
        this.runs = runs;
    }

    @Override
    public String id() {
        return "gated";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        return new Provider() {
            @Override
            public List<Tool> tools() {
                ObjectNode schema = JsonNodeFactory.instance.objectNode();
                schema.put("type", "object");
                schema.putObject("properties").putObject("id").put("type", "string");
                return List.of(Tool.of(ToolDescriptor.builder("gated_delete").description("Deletes a thing.")
                        .inputSchema(schema).annotations(ToolAnnotations.write(true, false)).build(), (args, ctx) -> {
                            runs.incrementAndGet();
                            return ToolResult.text("deleted");
                        }));
            }

            @Override
            public HealthStatus health(dev.bastion.core.tool.CallContext call) {
                return HealthStatus.up("test");
            }
        };
    }
}
