package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

/**
 * What {@link RequestTelemetry} is told of a request as it arrives. No argument values and no
 * result content are ever part of it: those are sensitive.
 *
 * @param method the JSON-RPC method
 * @param requestId the request id as it appeared on the wire ({@code 7}, {@code "abc"})
 * @param sessionId the MCP session, or {@code null} for stdio and stateless requests
 * @param protocolVersion the protocol version in force, or {@code null} before {@code initialize}
 * @param toolName the tool of a {@code tools/call}, else {@code null}
 * @param promptName the prompt of a {@code prompts/get}, else {@code null}
 * @param resourceUri the resource of a {@code resources/read} or a subscription, else {@code null}
 * @param traceParent the W3C {@code traceparent} the client sent in {@code params._meta}, or {@code null}
 * @param traceState the W3C {@code tracestate} from {@code params._meta}, or {@code null}
 */
public record ObservedRequest(String method, String requestId, String sessionId, String protocolVersion,
                              String toolName, String promptName, String resourceUri, String traceParent,
                              String traceState) {
    public ObservedRequest {
        requireNonNull(method, "method is null");
        requireNonNull(requestId, "requestId is null");
    }

    /**
     * Whether the request is a long-lived stream ({@code subscriptions/listen}), which lasts as long
     * as its client listens: its length is not an operation's duration.
     */
    public boolean stream() {
        return "subscriptions/listen".equals(method);
    }

    /** The low-cardinality target of the span name: the tool or prompt, else none. */
    public String target() {
        return toolName != null ? toolName : promptName;
    }
}
