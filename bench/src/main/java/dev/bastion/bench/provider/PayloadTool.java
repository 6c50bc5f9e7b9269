package dev.bastion.bench.provider;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;

/** {@code payload {kb}}: one text content item holding {@link PayloadText#of(int) the lab's payload}. */
public final class PayloadTool implements Tool {

    private static final ToolDescriptor DESCRIPTOR = ToolDescriptor.builder("payload")
            .description("Returns a deterministic JSON text of about kb kilobytes")
            .inputSchema(schema())
            .annotations(ToolAnnotations.readOnly().closedWorld())
            .build();

    private static ObjectNode schema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties").putObject("kb").put("type", "integer").put("minimum", 0)
                .put("maximum", PayloadText.MAX_KB).put("description", "Size in KiB");
        schema.putArray("required").add("kb");
        return schema;
    }

    @Override
    public ToolDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ToolResult call(ObjectNode arguments, CallContext context) {
        // The pipeline validated the arguments against the schema: kb is an integer in range.
        return ToolResult.text(PayloadText.of(arguments.get("kb").intValue()));
    }
}
