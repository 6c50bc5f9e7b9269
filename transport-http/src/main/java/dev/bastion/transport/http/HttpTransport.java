package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Authenticator;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.tool.CallContext;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.transport.http.auth.BearerChallenge;
import dev.bastion.transport.http.auth.JwtAuthenticator;
import dev.bastion.transport.http.auth.NoAuthentication;
import dev.bastion.transport.http.auth.StaticTokenAuthenticator;
import dev.bastion.transport.http.metrics.ServerMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP over Streamable HTTP on Jetty 12 (core handlers, no servlets). Safe by default: binds
 * loopback, checks Host and Origin, caps bodies, headers, connections and sessions, cuts off slow
 * clients, answers every error with a JSON-RPC error object, and refuses to listen off loopback
 * without authentication unless explicitly told to.
 *
 * <p>Request handling never blocks Jetty's selector: the handler runs on the request pool (virtual
 * threads on Java 21+, detected at run time) and hands tool work to the engine's own bounded
 * executor; responses are written asynchronously when the engine produces them.
 */
public final class HttpTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    /** The server's identity as a protected resource, known once the port is bound. */
    public record ProtectedResource(URI resource, URI metadataUrl, List<String> scopes) {
        public ProtectedResource {
            requireNonNull(resource, "resource is null");
            requireNonNull(metadataUrl, "metadataUrl is null");
            scopes = List.copyOf(requireNonNull(scopes, "scopes is null"));
        }

        public BearerChallenge challenge() {
            return new BearerChallenge(metadataUrl.toString(), scopes);
        }
    }

    private final McpEngine engine;
    private final HttpSettings settings;
    private final OutboundHttp outbound;
    private final ServerMetrics metrics;
    private final Map<String, Function<CallContext, HealthStatus>> healthChecks;
    private final List<Readiness.Component> components;
    private final Map<String, String> credentialHeaders;
    private final Function<ProtectedResource, Authenticator> authenticatorFactory;
    private final SessionRegistry sessions;
    private final StreamLimiter streams;
    private final AuthFailureThrottle throttle;
    private Server server;
    private ServerConnector connector;
    private ScheduledExecutorService timer;
    private Readiness readiness;
    private McpEndpoint mcpEndpoint;
    private ProtectedResource resource;

    private HttpTransport(Builder builder) {
        this.engine = requireNonNull(builder.engine, "engine is null");
        this.settings = requireNonNull(builder.settings, "settings is null");
        this.outbound = builder.outbound;
        this.metrics = builder.metrics == null ? new ServerMetrics() : builder.metrics;
        McpEngine counted = engine;
        metrics.toolNames(name -> counted.catalog().tool(name).isPresent());
        this.healthChecks = Map.copyOf(builder.healthChecks);
        this.components = List.copyOf(builder.components);
        this.credentialHeaders = Map.copyOf(builder.credentialHeaders);
        this.authenticatorFactory = builder.authenticatorFactory;
        this.throttle = builder.throttle == null ? AuthFailureThrottle.defaults() : builder.throttle;
        HttpSettings.Sessions limits = settings.sessions();
        this.sessions = new SessionRegistry(limits.idleTimeout(), limits.maxSessions(),
                limits.maxSessionsPerPrincipal(), limits.replayEvents(), System::nanoTime);
        // Every stream holds a connection: half of them stay free for calls and health checks.
        this.streams = new StreamLimiter(Math.max(1, Math.min(limits.maxStreams(),
                settings.limits().maxConnections() / 2)), limits.maxStreamsPerPrincipal());
    }

    public static Builder builder(McpEngine engine, HttpSettings settings) {
        return new Builder(engine, settings);
    }

    /**
     * Binds and starts serving.
     *
     * @throws HttpStartupException with an operator-readable reason (unsafe bind, port taken, bad TLS files)
     */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        refuseUnsafeBind();
        QueuedThreadPool pool = new QueuedThreadPool(settings.limits().maxThreads(),
                Math.min(8, settings.limits().maxThreads()));
        pool.setName("bastion-http");
        pool.setDaemon(true);
        if (VirtualThreads.areSupported()) {
            pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("bastion-http-vt"));
            LOG.info("HTTP requests run on virtual threads");
        }
        Server jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(settings.limits().maxHeaderBytes());
        http.setResponseHeaderSize(16 * 1024);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        ServerConnector bound;
        if (settings.tls() != null) {
            http.addCustomizer(new SecureRequestCustomizer());
            bound = new ServerConnector(jetty, new SslConnectionFactory(TlsContexts.server(settings.tls()),
                    plain.getProtocol()), plain);
        } else {
            bound = new ServerConnector(jetty, plain);
        }
        bound.setHost(settings.host());
        bound.setPort(settings.port());
        bound.setIdleTimeout(settings.limits().idleTimeout().toMillis());
        SlowClientGuard slowClients = new SlowClientGuard(settings.limits().requestTimeout(),
                settings.limits().idleTimeout());
        bound.addBean(slowClients);
        jetty.addBean(new NetworkConnectionLimit(settings.limits().maxConnections(), bound));
        jetty.addConnector(bound);
        jetty.setErrorHandler(new JsonErrorHandler());
        try {
            bound.open();
        } catch (IOException e) {
            throw new HttpStartupException("Cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + (e.getMessage() == null ? "the address is unavailable" : e.getMessage()));
        }
        this.resource = protectedResource(bound.getLocalPort());
        Authenticator authenticator = authenticatorFactory != null ? authenticatorFactory.apply(resource)
                : defaultAuthenticator(resource);
        this.readiness = new Readiness(healthChecks, components, settings.readyCache());
        McpEndpoint endpoint = new McpEndpoint(engine, sessions, credentialHeaders, settings.limits().maxBodyBytes(),
                slowClients, streams, metrics);
        this.mcpEndpoint = endpoint;
        RequestGuard guard = new RequestGuard(settings.publicUrl(), settings.allowedHosts(), settings.allowedOrigins());
        jetty.setHandler(new BastionHttpHandler(settings.path(), guard, authenticator, endpoint, metadataDocument(),
                readiness, metrics, settings.metricsEnabled(), settings.metricsRequireAuth(), slowClients, throttle,
                engine.json()));
        metrics.activeSessions(sessions::size);
        metrics.activeStreams(streams::open);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bastion-http-timer");
            thread.setDaemon(true);
            return thread;
        });
        long sweep = Math.max(50, Math.min(500, settings.limits().requestTimeout().toMillis() / 4));
        timer.scheduleWithFixedDelay(quietly(slowClients::sweep), sweep, sweep, TimeUnit.MILLISECONDS);
        long expiry = Math.max(100, Math.min(30_000, settings.sessions().idleTimeout().toMillis() / 2));
        timer.scheduleWithFixedDelay(quietly(sessions::expireIdle), expiry, expiry, TimeUnit.MILLISECONDS);
        long keepAlive = Math.max(100, Math.min(settings.limits().idleTimeout().toMillis(),
                settings.sessions().streamIdleTimeout().toMillis()) / 2);
        timer.scheduleWithFixedDelay(quietly(this::keepStreamsAlive), keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        try {
            jetty.start();
        } catch (Exception e) {
            closeQuietly(jetty);
            timer.shutdownNow();
            throw new HttpStartupException("The HTTP server could not start: " + e.getMessage());
        }
        this.server = jetty;
        this.connector = bound;
        LOG.info("serving MCP over {} at {} (auth: {})", settings.tls() == null ? "HTTP" : "HTTPS", endpoint(),
                settings.auth().mode().name().toLowerCase(Locale.ROOT));
    }

    private static Runnable quietly(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("HTTP housekeeping failed: {}", e.toString());
            }
        };
    }

    /** Keeps open streams from idling out, and their sessions from expiring while a client listens. */
    private void keepStreamsAlive() {
        mcpEndpoint.keepStatelessStreamsAlive();
        long now = System.nanoTime();
        long idleLimit = settings.sessions().streamIdleTimeout().toNanos();
        for (HttpSession session : sessions.all()) {
            boolean listening = false;
            for (EventStream stream : session.streams()) {
                stream.endIfIdle(now, idleLimit);
                stream.keepAlive();
                listening |= stream.attached();
            }
            if (listening) {
                sessions.touch(session);
            }
        }
    }

    private void refuseUnsafeBind() {
        boolean loopback;
        try {
            InetAddress address = InetAddress.getByName(settings.host());
            loopback = address.isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new HttpStartupException("Cannot listen on " + settings.host() + ": the host name does not resolve");
        }
        boolean authenticated = settings.auth().mode() != HttpSettings.AuthMode.NONE || authenticatorFactory != null;
        if (!loopback && !authenticated) {
            if (!settings.insecureNoAuth()) {
                throw new HttpStartupException("Refusing to serve MCP on " + settings.host() + " without "
                        + "authentication: anyone who can reach the port could call every tool. Set http.auth.mode "
                        + "to static or oauth, bind 127.0.0.1, or pass --insecure-no-auth if something in front of "
                        + "this server authenticates callers.");
            }
            LOG.warn("!!! INSECURE: serving MCP on {} WITHOUT AUTHENTICATION (--insecure-no-auth). Anyone who can "
                    + "reach this port can call every tool with the server's backend credentials. !!!",
                    settings.host());
        }
        if (!loopback && settings.publicUrl() == null && settings.allowedHosts().isEmpty()) {
            LOG.warn("http.host is {} but neither http.public_url nor http.allowed_hosts is set: only requests that "
                    + "name a loopback Host will be accepted", settings.host());
        }
    }

    private ProtectedResource protectedResource(int port) {
        URI base;
        if (settings.publicUrl() != null) {
            String text = settings.publicUrl().toString();
            base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } else {
            String host = settings.host();
            try {
                if (InetAddress.getByName(host).isAnyLocalAddress()) {
                    host = "localhost";
                }
            } catch (UnknownHostException e) {
                // refuseUnsafeBind has already rejected unresolvable hosts
            }
            if (host.contains(":") && !host.startsWith("[")) {
                host = "[" + host + "]";
            }
            base = URI.create((settings.tls() == null ? "http" : "https") + "://" + host + ":" + port);
        }
        URI resourceUri = URI.create(base + settings.path());
        URI metadataUrl = URI.create(base + BastionHttpHandler.PRM_PATH + settings.path());
        return new ProtectedResource(resourceUri, metadataUrl, settings.auth().scopesSupported());
    }

    private Authenticator defaultAuthenticator(ProtectedResource identity) {
        HttpSettings.Auth auth = settings.auth();
        String audience = auth.audience() == null ? identity.resource().toString() : auth.audience();
        return switch (auth.mode()) {
            case NONE -> new NoAuthentication();
            case STATIC -> new StaticTokenAuthenticator(auth.tokens(), auth.requiredScopes(), identity.challenge());
            case OAUTH -> {
                if (auth.jwksUrl() != null) {
                    if (outbound == null) {
                        throw new IllegalStateException("an OutboundHttp is needed to fetch the JWK set");
                    }
                    BackendSpec spec = BackendSpec.builder("jwks").connectTimeout(Duration.ofSeconds(5))
                            .readTimeout(Duration.ofSeconds(10)).callTimeout(Duration.ofSeconds(15))
                            .maxResponseBytes(1024 * 1024)
                            .allowInsecureLoopback(auth.jwksAllowInsecureLoopback()).build();
                    yield JwtAuthenticator.withJwks(auth.jwksUrl(), outbound.client(spec), auth.jwksCacheTtl(),
                            auth.jwksRefreshInterval(), auth.issuer(), audience, auth.clockSkew(),
                            auth.requiredScopes(), identity.challenge());
                }
                yield JwtAuthenticator.withPublicKey(auth.publicKeyFile(), auth.issuer(), audience, auth.clockSkew(),
                        auth.requiredScopes(), identity.challenge());
            }
        };
    }

    /** RFC 9728 protected resource metadata. */
    private byte[] metadataDocument() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("resource", resource.resource().toString());
        ArrayNode servers = document.putArray("authorization_servers");
        settings.auth().authorizationServers().forEach(servers::add);
        ArrayNode scopes = document.putArray("scopes_supported");
        settings.auth().scopesSupported().forEach(scopes::add);
        document.putArray("bearer_methods_supported").add("header");
        document.put("resource_name", engine.options().serverName());
        try {
            return engine.json().writeValueAsBytes(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the metadata document cannot be written", e);
        }
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The MCP endpoint URL as reached on the bound address. */
    public URI endpoint() {
        return resource.resource();
    }

    public ProtectedResource protectedResource() {
        return resource;
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** The open GET event streams. */
    public int streamCount() {
        return streams.open();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        sessions.closeAll();
        closeQuietly(server);
        timer.shutdownNow();
        readiness.close();
        server = null;
    }

    private static void closeQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
        }
    }

    /** Builds an {@link HttpTransport}. */
    public static final class Builder {
        private final McpEngine engine;
        private final HttpSettings settings;
        private OutboundHttp outbound;
        private ServerMetrics metrics;
        private Map<String, Function<CallContext, HealthStatus>> healthChecks = Map.of();
        private final List<Readiness.Component> components = new ArrayList<>();
        private Map<String, String> credentialHeaders = Map.of();
        private Function<ProtectedResource, Authenticator> authenticatorFactory;
        private AuthFailureThrottle throttle;

        private Builder(McpEngine engine, HttpSettings settings) {
            this.engine = engine;
            this.settings = settings;
        }

        /** The hardened outbound client factory, used to fetch the JWK set (mode oauth with a JWKS URL). */
        public Builder outbound(OutboundHttp value) {
            this.outbound = value;
            return this;
        }

        /** Shared with the pipeline's metrics stage; a fresh registry when not set. */
        public Builder metrics(ServerMetrics value) {
            this.metrics = value;
            return this;
        }

        /**
         * The health checks {@code /readyz} runs, by provider instance ({@code id/alias}); each gets a
         * call carrying the readiness deadline, cancelled when the check overruns it.
         */
        public Builder healthChecks(Map<String, Function<CallContext, HealthStatus>> value) {
            this.healthChecks = Map.copyOf(value);
            return this;
        }

        /**
         * A server component {@code /readyz} reports under {@code components} (such as the shared
         * rate-limit store). While {@code check} fails, a {@code required} component makes the server
         * not ready (503); any other is reported {@code degraded} and the server stays ready. The
         * check is called on the probe's thread and must return quickly.
         */
        public Builder componentCheck(String name, java.util.function.Supplier<HealthStatus> check, boolean required) {
            this.components.add(new Readiness.Component(name, check, required));
            return this;
        }

        /** Per provider id, the request header that carries a caller's own backend credential. */
        public Builder callerCredentialHeaders(Map<String, String> value) {
            this.credentialHeaders = Map.copyOf(value);
            return this;
        }

        /**
         * Replaces the authenticator the settings describe (embedders, tests); it receives the
         * server's protected-resource identity to build its challenges.
         */
        public Builder authenticator(Function<ProtectedResource, Authenticator> factory) {
            this.authenticatorFactory = factory;
            return this;
        }

        /** Replaces the default failed-authentication throttle (tests). */
        Builder authFailureThrottle(AuthFailureThrottle value) {
            this.throttle = value;
            return this;
        }

        public HttpTransport build() {
            return new HttpTransport(this);
        }
    }
}
