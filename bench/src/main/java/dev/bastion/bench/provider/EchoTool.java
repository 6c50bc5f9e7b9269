package dev.bastion.bench.provider;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;

/** {@code echo {text}}: one text content item holding {@code text} unchanged. */
public final class EchoTool implements Tool {

    private static final ToolDescriptor DESCRIPTOR = ToolDescriptor.builder("echo")
            .description("Returns the given text unchanged")
            .inputSchema(schema())
            .annotations(ToolAnnotations.readOnly().closedWorld())
            .build();

    private static ObjectNode schema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties").putObject("text").put("type", "string").put("description", "Text to echo back");
        schema.putArray("required").add("text");
        return schema;
    }

    @Override
    public ToolDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ToolResult call(ObjectNode arguments, CallContext context) {
        // The pipeline validated the arguments against the schema: text is present and a string.
        return ToolResult.text(arguments.get("text").textValue());
    }
}
