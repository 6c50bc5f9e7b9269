package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.JsonRpcException;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.ProtocolVersions;
import dev.bastion.core.spi.Secret;
import dev.bastion.transport.http.metrics.ServerMetrics;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP endpoint (Streamable HTTP), for both eras on one path. Protocol versions 2025-03-26 to
 * 2025-11-25: POST carries one JSON-RPC message, GET opens (or resumes) an SSE stream, DELETE ends
 * the session. Protocol 2026-07-28 (a request whose {@code _meta} or {@code MCP-Protocol-Version}
 * names it): POST only, without a session ({@link StatelessPost}); GET and DELETE with that version
 * are {@code 405}. Authentication, Host and Origin checks, body caps and rate limits have already
 * applied, alike for both, when a request gets here.
 */
final class McpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";
    private static final String UNSUPPORTED_VERSION = "Bad Request: unsupported MCP-Protocol-Version; this server speaks "
            + String.join(", ", ProtocolVersions.SUPPORTED);

    private final McpEngine engine;
    private final SessionRegistry sessions;
    private final Map<String, String> credentialHeaders;
    private final int maxBodyBytes;
    private final SlowClientGuard slowClients;
    private final StreamLimiter streams;
    private final ServerMetrics metrics;
    private final StatelessPost stateless;

    /**
     * @param credentialHeaders per provider id, the header carrying a caller's backend credential
     */
    McpEndpoint(McpEngine engine, SessionRegistry sessions, Map<String, String> credentialHeaders, int maxBodyBytes,
                SlowClientGuard slowClients, StreamLimiter streams, ServerMetrics metrics) {
        this.engine = requireNonNull(engine, "engine is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.streams = requireNonNull(streams, "streams is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.credentialHeaders = Map.copyOf(credentialHeaders);
        this.maxBodyBytes = maxBodyBytes;
        this.slowClients = requireNonNull(slowClients, "slowClients is null");
        this.stateless = new StatelessPost(engine, streams);
    }

    void handle(Request request, Response response, Callback callback, Principal principal) {
        String version = request.getHeaders().get(VERSION_HEADER);
        if (version != null && ProtocolVersions.isStateless(version.strip()) && !request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Responses.refuse(request, response, callback, 405, JsonRpcException.INVALID_REQUEST, "Method Not Allowed: "
                    + "protocol " + version.strip() + " has no sessions and no event stream; POST each request");
            return;
        }
        boolean unsupported = version != null && !ProtocolVersions.isSupported(version.strip());
        if (unsupported && !request.getMethod().equals("POST")) {
            Responses.refuse(request, response, callback, 400, JsonRpcException.INVALID_REQUEST, UNSUPPORTED_VERSION);
            return;
        }
        switch (request.getMethod()) {
            // A POST is read first even with an unsupported version, so its refusal can carry the request's id.
            case "POST" -> post(request, response, callback, principal, unsupported);
            case "GET" -> {
                slowClients.requestReceived(request);
                get(request, response, callback, principal);
            }
            case "DELETE" -> {
                slowClients.requestReceived(request);
                delete(request, response, callback, principal);
            }
            default -> {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, DELETE");
                Responses.refuse(request, response, callback, 405, JsonRpcException.INVALID_REQUEST,
                        "Method Not Allowed: use POST for messages, GET for the event stream, DELETE to end a session");
            }
        }
    }

    /** Keeps the stateless requests' open streams alive (see {@link StatelessPost#keepStreamsAlive}). */
    void keepStatelessStreamsAlive() {
        stateless.keepStreamsAlive();
    }

    // ----------------------------------------------------------------- POST

    private void post(Request request, Response response, Callback callback, Principal principal,
                      boolean unsupportedVersion) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            Responses.refuse(request, response, callback, 415, JsonRpcException.INVALID_REQUEST,
                    "Unsupported Media Type: POST a JSON-RPC message with Content-Type: application/json");
            return;
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (accept != null && !accepts(accept, "application/json") && !accepts(accept, "text/event-stream")) {
            Responses.refuse(request, response, callback, 406, JsonRpcException.INVALID_REQUEST,
                    "Not Acceptable: send Accept: application/json, text/event-stream");
            return;
        }
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            Responses.refuse(request, response, callback, 413, JsonRpcException.INVALID_REQUEST, "Payload Too "
                    + "Large: the request body is " + declared + " bytes, over the limit of " + maxBodyBytes
                    + " bytes");
            return;
        }
        BoundedBody.read(request, maxBodyBytes, new BoundedBody.Outcome() {
            @Override
            public void received(byte[] body) {
                slowClients.requestReceived(request);
                try {
                    message(request, response, callback, principal, body, unsupportedVersion);
                } catch (RuntimeException e) {
                    LOG.warn("POST failed: {}", e.toString());
                    Responses.error(response, callback, 500, JsonRpcException.INTERNAL_ERROR, "Internal error");
                }
            }

            @Override
            public void tooLarge() {
                Responses.refuse(request, response, callback, 413, JsonRpcException.INVALID_REQUEST,
                        "Payload Too Large: the request body is over the limit of " + maxBodyBytes + " bytes");
            }

            @Override
            public void failed(Throwable failure) {
                LOG.debug("request body could not be read: {}", failure.toString());
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                Responses.error(response, callback, 400, JsonRpcException.INVALID_REQUEST,
                        "Bad Request: the request body could not be read");
            }
        });
    }

    private void message(Request request, Response response, Callback callback, Principal principal, byte[] body,
                         boolean unsupportedVersion) {
        JsonNode message;
        try {
            message = engine.parse(body);
        } catch (JsonRpcException e) {
            Responses.error(response, callback, 400, e.code(), e.getMessage());
            return;
        }
        String version = request.getHeaders().get(VERSION_HEADER);
        if (StatelessPost.applies(message, version)) {
            stateless.handle(request, response, callback, principal, message, body.length, callerCredentials(request));
            return;
        }
        if (unsupportedVersion) {
            Responses.error(response, callback, 400, message, JsonRpcException.INVALID_REQUEST, UNSUPPORTED_VERSION);
            return;
        }
        String sessionId = request.getHeaders().get(SESSION_HEADER);
        HttpSession session;
        boolean opened = false;
        if (sessionId == null) {
            if (!isInitialize(message)) {
                Responses.error(response, callback, 400, message, JsonRpcException.INVALID_REQUEST, "Bad Request: the "
                        + "Mcp-Session-Id header is required; send initialize first to open a session");
                return;
            }
            try {
                session = sessions.create(principal.name());
            } catch (SessionRegistry.ServerFullException e) {
                metrics.sessionRefused("server_limit");
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "30");
                Responses.error(response, callback, 503, message, JsonRpcException.INTERNAL_ERROR, e.getMessage());
                return;
            }
            HttpSession created = session;
            session.attach(engine.openSession(session.id(), principal,
                    standalone -> sendStandalone(created, standalone)));
            response.getHeaders().put(SESSION_HEADER, session.id());
            opened = true;
        } else {
            SessionRegistry.Lookup lookup = sessions.find(sessionId.strip(), principal.name());
            if (!(lookup instanceof SessionRegistry.Found found)) {
                sessionNotFound(response, callback, message);
                return;
            }
            session = found.session();
        }
        PostExchange exchange = new PostExchange(engine.json(), session, response, callback);
        boolean isNew = opened;
        HttpSession current = session;
        session.mcp().handle(message, exchange, body.length, callerCredentials(request))
                .whenComplete((ignored, failure) -> {
                    exchange.complete();
                    if (isNew && !current.mcp().initialized()) {
                        sessions.remove(current);
                    }
                });
    }

    private void sendStandalone(HttpSession session, JsonNode message) {
        try {
            session.standalone().send(engine.json().writeValueAsBytes(message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warn("a notification could not be serialized: {}", e.getOriginalMessage());
        }
    }

    private Map<String, Secret> callerCredentials(Request request) {
        if (credentialHeaders.isEmpty()) {
            return Map.of();
        }
        Map<String, Secret> values = new HashMap<>();
        credentialHeaders.forEach((providerId, header) -> {
            String value = request.getHeaders().get(header);
            if (value != null && !value.isBlank()) {
                values.put(providerId, Secret.of(value.strip()));
            }
        });
        return values;
    }

    private static boolean isInitialize(JsonNode message) {
        return message.isObject() && "initialize".equals(message.path("method").asText()) && message.has("id");
    }

    // ----------------------------------------------------------------- GET

    private void get(Request request, Response response, Callback callback, Principal principal) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (accept == null || !accepts(accept, "text/event-stream")) {
            Responses.error(response, callback, 406, JsonRpcException.INVALID_REQUEST,
                    "Not Acceptable: GET opens the server's event stream; send Accept: text/event-stream");
            return;
        }
        HttpSession session = requireSession(request, response, callback, principal);
        if (session == null) {
            return;
        }
        String lastEventId = request.getHeaders().get("Last-Event-ID");
        EventStream stream;
        long after = -1;
        if (lastEventId != null) {
            long[] parsed = parseEventId(lastEventId.strip());
            stream = parsed == null ? null : session.stream(parsed[0]);
            if (stream == null) {
                Responses.error(response, callback, 400, JsonRpcException.INVALID_REQUEST, "Bad Request: "
                        + "Last-Event-ID names no stream of this session");
                return;
            }
            after = parsed[1];
            if (!stream.canResume(after)) {
                Responses.error(response, callback, 400, JsonRpcException.INVALID_REQUEST, "Bad Request: the events "
                        + "after Last-Event-ID are no longer buffered; send initialize to start afresh");
                return;
            }
        } else {
            stream = session.standalone();
        }
        StreamLimiter.Admission admission = streams.acquire(principal.name());
        if (admission instanceof StreamLimiter.Refused refused) {
            metrics.streamRefused(refused.reason());
            response.getHeaders().put(HttpHeader.RETRY_AFTER, refused.status() == 429 ? "10" : "30");
            // The connection is not kept: a caller at its cap should not hold it idle either.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Responses.error(response, callback, refused.status(), JsonRpcException.INVALID_REQUEST, refused.message());
            return;
        }
        StreamLimiter.Granted permit = (StreamLimiter.Granted) admission;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-transform");
        response.getHeaders().put("X-Accel-Buffering", "no");
        EventStream target = stream;
        SseConnection[] holder = new SseConnection[1];
        holder[0] = new SseConnection(response, callback, () -> {
            permit.release();
            target.detach(holder[0]);
        }, true);
        if (after < 0) {
            stream.open(holder[0]);
        } else if (!stream.resume(holder[0], after)) {
            holder[0].abort(null);
        }
    }

    /** Parses {@code <stream>-<sequence>}. */
    static long[] parseEventId(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1 || id.length() > 40) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ----------------------------------------------------------------- DELETE

    private void delete(Request request, Response response, Callback callback, Principal principal) {
        HttpSession session = requireSession(request, response, callback, principal);
        if (session == null) {
            return;
        }
        sessions.remove(session);
        Responses.empty(response, callback, 200);
    }

    private HttpSession requireSession(Request request, Response response, Callback callback, Principal principal) {
        String sessionId = request.getHeaders().get(SESSION_HEADER);
        if (sessionId == null) {
            Responses.error(response, callback, 400, JsonRpcException.INVALID_REQUEST,
                    "Bad Request: the Mcp-Session-Id header is required");
            return null;
        }
        SessionRegistry.Lookup lookup = sessions.find(sessionId.strip(), principal.name());
        if (lookup instanceof SessionRegistry.Found found) {
            return found.session();
        }
        sessionNotFound(response, callback, null);
        return null;
    }

    private static void sessionNotFound(Response response, Callback callback, JsonNode message) {
        Responses.error(response, callback, 404, message, JsonRpcException.INVALID_REQUEST, "Session not found: it expired, "
                + "was ended, or belongs to another caller; send initialize to open a new session");
    }

    private static boolean accepts(String accept, String type) {
        String value = accept.toLowerCase(Locale.ROOT);
        return value.contains(type) || value.contains("*/*");
    }
}
