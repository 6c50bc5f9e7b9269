package dev.bastion.security.pipelinesupport;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.pipeline.CallDecision;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;

/** Builds tool descriptors and calls for pipeline tests. */
public final class Calls {

    private Calls() {
    }

    public static ToolDescriptor readTool(String name, String... tags) {
        return ToolDescriptor.builder(name).description("reads").annotations(ToolAnnotations.readOnly()).tags(tags)
                .build();
    }

    public static ToolDescriptor writeTool(String name, boolean destructive) {
        return ToolDescriptor.builder(name).description("writes")
                .annotations(ToolAnnotations.write(destructive, false)).build();
    }

    public static ToolCall call(ToolDescriptor tool, CallContext context) {
        return call(tool, JsonNodeFactory.instance.objectNode(), context);
    }

    public static ToolCall call(ToolDescriptor tool, ObjectNode arguments, CallContext context) {
        return new ToolCall(tool, "itential", "default", arguments, 100, null, "test-client", context,
                new CallDecision());
    }
}
