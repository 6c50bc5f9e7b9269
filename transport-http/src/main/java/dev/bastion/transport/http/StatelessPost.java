package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.HeaderParameters;
import dev.bastion.core.mcp.JsonRpcException;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpSession;
import dev.bastion.core.mcp.Messages;
import dev.bastion.core.mcp.ProtocolVersions;
import dev.bastion.core.mcp.StatelessMeta;
import dev.bastion.core.spi.Secret;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One POST of the stateless protocol (2026-07-28): no session, the request's {@code _meta} carries
 * its state, and the HTTP headers must agree with the body. The checks run in the order the
 * specification gives them, each a {@code 400} whose JSON-RPC error keeps the request's id:
 * <ol>
 *   <li>{@code MCP-Protocol-Version} missing: {@code -32020};</li>
 *   <li>{@code _meta} or one of its required fields missing: {@code -32602};</li>
 *   <li>the header and {@code _meta} name different versions: {@code -32020};</li>
 *   <li>a version this server does not speak: {@code -32022} with {@code data.supported} and
 *       {@code data.requested};</li>
 *   <li>{@code Mcp-Method} missing or not the body's method, {@code Mcp-Name} missing or not the
 *       body's tool, prompt or resource: {@code -32020}.</li>
 * </ol>
 * Then the engine answers on a fresh stateless session, as JSON or as an SSE stream that carries only
 * this request's progress and log messages, then its result. A client that goes away cancels the
 * request. {@code Mcp-Session-Id} and {@code Last-Event-ID} mean nothing here and are ignored.
 */
final class StatelessPost {

    static final String METHOD_HEADER = "Mcp-Method";
    static final String NAME_HEADER = "Mcp-Name";

    private final McpEngine engine;
    private final StreamLimiter streams;
    /** The open response streams, which the transport keeps alive. */
    private final Set<EventStream> openStreams = ConcurrentHashMap.newKeySet();

    /**
     * @param streams the caps of long-lived streams (per principal, server-wide), which every
     *     {@code subscriptions/listen} takes a place of, as a session's GET stream does
     */
    StatelessPost(McpEngine engine, StreamLimiter streams) {
        this.engine = requireNonNull(engine, "engine is null");
        this.streams = requireNonNull(streams, "streams is null");
    }

    /** Sends a keep-alive comment on every open stream (a quiet subscriptions/listen stream, say). */
    void keepStreamsAlive() {
        openStreams.forEach(EventStream::keepAlive);
    }

    /** Whether {@code message} (with the request's version header) belongs to the stateless protocol. */
    static boolean applies(JsonNode message, String versionHeader) {
        return versionHeader != null && ProtocolVersions.isStateless(versionHeader.strip())
                || StatelessMeta.declaredIn(message);
    }

    void handle(Request request, Response response, Callback callback, Principal principal, JsonNode message,
                long bodyBytes, Map<String, Secret> callerCredentials) {
        if (!message.isObject()) {
            refuse(response, callback, 400, null, JsonRpcException.INVALID_REQUEST, "Invalid Request: protocol "
                    + ProtocolVersions.STATELESS + " takes one JSON-RPC request per POST, not a batch", null);
            return;
        }
        if (!message.has("id") || message.has("result") || message.has("error")) {
            // A notification or a response: nothing in this protocol answers it.
            Responses.empty(response, callback, 202);
            return;
        }
        JsonNode id = Responses.idOf(message);
        String method = message.path("method").asText("");
        JsonRpcException refusal = headerRefusal(request, (ObjectNode) message, method);
        if (refusal != null) {
            refuse(response, callback, status(refusal.code()), id, refusal.code(), refusal.getMessage(), refusal.data());
            return;
        }
        Runnable release = () -> { };
        if ("subscriptions/listen".equals(method)) {
            StreamLimiter.Admission admission = streams.acquire(principal.name());
            if (admission instanceof StreamLimiter.Refused refused) {
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.RETRY_AFTER,
                        refused.status() == 429 ? "10" : "30");
                refuse(response, callback, refused.status(), id, JsonRpcException.INVALID_REQUEST, refused.message(),
                        null);
                return;
            }
            release = ((StreamLimiter.Granted) admission)::release;
        }
        McpSession session = engine.openStatelessRequest(principal);
        PostExchange exchange = PostExchange.stateless(engine.json(), response, callback, openStreams);
        exchange.onClientGone(session::close);
        request.addFailureListener(failure -> session.close());
        Runnable ended = release;
        session.handle(message, exchange, bodyBytes, callerCredentials).whenComplete((ignored, failure) -> {
            exchange.complete();
            session.close();
            ended.run();
        });
    }

    /** The first of the checks in the class comment that fails, or {@code null}. */
    private JsonRpcException headerRefusal(Request request, ObjectNode message, String method) {
        String header = request.getHeaders().get(McpEndpoint.VERSION_HEADER);
        if (header == null || header.isBlank()) {
            return mismatch("the " + McpEndpoint.VERSION_HEADER + " header is required and must equal params._meta."
                    + StatelessMeta.PROTOCOL_VERSION);
        }
        ObjectNode params = message.get("params") instanceof ObjectNode given ? given : null;
        StatelessMeta meta;
        try {
            meta = StatelessMeta.read(params);
        } catch (JsonRpcException e) {
            return e;
        }
        if (!header.strip().equals(meta.protocolVersion())) {
            return mismatch("the " + McpEndpoint.VERSION_HEADER + " header (" + header.strip()
                    + ") differs from params._meta." + StatelessMeta.PROTOCOL_VERSION + " (" + meta.protocolVersion()
                    + ")");
        }
        try {
            meta.requireSupported();
        } catch (JsonRpcException e) {
            return e;
        }
        String methodHeader = request.getHeaders().get(METHOD_HEADER);
        if (methodHeader == null) {
            return mismatch("the " + METHOD_HEADER + " header is required and must equal the request's method");
        }
        if (!methodHeader.strip().equals(method)) {
            return mismatch("the " + METHOD_HEADER + " header (" + methodHeader.strip()
                    + ") differs from the request's method (" + method + ")");
        }
        String named = switch (method) {
            case "tools/call", "prompts/get" -> params.path("name").asText(null);
            case "resources/read" -> params.path("uri").asText(null);
            default -> null;
        };
        if (named != null) {
            String nameHeader = request.getHeaders().get(NAME_HEADER);
            if (nameHeader == null) {
                return mismatch("the " + NAME_HEADER + " header is required on " + method
                        + " and must equal its " + ("resources/read".equals(method) ? "uri" : "name"));
            }
            if (!nameHeader.strip().equals(named)) {
                return mismatch("the " + NAME_HEADER + " header differs from the request's "
                        + ("resources/read".equals(method) ? "uri" : "name"));
            }
        }
        if ("tools/call".equals(method) && named != null) {
            java.util.Optional<dev.bastion.core.mcp.RegisteredTool> tool = engine.catalog().tool(named);
            if (tool.isPresent()) {
                java.util.Optional<String> disagreement = HeaderParameters.mismatch(tool.get().headerParameters(),
                        params.get("arguments"), name -> request.getHeaders().get(name));
                if (disagreement.isPresent()) {
                    return mismatch(disagreement.get());
                }
            }
        }
        return null;
    }

    private static JsonRpcException mismatch(String why) {
        return new JsonRpcException(JsonRpcException.HEADER_MISMATCH, "Header mismatch: " + why);
    }

    /**
     * The HTTP status of a stateless error answer: an unknown (or removed) method is {@code 404}, a
     * request the server refuses as malformed is {@code 400}, an internal failure {@code 500}; any
     * other error (a tool's own, a resource's) is a JSON-RPC answer on {@code 200}.
     */
    static int status(int code) {
        return switch (code) {
            case JsonRpcException.METHOD_NOT_FOUND -> 404;
            case JsonRpcException.INVALID_REQUEST, JsonRpcException.INVALID_PARAMS, JsonRpcException.PARSE_ERROR,
                    JsonRpcException.HEADER_MISMATCH, JsonRpcException.MISSING_CLIENT_CAPABILITY,
                    JsonRpcException.UNSUPPORTED_PROTOCOL_VERSION -> 400;
            case JsonRpcException.INTERNAL_ERROR -> 500;
            default -> 200;
        };
    }

    private void refuse(Response response, Callback callback, int status, JsonNode id, int code, String message,
                        JsonNode data) {
        byte[] body;
        try {
            body = engine.json().writeValueAsBytes(Messages.error(id, code, message, data));
        } catch (JsonProcessingException e) {
            body = ErrorBodies.error(id, code, message);
        }
        Responses.json(response, callback, status, body);
    }
}
