package dev.bastion.core.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool a provider offers. Every call reaches it through the server's central pipeline, so the
 * arguments have already been validated against {@link ToolDescriptor#inputSchema()}, the caller
 * authorised, rate-limited and (for writes) approved.
 *
 * <p>A backend failure is an {@link ToolResult#error(String)} result with a short actionable
 * message, not an exception. An exception that escapes anyway becomes a sanitised error result.
 */
public interface Tool {

    ToolDescriptor descriptor();

    ToolResult call(ObjectNode arguments, CallContext context) throws Exception;

    /** What a tool does when called, for {@link #of}. */
    @FunctionalInterface
    interface Body {
        ToolResult call(ObjectNode arguments, CallContext context) throws Exception;
    }

    /** A tool from its descriptor and a body, for tools that need no class of their own. */
    static Tool of(ToolDescriptor descriptor, Body body) {
        requireNonNull(descriptor, "descriptor is null");
        requireNonNull(body, "body is null");
        return new Tool() {
            @Override
            public ToolDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public ToolResult call(ObjectNode arguments, CallContext context) throws Exception {
                return body.call(arguments, context);
            }
        };
    }
}
