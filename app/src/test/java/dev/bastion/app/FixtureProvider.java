package dev.bastion.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.util.List;

/**
 * A test provider with no backend: a read tool that echoes, a write tool and a destructive tool,
 * for the pipeline tests (read-only mode, approval, audit, secrets). Enabled by
 * {@code providers: {fixture: {...}}} in YAML; registered for discovery only in test resources.
 */
public final class FixtureProvider implements ProviderFactory {

    @Override
    public String id() {
        return "fixture";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(Setting.builder("api_key", SettingType.STRING).secret().env("FIXTURE_API_KEY")
                .description("A credential the fixture never sends anywhere; planted by secret-leak tests").build());
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        String key = config.secret("api_key").map(s -> s.reveal()).orElse("");
        return new Provider() {
            @Override
            public List<Tool> tools() {
                return List.of(
                        tool("fixture_echo", ToolAnnotations.readOnly(), schema(), (args, ctx) ->
                                ToolResult.text("echo: " + args.path("text").asText())),
                        tool("fixture_leak", ToolAnnotations.readOnly(), schema(), (args, ctx) ->
                                ToolResult.text("the backend said: key=" + key)),
                        tool("fixture_fail", ToolAnnotations.readOnly(), schema(), (args, ctx) -> {
                            throw new IllegalStateException("backend exploded while using " + key);
                        }),
                        tool("fixture_update", ToolAnnotations.write(false, true), schema(), (args, ctx) ->
                                ToolResult.text("updated " + args.path("text").asText())),
                        tool("fixture_delete", ToolAnnotations.write(true, false), schema(), (args, ctx) ->
                                ToolResult.text("deleted " + args.path("text").asText())));
            }

            @Override
            public HealthStatus health(CallContext call) {
                return HealthStatus.up("the fixture has no backend");
            }
        };
    }

    private static ObjectNode schema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        schema.putObject("properties").putObject("text").put("type", "string").put("maxLength", 100);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Tool tool(String name, ToolAnnotations annotations, ObjectNode schema, Tool.Body body) {
        ToolDescriptor descriptor = ToolDescriptor.builder(name).description("Fixture tool " + name + " for tests.")
                .inputSchema(schema).annotations(annotations)
                .tags(annotations.readOnlyHint() ? new String[] {"fixture"} : new String[] {"fixture", "write"})
                .build();
        return Tool.of(descriptor, body);
    }
}
