package dev.bastion.security.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.security.pipelinesupport.TestCallContext;
import dev.bastion.core.pipeline.CallDecision;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;

/** Builds real {@link ToolCall}s for interceptor tests of the security packages. */
public final class TestCalls {

    public static final ObjectMapper JSON = new ObjectMapper();

    private TestCalls() {
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ToolDescriptor tool(String name, String inputSchema, String outputSchema) {
        return ToolDescriptor.builder(name)
                .description("test tool")
                .inputSchema(json(inputSchema))
                .outputSchema(outputSchema == null ? null : json(outputSchema))
                .annotations(ToolAnnotations.readOnly())
                .build();
    }

    public static ToolCall call(ToolDescriptor tool, String arguments) {
        return call(tool, json(arguments), context(Instant.now().plusSeconds(30)));
    }

    /** The context of a call by principal alice, with every scope, ending at {@code deadline}. */
    public static TestCallContext context(Instant deadline) {
        return TestCallContext.of(new Principal("alice", Set.of(Principal.ALL_SCOPES)), deadline);
    }

    public static ToolCall call(ToolDescriptor tool, ObjectNode arguments, CallContext context) {
        long bytes = arguments.toString().length();
        return new ToolCall(tool, "test_provider", "default", arguments, bytes, "session-1", "test-client", context,
                new CallDecision());
    }

    /** A call context with a settable deadline and real cancellation state. */

}
