package dev.bastion.provider.dynatrace.managed.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.provider.dynatrace.managed.ManagedSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback simulator of the Dynatrace Managed Environment API v2 (and the v1 cluster version),
 * serving every endpoint the provider uses with data shaped like recorded responses. It checks
 * {@code Api-Token} authentication (401 with the API's error envelope), required parameters and
 * page size caps (400 with {@code constraintViolations}), {@code nextPageKey} sent alone, and token
 * scopes (403); the write endpoints change its state. Each environment gets a random id and a
 * random token in the real {@code dt0c01} format at startup.
 *
 * <p>Built on the JDK's HTTP server, so it ships in the product without a test library.
 */
public final class DynatraceManagedSandbox implements Sandbox {

    private static final Logger LOG = LoggerFactory.getLogger(DynatraceManagedSandbox.class);
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /**
     * How to start a sandbox.
     *
     * @param aliases one environment per alias
     * @param holdUntilInFlight when above 1, every request waits until this many requests are in
     *     flight together (a barrier), so a test can prove calls run in parallel without timing
     * @param holdTimeout how long a held request waits before it fails with 503
     * @param scopes the scopes the generated tokens carry
     * @param seed the seed of the generated data
     */
    public record Options(List<String> aliases, int holdUntilInFlight, Duration holdTimeout, List<String> scopes,
            long seed) {

        public Options {
            aliases = List.copyOf(requireNonNull(aliases, "aliases is null"));
            if (aliases.isEmpty()) {
                throw new IllegalArgumentException("a sandbox needs at least one environment");
            }
            requireNonNull(holdTimeout, "holdTimeout is null");
            scopes = List.copyOf(requireNonNull(scopes, "scopes is null"));
        }

        /** One environment, alias {@code sandbox}, every scope. */
        public static Options defaults() {
            return new Options(List.of("sandbox"), 0, Duration.ofSeconds(10), SandboxEnvironment.ALL_SCOPES, 42L);
        }

        public Options withAliases(String... values) {
            return new Options(List.of(values), holdUntilInFlight, holdTimeout, scopes, seed);
        }

        public Options holdUntilInFlight(int requests, Duration timeout) {
            return new Options(aliases, requests, timeout, scopes, seed);
        }

        public Options withScopes(List<String> values) {
            return new Options(aliases, holdUntilInFlight, holdTimeout, values, seed);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, SandboxEnvironment> byId = new LinkedHashMap<>();
    private final List<SandboxEnvironment> environments = new ArrayList<>();
    private final CyclicBarrier barrier;
    private final Duration holdTimeout;
    private final List<String> requestLog = Collections.synchronizedList(new ArrayList<>());

    private DynatraceManagedSandbox(Options options) throws IOException {
        SecureRandom random = new SecureRandom();
        long now = System.currentTimeMillis();
        int index = 0;
        for (String alias : options.aliases()) {
            String id = UUID.randomUUID().toString();
            SandboxData data = new SandboxData(json, options.seed() + index++, now);
            SandboxEnvironment environment = new SandboxEnvironment(alias, id, token(random), options.scopes(), data);
            byId.put(id, environment);
            environments.add(environment);
        }
        this.barrier = options.holdUntilInFlight() > 1 ? new CyclicBarrier(options.holdUntilInFlight()) : null;
        this.holdTimeout = options.holdTimeout();
        int threads = Math.max(8, options.holdUntilInFlight() * 2);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "dynatrace-managed-sandbox-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("Dynatrace Managed sandbox listening on {} with {} environment(s)", url(), environments.size());
    }

    /** Starts a sandbox on an ephemeral loopback port. */
    public static DynatraceManagedSandbox start(Options options) {
        try {
            return new DynatraceManagedSandbox(requireNonNull(options, "options is null"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Dynatrace Managed sandbox on loopback", e);
        }
    }

    /** A token in the real classic format: {@code dt0c01.<24 chars>.<64 chars>}. */
    static String token(SecureRandom random) {
        return "dt0c01." + randomBase32(random, 24) + "." + randomBase32(random, 64);
    }

    private static String randomBase32(SecureRandom random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(BASE32.charAt(random.nextInt(BASE32.length())));
        }
        return out.toString();
    }

    /** The cluster URL, {@code http://127.0.0.1:<port>}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    public List<SandboxEnvironment> environments() {
        return List.copyOf(environments);
    }

    public SandboxEnvironment environment(String alias) {
        return environments.stream().filter(e -> e.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sandbox environment " + alias));
    }

    /** Every request received so far, as {@code METHOD /path?query}. */
    public List<String> requestLog() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    @Override
    public List<Map<String, Object>> instances() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SandboxEnvironment environment : environments) {
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("alias", environment.alias());
            instance.put(ManagedSettings.URL, url().toString());
            instance.put(ManagedSettings.ENVIRONMENT_ID, environment.environmentId());
            instance.put(ManagedSettings.API_TOKEN, environment.token());
            instance.put(ManagedSettings.ALLOW_INSECURE_LOOPBACK, true);
            out.add(Collections.unmodifiableMap(instance));
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                respond(exchange);
            } catch (SandboxEnvironment.ApiError e) {
                send(exchange, e.status, envelope(e.status, e.getMessage(), e.violations));
            } catch (RuntimeException e) {
                LOG.warn("Dynatrace Managed sandbox failed on a request", e);
                send(exchange, 500, envelope(500, "Internal sandbox error", List.of()));
            }
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        requestLog.add(exchange.getRequestMethod() + " " + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        if (barrier != null && !hold()) {
            send(exchange, 503, envelope(503, "The sandbox held this request, but fewer requests than expected"
                    + " arrived together.", List.of()));
            return;
        }
        List<String> segments = new ArrayList<>();
        for (String segment : uri.getRawPath().split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        if (segments.size() < 4 || !segments.get(0).equals("e") || !segments.get(2).equals("api")) {
            send(exchange, 404, envelope(404, "Not found", List.of()));
            return;
        }
        SandboxEnvironment environment = byId.get(segments.get(1));
        if (environment == null) {
            send(exchange, 404, envelope(404, "Environment not found", List.of()));
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            send(exchange, 401, envelope(401, "Missing authorization parameter.", List.of()));
            return;
        }
        if (!environment.authorized(authorization)) {
            send(exchange, 401, envelope(401, "Token Authentication failed", List.of()));
            return;
        }
        JsonNode result;
        if (segments.get(3).equals("v1")) {
            if (!segments.subList(4, segments.size()).equals(List.of("config", "clusterversion"))) {
                send(exchange, 404, envelope(404, "Not found", List.of()));
                return;
            }
            result = environment.clusterVersion();
        } else if (segments.get(3).equals("v2")) {
            SandboxEnvironment.Call call = new SandboxEnvironment.Call(exchange.getRequestMethod(),
                    List.copyOf(segments.subList(4, segments.size())), query(uri.getRawQuery()), body(exchange));
            result = environment.handleV2(call);
        } else {
            send(exchange, 404, envelope(404, "Not found", List.of()));
            return;
        }
        boolean created = exchange.getRequestMethod().equals("POST")
                && (uri.getRawPath().endsWith("/comments") || uri.getRawPath().endsWith("/events/ingest"));
        send(exchange, created ? 201 : 200, result);
    }

    private boolean hold() {
        try {
            barrier.await(holdTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | BrokenBarrierException e) {
            barrier.reset();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(1_048_577);
            if (bytes.length > 1_048_576) {
                throw new SandboxEnvironment.ApiError(413, "Payload too large: the limit is 1 MB", List.of());
            }
            if (bytes.length == 0) {
                return null;
            }
            try {
                return json.readTree(bytes);
            } catch (IOException e) {
                throw SandboxEnvironment.ApiError.badParameter("body", "PAYLOAD_BODY", "Could not parse the JSON body");
            }
        }
    }

    private ObjectNode envelope(int status, String message, List<String[]> violations) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", status);
        error.put("message", message);
        if (violations != null && !violations.isEmpty()) {
            ArrayNode list = error.putArray("constraintViolations");
            for (String[] violation : violations) {
                ObjectNode v = list.addObject();
                v.put("path", violation[0]);
                v.put("message", violation[1]);
                v.put("parameterLocation", violation[2]);
                v.putNull("location");
            }
        }
        return root;
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
