package dev.bastion.transport.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.credential.CallerCredentialCache;
import dev.bastion.testkit.conformance.ConformanceFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Real engines and real HTTP servers on loopback for the transport tests. */
final class HttpFixture {

    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Counts how often the credential test provider asked its "backend" to validate a caller token. */
    static final AtomicInteger VALIDATIONS = new AtomicInteger();
    static final CallerCredentialCache<String> CREDENTIALS = new CallerCredentialCache<>(Duration.ofMinutes(5),
            Duration.ofSeconds(30), 100, Clock.systemUTC());

    private HttpFixture() {
    }

    static McpEngine engine() {
        return engine(HealthStatus.up("fine"));
    }

    static McpEngine engine(HealthStatus health) {
        ServerProviderContext context = new ServerProviderContext(JsonMappers.create(), Redactor.NONE,
                Clock.systemUTC(), "test", Map.of());
        ConformanceFixtures fixtures = new ConformanceFixtures();
        List<ProviderInstance> instances = new ArrayList<>();
        instances.add(new ProviderInstance(fixtures.id(), fixtures.toolPrefix(), ProviderConfig.DEFAULT_ALIAS,
                Optional.empty(), fixtures.create(new ProviderConfig(fixtures.id(), "default", Map.of()), context)));
        instances.add(new ProviderInstance("caller", "caller_", "default", Optional.empty(), callerProvider(health)));
        McpEngine engine = new McpEngine(McpEngineOptions.defaults("test"), JsonMappers.create(), () -> instances,
                ToolCallChain.of(List.of()), ToolVisibility.ALL, (what, failure) -> "Internal error in " + what,
                Redactor.NONE);
        context.bind(engine);
        return engine;
    }

    /** A provider whose tool uses the caller's own backend credential, validated once through the cache. */
    private static Provider callerProvider(HealthStatus health) {
        Tool whoami = new Tool() {
            @Override
            public ToolDescriptor descriptor() {
                return ToolDescriptor.builder("caller_whoami").description("Who the caller's backend token is.")
                        .inputSchema(ToolDescriptor.noArguments())
                        .annotations(ToolAnnotations.readOnly().closedWorld()).build();
            }

            @Override
            public ToolResult call(ObjectNode arguments, CallContext context) throws Exception {
                if (context.callerCredential().isEmpty()) {
                    return ToolResult.error("Send your backend token in X-Backend-Token.");
                }
                try {
                    String account = CREDENTIALS.resolve(context.callerCredential().get(), credential -> {
                        VALIDATIONS.incrementAndGet();
                        if (!credential.reveal().startsWith("good-")) {
                            throw new CallerCredentialCache.CallerCredentialException("The backend refused the token.");
                        }
                        return "account-" + CallerCredentialCache.fingerprint(credential).substring(0, 8);
                    });
                    return ToolResult.text(account);
                } catch (CallerCredentialCache.CallerCredentialException e) {
                    return ToolResult.error(e.getMessage());
                }
            }
        };
        Tool slow = new Tool() {
            @Override
            public ToolDescriptor descriptor() {
                ObjectNode schema = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                schema.put("type", "object");
                schema.putObject("properties").putObject("millis").put("type", "integer");
                return ToolDescriptor.builder("caller_sleep").description("Sleeps, then answers.")
                        .inputSchema(schema).annotations(ToolAnnotations.readOnly().closedWorld()).build();
            }

            @Override
            public ToolResult call(ObjectNode arguments, CallContext context) throws Exception {
                Thread.sleep(arguments.path("millis").asLong(0));
                return ToolResult.text("slept");
            }
        };
        return new Provider() {
            @Override
            public List<Tool> tools() {
                return List.of(whoami, slow);
            }

            @Override
            public HealthStatus health(CallContext call) {
                return health;
            }
        };
    }

    static HttpTransport start(McpEngine engine, HttpSettings settings) {
        HttpTransport transport = HttpTransport.builder(engine, settings)
                .callerCredentialHeaders(Map.of("caller", "X-Backend-Token"))
                .healthChecks(Map.of("caller/default", call -> engine.catalog().tools().isEmpty()
                        ? HealthStatus.down("no tools") : HealthStatus.up("ok")))
                .build();
        transport.start();
        return transport;
    }

    static HttpRequest.Builder post(HttpTransport transport, String body) {
        return HttpRequest.newBuilder(transport.endpoint())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a session and returns its id. */
    static String initialize(HttpTransport transport) throws IOException, InterruptedException {
        HttpResponse<String> response = send(post(transport, INITIALIZE).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("initialize failed: " + response.statusCode() + " " + response.body());
        }
        String id = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        send(post(transport, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .header("Mcp-Session-Id", id).build());
        return id;
    }

    /** Sends raw bytes over a socket and returns everything the server answers until it closes or 5 s pass. */
    /**
     * Sends a raw request and returns the raw answer. The request is written on its own thread while
     * this one reads: a server that refuses a request early (413 on Content-Length) answers and
     * closes before the whole body is sent, which would break a write-then-read client.
     */
    static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the server answered and closed before reading everything
                }
            }, "raw-request-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (complete(answer)) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // whatever arrived before the timeout or the reset is the answer
            }
            return answer.toString();
        }
    }

    private static boolean complete(StringBuilder answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = answer.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int lineEnd = head.indexOf("\r\n", at);
        int length = Integer.parseInt(head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).strip());
        return answer.length() - end - 4 >= length;
    }

    static int status(String rawResponse) {
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    static String body(String rawResponse) {
        int end = rawResponse.indexOf("\r\n\r\n");
        return end < 0 ? "" : rawResponse.substring(end + 4);
    }

    static URI uri(HttpTransport transport, String path) {
        return URI.create("http://127.0.0.1:" + transport.port() + path);
    }
}
