package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.CallDecision;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.prompt.Prompt;
import dev.bastion.core.prompt.PromptArgument;
import dev.bastion.core.prompt.PromptResult;
import dev.bastion.core.resource.Resource;
import dev.bastion.core.resource.ResourceTemplate;
import dev.bastion.core.sanitize.ErrorSanitizer;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ListChange;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.ResourceContents;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-agnostic MCP protocol engine (legacy protocol versions 2024-11-05 to 2025-11-25).
 * Transports open a {@link McpSession} per connection and hand it messages; the engine validates
 * JSON-RPC, negotiates the version, dispatches methods on a bounded executor and sends every
 * {@code tools/call} through the {@link ToolCallChain}.
 */
public final class McpEngine implements ServerProviderContext.ChangeListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpEngine.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @FunctionalInterface
    interface Handler {
        JsonNode handle(RequestContext request, InFlight flight) throws Exception;
    }

    private final McpEngineOptions options;
    private final ObjectMapper json;
    private final Supplier<List<ProviderInstance>> instances;
    private final ToolCallChain chain;
    private final ToolVisibility visibility;
    private final ErrorSanitizer sanitizer;
    private final Redactor redactor;
    private final AtomicReference<Catalog> catalog = new AtomicReference<>();
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor fanOutThreads;
    /** {@link #fanOutThreads}, carrying each request's trace context to its parts. */
    private final ExecutorService fanOut;
    private final RequestTelemetry telemetry;
    /** Built on the first stateless request that may ask the client: a SecureRandom is not start-up work. */
    private volatile RequestStates requestStates;
    private final Set<McpSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<String, Handler> handlers;
    private final BusyRefusalListener busyRefusals;

    /**
     * @param instances supplies the current provider instances; read at startup and on every list change
     */
    public McpEngine(McpEngineOptions options, ObjectMapper json, Supplier<List<ProviderInstance>> instances,
                     ToolCallChain chain, ToolVisibility visibility, ErrorSanitizer sanitizer, Redactor redactor) {
        this(options, json, instances, chain, visibility, sanitizer, redactor, BusyRefusalListener.NONE);
    }

    /**
     * @param instances supplies the current provider instances; read at startup and on every list change
     * @param busyRefusals told of every request refused because the server is busy (for the audit and metrics)
     */
    public McpEngine(McpEngineOptions options, ObjectMapper json, Supplier<List<ProviderInstance>> instances,
                     ToolCallChain chain, ToolVisibility visibility, ErrorSanitizer sanitizer, Redactor redactor,
                     BusyRefusalListener busyRefusals) {
        this(options, json, instances, chain, visibility, sanitizer, redactor, busyRefusals, RequestTelemetry.NONE);
    }

    /**
     * As above, and tells {@code telemetry} of every request (traces and metrics).
     */
    public McpEngine(McpEngineOptions options, ObjectMapper json, Supplier<List<ProviderInstance>> instances,
                     ToolCallChain chain, ToolVisibility visibility, ErrorSanitizer sanitizer, Redactor redactor,
                     BusyRefusalListener busyRefusals, RequestTelemetry telemetry) {
        this.telemetry = requireNonNull(telemetry, "telemetry is null");
        this.busyRefusals = requireNonNull(busyRefusals, "busyRefusals is null");
        this.options = requireNonNull(options, "options is null");
        this.json = requireNonNull(json, "json is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.chain = requireNonNull(chain, "chain is null");
        this.visibility = requireNonNull(visibility, "visibility is null");
        this.sanitizer = requireNonNull(sanitizer, "sanitizer is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.catalog.set(Catalog.build(instances.get()));
        this.workers = new ThreadPoolExecutor(options.workerThreads(), options.workerThreads(), 60, TimeUnit.SECONDS,
                options.maxQueuedRequests() == 0 ? new SynchronousQueue<>()
                        : new java.util.concurrent.ArrayBlockingQueue<>(options.maxQueuedRequests()),
                daemonThreads("bastion-request"));
        this.workers.allowCoreThreadTimeOut(true);
        this.fanOutThreads = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("bastion-fanout"), new ThreadPoolExecutor.CallerRunsPolicy());
        this.fanOut = telemetry.propagating(fanOutThreads);
        Map<String, Handler> table = new LinkedHashMap<>();
        table.put("tools/list", this::listTools);
        table.put("tools/call", this::callTool);
        table.put("resources/list", this::listResources);
        table.put("resources/templates/list", this::listTemplates);
        table.put("resources/read", this::readResource);
        table.put("prompts/list", this::listPrompts);
        table.put("prompts/get", this::getPrompt);
        table.put("completion/complete", this::complete);
        this.handlers = Map.copyOf(table);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public McpEngineOptions options() {
        return options;
    }

    public ObjectMapper json() {
        return json;
    }

    public Catalog catalog() {
        return catalog.get();
    }

    /**
     * Opens a session for one connection.
     *
     * @param sessionId the transport's session id, or {@code null} (stdio)
     * @param principal the authenticated caller
     * @param standaloneSink where messages not tied to a request go (list changes, resource updates)
     */
    public McpSession openSession(String sessionId, Principal principal, MessageSink standaloneSink) {
        McpSession session = new McpSession(this, sessionId, principal, standaloneSink);
        sessions.add(session);
        return session;
    }

    /**
     * A session for one request of the stateless protocol (2026-07-28): the request's {@code _meta}
     * gives its state, and it gets no notifications beside those of that request. Close it when the
     * response has gone, or when the client went away (which cancels the request).
     */
    public McpSession openStatelessRequest(Principal principal) {
        return new McpSession(this, null, principal, MessageSink.DISCARD, true);
    }

    void forget(McpSession session) {
        sessions.remove(session);
    }

    /** Re-reads the providers' lists and tells every initialised session what changed. */
    @Override
    public void listChanged(ListChange change) {
        catalog.set(Catalog.build(instances.get()));
        String method = switch (change) {
            case TOOLS -> "notifications/tools/list_changed";
            case RESOURCES -> "notifications/resources/list_changed";
            case PROMPTS -> "notifications/prompts/list_changed";
        };
        String capability = switch (change) {
            case TOOLS -> "tools";
            case RESOURCES -> "resources";
            case PROMPTS -> "prompts";
        };
        for (McpSession session : sessions) {
            // A session offered no resources (or prompts) at initialize is not told their list changed.
            if (session.offered(capability)) {
                session.notifyIfInitialized(Messages.notification(method, null));
            }
        }
        for (Subscription subscription : subscriptions) {
            if (subscription.wants(change)) {
                subscription.send(method, null);
            }
        }
    }

    /** Tells the sessions subscribed to {@code uri} that it changed. */
    @Override
    public void resourceUpdated(String uri) {
        ObjectNode params = F.objectNode();
        params.put("uri", uri);
        for (McpSession session : sessions) {
            if (session.isSubscribed(uri)) {
                session.notifyIfInitialized(Messages.notification("notifications/resources/updated", params));
            }
        }
        for (Subscription subscription : subscriptions) {
            if (subscription.watches(uri)) {
                subscription.send("notifications/resources/updated", params);
            }
        }
    }

    /**
     * Opens a {@code subscriptions/listen} stream: acknowledges at once with the part of the filter
     * this server honours, then sends the changes asked for, each tagged with the listen request's
     * id, until the client goes away ({@code closeOn} completes) or the server stops (then the
     * request gets its result).
     *
     * @return completes when the stream has ended
     */
    CompletableFuture<Void> listen(JsonNode id, ObjectNode params, MessageSink sink,
                                   CompletableFuture<Void> closeOn) throws JsonRpcException {
        JsonNode filter = params.get("notifications");
        if (!(filter instanceof ObjectNode requested)) {
            throw JsonRpcException.invalidParams("Invalid params: subscriptions/listen needs 'notifications', an "
                    + "object such as {\"toolsListChanged\": true}");
        }
        ObjectNode offered = statelessCapabilities();
        Set<String> uris = new java.util.LinkedHashSet<>();
        JsonNode asked = requested.get("resourceSubscriptions");
        if (asked != null && !asked.isNull()) {
            if (!asked.isArray()) {
                throw JsonRpcException.invalidParams("Invalid params: notifications.resourceSubscriptions must be an"
                        + " array of resource URIs");
            }
            if (asked.size() > MAX_RESOURCE_SUBSCRIPTIONS) {
                throw JsonRpcException.invalidParams("Invalid params: at most " + MAX_RESOURCE_SUBSCRIPTIONS
                        + " resourceSubscriptions per listen stream, not " + asked.size());
            }
            for (JsonNode uri : asked) {
                if (!uri.isTextual()) {
                    throw JsonRpcException.invalidParams("Invalid params: notifications.resourceSubscriptions must "
                            + "be an array of resource URIs");
                }
                if (!resourceExists(uri.asText())) {
                    throw resourceNotFound(uri.asText());
                }
                uris.add(uri.asText());
            }
        }
        Subscription subscription = new Subscription(id,
                requested.path("toolsListChanged").asBoolean(false) && offered.has("tools"),
                requested.path("promptsListChanged").asBoolean(false) && offered.has("prompts"),
                requested.path("resourcesListChanged").asBoolean(false) && offered.has("resources"),
                offered.has("resources") ? uris : Set.of(), sink);
        ObjectNode acknowledged = F.objectNode();
        acknowledged.set("notifications", subscription.honoured());
        subscriptions.add(subscription);
        subscription.send("notifications/subscriptions/acknowledged", acknowledged);
        closeOn.whenComplete((ignored, failure) -> subscription.end(false));
        return subscription.done().whenComplete((ignored, failure) -> subscriptions.remove(subscription));
    }

    /** The most resources one listen stream watches. */
    static final int MAX_RESOURCE_SUBSCRIPTIONS = 100;

    /** How many {@code subscriptions/listen} streams are open. */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    /**
     * Parses one message; limits and syntax errors become a -32700 with a specific message, redacted
     * because the parser quotes the input it stumbled over.
     */
    public JsonNode parse(byte[] bytes) throws JsonRpcException {
        try {
            return parseUnredacted(bytes);
        } catch (JsonRpcException e) {
            throw new JsonRpcException(e.code(), redactor.redact(e.getMessage()), e.data());
        }
    }

    private JsonNode parseUnredacted(byte[] bytes) throws JsonRpcException {
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Parse error: the message is empty");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Parse error: " + describeLimit(e));
        } catch (StreamReadException e) {
            throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Parse error: invalid JSON at " + where(e) + ": "
                    + parserProblem(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            // Not the parser but the mapper: with FAIL_ON_TRAILING_TOKENS, a second value after the first.
            // Its own text names Jackson's classes and features, which are no business of the client's.
            throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Parse error: invalid JSON at " + where(e)
                    + ": more than one JSON value; send exactly one message");
        } catch (java.io.IOException e) {
            throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Parse error: the message could not be read");
        }
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "line ?" : "line " + e.getLocation().getLineNr() + " column "
                + e.getLocation().getColumnNr();
    }

    /**
     * The parser's own sentence ({@code Unexpected character ('x' (code 120)): ...}) without what
     * Jackson appends for a developer: the rest of a multi-line message and the
     * {@code (start marker at [Source: REDACTED (`StreamReadFeature...` disabled) ...])} location,
     * which names a Jackson feature flag; the line and column are given separately.
     */
    static String parserProblem(String original) {
        String detail = original == null ? "syntax error" : original;
        for (String end : new String[] {"\n", " (start marker at ", "[Source:"}) {
            int cut = detail.indexOf(end);
            if (cut >= 0) {
                detail = detail.substring(0, cut);
            }
        }
        detail = detail.strip();
        return detail.isEmpty() ? "syntax error" : detail;
    }

    private static String describeLimit(StreamConstraintsException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("nesting depth")) {
            return "JSON nested deeper than " + JsonMappers.MAX_NESTING_DEPTH + " levels";
        }
        if (message.contains("Number value length") || message.contains("number")) {
            return "a number longer than " + JsonMappers.MAX_NUMBER_LENGTH + " digits";
        }
        if (message.contains("String value length")) {
            return "a string longer than the parser allows";
        }
        return "the message exceeds the parser's limits";
    }

    // ----------------------------------------------------------------- dispatch

    Optional<Handler> handler(String method) {
        return Optional.ofNullable(handlers.get(method));
    }

    /** The methods a session answers itself, beside the handlers'. */
    private static final Set<String> SESSION_METHODS = Set.of("initialize", "ping", "logging/setLevel",
            "resources/subscribe", "resources/unsubscribe", "server/discover", "subscriptions/listen");

    /** Whether {@code method} is one this server answers (in either protocol era). */
    boolean knowsMethod(String method) {
        return handlers.containsKey(method) || SESSION_METHODS.contains(method);
    }

    /** Tells the listener of a busy refusal; a failing listener is logged, never thrown into the answer. */
    void busyRefused(String method, ObjectNode params, Principal principal, String clientName, String sessionId,
                     long requestBytes) {
        try {
            String tool = null;
            String providerId = null;
            String instance = null;
            ObjectNode arguments = null;
            if ("tools/call".equals(method) && params != null && params.path("name").isTextual()) {
                Optional<RegisteredTool> known = catalog().tool(params.get("name").asText());
                if (known.isPresent()) {
                    arguments = params.get("arguments") instanceof ObjectNode given ? given : F.objectNode();
                    tool = known.get().name();
                    providerId = known.get().providerId();
                    instance = known.get().instanceFor(arguments);
                }
            }
            busyRefusals.refused(new BusyRefusal(method, principal, clientName, sessionId, requestBytes, tool,
                    providerId, instance, arguments));
        } catch (RuntimeException e) {
            LOG.error("Cannot record a busy refusal of {}: {}", method, e.getClass().getSimpleName());
        }
    }

    RequestTelemetry telemetry() {
        return telemetry;
    }

    ThreadPoolExecutor workers() {
        return workers;
    }

    ErrorSanitizer sanitizer() {
        return sanitizer;
    }

    Redactor redactor() {
        return redactor;
    }

    /**
     * What this server offers, as the providers' content stands when a session starts: resources
     * (with subscriptions) only when a provider serves a resource or template, prompts only when one
     * serves a prompt, completions only when there is a prompt or template argument to complete.
     */
    ObjectNode capabilities() {
        Catalog current = catalog.get();
        boolean resources = !current.resources().isEmpty() || !current.templates().isEmpty();
        boolean prompts = !current.prompts().isEmpty();
        ObjectNode capabilities = F.objectNode();
        capabilities.putObject("tools").put("listChanged", true);
        if (resources) {
            ObjectNode described = capabilities.putObject("resources");
            described.put("subscribe", true);
            described.put("listChanged", true);
        }
        if (prompts) {
            capabilities.putObject("prompts").put("listChanged", true);
        }
        capabilities.putObject("logging");
        if (prompts || !current.templates().isEmpty()) {
            capabilities.putObject("completions");
        }
        return capabilities;
    }

    /**
     * What a stateless client can count on: resources only when a provider serves one, prompts only
     * when one serves a prompt, completions only with something to complete. Change notifications
     * come through {@code subscriptions/listen}.
     */
    ObjectNode statelessCapabilities() {
        ObjectNode legacy = capabilities();
        ObjectNode capabilities = F.objectNode();
        capabilities.putObject("tools").put("listChanged", true);
        if (legacy.has("resources")) {
            ObjectNode resources = capabilities.putObject("resources");
            resources.put("subscribe", true);
            resources.put("listChanged", true);
        }
        if (legacy.has("prompts")) {
            capabilities.putObject("prompts").put("listChanged", true);
        }
        capabilities.putObject("logging");
        if (legacy.has("completions")) {
            capabilities.putObject("completions");
        }
        return capabilities;
    }

    /** The answer to {@code server/discover}. */
    ObjectNode discover() {
        ObjectNode result = F.objectNode();
        result.put("resultType", "complete");
        ProtocolVersions.STATELESS_SUPPORTED.forEach(result.putArray("supportedVersions")::add);
        result.set("capabilities", statelessCapabilities());
        if (options.instructions() != null) {
            result.put("instructions", options.instructions());
        }
        result.put("ttlMs", DISCOVER_TTL_MILLIS);
        result.put("cacheScope", "public");
        ObjectNode serverInfo = result.putObject("_meta").putObject(StatelessMeta.SERVER_INFO);
        serverInfo.put("name", options.serverName());
        serverInfo.put("version", options.serverVersion());
        return result;
    }

    /** How long a stateless client may reuse a discover result, a list or a read (ms). */
    static final long DISCOVER_TTL_MILLIS = 60_000;
    static final long LIST_TTL_MILLIS = 30_000;
    static final long READ_TTL_MILLIS = 0;

    /**
     * A result as the stateless protocol has it: {@code resultType}, and the caching hints on the
     * lists and on reads. The tool list depends on the caller's scopes (the tool policy filters it),
     * so it is {@code public} only for a caller with every scope, who sees what everyone such sees; a read is always {@code private} and
     * not to be reused ({@code ttlMs} 0): it is live backend data fetched for this caller.
     */
    JsonNode statelessResult(RequestContext request, JsonNode result) {
        if (!(result instanceof ObjectNode shaped)) {
            return result;
        }
        // Every handler builds its result afresh for the request, so it is shaped in place.
        if (!shaped.has("resultType")) {
            shaped.put("resultType", "complete");
        }
        switch (request.method()) {
            case "tools/list" -> hints(shaped, LIST_TTL_MILLIS,
                    request.principal().scopes().contains(Principal.ALL_SCOPES) ? "public" : "private");
            case "prompts/list", "resources/list", "resources/templates/list" ->
                    hints(shaped, LIST_TTL_MILLIS, "public");
            case "resources/read" -> hints(shaped, READ_TTL_MILLIS, "private");
            default -> {
            }
        }
        return shaped;
    }

    private static void hints(ObjectNode result, long ttlMillis, String scope) {
        result.put("ttlMs", ttlMillis);
        result.put("cacheScope", scope);
    }

    private RequestStates requestStates() {
        RequestStates states = requestStates;
        if (states == null) {
            synchronized (this) {
                if (requestStates == null) {
                    byte[] key = options.requestStateKey();
                    requestStates = key == null ? RequestStates.randomKey(json)
                            : new RequestStates(key, json, java.time.Clock.systemUTC());
                }
                states = requestStates;
            }
        }
        return states;
    }

    private static boolean stateless(RequestContext request) {
        return ProtocolVersions.isStateless(request.protocolVersion()) && request.sessionId() == null;
    }

    /** The answer to a stateless request that asked the client: its questions, or {@code -32021}. */
    private static JsonNode inputRequired(InputRounds rounds, InputRequired needed) throws JsonRpcException {
        if (rounds == null) {
            throw new IllegalStateException("a question was asked outside a stateless request");
        }
        if (needed.stateRefusal() != null) {
            throw InputRounds.stateRefused(needed);
        }
        if (needed.missingCapability() != null) {
            throw InputRounds.missingCapability(needed);
        }
        return rounds.result(needed);
    }

    /** An error as the stateless protocol has it: an unknown resource is {@code -32602} there (SEP-2164). */
    static JsonRpcException statelessError(JsonRpcException e) {
        if (e.code() == JsonRpcException.RESOURCE_NOT_FOUND) {
            return new JsonRpcException(JsonRpcException.INVALID_PARAMS, e.getMessage(), e.data());
        }
        return e;
    }

    // ----------------------------------------------------------------- tools

    private JsonNode listTools(RequestContext request, InFlight flight) throws JsonRpcException {
        List<RegisteredTool> visible = new ArrayList<>();
        for (RegisteredTool tool : catalog.get().tools()) {
            if (visibility.visible(tool.listed(), request.principal())) {
                visible.add(tool);
            }
        }
        String version = request.protocolVersion();
        return page(request, visible, "tools", tool -> descriptorJson(tool, version));
    }

    /** A tool as {@code version} describes one: no field that version does not have. */
    private ObjectNode descriptorJson(RegisteredTool tool, String version) {
        boolean structured = ProtocolVersions.hasStructuredOutput(version);
        ObjectNode node = F.objectNode();
        node.put("name", tool.listed().name());
        if (structured && tool.listed().title() != null) {
            node.put("title", tool.listed().title());
        }
        node.put("description", tool.listed().description());
        node.set("inputSchema", tool.listed().inputSchema());
        if (structured && tool.listed().outputSchema() != null) {
            node.set("outputSchema", tool.listed().outputSchema());
        }
        if (ProtocolVersions.hasToolAnnotations(version)) {
            node.set("annotations", annotationsJson(tool.listed().annotations()));
        }
        return node;
    }

    /** A tool result as {@code version} has one: before 2025-06-18 without {@code structuredContent}. */
    private JsonNode resultJson(ToolResult result, String version) {
        ObjectNode node = json.valueToTree(result);
        if (!ProtocolVersions.hasStructuredOutput(version)) {
            node.remove("structuredContent");
        }
        return node;
    }

    /**
     * The annotations as Jackson would write the record ({@code title} only when set), built by
     * hand: introspecting the record for a bean serializer is the largest single cost of the first
     * {@code tools/list}. ProtocolFeaturesTest checks that both agree.
     */
    public static ObjectNode annotationsJson(ToolAnnotations annotations) {
        ObjectNode node = F.objectNode();
        if (annotations.title() != null) {
            node.put("title", annotations.title());
        }
        node.put("readOnlyHint", annotations.readOnlyHint());
        node.put("destructiveHint", annotations.destructiveHint());
        node.put("idempotentHint", annotations.idempotentHint());
        node.put("openWorldHint", annotations.openWorldHint());
        return node;
    }

    private JsonNode callTool(RequestContext request, InFlight flight) throws Exception {
        String name = requireString(request.params(), "name");
        RegisteredTool tool = catalog.get().tool(name).orElseThrow(() -> JsonRpcException.invalidParams(
                "Unknown tool: " + name));
        JsonNode rawArguments = request.params().get("arguments");
        ObjectNode arguments;
        if (rawArguments == null || rawArguments.isNull()) {
            arguments = F.objectNode();
        } else if (rawArguments.isObject()) {
            arguments = (ObjectNode) rawArguments;
        } else {
            throw JsonRpcException.invalidParams("Invalid params: 'arguments' must be an object");
        }
        EngineCallContext context = callContext(request, flight, name,
                Optional.ofNullable(request.callerCredentials().get(tool.providerId())));
        InputRounds rounds = stateless(request) ? InputRounds.of(request, requestStates(), name, arguments) : null;
        context.asking(rounds);
        CallDecision decision = new CallDecision();
        decision.onAbandoned(answer -> answerAbandoned(request, flight, answer));
        ToolCall call = new ToolCall(tool.listed(), tool.providerId(), tool.instanceFor(arguments), arguments,
                request.requestBytes(), request.sessionId(), request.clientName(), context, decision);
        ToolResult result;
        try {
            result = chain.execute(call, c -> tool.invoke(c.arguments(), c.instance(), c.context(), fanOut,
                    sanitizer));
        } catch (InputRequired needed) {
            return inputRequired(rounds, needed);
        } catch (CancellationException | InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            if (context.isCancelled()) {
                throw new CancellationException(context.cancelReason());
            }
            result = ToolResult.error(sanitizer.sanitize("tool " + name, e));
        }
        if (rounds != null) {
            rounds.completed();
        }
        return resultJson(result, request.protocolVersion());
    }

    /**
     * Answers a call whose tool ignored its deadline ({@link CallDecision#abandon}) and gives the
     * worker it holds up: the pool grows by one until that worker comes back, so tools that never
     * return cannot starve other requests. How many calls can be abandoned at once is bounded by
     * the pipeline's deadline stage.
     */
    private void answerAbandoned(RequestContext request, InFlight flight, ToolResult answer) {
        if (flight.abandonWork()) {
            resizeWorkers(1);
        }
        if (!flight.cancelled() && flight.claimAnswer()) {
            request.sink().send(Messages.result(request.id(), resultJson(answer, request.protocolVersion())));
        }
    }

    /** An abandoned request's worker is free again. */
    void abandonedWorkEnded() {
        resizeWorkers(-1);
    }

    private synchronized void resizeWorkers(int delta) {
        if (delta > 0) {
            workers.setMaximumPoolSize(workers.getMaximumPoolSize() + delta);
            workers.setCorePoolSize(workers.getCorePoolSize() + delta);
        } else {
            workers.setCorePoolSize(workers.getCorePoolSize() + delta);
            workers.setMaximumPoolSize(workers.getMaximumPoolSize() + delta);
        }
    }

    private EngineCallContext callContext(RequestContext request, InFlight flight, String loggerName) {
        return callContext(request, flight, loggerName, Optional.empty());
    }

    private EngineCallContext callContext(RequestContext request, InFlight flight, String loggerName,
                                          Optional<dev.bastion.core.spi.Secret> callerCredential) {
        EngineCallContext context = new EngineCallContext(request, loggerName,
                Instant.now().plus(options.callTimeout()), options.clientRequestTimeout(), flight.sender(), redactor,
                callerCredential);
        flight.attach(context);
        return context;
    }

    // ----------------------------------------------------------------- resources

    private JsonNode listResources(RequestContext request, InFlight flight) throws JsonRpcException {
        return page(request, catalog.get().resources(), "resources",
                owned -> json.valueToTree(owned.item().descriptor()));
    }

    private JsonNode listTemplates(RequestContext request, InFlight flight) throws JsonRpcException {
        return page(request, catalog.get().templates(), "resourceTemplates",
                owned -> json.valueToTree(owned.item().descriptor()));
    }

    private JsonNode readResource(RequestContext request, InFlight flight) throws Exception {
        String uri = requireString(request.params(), "uri");
        EngineCallContext context = callContext(request, flight, "resources/read");
        InputRounds rounds = stateless(request) ? InputRounds.of(request, requestStates(), uri, null) : null;
        context.asking(rounds);
        List<ResourceContents> contents;
        Optional<Catalog.Owned<Resource>> exact = catalog.get().resource(uri);
        try {
            if (exact.isPresent()) {
                contents = exact.get().item().read(context);
            } else {
                Optional<Map.Entry<ResourceTemplate, Map<String, String>>> match = matchTemplate(uri);
                if (match.isEmpty()) {
                    throw resourceNotFound(uri);
                }
                contents = match.get().getKey().read(uri, match.get().getValue(), context);
            }
        } catch (InputRequired needed) {
            return inputRequired(rounds, needed);
        } catch (JsonRpcException | CancellationException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                    sanitizer.sanitize("resource " + uri, e));
        }
        ObjectNode result = F.objectNode();
        result.set("contents", redactor.redact((JsonNode) json.valueToTree(contents)));
        return result;
    }

    Optional<Map.Entry<ResourceTemplate, Map<String, String>>> matchTemplate(String uri) {
        for (Catalog.Owned<ResourceTemplate> owned : catalog.get().templates()) {
            Optional<Map<String, String>> variables = new UriTemplate(owned.item().descriptor().uriTemplate()).match(uri);
            if (variables.isPresent()) {
                return Optional.of(Map.entry(owned.item(), variables.get()));
            }
        }
        return Optional.empty();
    }

    boolean resourceExists(String uri) {
        return catalog.get().resource(uri).isPresent() || matchTemplate(uri).isPresent();
    }

    static JsonRpcException resourceNotFound(String uri) {
        ObjectNode data = F.objectNode();
        data.put("uri", uri);
        return new JsonRpcException(JsonRpcException.RESOURCE_NOT_FOUND, "Resource not found: " + uri, data);
    }

    // ----------------------------------------------------------------- prompts and completion

    private JsonNode listPrompts(RequestContext request, InFlight flight) throws JsonRpcException {
        return page(request, catalog.get().prompts(), "prompts", owned -> json.valueToTree(owned.item().descriptor()));
    }

    private JsonNode getPrompt(RequestContext request, InFlight flight) throws Exception {
        String name = requireString(request.params(), "name");
        Prompt prompt = catalog.get().prompt(name).map(Catalog.Owned::item)
                .orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + name));
        Map<String, String> arguments = stringMap(request.params().get("arguments"), "arguments");
        for (PromptArgument argument : prompt.descriptor().arguments()) {
            if (argument.required() && !arguments.containsKey(argument.name())) {
                throw JsonRpcException.invalidParams("Missing required argument '" + argument.name()
                        + "' for prompt " + name);
            }
        }
        PromptResult result;
        EngineCallContext context = callContext(request, flight, "prompts/get");
        InputRounds rounds = stateless(request)
                ? InputRounds.of(request, requestStates(), name, request.params().get("arguments")) : null;
        context.asking(rounds);
        try {
            result = prompt.get(arguments, context);
        } catch (InputRequired needed) {
            return inputRequired(rounds, needed);
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("Invalid argument for prompt " + name + ": " + e.getMessage());
        } catch (CancellationException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new JsonRpcException(JsonRpcException.INTERNAL_ERROR, sanitizer.sanitize("prompt " + name, e));
        }
        return redactor.redact((JsonNode) json.valueToTree(result));
    }

    private JsonNode complete(RequestContext request, InFlight flight) throws JsonRpcException {
        JsonNode ref = request.params().get("ref");
        JsonNode argument = request.params().get("argument");
        if (ref == null || !ref.isObject() || argument == null || !argument.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: 'ref' and 'argument' objects are required");
        }
        String argumentName = requireString((ObjectNode) argument, "name");
        String value = argument.path("value").asText("");
        JsonNode contextNode = request.params().path("context").get("arguments");
        Map<String, String> context = stringMap(contextNode, "context.arguments");
        String type = ref.path("type").asText("");
        List<String> values;
        switch (type) {
            case "ref/prompt" -> {
                String name = requireString((ObjectNode) ref, "name");
                Prompt prompt = catalog.get().prompt(name).map(Catalog.Owned::item)
                        .orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + name));
                values = prompt.complete(argumentName, value, context);
            }
            case "ref/resource" -> {
                String uri = requireString((ObjectNode) ref, "uri");
                ResourceTemplate template = catalog.get().templates().stream()
                        .map(Catalog.Owned::item)
                        .filter(t -> t.descriptor().uriTemplate().equals(uri))
                        .findFirst()
                        .orElseThrow(() -> JsonRpcException.invalidParams("Unknown resource template: " + uri));
                values = template.complete(argumentName, value, context);
            }
            default -> throw JsonRpcException.invalidParams(
                    "Invalid params: ref.type must be 'ref/prompt' or 'ref/resource'");
        }
        ObjectNode result = F.objectNode();
        ObjectNode completion = result.putObject("completion");
        ArrayNode list = completion.putArray("values");
        values.stream().limit(100).forEach(list::add);
        completion.put("total", values.size());
        completion.put("hasMore", values.size() > 100);
        return result;
    }

    // ----------------------------------------------------------------- helpers

    private <T> JsonNode page(RequestContext request, List<T> items, String field,
                              java.util.function.Function<T, JsonNode> render) throws JsonRpcException {
        int offset = decodeCursor(request.params().get("cursor"), items.size());
        int end = Math.min(items.size(), offset + options.pageSize());
        ObjectNode result = F.objectNode();
        ArrayNode list = result.putArray(field);
        for (T item : items.subList(offset, end)) {
            list.add(render.apply(item));
        }
        if (end < items.size()) {
            result.put("nextCursor", encodeCursor(end));
        }
        return result;
    }

    static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("bastion-page:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int decodeCursor(JsonNode cursor, int size) throws JsonRpcException {
        if (cursor == null || cursor.isNull()) {
            return 0;
        }
        JsonRpcException invalid = JsonRpcException.invalidParams("Invalid cursor: use the nextCursor value of the "
                + "previous page as it is");
        if (!cursor.isTextual()) {
            throw invalid;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor.asText()), StandardCharsets.UTF_8);
            if (!decoded.startsWith("bastion-page:")) {
                throw invalid;
            }
            int offset = Integer.parseInt(decoded.substring("bastion-page:".length()));
            if (offset < 0 || offset > size) {
                throw invalid;
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw invalid;
        }
    }

    static String requireString(ObjectNode params, String field) throws JsonRpcException {
        JsonNode value = params.get(field);
        if (value == null || value.isNull()) {
            throw JsonRpcException.invalidParams("Invalid params: '" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw JsonRpcException.invalidParams("Invalid params: '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static Map<String, String> stringMap(JsonNode node, String field) throws JsonRpcException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw JsonRpcException.invalidParams("Invalid params: '" + field + "' must be an object of strings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw JsonRpcException.invalidParams("Invalid params: '" + field + "." + entry.getKey()
                        + "' must be a string");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        }
        return values;
    }

    @Override
    public void close() {
        for (Subscription subscription : List.copyOf(subscriptions)) {
            subscription.end(true);
        }
        for (McpSession session : List.copyOf(sessions)) {
            session.close();
        }
        workers.shutdownNow();
        fanOutThreads.shutdownNow();
    }

    static Logger log() {
        return LOG;
    }
}
