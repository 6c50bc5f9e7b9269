package dev.bastion.security.validate;

import static dev.bastion.security.validate.TestCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.Catalog;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.redact.SecretRedactor;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A fan-out tool's listed output schema wraps its own (one instance, or ALL): local references
 * into the tool's {@code $defs} still resolve, and the pipeline's validator checks both shapes.
 */
class FanOutOutputSchemaTest {

    private static final String WITH_DEFS = """
            {"type":"object","required":["problems"],"properties":{
              "problems":{"type":"array","items":{"$ref":"#/$defs/problem"}}},
             "$defs":{"problem":{"type":"object","required":["id"],"properties":{"id":{"type":"string"}}}}}""";

    private static ToolDescriptor listed(String outputSchema) {
        ToolDescriptor own = ToolDescriptor.builder("fixture_list").description("lists")
                .inputSchema((ObjectNode) json("{\"type\":\"object\"}"))
                .outputSchema((ObjectNode) json(outputSchema))
                .annotations(ToolAnnotations.readOnly()).fanOut().build();
        Tool tool = Tool.of(own, (arguments, context) -> ToolResult.text("x"));
        Provider provider = new Provider() {
            @Override
            public List<Tool> tools() {
                return List.of(tool);
            }

            @Override
            public HealthStatus health(CallContext call) {
                return HealthStatus.up("fixture");
            }
        };
        List<ProviderInstance> instances = List.of(
                new ProviderInstance("fixture", "fixture_", "prod", Optional.of("instance"), provider),
                new ProviderInstance("fixture", "fixture_", "lab", Optional.of("instance"), provider));
        return Catalog.build(instances).tool("fixture_list").orElseThrow().listed();
    }

    @Test
    void localReferencesResolveInTheOneInstanceAndTheAllShapes() {
        SchemaValidator validator = new SchemaValidator(new SecretRedactor());
        ToolDescriptor listed = listed(WITH_DEFS);

        assertThat(validator.checkSchema(listed.outputSchema())).isEmpty();
        assertThat(validator.validateOutput(listed, json("{\"problems\":[{\"id\":\"P-1\"}]}"))).isEmpty();
        assertThat(validator.validateOutput(listed, json("""
                {"results":[{"instance":"prod","isError":false,"structuredContent":{"problems":[{"id":"P-1"}]}},
                            {"instance":"lab","isError":true,"error":"down"}]}"""))).isEmpty();
        assertThat(validator.validateOutput(listed, json("{\"problems\":[{\"title\":\"no id\"}]}"))).isNotEmpty();
    }

    @Test
    void aReferenceOutsideTheDefsOfAFanOutToolsOutputSchemaIsRefusedAtRegistration() {
        assertThatThrownBy(() -> listed("""
                {"type":"object","properties":{"a":{"type":"string"},"b":{"$ref":"#/properties/a"}}}"""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fixture_list").hasMessageContaining("#/properties/a")
                .hasMessageContaining("only into its $defs");
        assertThatThrownBy(() -> listed("{\"$id\":\"urn:x\",\"type\":\"object\"}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has an $id");
    }
}
