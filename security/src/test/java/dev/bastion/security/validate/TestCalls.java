package dev.bastion.security.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.CallDecision;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.ElicitationResult;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
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
        return call(tool, json(arguments), new Context(Instant.now().plusSeconds(30)));
    }

    public static ToolCall call(ToolDescriptor tool, ObjectNode arguments, Context context) {
        long bytes = arguments.toString().length();
        return new ToolCall(tool, "test_provider", "default", arguments, bytes, "session-1", "test-client", context,
                new CallDecision());
    }

    /** A call context with a settable deadline and real cancellation state. */
    public static final class Context implements CallContext {
        private final Instant deadline;
        private volatile boolean cancelled;

        public Context(Instant deadline) {
            this.deadline = deadline;
        }

        @Override
        public Principal principal() {
            return new Principal("alice", Set.of(Principal.ALL_SCOPES));
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void cancel(String reason) {
            cancelled = true;
        }

        @Override
        public void onCancel(Runnable action) {
            if (cancelled) {
                action.run();
            }
        }

        @Override
        public ProgressReporter progress() {
            return ProgressReporter.NONE;
        }

        @Override
        public void log(LogLevel level, String message) {
        }

        @Override
        public ClientRequests client() {
            return new ClientRequests() {
                @Override
                public boolean supportsElicitation() {
                    return false;
                }

                @Override
                public boolean supportsSampling() {
                    return false;
                }

                @Override
                public boolean supportsRoots() {
                    return false;
                }

                @Override
                public ElicitationResult elicit(String message, ObjectNode requestedSchema) {
                    throw new UnsupportedOperationException("no elicitation in tests");
                }

                @Override
                public JsonNode createMessage(ObjectNode params) {
                    throw new UnsupportedOperationException("no sampling in tests");
                }

                @Override
                public JsonNode listRoots() {
                    throw new UnsupportedOperationException("no roots in tests");
                }
            };
        }
    }
}
