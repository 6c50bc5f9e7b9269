package dev.bastion.core.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;

/**
 * One tools/call as it travels through the pipeline.
 *
 * @param tool the descriptor as the client saw it in {@code tools/list}
 * @param providerId the id of the provider that owns the tool
 * @param instance the provider instance the call goes to ({@code ALL} for a fan-out)
 * @param arguments the call's arguments
 * @param requestBytes the size of the JSON-RPC request on the wire
 * @param sessionId the MCP session, or {@code null} for a stateless request
 * @param clientName the client's self-reported name from {@code initialize}, or {@code null}
 * @param context the per-call context
 * @param decision the shared decision record of this call
 */
public record ToolCall(
        ToolDescriptor tool,
        String providerId,
        String instance,
        ObjectNode arguments,
        long requestBytes,
        String sessionId,
        String clientName,
        CallContext context,
        CallDecision decision) {

    public ToolCall {
        requireNonNull(tool, "tool is null");
        requireNonNull(providerId, "providerId is null");
        requireNonNull(instance, "instance is null");
        requireNonNull(arguments, "arguments is null");
        requireNonNull(context, "context is null");
        requireNonNull(decision, "decision is null");
    }

    /** Denies the call: records why for the audit and returns the error result the model reads. */
    public ToolResult deny(String code, String message) {
        decision.deny(code, message);
        return ToolResult.error(message);
    }

    public ToolCall withArguments(ObjectNode newArguments) {
        return new ToolCall(tool, providerId, instance, newArguments, requestBytes, sessionId, clientName, context,
                decision);
    }
}
