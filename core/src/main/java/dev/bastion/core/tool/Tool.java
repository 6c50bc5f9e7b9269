package dev.bastion.core.tool;

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
}
