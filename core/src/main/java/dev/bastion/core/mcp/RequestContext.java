package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.Secret;
import java.util.Map;
import dev.bastion.core.tool.LogLevel;

/**
 * Everything a method handler may use, fixed when the request arrives. Handlers never read mutable
 * session state, so the same handlers can serve a stateless (2026-07-28) request whose context is
 * built from its {@code _meta} instead of from a session.
 *
 * @param id the JSON-RPC id
 * @param method the method
 * @param params the params object (empty when absent)
 * @param requestBytes the request's size on the wire
 * @param protocolVersion the negotiated protocol version
 * @param principal the caller
 * @param clientCapabilities the client's declared capabilities
 * @param clientName the client's self-reported name, or {@code null}
 * @param sessionId the session id, or {@code null}
 * @param logLevel the lowest level of log notifications the client wants, or {@code null} for none below info
 * @param sink where notifications and server requests belonging to this request go
 * @param callerCredentials per-caller backend credentials sent with this request, by provider id
 */
public record RequestContext(JsonNode id, String method, ObjectNode params, long requestBytes,
                             String protocolVersion, Principal principal, ObjectNode clientCapabilities,
                             String clientName, String sessionId, LogLevel logLevel, MessageSink sink,
                             Map<String, Secret> callerCredentials) {
    public RequestContext {
        callerCredentials = Map.copyOf(requireNonNull(callerCredentials, "callerCredentials is null"));
        requireNonNull(id, "id is null");
        requireNonNull(method, "method is null");
        requireNonNull(params, "params is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(clientCapabilities, "clientCapabilities is null");
        requireNonNull(sink, "sink is null");
    }

    /** A request without per-caller backend credentials. */
    public RequestContext(JsonNode id, String method, ObjectNode params, long requestBytes, String protocolVersion,
                          Principal principal, ObjectNode clientCapabilities, String clientName, String sessionId,
                          LogLevel logLevel, MessageSink sink) {
        this(id, method, params, requestBytes, protocolVersion, principal, clientCapabilities, clientName, sessionId,
                logLevel, sink, Map.of());
    }

    public boolean clientSupports(String capability) {
        JsonNode node = clientCapabilities.get(capability);
        return node != null && !node.isNull();
    }

    /** The progress token of the request, or {@code null} when the client asked for no progress. */
    public JsonNode progressToken() {
        JsonNode meta = params.get("_meta");
        if (meta == null || !meta.isObject()) {
            return null;
        }
        JsonNode token = meta.get("progressToken");
        return token != null && (token.isTextual() || token.isIntegralNumber()) ? token : null;
    }
}
