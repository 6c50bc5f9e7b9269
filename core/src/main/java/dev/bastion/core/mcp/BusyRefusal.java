package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;

/**
 * A request the engine answered "Server busy" without handling it: every worker was taken and the
 * queue was full. Such a request never reaches the tools/call pipeline, so the pipeline's audit and
 * metrics never see it; a {@link BusyRefusalListener} does.
 *
 * @param method the JSON-RPC method, always one the engine handles (a bounded set)
 * @param principal who sent it
 * @param clientName the client's self-reported name, or {@code null}
 * @param sessionId the session, or {@code null}
 * @param requestBytes the size of the request
 * @param tool for a {@code tools/call} of a tool in the catalog, the tool's name; otherwise {@code null}
 * @param providerId the tool's provider, or {@code null} when {@code tool} is
 * @param instance the instance the call was addressed to, or {@code null} when {@code tool} is
 * @param arguments the call's arguments, or {@code null} when {@code tool} is
 */
public record BusyRefusal(String method, Principal principal, String clientName, String sessionId, long requestBytes,
                          String tool, String providerId, String instance, ObjectNode arguments) {

    public BusyRefusal {
        requireNonNull(method, "method is null");
        requireNonNull(principal, "principal is null");
    }

    /** Whether this was a call of a known tool (and so belongs in the audit trail). */
    public boolean isToolCall() {
        return tool != null;
    }
}
