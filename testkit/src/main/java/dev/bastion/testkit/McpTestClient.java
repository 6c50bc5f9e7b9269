package dev.bastion.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpSession;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A real JSON-RPC MCP client for tests: in-process against an engine, or against a server
 * subprocess over stdio. It records every message it receives, answers server-to-client requests
 * with a configurable handler, and matches responses to requests by id.
 */
public final class McpTestClient implements AutoCloseable {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Returned by a server-request handler to leave the request unanswered (to test timeouts). */
    public static final JsonNode NO_ANSWER = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    private final ObjectMapper json = JsonMappers.create();
    private final Transport transport;
    private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Function<JsonNode, JsonNode> serverRequestHandler = request -> null;
    private Duration timeout = Duration.ofSeconds(30);

    /** How messages leave the client. */
    private interface Transport extends AutoCloseable {
        void send(byte[] line);

        @Override
        void close();
    }

    private McpTestClient(Function<McpTestClient, Transport> transportFactory) {
        this.transport = transportFactory.apply(this);
    }

    /** A client talking to {@code engine} in the same JVM, as the local stdio principal. */
    public static McpTestClient inProcess(McpEngine engine) {
        return inProcess(engine, Principal.local());
    }

    public static McpTestClient inProcess(McpEngine engine, Principal principal) {
        return new McpTestClient(client -> {
            McpSession session = engine.openSession("test-session", principal, client::receive);
            return new Transport() {
                @Override
                public void send(byte[] line) {
                    session.handleRaw(line, client::receive);
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        });
    }

    /**
     * Starts {@code command} and talks to it over its stdin and stdout. Everything it writes to
     * stdout is recorded as raw lines (see {@link #rawStdout()}), stderr as bytes ({@link #stderr()}).
     */
    public static McpTestClient stdio(List<String> command, Map<String, String> environment) {
        return new McpTestClient(client -> new StdioTransport(client, command, environment));
    }

    /**
     * A client speaking Streamable HTTP to {@code endpoint}: POSTs each message, follows the
     * session id the server assigns, reads JSON and SSE responses, and sends
     * {@code MCP-Protocol-Version} after initialization.
     */
    public static McpTestClient http(URI endpoint) {
        return http(endpoint, Map.of());
    }

    /** As {@link #http(URI)}, sending {@code headers} (such as {@code Authorization}) with every request. */
    public static McpTestClient http(URI endpoint, Map<String, String> headers) {
        return new McpTestClient(client -> new HttpTransport(client, endpoint, headers));
    }

    /**
     * The session id the HTTP server assigned, or null before it assigned one.
     *
     * @throws IllegalStateException when this is not an HTTP client
     */
    public String sessionId() {
        return http("sessionId()").sessionId;
    }

    /**
     * The HTTP statuses of every POST answered so far, in order of arrival.
     *
     * @throws IllegalStateException when this is not an HTTP client
     */
    public List<Integer> httpStatuses() {
        return List.copyOf(http("httpStatuses()").statuses);
    }

    /**
     * The content types of every POST response so far.
     *
     * @throws IllegalStateException when this is not an HTTP client
     */
    public List<String> httpContentTypes() {
        return List.copyOf(http("httpContentTypes()").contentTypes);
    }

    /**
     * The SSE event ids seen so far, in order.
     *
     * @throws IllegalStateException when this is not an HTTP client
     */
    public List<String> eventIds() {
        return List.copyOf(http("eventIds()").eventIds);
    }

    // An accessor of another transport would answer "nothing happened", and a test asserting
    // emptiness would pass for the wrong reason: fail instead.
    private HttpTransport http(String accessor) {
        if (transport instanceof HttpTransport http) {
            return http;
        }
        throw new IllegalStateException(accessor + " needs an HTTP client (McpTestClient.http); this one is "
                + transportName());
    }

    private StdioTransport stdio(String accessor) {
        if (transport instanceof StdioTransport stdio) {
            return stdio;
        }
        throw new IllegalStateException(accessor + " needs a stdio client (McpTestClient.stdio); this one is "
                + transportName());
    }

    private String transportName() {
        if (transport instanceof HttpTransport) {
            return "an HTTP client";
        }
        return transport instanceof StdioTransport ? "a stdio client" : "in-process";
    }

    /**
     * Opens the standalone GET event stream (optionally resuming after {@code lastEventId});
     * messages arriving on it are received like any other. Returns the HTTP status.
     */
    public int openEventStream(String lastEventId) {
        return http("openEventStream()").openStream(lastEventId);
    }

    /** Ends the HTTP session with DELETE; returns the status. */
    public int deleteSession() {
        return http("deleteSession()").delete();
    }

    public McpTestClient timeout(Duration value) {
        this.timeout = requireNonNull(value, "value is null");
        return this;
    }

    /**
     * Answers server-to-client requests ({@code elicitation/create} …): return the result, null for an
     * error response, or {@link #NO_ANSWER} to leave it unanswered.
     */
    public McpTestClient onServerRequest(Function<JsonNode, JsonNode> handler) {
        this.serverRequestHandler = requireNonNull(handler, "handler is null");
        return this;
    }

    /** Sends {@code initialize} with the given capabilities and then {@code notifications/initialized}. */
    public JsonNode initialize(ObjectNode capabilities) {
        ObjectNode params = F.objectNode();
        params.put("protocolVersion", "2025-11-25");
        params.set("capabilities", capabilities);
        params.putObject("clientInfo").put("name", "bastion-testkit").put("version", "1");
        JsonNode response = request("initialize", params);
        notify("notifications/initialized", null);
        return response;
    }

    public JsonNode initialize() {
        return initialize(F.objectNode());
    }

    /** Sends a request and waits for its response (the whole JSON-RPC message). */
    public JsonNode request(String method, ObjectNode params) {
        return await(requestAsync(method, params));
    }

    public CompletableFuture<JsonNode> requestAsync(String method, ObjectNode params) {
        long id = ids.incrementAndGet();
        ObjectNode message = F.objectNode();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        waiting.put(Long.toString(id), answer);
        sendRaw(message.toString());
        return answer;
    }

    public JsonNode await(CompletableFuture<JsonNode> answer) {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no response within " + timeout + "; received so far: " + received);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    public void notify(String method, ObjectNode params) {
        ObjectNode message = F.objectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        sendRaw(message.toString());
    }

    /** Sends one raw line (which may be malformed on purpose). */
    public void sendRaw(String line) {
        transport.send(line.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a raw line and waits for the next message that is not a notification or server request. */
    public JsonNode sendRawAndAwaitResponse(String line) {
        int before = responses().size();
        sendRaw(line);
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<JsonNode> now = responses();
            if (now.size() > before) {
                return now.get(before);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no response to " + abbreviate(line) + " within " + timeout);
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }

    public JsonNode listTools() {
        return result(request("tools/list", F.objectNode()));
    }

    /** Calls a tool and returns the CallToolResult (fails on a JSON-RPC error). */
    public JsonNode callTool(String name, ObjectNode arguments) {
        ObjectNode params = F.objectNode();
        params.put("name", name);
        params.set("arguments", arguments == null ? F.objectNode() : arguments);
        return result(request("tools/call", params));
    }

    /** The {@code result} of a response, failing with the error when there is one. */
    public static JsonNode result(JsonNode response) {
        if (response.has("error")) {
            throw new AssertionError("JSON-RPC error: " + response.get("error"));
        }
        return response.get("result");
    }

    /** Every message received, in order. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** Received notifications with the given method. */
    public List<JsonNode> notifications(String method) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode message : received) {
            if (method.equals(message.path("method").asText()) && !message.has("id")) {
                out.add(message);
            }
        }
        return out;
    }

    private List<JsonNode> responses() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode message : received) {
            if (message.isArray() || (!message.has("method") && (message.has("result") || message.has("error")))) {
                out.add(message);
            }
        }
        return out;
    }

    /**
     * Raw stdout lines of a stdio server.
     *
     * @throws IllegalStateException when this is not a stdio client
     */
    public List<String> rawStdout() {
        return List.copyOf(stdio("rawStdout()").stdoutLines);
    }

    /**
     * Everything a stdio server wrote to stderr so far.
     *
     * @throws IllegalStateException when this is not a stdio client
     */
    public String stderr() {
        StdioTransport stdio = stdio("stderr()");
        synchronized (stdio.stderr) {
            return stdio.stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** Closes stdin of a stdio server and waits for it to exit; returns the exit code. */
    public int closeInputAndWait(Duration wait) {
        return stdio("closeInputAndWait()").closeInputAndWait(wait);
    }

    /** Fails every request still waiting: the server is gone and will never answer. */
    void serverGone(String why) {
        waiting.values().forEach(answer -> answer.completeExceptionally(new AssertionError(why)));
        waiting.clear();
    }

    void receive(JsonNode message) {
        received.add(message);
        if (message.isArray()) {
            message.forEach(this::completeResponse);
            return;
        }
        if (message.has("method") && message.has("id")) {
            answerServerRequest(message);
            return;
        }
        completeResponse(message);
    }

    private void completeResponse(JsonNode message) {
        JsonNode id = message.get("id");
        if (id != null && !id.isNull()) {
            CompletableFuture<JsonNode> answer = waiting.remove(id.asText());
            if (answer != null) {
                answer.complete(message);
            }
        }
    }

    private void answerServerRequest(JsonNode request) {
        JsonNode result = serverRequestHandler.apply(request);
        if (result == NO_ANSWER) {
            return;
        }
        ObjectNode response = F.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        if (result == null) {
            ObjectNode error = response.putObject("error");
            error.put("code", -32601);
            error.put("message", "the test client does not handle " + request.path("method").asText());
        } else {
            response.set("result", result);
        }
        sendRaw(response.toString());
    }

    @Override
    public void close() {
        transport.close();
    }

    private static final class HttpTransport implements Transport {
        private final McpTestClient client;
        private final URI endpoint;
        private final Map<String, String> headers;
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        private final List<Integer> statuses = new CopyOnWriteArrayList<>();
        private final List<String> contentTypes = new CopyOnWriteArrayList<>();
        private final List<String> eventIds = new CopyOnWriteArrayList<>();
        private final List<InputStream> openStreams = new CopyOnWriteArrayList<>();
        private volatile String sessionId;
        private volatile String protocolVersion;

        HttpTransport(McpTestClient client, URI endpoint, Map<String, String> headers) {
            this.client = client;
            this.endpoint = requireNonNull(endpoint, "endpoint is null");
            this.headers = Map.copyOf(headers);
        }

        private java.net.http.HttpRequest.Builder request() {
            java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofMinutes(5));
            headers.forEach(builder::header);
            if (sessionId != null) {
                builder.header("Mcp-Session-Id", sessionId);
            }
            if (protocolVersion != null) {
                builder.header("MCP-Protocol-Version", protocolVersion);
            }
            return builder;
        }

        private final java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors
                .newCachedThreadPool(runnable -> {
                    Thread thread = new Thread(runnable, "mcp-test-http");
                    thread.setDaemon(true);
                    return thread;
                });

        /** Each POST runs on its own thread, so a long call does not hold back the next message. */
        @Override
        public void send(byte[] body) {
            senders.execute(() -> post(body));
        }

        private void post(byte[] body) {
            JsonNode sent;
            try {
                sent = client.json.readTree(body);
            } catch (IOException e) {
                sent = null;
            }
            JsonNode requestId = sent != null && sent.isObject() && sent.has("method") ? sent.get("id") : null;
            java.net.http.HttpRequest request = request()
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            java.net.http.HttpResponse<InputStream> response;
            try {
                response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                client.serverGone("the HTTP request failed: " + e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
            statuses.add(response.statusCode());
            String type = response.headers().firstValue("Content-Type").orElse("");
            contentTypes.add(type);
            if (type.startsWith("text/event-stream")) {
                Thread reader = new Thread(() -> readEvents(response.body()), "mcp-test-sse");
                reader.setDaemon(true);
                reader.start();
                return;
            }
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                return;
            }
            if (bytes.length == 0) {
                return;
            }
            JsonNode message;
            try {
                message = client.json.readTree(bytes);
            } catch (IOException e) {
                return;
            }
            if (message.isObject() && message.path("id").isNull() && requestId != null) {
                // An HTTP-level refusal (400, 401, 404 …) of a request: deliver it as that request's answer.
                ObjectNode copy = ((ObjectNode) message).deepCopy();
                copy.set("id", requestId);
                message = copy;
            }
            noteVersion(message);
            client.receive(message);
        }

        private void noteVersion(JsonNode message) {
            JsonNode version = message.path("result").path("protocolVersion");
            if (version.isTextual() && message.path("result").has("serverInfo")) {
                protocolVersion = version.asText();
            }
        }

        private void readEvents(InputStream body) {
            openStreams.add(body);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            try {
                                JsonNode message = client.json.readTree(data.toString());
                                noteVersion(message);
                                client.receive(message);
                            } catch (IOException e) {
                                // not JSON: ignored, as SSE clients do
                            }
                            data.setLength(0);
                        }
                    } else if (line.startsWith("id:")) {
                        eventIds.add(line.substring(3).strip());
                    } else if (line.startsWith("data:")) {
                        String value = line.substring(5);
                        data.append(value.startsWith(" ") ? value.substring(1) : value);
                    }
                }
            } catch (IOException e) {
                // the stream ended
            } finally {
                openStreams.remove(body);
            }
        }

        int openStream(String lastEventId) {
            java.net.http.HttpRequest.Builder builder = request().header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                builder.header("Last-Event-ID", lastEventId);
            }
            try {
                java.net.http.HttpResponse<InputStream> response = http.send(builder.build(),
                        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 200) {
                    Thread reader = new Thread(() -> readEvents(response.body()), "mcp-test-sse-get");
                    reader.setDaemon(true);
                    reader.start();
                } else {
                    response.body().close();
                }
                return response.statusCode();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        int delete() {
            try {
                return http.send(request().DELETE().build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        @Override
        public void close() {
            senders.shutdownNow();
            for (InputStream stream : openStreams) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static final class StdioTransport implements Transport {
        private final Process process;
        private final OutputStream stdin;
        private final List<String> stdoutLines = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private final Thread stdoutReader;
        private final Thread stderrReader;

        StdioTransport(McpTestClient client, List<String> command, Map<String, String> environment) {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            try {
                this.process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + command, e);
            }
            this.stdin = process.getOutputStream();
            this.stdoutReader = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        stdoutLines.add(line);
                        JsonNode message;
                        try {
                            message = client.json.readTree(line);
                        } catch (IOException e) {
                            continue; // the purity test reports non-JSON lines from rawStdout()
                        }
                        client.receive(message);
                    }
                } catch (IOException e) {
                    // the process ended
                }
                client.serverGone("the server closed its stdout" + exitDescription());
            }, "mcp-test-stdout");
            this.stderrReader = new Thread(() -> {
                try (InputStream in = process.getErrorStream()) {
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        synchronized (stderr) {
                            stderr.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "mcp-test-stderr");
            stdoutReader.setDaemon(true);
            stderrReader.setDaemon(true);
            stdoutReader.start();
            stderrReader.start();
        }

        @Override
        public synchronized void send(byte[] line) {
            try {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the server's stdin is closed", e);
            }
        }

        private String exitDescription() {
            try {
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    String err;
                    synchronized (stderr) {
                        err = stderr.toString(StandardCharsets.UTF_8);
                    }
                    return " (exit code " + process.exitValue() + "; stderr: " + err.strip() + ")";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "";
        }

        int closeInputAndWait(Duration wait) {
            try {
                stdin.close();
                if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("the server did not exit within " + wait + " after stdin closed");
                }
                stdoutReader.join(wait.toMillis());
                stderrReader.join(wait.toMillis());
                return process.exitValue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                try {
                    stdin.close();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (IOException | InterruptedException e) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
