package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.RequestTelemetry.Outcome;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.LogLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection (a stdio process or an HTTP session). It validates each JSON-RPC message,
 * runs the lifecycle (initialize first, version negotiation) and hands requests to the engine's
 * handlers on the bounded executor. Responses may leave out of order; a request cancelled with
 * {@code notifications/cancelled} gets no response.
 *
 * <p>The negotiated state (version, client capabilities, log level) is copied into a
 * {@link RequestContext} when each request arrives; handlers never read the session.
 */
public final class McpSession implements AutoCloseable {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Pending(String method, CompletableFuture<JsonNode> answer) {
    }

    private final McpEngine engine;
    private final String sessionId;
    private final Principal principal;
    private final MessageSink standaloneSink;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicLong requestCounter = new AtomicLong();

    private volatile boolean initialized;

    /** The capabilities this session was told about at initialize; list changes of others are not sent. */

    private volatile ObjectNode advertised;
    private volatile String protocolVersion;
    private volatile ObjectNode clientCapabilities = F.objectNode();
    private volatile String clientName;
    private volatile LogLevel logLevel;
    private volatile boolean closed;
    private final long openedNanos = System.nanoTime();
    /** A session for one request of the stateless protocol: its state comes from that request's {@code _meta}. */
    private final boolean stateless;
    /** Completes when the session closes: ends its {@code subscriptions/listen} stream, if any. */
    private final CompletableFuture<Void> closing = new CompletableFuture<>();

    McpSession(McpEngine engine, String sessionId, Principal principal, MessageSink standaloneSink) {
        this(engine, sessionId, principal, standaloneSink, false);
    }

    McpSession(McpEngine engine, String sessionId, Principal principal, MessageSink standaloneSink,
               boolean stateless) {
        this.stateless = stateless;
        this.engine = requireNonNull(engine, "engine is null");
        this.sessionId = sessionId;
        this.principal = requireNonNull(principal, "principal is null");
        this.standaloneSink = RedactingSink.wrap(requireNonNull(standaloneSink, "standaloneSink is null"),
                engine.redactor());
    }

    public String id() {
        return sessionId;
    }

    public Principal principal() {
        return principal;
    }

    public boolean initialized() {
        return initialized;
    }

    /** The negotiated protocol version, or {@code null} before {@code initialize}. */
    public String protocolVersion() {
        return protocolVersion;
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    /**
     * Handles one raw message (one stdio line, one HTTP body). Parse errors are answered on
     * {@code sink} with -32700 and an id of null.
     */
    public CompletableFuture<Void> handleRaw(byte[] bytes, MessageSink sink) {
        MessageSink out = RedactingSink.wrap(sink, engine.redactor());
        JsonNode message;
        try {
            message = engine.parse(bytes);
        } catch (JsonRpcException e) {
            out.send(error(null, e));
            return DONE;
        }
        return handleMessage(message, out, bytes.length, Map.of());
    }

    /**
     * Handles one parsed message.
     *
     * @param sink where this message's response and its related notifications and requests go
     * @param requestBytes the size of the message on the wire
     * @return completes when the response has been sent (or suppressed); at once for notifications
     */
    public CompletableFuture<Void> handle(JsonNode message, MessageSink sink, long requestBytes) {
        return handle(message, sink, requestBytes, Map.of());
    }

    /**
     * Handles one parsed message that arrived with per-caller backend credentials (HTTP: the
     * headers providers declare with {@link dev.bastion.core.spi.ProviderFactory#callerCredentialHeader()}).
     *
     * @param callerCredentials the credential values by provider id; tools of that provider see
     *     theirs through {@link dev.bastion.core.tool.CallContext#callerCredential()}
     */
    public CompletableFuture<Void> handle(JsonNode message, MessageSink sink, long requestBytes,
                                          Map<String, Secret> callerCredentials) {
        requireNonNull(callerCredentials, "callerCredentials is null");
        return handleMessage(message, RedactingSink.wrap(sink, engine.redactor()), requestBytes, callerCredentials);
    }

    /** @param sink redacts what it sends: everything leaving the session passes through such a sink */
    private CompletableFuture<Void> handleMessage(JsonNode message, MessageSink sink, long requestBytes,
                                                  Map<String, Secret> callerCredentials) {
        if (closed) {
            sink.send(error(validId(message), JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: the session is closed"));
            return DONE;
        }
        if (message.isArray()) {
            return handleBatch((ArrayNode) message, sink);
        }
        if (!message.isObject()) {
            sink.send(error(null, JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: a JSON-RPC message must be an object, not " + kind(message)));
            return DONE;
        }
        ObjectNode object = (ObjectNode) message;
        JsonNode id = object.get("id");
        JsonNode replyId = validId(object);
        JsonNode jsonrpc = object.get("jsonrpc");
        if (jsonrpc == null || !jsonrpc.isTextual() || !"2.0".equals(jsonrpc.asText())) {
            sink.send(error(replyId, JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: 'jsonrpc' must be the string \"2.0\""));
            return DONE;
        }
        JsonNode method = object.get("method");
        if (method == null) {
            if (id != null && (object.has("result") || object.has("error"))) {
                handleClientResponse(object);
                return DONE;
            }
            sink.send(error(replyId, JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: 'method' is required"));
            return DONE;
        }
        if (!method.isTextual()) {
            sink.send(error(replyId, JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: 'method' must be a string"));
            return DONE;
        }
        if (id != null && replyId == null) {
            sink.send(error(null, JsonRpcException.INVALID_REQUEST, id.isNull()
                    ? "Invalid Request: 'id' must not be null"
                    : "Invalid Request: 'id' must be a string or a number, not " + kind(id)));
            return DONE;
        }
        JsonNode params = object.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            if (id != null) {
                sink.send(error(id, JsonRpcException.INVALID_PARAMS,
                        "Invalid params: 'params' must be an object, not " + kind(params)));
            }
            return DONE;
        }
        ObjectNode paramsObject = params == null || params.isNull() ? F.objectNode() : (ObjectNode) params;
        if (id == null) {
            handleNotification(method.asText(), paramsObject);
            return DONE;
        }
        return handleRequest(id, method.asText(), paramsObject, sink, requestBytes, callerCredentials);
    }

    /**
     * Error messages may quote client input, such as a mistyped secret, and {@code data} may carry it
     * too ({@code data.uri}); the session's {@link RedactingSink} redacts both on the way out.
     */
    private static ObjectNode error(JsonNode id, int code, String message) {
        return Messages.error(id, code, message, null);
    }

    private static ObjectNode error(JsonNode id, JsonRpcException e) {
        return Messages.error(id, e.code(), e.getMessage(), e.data());
    }

    private static JsonNode validId(JsonNode message) {
        JsonNode id = message != null && message.isObject() ? message.get("id") : null;
        return id != null && (id.isTextual() || id.isNumber()) ? id : null;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "an unsupported value";
        };
    }

    // ----------------------------------------------------------------- notifications

    private void handleNotification(String method, ObjectNode params) {
        switch (method) {
            case "notifications/initialized" -> McpEngine.log().debug("client sent notifications/initialized");
            case "notifications/cancelled" -> {
                JsonNode requestId = params.get("requestId");
                if (requestId != null && (requestId.isTextual() || requestId.isNumber())) {
                    InFlight flight = inFlight.get(requestId.toString());
                    if (flight != null) {
                        String reason = params.path("reason").asText("cancelled by the client");
                        flight.cancel(reason.isEmpty() ? "cancelled by the client" : reason);
                    }
                }
            }
            default -> McpEngine.log().debug("ignoring notification {}", method);
        }
    }

    private void handleClientResponse(ObjectNode response) {
        JsonNode id = response.get("id");
        Pending waiting = id == null || !id.isTextual() ? null : pending.remove(id.asText());
        if (waiting == null) {
            McpEngine.log().debug("dropping a response to an unknown server request");
            return;
        }
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            waiting.answer().completeExceptionally(new ClientRequestException("The client answered "
                    + waiting.method() + " with an error: " + error.path("message").asText("no message")));
        } else {
            waiting.answer().complete(response.path("result"));
        }
    }

    // ----------------------------------------------------------------- requests

    private CompletableFuture<Void> handleRequest(JsonNode id, String method, ObjectNode params, MessageSink sink,
                                                  long requestBytes, Map<String, Secret> callerCredentials) {
        JsonRpcException refused = stateless ? applyStatelessMeta(params) : null;
        RequestTelemetry telemetry = engine.telemetry();
        // Without telemetry (stdio, tracing off) nothing is built for it on the request path.
        RequestTelemetry.Observation observation = telemetry == RequestTelemetry.NONE
                ? RequestTelemetry.Observation.NONE : telemetry.begin(observed(id, method, params));
        try {
            if (refused != null) {
                throw refused;
            }
            if (stateless) {
                return handleStatelessRequest(id, method, params, sink, requestBytes, callerCredentials, observation);
            }
            switch (method) {
                case "initialize" -> {
                    sink.send(Messages.result(id, initialize(params)));
                    observation.end(Outcome.OK);
                    return DONE;
                }
                case "ping" -> {
                    sink.send(Messages.result(id, F.objectNode()));
                    observation.end(Outcome.OK);
                    return DONE;
                }
                default -> {
                }
            }
            if (!initialized) {
                throw new JsonRpcException(JsonRpcException.INVALID_REQUEST,
                        "Invalid Request: the server is not initialized; send initialize first");
            }
            switch (method) {
                case "logging/setLevel" -> {
                    String level = McpEngine.requireString(params, "level");
                    logLevel = LogLevel.fromWire(level).orElseThrow(() -> JsonRpcException.invalidParams(
                            "Invalid params: unknown log level '" + level + "'; use one of debug, info, notice, "
                                    + "warning, error, critical, alert, emergency"));
                    sink.send(Messages.result(id, F.objectNode()));
                    observation.end(Outcome.OK);
                    return DONE;
                }
                case "resources/subscribe" -> {
                    String uri = McpEngine.requireString(params, "uri");
                    if (!engine.resourceExists(uri)) {
                        throw McpEngine.resourceNotFound(uri);
                    }
                    subscriptions.add(uri);
                    sink.send(Messages.result(id, F.objectNode()));
                    observation.end(Outcome.OK);
                    return DONE;
                }
                case "resources/unsubscribe" -> {
                    subscriptions.remove(McpEngine.requireString(params, "uri"));
                    sink.send(Messages.result(id, F.objectNode()));
                    observation.end(Outcome.OK);
                    return DONE;
                }
                default -> {
                    return dispatch(id, method, params, sink, requestBytes, callerCredentials, observation);
                }
            }
        } catch (JsonRpcException e) {
            JsonRpcException answered = stateless ? McpEngine.statelessError(e) : e;
            sink.send(error(id, answered));
            observation.end(Outcome.error(answered.code()));
            return DONE;
        }
    }

    /**
     * Takes this request's state from its {@code _meta} (2026-07-28): version, client capabilities,
     * client name and log level.
     *
     * @return the refusal ({@code -32602} for a missing field, {@code -32022} for an unsupported
     *     version), or {@code null}
     */
    private JsonRpcException applyStatelessMeta(ObjectNode params) {
        try {
            StatelessMeta meta = StatelessMeta.read(params);
            meta.requireSupported();
            protocolVersion = meta.protocolVersion();
            clientCapabilities = meta.clientCapabilities();
            clientName = meta.clientName();
            logLevel = meta.logLevel();
            initialized = true;
            return null;
        } catch (JsonRpcException e) {
            return e;
        }
    }

    /** The methods of the stateless protocol; those of the session lifecycle do not exist there. */
    private CompletableFuture<Void> handleStatelessRequest(JsonNode id, String method, ObjectNode params,
                                                           MessageSink sink, long requestBytes,
                                                           Map<String, Secret> callerCredentials,
                                                           RequestTelemetry.Observation observation)
            throws JsonRpcException {
        switch (method) {
            case "server/discover" -> {
                sink.send(Messages.result(id, engine.discover()));
                observation.end(Outcome.OK);
                return DONE;
            }
            case "subscriptions/listen" -> {
                CompletableFuture<Void> ended = engine.listen(id, params, sink, closing);
                ended.whenComplete((ignored, failure) -> observation.end(Outcome.OK));
                return ended;
            }
            case "initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe" ->
                    throw new JsonRpcException(JsonRpcException.METHOD_NOT_FOUND, "Method not found: " + method
                            + " is not part of protocol " + protocolVersion + ", which has no session; "
                            + STATELESS_REPLACEMENTS.get(method));
            default -> {
                return dispatch(id, method, params, sink, requestBytes, callerCredentials, observation);
            }
        }
    }

    private static final Map<String, String> STATELESS_REPLACEMENTS = Map.of(
            "initialize", "send server/discover, and the version and capabilities in every request's _meta",
            "ping", "send server/discover to check the server",
            "logging/setLevel", "put the level in the request's _meta as " + StatelessMeta.LOG_LEVEL,
            "resources/subscribe", "subscribe with subscriptions/listen",
            "resources/unsubscribe", "close the subscriptions/listen stream");

    /**
     * What telemetry is told of a request: its method and id, and the tool or prompt only when the
     * catalog knows it (a client's unknown name would make span names of unbounded variety).
     */
    private ObservedRequest observed(JsonNode id, String method, ObjectNode params) {
        String name = params.path("name").isTextual() ? params.get("name").asText() : null;
        String tool = "tools/call".equals(method) && name != null && engine.catalog().tool(name).isPresent()
                ? name : null;
        String prompt = "prompts/get".equals(method) && name != null && engine.catalog().prompt(name).isPresent()
                ? name : null;
        String uri = method.startsWith("resources/") && params.path("uri").isTextual()
                ? params.get("uri").asText() : null;
        JsonNode meta = params.path("_meta");
        // A method the server does not have is recorded as _OTHER: its name is the client's choice.
        String known = engine.knowsMethod(method) ? method : "_OTHER";
        return new ObservedRequest(known, id.isTextual() ? id.asText() : id.toString(), sessionId, protocolVersion,
                tool, prompt, uri, meta.path("traceparent").isTextual() ? meta.get("traceparent").asText() : null,
                meta.path("tracestate").isTextual() ? meta.get("tracestate").asText() : null);
    }

    private JsonNode initialize(ObjectNode params) throws JsonRpcException {
        if (initialized) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: the session is already initialized");
        }
        String requested = McpEngine.requireString(params, "protocolVersion");
        JsonNode capabilities = params.get("capabilities");
        if (capabilities != null && !capabilities.isNull() && !capabilities.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: 'capabilities' must be an object");
        }
        String version = ProtocolVersions.negotiate(requested);
        this.protocolVersion = version;
        this.clientCapabilities = capabilities == null || capabilities.isNull() ? F.objectNode()
                : (ObjectNode) capabilities.deepCopy();
        JsonNode clientInfo = params.get("clientInfo");
        this.clientName = clientInfo != null && clientInfo.path("name").isTextual()
                ? clientInfo.get("name").asText() : null;
        this.initialized = true;
        ObjectNode result = F.objectNode();
        result.put("protocolVersion", version);
        ObjectNode offered = engine.capabilities();
        advertised = offered;
        result.set("capabilities", offered);
        ObjectNode serverInfo = result.putObject("serverInfo");
        serverInfo.put("name", engine.options().serverName());
        serverInfo.put("version", engine.options().serverVersion());
        if (engine.options().instructions() != null) {
            result.put("instructions", engine.options().instructions());
        }
        McpEngine.log().info("session initialized: protocol {}, client {}", version,
                clientName == null ? "(unnamed)" : clientName);
        return result;
    }

    private CompletableFuture<Void> dispatch(JsonNode id, String method, ObjectNode params, MessageSink sink,
                                             long requestBytes, Map<String, Secret> callerCredentials,
                                             RequestTelemetry.Observation observed)
            throws JsonRpcException {
        RequestTelemetry.Observation observation = observed == RequestTelemetry.Observation.NONE ? observed
                : RequestTelemetry.once(observed);
        McpEngine.Handler handler = engine.handler(method).orElseThrow(() -> new JsonRpcException(
                JsonRpcException.METHOD_NOT_FOUND, "Method not found: " + method));
        String key = id.toString();
        InFlight flight = new InFlight(this::sendRequest);
        if (inFlight.putIfAbsent(key, flight) != null) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: a request with id " + key + " is already in progress");
        }
        RequestContext context = new RequestContext(id, method, params, requestBytes, protocolVersion, principal,
                clientCapabilities, clientName, sessionId, logLevel, sink, callerCredentials);
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean responding = new java.util.concurrent.atomic.AtomicBoolean();
        FutureTask<Void> task = new FutureTask<>(() -> {
            responding.set(true);
            respond(context, handler, flight, observation);
            return null;
        }) {
            @Override
            protected void done() {
                inFlight.remove(key, flight);
                if (isCancelled() && !responding.get()) {
                    // Cancelled before a worker took it: respond, which ends the observation, never ran.
                    observation.end(Outcome.CANCELLED);
                }
                done.complete(null);
            }

            @Override
            public void run() {
                try {
                    super.run();
                } finally {
                    if (flight.endWork()) {
                        engine.abandonedWorkEnded();
                    }
                }
            }
        };
        try {
            engine.workers().execute(task);
            flight.running(task);
        } catch (RejectedExecutionException e) {
            inFlight.remove(key, flight);
            engine.busyRefused(method, params, principal, clientName, sessionId, requestBytes);
            sink.send(error(id, JsonRpcException.INTERNAL_ERROR,
                    "Server busy: too many requests in progress; retry shortly"));
            observation.end(Outcome.error(JsonRpcException.INTERNAL_ERROR));
            return DONE;
        }
        return done;
    }

    private void respond(RequestContext context, McpEngine.Handler handler, InFlight flight,
                         RequestTelemetry.Observation observation) {
        JsonNode response;
        Outcome outcome = Outcome.OK;
        try (RequestTelemetry.Current current = observation.makeCurrent()) {
            JsonNode result = handler.handle(context, flight);
            if (stateless) {
                result = engine.statelessResult(context, result);
            }
            response = Messages.result(context.id(), result);
            if (result.path("isError").asBoolean(false)) {
                outcome = Outcome.TOOL_ERROR;
            }
        } catch (JsonRpcException e) {
            JsonRpcException answered = stateless ? McpEngine.statelessError(e) : e;
            response = error(context.id(), answered);
            outcome = Outcome.error(answered.code());
        } catch (CancellationException | InterruptedException e) {
            if (flight.cancelled()) {
                observation.end(Outcome.CANCELLED);
                return;
            }
            response = error(context.id(), JsonRpcException.INTERNAL_ERROR,
                    "The request was cancelled before it finished");
            outcome = Outcome.error(JsonRpcException.INTERNAL_ERROR);
        } catch (Exception | LinkageError e) {
            response = error(context.id(), JsonRpcException.INTERNAL_ERROR,
                    engine.sanitizer().sanitize(context.method(), e));
            outcome = Outcome.error(JsonRpcException.INTERNAL_ERROR);
        }
        if (!flight.cancelled() && flight.claimAnswer()) {
            context.sink().send(response);
            observation.end(outcome);
        } else {
            observation.end(Outcome.CANCELLED);
        }
    }

    private CompletableFuture<Void> handleBatch(ArrayNode batch, MessageSink sink) {
        if (!initialized || !ProtocolVersions.allowsBatch(protocolVersion)) {
            sink.send(error(null, JsonRpcException.INVALID_REQUEST, "Invalid Request: JSON-RPC batch arrays "
                    + "are not supported by protocol version " + (protocolVersion == null ? "(not initialized)"
                    : protocolVersion) + "; send one message at a time"));
            return DONE;
        }
        if (batch.isEmpty()) {
            sink.send(error(null, JsonRpcException.INVALID_REQUEST, "Invalid Request: empty batch"));
            return DONE;
        }
        ArrayNode responses = F.arrayNode();
        MessageSink collector = message -> {
            boolean isResponse = message.has("id") && !message.has("method");
            if (isResponse) {
                synchronized (responses) {
                    responses.add(message);
                }
            } else {
                sink.send(message);
            }
        };
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (JsonNode element : batch) {
            if (element.isArray()) {
                collector.send(error(null, JsonRpcException.INVALID_REQUEST,
                        "Invalid Request: nested batch arrays are not allowed"));
                continue;
            }
            // The collected responses leave redacted with the batch; the elements need no pass of their own.
            parts.add(handleMessage(element, collector, element.toString().length(), Map.of()));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenRun(() -> {
            if (!responses.isEmpty()) {
                sink.send(responses);
            }
        });
    }

    // ----------------------------------------------------------------- server to client

    JsonNode sendRequest(String method, ObjectNode params, MessageSink sink, Duration timeout)
            throws ClientRequestException, InterruptedException {
        if (stateless) {
            // 2026-07-28 has no server-to-client requests: a server asks through the input_required
            // results of tools/call, prompts/get and resources/read, and of nothing else.
            throw new ClientRequestException("This client speaks protocol " + protocolVersion + ", where the server"
                    + " can ask " + method + " only in the input_required result of tools/call, prompts/get or"
                    + " resources/read");
        }
        String id = "bastion-" + requestCounter.incrementAndGet();
        Pending waiting = new Pending(method, new CompletableFuture<>());
        pending.put(id, waiting);
        try {
            try {
                sink.send(Messages.request(TextNode.valueOf(id), method, params));
            } catch (RuntimeException e) {
                throw new ClientRequestException("The server could not send " + method + " to the client");
            }
            return waiting.answer().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ClientRequestException("The client did not answer " + method + " within "
                    + Math.max(1, timeout.toSeconds()) + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClientRequestException answer) {
                throw answer;
            }
            throw new ClientRequestException("The client could not answer " + method);
        } finally {
            pending.remove(id);
        }
    }

    /** Whether this session was offered {@code capability} ({@code resources}, {@code prompts}, ...) at initialize. */
    boolean offered(String capability) {
        ObjectNode offered = advertised;
        return offered != null && offered.has(capability);
    }

    void notifyIfInitialized(JsonNode message) {
        if (initialized && !closed) {
            standaloneSink.send(message);
        }
    }

    boolean isSubscribed(String uri) {
        return subscriptions.contains(uri);
    }

    /** Waits until no request is in progress, at most {@code grace}; returns whether all finished. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long end = System.nanoTime() + grace.toNanos();
        while (!inFlight.isEmpty()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Cancels everything in progress and forgets the session. */
    @Override
    public void close() {
        if (!closed && initialized && !stateless) {
            engine.telemetry().sessionEnded(protocolVersion, Duration.ofNanos(System.nanoTime() - openedNanos));
        }
        closed = true;
        closing.complete(null);
        inFlight.values().forEach(flight -> flight.cancel("the session was closed"));
        pending.values().forEach(waiting -> waiting.answer().completeExceptionally(
                new ClientRequestException("The session was closed")));
        engine.forget(this);
    }
}
