package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback HTTP server a provider's sandbox is built on, so the sandbox holds only what is
 * about its backend: its routes, its data, its credential check and its error shape.
 *
 * <p>It binds {@code 127.0.0.1} on a free port and answers each request in this order: the request
 * is held until enough are in flight when a barrier is set (fan-out tests); the credential is
 * checked (skipped for open routes); the path is routed (404 for an unknown path, 405 with
 * {@code Allow} for a known path with another method); the body is read within its cap (413); the
 * handler answers. Every error, including a handler's unexpected exception (500, logged once, never
 * with its stack trace in the answer), is rendered by the backend's {@link ErrorShape}. Every
 * request goes into a bounded log with its credentials masked.
 *
 * <p>Built on the JDK's HTTP server, so a sandbox ships in the product without a test library.
 */
public final class SandboxServer implements RequestLog, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);
    private static final String HELD_ALONE = "The sandbox held this request, but fewer requests than expected"
            + " arrived together.";
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9_.-]{0,31}) +\\S.*$");
    private static final byte[] NO_BODY = new byte[0];

    private final String name;
    private final ErrorShape errors;
    private final SandboxAuth auth;
    private final List<PathPattern> patterns;
    private final int maxRequestBytes;
    private final CyclicBarrier barrier;
    private final Duration holdTimeout;
    private final Set<String> secrets;
    private final Set<String> credentialHeaders;
    private final int requestLogLimit;
    private final Deque<LoggedRequest> requestLog = new ArrayDeque<>();
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final HttpServer server;

    private SandboxServer(Builder builder) throws IOException {
        this.name = builder.name;
        this.errors = builder.errors;
        this.auth = builder.auth;
        this.patterns = List.copyOf(builder.patterns.values());
        this.maxRequestBytes = builder.maxRequestBytes;
        this.barrier = builder.holdUntilInFlight > 1 ? new CyclicBarrier(builder.holdUntilInFlight) : null;
        this.holdTimeout = builder.holdTimeout;
        this.secrets = Set.copyOf(builder.secrets);
        this.credentialHeaders = Set.copyOf(builder.credentialHeaders);
        this.requestLogLimit = builder.requestLogLimit;
        this.json = builder.json;
        // Held requests occupy their threads, so there must be room for every held request and more.
        int threads = Math.max(builder.threads, builder.holdUntilInFlight * 2);
        String threadPrefix = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-sandbox-";
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, threadPrefix + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            executor.shutdownNow();
            throw e;
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("{} sandbox listening on {}", name, url());
    }

    /**
     * Starts describing a sandbox server.
     *
     * @param name the backend's name, for logs and thread names ({@code "Dynatrace Managed"})
     * @param errors how the backend answers errors
     */
    public static Builder builder(String name, ErrorShape errors) {
        return new Builder(name, errors);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** The logged requests, oldest first (at most the configured number of the latest ones). */
    @Override
    public List<LoggedRequest> requests() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            SandboxResponse response;
            try {
                response = answer(exchange, method, rawPath, rawQuery);
            } catch (SandboxError e) {
                response = render(e);
            } catch (RuntimeException e) {
                // The only place a fault is logged; the client gets the backend's 500, never the trace.
                LOG.error("{} sandbox failed on {} {}; answered 500", name, method, mask(rawPath), e);
                response = render(SandboxError.of(500, "Internal sandbox error"));
            }
            log(method, rawPath, rawQuery, exchange.getRequestHeaders(), response.status());
            send(exchange, response);
        } catch (IOException e) {
            LOG.debug("{} sandbox could not send its answer: {}", name, e.toString());
        }
    }

    private SandboxResponse answer(HttpExchange exchange, String method, String rawPath, String rawQuery)
            throws IOException {
        if (barrier != null && !hold()) {
            throw SandboxError.of(503, HELD_ALONE);
        }
        List<String> segments = segments(rawPath);
        SandboxRequest request = new SandboxRequest(method, rawPath, segments, Map.of(), query(rawQuery),
                headers(exchange.getRequestHeaders()), NO_BODY, json);
        PathPattern pattern = match(segments);
        Route route = pattern == null ? null : pattern.routes.get(method);
        if (route == null || !route.open) {
            Optional<SandboxResponse> refusal = auth.refuse(request);
            if (refusal.isPresent()) {
                return refusal.get();
            }
        }
        if (pattern == null) {
            throw SandboxError.notFound("Not found");
        }
        if (route == null) {
            return render(SandboxError.of(405, "Method " + method + " not allowed"))
                    .withHeader("Allow", String.join(", ", new TreeSet<>(pattern.routes.keySet())));
        }
        byte[] body = body(exchange);
        return route.handler.handle(request.withRoute(route.parameters(segments), body));
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

    private SandboxResponse render(SandboxError error) {
        try {
            return requireNonNull(errors.render(error), "the error shape answered null");
        } catch (RuntimeException e) {
            LOG.error("{} sandbox: its error shape failed to render a {}", name, error.status(), e);
            return SandboxResponse.text(500, "Internal sandbox error\n");
        }
    }

    private PathPattern match(List<String> segments) {
        PathPattern best = null;
        for (PathPattern candidate : patterns) {
            if (candidate.matches(segments) && (best == null || candidate.moreSpecificThan(best))) {
                best = candidate;
            }
        }
        return best;
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                try {
                    // A literal '+' in a path is a plus, not a space.
                    out.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw SandboxError.badParameter(SandboxError.Location.PATH, "path",
                            "has a malformed percent-encoding");
                }
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq), "query");
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1), name);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        out.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(frozen);
    }

    private static String decodeQuery(String text, String parameter) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, parameter, "has a malformed percent-encoding");
        }
    }

    private static Map<String, List<String>> headers(Headers headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .addAll(values));
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        out.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(frozen);
    }

    private byte[] body(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("^[0-9]{1,18}$") && Long.parseLong(declared) > maxRequestBytes) {
            throw tooLarge();
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxRequestBytes + 1);
            if (bytes.length > maxRequestBytes) {
                throw tooLarge();
            }
            return bytes;
        }
    }

    private SandboxError tooLarge() {
        String limit = maxRequestBytes % (1 << 20) == 0 ? maxRequestBytes / (1 << 20) + " MB"
                : maxRequestBytes % 1024 == 0 ? maxRequestBytes / 1024 + " KB" : maxRequestBytes + " bytes";
        return SandboxError.of(413, "Payload too large: the limit is " + limit);
    }

    private void log(String method, String rawPath, String rawQuery, Headers headers, int status) {
        Map<String, List<String>> masked = new LinkedHashMap<>();
        headers(headers).forEach((header, values) -> masked.put(header, values.stream()
                .map(value -> credentialHeaders.contains(header) ? maskCredential(value) : mask(value)).toList()));
        LoggedRequest entry = new LoggedRequest(method, mask(rawPath), mask(rawQuery), masked, status);
        synchronized (requestLog) {
            if (requestLog.size() >= requestLogLimit) {
                requestLog.removeFirst();
            }
            requestLog.addLast(entry);
        }
    }

    private static String maskCredential(String value) {
        Matcher scheme = SCHEME.matcher(value);
        return scheme.matches() ? scheme.group(1) + " " + LoggedRequest.MASK : LoggedRequest.MASK;
    }

    private String mask(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, LoggedRequest.MASK);
        }
        return out;
    }

    private static void send(HttpExchange exchange, SandboxResponse response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", response.contentType());
        response.headers().forEach(headers::set);
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** One route: a method on a path pattern. */
    private record Route(List<String> pattern, boolean open, SandboxHandler handler) {

        Map<String, String> parameters(List<String> segments) {
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < pattern.size(); i++) {
                if (isParameter(pattern.get(i))) {
                    out.put(pattern.get(i).substring(1, pattern.get(i).length() - 1), segments.get(i));
                }
            }
            return out;
        }
    }

    /** The routes that share one path shape (parameter names aside), by method. */
    private static final class PathPattern {
        final List<String> shape;
        final Map<String, Route> routes = new LinkedHashMap<>();

        PathPattern(List<String> shape) {
            this.shape = shape;
        }

        boolean matches(List<String> segments) {
            if (segments.size() != shape.size()) {
                return false;
            }
            for (int i = 0; i < shape.size(); i++) {
                if (shape.get(i) != null && !shape.get(i).equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** A literal segment beats a parameter at the first place the two differ. */
        boolean moreSpecificThan(PathPattern other) {
            for (int i = 0; i < shape.size(); i++) {
                boolean literal = shape.get(i) != null;
                if (literal != (other.shape.get(i) != null)) {
                    return literal;
                }
            }
            return false;
        }
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** Describes a sandbox server; {@link #start()} binds it. */
    public static final class Builder {
        private static final Pattern METHOD = Pattern.compile("^[A-Z]{3,10}$");
        private static final Pattern PARAMETER = Pattern.compile("^\\{[A-Za-z][A-Za-z0-9_]*}$");

        private final String name;
        private final ErrorShape errors;
        private SandboxAuth auth;
        private final Map<List<String>, PathPattern> patterns = new LinkedHashMap<>();
        private int maxRequestBytes = 1 << 20;
        private int holdUntilInFlight;
        private Duration holdTimeout = Duration.ofSeconds(10);
        private int threads = 8;
        private final Set<String> secrets = new LinkedHashSet<>();
        private final Set<String> credentialHeaders = new LinkedHashSet<>(
                List.of("authorization", "proxy-authorization", "cookie", "x-api-key"));
        private int requestLogLimit = 10_000;
        private ObjectMapper json = new ObjectMapper();

        private Builder(String name, ErrorShape errors) {
            this.name = requireNonNull(name, "name is null");
            this.errors = requireNonNull(errors, "errors is null");
        }

        /** How credentials are checked; required, so a sandbox never accepts any key by omission. */
        public Builder auth(SandboxAuth value) {
            this.auth = requireNonNull(value, "auth is null");
            return this;
        }

        /**
         * A route behind the credential check. {@code pattern} is a path of literal segments and
         * {@code {name}} parameters, such as {@code /e/{environment}/api/v2/problems/{problemId}}; a
         * literal segment wins over a parameter where both match.
         */
        public Builder route(String method, String pattern, SandboxHandler handler) {
            return add(method, pattern, false, handler);
        }

        /** A route that needs no credential, like a health page in front of the API. */
        public Builder openRoute(String method, String pattern, SandboxHandler handler) {
            return add(method, pattern, true, handler);
        }

        private Builder add(String method, String pattern, boolean open, SandboxHandler handler) {
            requireNonNull(method, "method is null");
            requireNonNull(pattern, "pattern is null");
            requireNonNull(handler, "handler is null");
            if (!METHOD.matcher(method).matches()) {
                throw new IllegalArgumentException("not an HTTP method: " + method);
            }
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a route pattern starts with /: " + pattern);
            }
            List<String> segments = new ArrayList<>();
            List<String> shape = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (String segment : pattern.substring(1).split("/", -1)) {
                if (segment.isEmpty() && pattern.length() > 1) {
                    throw new IllegalArgumentException("empty segment in route pattern " + pattern);
                }
                if (segment.isEmpty()) {
                    continue;
                }
                if (segment.contains("{") || segment.contains("}")) {
                    if (!PARAMETER.matcher(segment).matches() || !names.add(segment)) {
                        throw new IllegalArgumentException("bad or repeated parameter " + segment + " in " + pattern);
                    }
                    shape.add(null);
                } else {
                    shape.add(segment);
                }
                segments.add(segment);
            }
            PathPattern path = patterns.computeIfAbsent(Collections.unmodifiableList(shape),
                    PathPattern::new);
            if (path.routes.putIfAbsent(method, new Route(List.copyOf(segments), open, handler)) != null) {
                throw new IllegalArgumentException("two routes for " + method + " " + pattern);
            }
            return this;
        }

        /** The request body cap (413 above it); 1 MiB by default. */
        public Builder maxRequestBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be positive");
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * Holds every request until {@code requests} are in flight together (a barrier), so a test can
         * prove calls run in parallel without timing; a request that waits {@code timeout} in vain is
         * answered 503 in the backend's shape. 0 or 1 turns it off.
         */
        public Builder holdUntilInFlight(int requests, Duration timeout) {
            if (requests < 0) {
                throw new IllegalArgumentException("requests must not be negative");
            }
            this.holdUntilInFlight = requests;
            this.holdTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** Worker threads (8 by default; always at least twice the held requests). */
        public Builder threads(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = count;
            return this;
        }

        /** A value masked wherever it appears in the request log (path, query and any header). */
        public Builder secret(String value) {
            requireNonNull(value, "value is null");
            if (value.length() < 4) {
                throw new IllegalArgumentException("a secret to mask needs at least 4 characters");
            }
            secrets.add(value);
            String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
            if (!encoded.equals(value)) {
                secrets.add(encoded);
            }
            return this;
        }

        /**
         * A header whose whole value is masked in the log (its scheme kept); {@code Authorization},
         * {@code Proxy-Authorization}, {@code Cookie} and {@code X-Api-Key} always are.
         */
        public Builder credentialHeader(String header) {
            credentialHeaders.add(requireNonNull(header, "header is null").toLowerCase(Locale.ROOT));
            return this;
        }

        /** How many of the latest requests the log keeps (10,000 by default), so a long soak stays flat. */
        public Builder requestLogLimit(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("requestLogLimit must be positive");
            }
            this.requestLogLimit = entries;
            return this;
        }

        /** The mapper {@link SandboxRequest#json()} parses with. */
        public Builder json(ObjectMapper mapper) {
            this.json = requireNonNull(mapper, "mapper is null");
            return this;
        }

        /** Binds {@code 127.0.0.1} on a free port and starts serving. */
        public SandboxServer start() {
            if (auth == null) {
                throw new IllegalStateException(name + " sandbox: declare how it checks credentials with auth(...)"
                        + " (SandboxAuth.none() for a backend that takes none)");
            }
            try {
                return new SandboxServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the " + name + " sandbox on loopback", e);
            }
        }
    }
}
