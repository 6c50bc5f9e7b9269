package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.AuthRequest;
import dev.bastion.core.auth.AuthResult;
import dev.bastion.core.auth.Authenticator;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.JsonRpcException;
import dev.bastion.transport.http.auth.NoAuthentication;
import dev.bastion.transport.http.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler (core API, no servlets). In order: Host and Origin checks (DNS-rebinding
 * protection) for every path, then routing: the MCP endpoint (authenticated), the protected
 * resource metadata, {@code /healthz}, {@code /readyz} and {@code /metrics}. Every outcome is
 * counted and timed, and every error is a JSON-RPC error object.
 */
final class BastionHttpHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(BastionHttpHandler.class);
    /** Security events an operator should see: throttled authentication. */
    static final Logger AUDIT = LoggerFactory.getLogger("dev.bastion.audit.http");
    static final String PRM_PATH = "/.well-known/oauth-protected-resource";

    private final String mcpPath;
    private final RequestGuard guard;
    private final Authenticator authenticator;
    private final McpEndpoint mcp;
    private final byte[] metadata;
    private final Readiness readiness;
    private final ServerMetrics metrics;
    private final boolean metricsEnabled;
    private final boolean metricsRequireAuth;
    private final SlowClientGuard slowClients;
    private final AuthFailureThrottle throttle;
    private final ObjectMapper json;

    BastionHttpHandler(String mcpPath, RequestGuard guard, Authenticator authenticator, McpEndpoint mcp,
                       byte[] metadata, Readiness readiness, ServerMetrics metrics, boolean metricsEnabled,
                       boolean metricsRequireAuth, SlowClientGuard slowClients, AuthFailureThrottle throttle,
                       ObjectMapper json) {
        super(InvocationType.BLOCKING);
        this.mcpPath = requireNonNull(mcpPath, "mcpPath is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.mcp = requireNonNull(mcp, "mcp is null");
        this.metadata = metadata.clone();
        this.readiness = requireNonNull(readiness, "readiness is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.metricsEnabled = metricsEnabled;
        this.metricsRequireAuth = metricsRequireAuth;
        this.slowClients = requireNonNull(slowClients, "slowClients is null");
        this.throttle = requireNonNull(throttle, "throttle is null");
        this.json = requireNonNull(json, "json is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        String endpoint = endpoint(path);
        Callback measured = new MeasuredCallback(callback, () -> {
            metrics.httpRequest(endpoint, request.getMethod(), response.getStatus(), System.nanoTime() - start);
            slowClients.responseCompleted(request);
        });
        try {
            route(request, response, measured, path, endpoint);
        } catch (RuntimeException e) {
            LOG.warn("request to {} failed: {}", endpoint, e.toString());
            if (!response.isCommitted()) {
                Responses.error(response, measured, 500, JsonRpcException.INTERNAL_ERROR, "Internal error");
            } else {
                measured.failed(e);
            }
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback, String path, String endpoint) {
        Optional<String> hostDenial = guard.hostDenial(request.getHeaders().get(HttpHeader.HOST));
        if (hostDenial.isPresent()) {
            slowClients.requestReceived(request);
            Responses.refuse(request, response, callback, 421, JsonRpcException.INVALID_REQUEST, hostDenial.get());
            return;
        }
        List<String> origins = request.getHeaders().getValuesList(HttpHeader.ORIGIN);
        String origin = origins.isEmpty() ? null : origins.get(0);
        Optional<String> originDenial = guard.originsDenial(origins);
        if (originDenial.isPresent()) {
            slowClients.requestReceived(request);
            Responses.refuse(request, response, callback, 403, JsonRpcException.INVALID_REQUEST, originDenial.get());
            return;
        }
        if (origin != null) {
            cors(response, origin);
        }
        if ("OPTIONS".equals(request.getMethod()) && origin != null) {
            slowClients.requestReceived(request);
            response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
            response.getHeaders().put("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, "
                    + "Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID");
            response.getHeaders().put("Access-Control-Max-Age", "600");
            Responses.empty(response, callback, 204);
            return;
        }
        switch (endpoint) {
            case "mcp" -> {
                Principal principal = authenticate(request, response, callback);
                if (principal != null) {
                    mcp.handle(request, response, callback, principal);
                }
            }
            case "metadata" -> {
                slowClients.requestReceived(request);
                if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                    methodNotAllowed(request, response, callback, "GET");
                    return;
                }
                response.getHeaders().put("Access-Control-Allow-Origin", "*");
                Responses.json(response, callback, 200, metadata);
            }
            case "healthz" -> {
                slowClients.requestReceived(request);
                Responses.json(response, callback, 200, "{\"status\":\"ok\"}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            case "readyz" -> {
                slowClients.requestReceived(request);
                Readiness.Outcome outcome = readiness.evaluate();
                Responses.json(response, callback, outcome.ready() ? 200 : 503, bytes(outcome.body()));
            }
            case "metrics" -> {
                slowClients.requestReceived(request);
                if (!metricsEnabled) {
                    notFound(request, response, callback);
                    return;
                }
                if (metricsRequireAuth && authenticate(request, response, callback) == null) {
                    return;
                }
                Responses.text(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            }
            default -> {
                slowClients.requestReceived(request);
                notFound(request, response, callback);
            }
        }
    }

    private String endpoint(String path) {
        if (path.equals(mcpPath)) {
            return "mcp";
        }
        if (path.equals(PRM_PATH) || path.equals(PRM_PATH + mcpPath)) {
            return "metadata";
        }
        return switch (path) {
            case "/healthz" -> "healthz";
            case "/readyz" -> "readyz";
            case "/metrics" -> "metrics";
            default -> "other";
        };
    }

    /** The principal, or null when the response (401, 403, 503) has been sent. */
    private Principal authenticate(Request request, Response response, Callback callback) {
        if (authenticator instanceof NoAuthentication none) {
            // Nothing to check: skip copying the headers.
            return none.principal();
        }
        String remote = Request.getRemoteAddr(request);
        String address = remote == null ? "" : remote;
        long waitNanos = throttle.waitNanos(address);
        if (waitNanos > 0) {
            // Refused before the credential is looked at: a guess made now learns nothing, right or wrong.
            slowClients.requestReceived(request);
            metrics.authFailure("throttled");
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            Responses.refuse(request, response, callback, 429, JsonRpcException.INVALID_REQUEST, "Too Many Requests: "
                    + "too many failed authentications from this address; retry after " + seconds + " s");
            return null;
        }
        AuthResult result = authenticator.authenticate(new AuthRequest(headers(request), address));
        if (result instanceof AuthResult.Authenticated authenticated) {
            return authenticated.principal();
        }
        slowClients.requestReceived(request);
        if (result instanceof AuthResult.Unauthenticated refused) {
            boolean presented = request.getHeaders().contains(HttpHeader.AUTHORIZATION);
            metrics.authFailure(presented ? "invalid" : "missing");
            if (presented && throttle.failed(address)) {
                // The address, never the credential: the log must not become a list of guesses.
                AUDIT.warn("authentication failures: {} failed attempts from {}; its requests are refused with 429 "
                        + "until it slows down to one attempt per {} ms", throttle.burst(), address,
                        throttle.refillMillis());
            }
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, refused.wwwAuthenticate());
            Responses.refuse(request, response, callback, 401, JsonRpcException.INVALID_REQUEST, refused.message());
        } else if (result instanceof AuthResult.Forbidden forbidden) {
            metrics.authFailure("forbidden");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, forbidden.wwwAuthenticate());
            Responses.refuse(request, response, callback, 403, JsonRpcException.INVALID_REQUEST, forbidden.message());
        } else if (result instanceof AuthResult.Failed failed) {
            metrics.authFailure("unavailable");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            Responses.refuse(request, response, callback, 503, JsonRpcException.INTERNAL_ERROR, failed.message());
        }
        return null;
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getLowerCaseName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    private static void cors(Response response, String origin) {
        response.getHeaders().put("Access-Control-Allow-Origin", origin);
        response.getHeaders().put("Access-Control-Expose-Headers", "Mcp-Session-Id, WWW-Authenticate");
        response.getHeaders().add(HttpHeader.VARY, "Origin");
    }

    private static void notFound(Request request, Response response, Callback callback) {
        Responses.refuse(request, response, callback, 404, JsonRpcException.INVALID_REQUEST, "Not Found");
    }

    private static void methodNotAllowed(Request request, Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        Responses.refuse(request, response, callback, 405, JsonRpcException.INVALID_REQUEST,
                "Method Not Allowed: use " + allowed);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return ErrorBodies.error(JsonRpcException.INTERNAL_ERROR, "Internal error");
        }
    }

    /** Runs an action once when the response completes, successfully or not. */
    private static final class MeasuredCallback implements Callback {
        private final Callback delegate;
        private final Runnable onDone;

        MeasuredCallback(Callback delegate, Runnable onDone) {
            this.delegate = delegate;
            this.onDone = onDone;
        }

        @Override
        public void succeeded() {
            try {
                onDone.run();
            } finally {
                delegate.succeeded();
            }
        }

        @Override
        public void failed(Throwable failure) {
            try {
                onDone.run();
            } finally {
                delegate.failed(failure);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return delegate.getInvocationType();
        }
    }
}
