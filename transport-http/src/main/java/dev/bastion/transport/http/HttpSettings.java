package dev.bastion.transport.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.DidYouMean;
import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.transport.http.auth.StaticToken;
import dev.bastion.transport.http.auth.StaticTokenAuthenticator;
import dev.bastion.transport.http.auth.TokenStrength;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code http} configuration section: where the Streamable HTTP transport listens, its
 * request limits, sessions, inbound authentication, operations endpoints and TLS.
 *
 * @param host the bind address ({@code 127.0.0.1} by default)
 * @param port the TCP port ({@code 0} picks a free one)
 * @param path the MCP endpoint path
 * @param publicUrl the server's public base URL ({@code https://mcp.example.com}), or {@code null}:
 *     it names the canonical resource URI and is allowed as Host and Origin
 * @param allowedOrigins more allowed {@code Origin} values beyond loopback and the public URL
 * @param allowedHosts more allowed {@code Host} names beyond loopback and the public URL
 * @param limits request limits
 * @param sessions session limits
 * @param auth inbound authentication
 * @param metricsEnabled whether {@code /metrics} is served
 * @param metricsRequireAuth whether {@code /metrics} needs the same bearer token as MCP
 * @param readyCache how long a {@code /readyz} outcome is reused
 * @param tls TLS termination, or {@code null} for plain HTTP
 * @param insecureNoAuth accept a non-loopback bind without authentication (logged loudly)
 */
public record HttpSettings(String host, int port, String path, URI publicUrl, List<String> allowedOrigins,
                           List<String> allowedHosts, Limits limits, Sessions sessions, Auth auth,
                           boolean metricsEnabled, boolean metricsRequireAuth, Duration readyCache, Tls tls,
                           boolean insecureNoAuth) {

    public static final String SECTION_NAME = "http";

    /**
     * @param maxBodyBytes the largest request body (413 beyond)
     * @param maxHeaderBytes the largest request header block (431 beyond)
     * @param maxConnections open connections at most; more wait in the accept queue
     * @param idleTimeout the longest silence on a connection
     * @param requestTimeout the longest a client may take to send a whole request (headers and body),
     *     against slowloris clients
     * @param maxThreads the request thread pool's size
     */
    public record Limits(int maxBodyBytes, int maxHeaderBytes, int maxConnections, Duration idleTimeout,
                         Duration requestTimeout, int maxThreads) {
        public Limits {
            requireNonNull(idleTimeout, "idleTimeout is null");
            requireNonNull(requestTimeout, "requestTimeout is null");
        }
    }

    /**
     * @param idleTimeout a session unused this long is closed; its id then gets 404
     * @param maxSessions sessions at most, server-wide; when full, only a principal that holds sessions
     *     can open another (its own least recently used one ends), others get 503
     * @param maxSessionsPerPrincipal sessions one principal may hold; its own least recently used one
     *     ends to make room, never another principal's
     * @param replayEvents events kept per stream for {@code Last-Event-ID} resumption
     * @param maxStreams open GET event streams at most, server-wide (503 beyond)
     * @param maxStreamsPerPrincipal open GET event streams one principal may hold (429 beyond)
     * @param streamIdleTimeout a GET stream that carried no event this long ends (the client may resume)
     */
    public record Sessions(Duration idleTimeout, int maxSessions, int maxSessionsPerPrincipal, int replayEvents,
                           int maxStreams, int maxStreamsPerPrincipal, Duration streamIdleTimeout) {

        public static final int DEFAULT_MAX_SESSIONS_PER_PRINCIPAL = 1000;
        public static final int DEFAULT_MAX_STREAMS = 500;
        public static final int DEFAULT_MAX_STREAMS_PER_PRINCIPAL = 50;
        public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);

        public Sessions {
            requireNonNull(idleTimeout, "idleTimeout is null");
            requireNonNull(streamIdleTimeout, "streamIdleTimeout is null");
        }

        /** The given session limits with the default per-principal share and stream limits. */
        public Sessions(Duration idleTimeout, int maxSessions, int replayEvents) {
            this(idleTimeout, maxSessions, DEFAULT_MAX_SESSIONS_PER_PRINCIPAL, replayEvents, DEFAULT_MAX_STREAMS,
                    DEFAULT_MAX_STREAMS_PER_PRINCIPAL, DEFAULT_STREAM_IDLE_TIMEOUT);
        }

        public Sessions withMaxSessionsPerPrincipal(int value) {
            return new Sessions(idleTimeout, maxSessions, value, replayEvents, maxStreams, maxStreamsPerPrincipal,
                    streamIdleTimeout);
        }

        public Sessions withStreams(int max, int perPrincipal, Duration idle) {
            return new Sessions(idleTimeout, maxSessions, maxSessionsPerPrincipal, replayEvents, max, perPrincipal,
                    idle);
        }
    }

    /** How callers authenticate. */
    public enum AuthMode { NONE, STATIC, OAUTH }

    /**
     * @param mode none, static tokens or OAuth 2.1 resource server
     * @param tokens the static tokens
     * @param issuer the expected {@code iss}
     * @param audience the expected {@code aud}, or {@code null} for the canonical resource URI
     * @param jwksUrl where the authorization server publishes its keys
     * @param publicKeyFile a PEM public key instead of a JWKS URL
     * @param jwksAllowInsecureLoopback allow a plain-http JWKS URL on loopback (tests, local IdPs)
     * @param authorizationServers announced in the protected resource metadata (default: the issuer)
     * @param requiredScopes scopes every token must hold
     * @param scopesSupported announced in the metadata and in {@code WWW-Authenticate}
     * @param clockSkew tolerance for {@code exp} and {@code nbf}
     * @param jwksRefreshInterval the least time between two key set fetches
     * @param jwksCacheTtl how long a fetched key set is used
     */
    public record Auth(AuthMode mode, List<StaticToken> tokens, String issuer, String audience, URI jwksUrl,
                       Path publicKeyFile, boolean jwksAllowInsecureLoopback, List<String> authorizationServers,
                       List<String> requiredScopes, List<String> scopesSupported, Duration clockSkew,
                       Duration jwksRefreshInterval, Duration jwksCacheTtl) {
        public Auth {
            requireNonNull(mode, "mode is null");
            tokens = List.copyOf(requireNonNull(tokens, "tokens is null"));
            authorizationServers = List.copyOf(requireNonNull(authorizationServers, "authorizationServers is null"));
            requiredScopes = List.copyOf(requireNonNull(requiredScopes, "requiredScopes is null"));
            scopesSupported = List.copyOf(requireNonNull(scopesSupported, "scopesSupported is null"));
            requireNonNull(clockSkew, "clockSkew is null");
            requireNonNull(jwksRefreshInterval, "jwksRefreshInterval is null");
            requireNonNull(jwksCacheTtl, "jwksCacheTtl is null");
        }

        public static Auth none() {
            return new Auth(AuthMode.NONE, List.of(), null, null, null, null, false, List.of(), List.of(),
                    List.of("bastion:read", "bastion:write"), Duration.ofSeconds(60), Duration.ofSeconds(30),
                    Duration.ofMinutes(10));
        }
    }

    /**
     * @param certFile a PEM certificate chain, with {@code keyFile}
     * @param keyFile a PEM PKCS#8 private key
     * @param pkcs12File a PKCS#12 key store instead of the PEM pair
     * @param pkcs12Password the key store's password
     */
    public record Tls(Path certFile, Path keyFile, Path pkcs12File, Secret pkcs12Password) {
    }

    public HttpSettings {
        requireNonNull(host, "host is null");
        requireNonNull(path, "path is null");
        allowedOrigins = List.copyOf(requireNonNull(allowedOrigins, "allowedOrigins is null"));
        allowedHosts = List.copyOf(requireNonNull(allowedHosts, "allowedHosts is null"));
        requireNonNull(limits, "limits is null");
        requireNonNull(sessions, "sessions is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(readyCache, "readyCache is null");
    }

    /** Loopback, defaults everywhere, no authentication: what tests and local use start from. */
    public static HttpSettings loopbackDefaults() {
        return new HttpSettings("127.0.0.1", 0, "/mcp", null, List.of(), List.of(),
                new Limits(1 << 20, 8192, 1000, Duration.ofSeconds(30), Duration.ofSeconds(10), 200),
                new Sessions(Duration.ofMinutes(30), 10_000, 256), Auth.none(), true, false,
                Duration.ofSeconds(5), null, false);
    }

    public HttpSettings withPort(int value) {
        return new HttpSettings(host, value, path, publicUrl, allowedOrigins, allowedHosts, limits, sessions, auth,
                metricsEnabled, metricsRequireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withHost(String value) {
        return new HttpSettings(value, port, path, publicUrl, allowedOrigins, allowedHosts, limits, sessions, auth,
                metricsEnabled, metricsRequireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withPath(String value) {
        return new HttpSettings(host, port, value, publicUrl, allowedOrigins, allowedHosts, limits, sessions, auth,
                metricsEnabled, metricsRequireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withPublicUrl(URI value) {
        return new HttpSettings(host, port, path, value, allowedOrigins, allowedHosts, limits, sessions, auth,
                metricsEnabled, metricsRequireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withLimits(Limits value) {
        return new HttpSettings(host, port, path, publicUrl, allowedOrigins, allowedHosts, value, sessions, auth,
                metricsEnabled, metricsRequireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withSessions(Sessions value) {
        return new HttpSettings(host, port, path, publicUrl, allowedOrigins, allowedHosts, limits, value, auth,
                metricsEnabled, metricsRequireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withAuth(Auth value) {
        return new HttpSettings(host, port, path, publicUrl, allowedOrigins, allowedHosts, limits, sessions, value,
                metricsEnabled, metricsRequireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withMetrics(boolean enabled, boolean requireAuth) {
        return new HttpSettings(host, port, path, publicUrl, allowedOrigins, allowedHosts, limits, sessions, auth,
                enabled, requireAuth, readyCache, tls, insecureNoAuth);
    }

    public HttpSettings withTls(Tls value) {
        return new HttpSettings(host, port, path, publicUrl, allowedOrigins, allowedHosts, limits, sessions, auth,
                metricsEnabled, metricsRequireAuth, readyCache, value, insecureNoAuth);
    }

    public HttpSettings withInsecureNoAuth(boolean value) {
        return new HttpSettings(host, port, path, publicUrl, allowedOrigins, allowedHosts, limits, sessions, auth,
                metricsEnabled, metricsRequireAuth, readyCache, tls, value);
    }

    // ----------------------------------------------------------------- configuration

    public static ConfigSpec spec() {
        return ConfigSpec.of(
                Setting.builder("host", SettingType.STRING).env("BASTION_HTTP_HOST").defaultValue("127.0.0.1")
                        .description("The address the HTTP transport binds to. Anything but loopback needs "
                                + "authentication (auth.mode).").build(),
                Setting.builder("port", SettingType.INTEGER).env("BASTION_HTTP_PORT").defaultValue("8080")
                        .format(FormatCheck.range(0, 65_535)).description("The TCP port (0 picks a free one).").build(),
                Setting.builder("path", SettingType.STRING).env("BASTION_HTTP_PATH").defaultValue("/mcp")
                        .format(HttpSettings::checkPath).description("The MCP endpoint path.").build(),
                Setting.builder("public_url", SettingType.URL).env("BASTION_HTTP_PUBLIC_URL")
                        .description("The server's public base URL, such as https://mcp.example.com. It forms the "
                                + "canonical resource URI (the token audience) and is allowed as Host and Origin.")
                        .build(),
                Setting.builder("allowed_origins", SettingType.LIST).env("BASTION_HTTP_ALLOWED_ORIGINS")
                        .description("Origins allowed besides loopback and public_url (browser clients), such as "
                                + "https://app.example.com.").build(),
                Setting.builder("allowed_hosts", SettingType.LIST).env("BASTION_HTTP_ALLOWED_HOSTS")
                        .description("Host header names allowed besides loopback and public_url's host.").build(),
                Setting.builder("max_body_bytes", SettingType.INTEGER).env("BASTION_HTTP_MAX_BODY_BYTES")
                        .defaultValue("1048576").format(FormatCheck.range(1024, 67_108_864))
                        .description("The largest request body in bytes; larger ones get 413.").build(),
                Setting.builder("max_header_bytes", SettingType.INTEGER).env("BASTION_HTTP_MAX_HEADER_BYTES")
                        .defaultValue("8192").format(FormatCheck.range(1024, 65_536))
                        .description("The largest request header block in bytes; larger ones get 431.").build(),
                Setting.builder("max_connections", SettingType.INTEGER).env("BASTION_HTTP_MAX_CONNECTIONS")
                        .defaultValue("1000").format(FormatCheck.range(1, 100_000))
                        .description("Open connections at most; further clients wait to be accepted.").build(),
                Setting.builder("max_threads", SettingType.INTEGER).env("BASTION_HTTP_MAX_THREADS")
                        .defaultValue("200").format(FormatCheck.range(8, 10_000))
                        .description("The size of the HTTP request thread pool.").build(),
                Setting.builder("idle_timeout", SettingType.DURATION).env("BASTION_HTTP_IDLE_TIMEOUT")
                        .defaultValue("30s").description("A connection silent this long is closed.").build(),
                Setting.builder("request_timeout", SettingType.DURATION).env("BASTION_HTTP_REQUEST_TIMEOUT")
                        .defaultValue("10s").description("The longest a client may take to send one whole request "
                                + "(headers and body); slower clients are cut off.").build(),
                Setting.builder("session_idle_timeout", SettingType.DURATION)
                        .env("BASTION_HTTP_SESSION_IDLE_TIMEOUT").defaultValue("30m")
                        .description("An MCP session unused this long ends; its id then gets 404.").build(),
                Setting.builder("max_sessions", SettingType.INTEGER).env("BASTION_HTTP_MAX_SESSIONS")
                        .defaultValue("10000").format(FormatCheck.range(1, 1_000_000))
                        .description("MCP sessions at most, server-wide. When full, a caller that holds sessions "
                                + "gives up its own least recently used one for a new one; a caller that holds "
                                + "none gets 503.").build(),
                Setting.builder("max_sessions_per_principal", SettingType.INTEGER)
                        .env("BASTION_HTTP_MAX_SESSIONS_PER_PRINCIPAL")
                        .defaultValue(Integer.toString(Sessions.DEFAULT_MAX_SESSIONS_PER_PRINCIPAL))
                        .format(FormatCheck.range(1, 1_000_000))
                        .description("MCP sessions one principal (token name, or JWT subject) may hold. Opening "
                                + "one more ends that principal's own least recently used session, never another "
                                + "principal's. Capped at max_sessions.").build(),
                Setting.builder("max_streams", SettingType.INTEGER).env("BASTION_HTTP_MAX_STREAMS")
                        .defaultValue(Integer.toString(Sessions.DEFAULT_MAX_STREAMS))
                        .format(FormatCheck.range(1, 50_000))
                        .description("Open GET event streams at most, server-wide; more get 503. Never more than "
                                + "half of max_connections (the lower applies), so calls and health checks always "
                                + "find a connection.")
                        .build(),
                Setting.builder("max_streams_per_principal", SettingType.INTEGER)
                        .env("BASTION_HTTP_MAX_STREAMS_PER_PRINCIPAL")
                        .defaultValue(Integer.toString(Sessions.DEFAULT_MAX_STREAMS_PER_PRINCIPAL))
                        .format(FormatCheck.range(1, 50_000))
                        .description("Open GET event streams one principal may hold; more get 429.").build(),
                Setting.builder("stream_idle_timeout", SettingType.DURATION).env("BASTION_HTTP_STREAM_IDLE_TIMEOUT")
                        .defaultValue("5m").description("A GET event stream that carried no event this long "
                                + "ends; the client may reconnect (with Last-Event-ID).").build(),
                Setting.builder("replay_events", SettingType.INTEGER).env("BASTION_HTTP_REPLAY_EVENTS")
                        .defaultValue("256").format(FormatCheck.range(0, 100_000))
                        .description("SSE events kept per stream for resumption with Last-Event-ID.").build(),
                Setting.builder("auth.mode", SettingType.STRING).env("BASTION_HTTP_AUTH_MODE").defaultValue("none")
                        .format(HttpSettings::checkMode)
                        .description("Inbound authentication: none (loopback only), static (bearer tokens) or "
                                + "oauth (JWT access tokens of an OAuth 2.1 authorization server).").build(),
                Setting.builder("auth.token", SettingType.STRING).env("BASTION_HTTP_TOKEN").secret()
                        .description("A static bearer token (mode static), usually from the environment: at least "
                                + "32 random characters, such as the output of openssl rand -base64 32.").build(),
                Setting.builder("auth.token_name", SettingType.STRING).env("BASTION_HTTP_TOKEN_NAME")
                        .defaultValue("token").description("The principal name of auth.token.").build(),
                Setting.builder("auth.token_scopes", SettingType.LIST).env("BASTION_HTTP_TOKEN_SCOPES")
                        .defaultValue("bastion:read").description("The scopes auth.token grants.").build(),
                Setting.builder("auth.tokens", SettingType.JSON)
                        .description("More static tokens: a list of {name, scopes, sha256} (the token's SHA-256 "
                                + "in hex) or {name, scopes, env} (the environment variable holding it, at least 32 "
                                + "random characters). Unknown keys, empty scopes and one value under two names are "
                                + "errors; scopes left out mean bastion:read.").build(),
                Setting.builder("auth.issuer", SettingType.STRING).env("BASTION_HTTP_ISSUER")
                        .description("The expected JWT issuer (iss), mode oauth.").build(),
                Setting.builder("auth.audience", SettingType.STRING).env("BASTION_HTTP_AUDIENCE")
                        .description("The expected JWT audience (aud); default the canonical resource URI.")
                        .build(),
                Setting.builder("auth.jwks_url", SettingType.URL).env("BASTION_HTTP_JWKS_URL")
                        .description("The authorization server's JWK set URL (HTTPS).").build(),
                Setting.builder("auth.public_key_file", SettingType.PATH).env("BASTION_HTTP_PUBLIC_KEY_FILE")
                        .description("A PEM public key that signs the tokens, instead of auth.jwks_url.").build(),
                Setting.builder("auth.jwks_allow_insecure_loopback", SettingType.BOOLEAN)
                        .env("BASTION_HTTP_JWKS_ALLOW_INSECURE_LOOPBACK").defaultValue("false")
                        .description("Allow a plain-http auth.jwks_url on a loopback host (local test IdPs).")
                        .build(),
                Setting.builder("auth.authorization_servers", SettingType.LIST)
                        .env("BASTION_HTTP_AUTHORIZATION_SERVERS")
                        .description("Authorization servers announced in the protected resource metadata; "
                                + "default auth.issuer.").build(),
                Setting.builder("auth.required_scopes", SettingType.LIST).env("BASTION_HTTP_REQUIRED_SCOPES")
                        .description("Scopes every token must hold (403 insufficient_scope otherwise).").build(),
                Setting.builder("auth.scopes_supported", SettingType.LIST).env("BASTION_HTTP_SCOPES_SUPPORTED")
                        .defaultValue("bastion:read,bastion:write")
                        .description("Scopes announced in the metadata and in WWW-Authenticate.").build(),
                Setting.builder("auth.clock_skew", SettingType.DURATION).env("BASTION_HTTP_CLOCK_SKEW")
                        .defaultValue("60s").description("Tolerance for the exp and nbf claims.").build(),
                Setting.builder("auth.jwks_refresh_interval", SettingType.DURATION)
                        .env("BASTION_HTTP_JWKS_REFRESH_INTERVAL").defaultValue("30s")
                        .description("The least time between two key set fetches (unknown kid).").build(),
                Setting.builder("auth.jwks_cache_ttl", SettingType.DURATION).env("BASTION_HTTP_JWKS_CACHE_TTL")
                        .defaultValue("10m").description("How long a fetched key set is used.").build(),
                Setting.builder("metrics.enabled", SettingType.BOOLEAN).env("BASTION_HTTP_METRICS")
                        .defaultValue("true").description("Serve Prometheus metrics at /metrics.").build(),
                Setting.builder("metrics.require_auth", SettingType.BOOLEAN).env("BASTION_HTTP_METRICS_AUTH")
                        .defaultValue("false").description("Require the MCP bearer token for /metrics.").build(),
                Setting.builder("ready_cache", SettingType.DURATION).env("BASTION_HTTP_READY_CACHE")
                        .defaultValue("5s").description("How long a /readyz outcome is reused.").build(),
                Setting.builder("tls.cert_file", SettingType.PATH).env("BASTION_HTTP_TLS_CERT")
                        .description("A PEM certificate chain for TLS (with tls.key_file).").build(),
                Setting.builder("tls.key_file", SettingType.PATH).env("BASTION_HTTP_TLS_KEY")
                        .description("The PEM (PKCS#8) private key of tls.cert_file.").build(),
                Setting.builder("tls.pkcs12_file", SettingType.PATH).env("BASTION_HTTP_TLS_PKCS12")
                        .description("A PKCS#12 key store for TLS, instead of the PEM pair.").build(),
                Setting.builder("tls.pkcs12_password", SettingType.STRING).env("BASTION_HTTP_TLS_PKCS12_PASSWORD")
                        .secret().description("The password of tls.pkcs12_file.").build());
    }

    /**
     * Reads the resolved {@code http} section.
     *
     * @param environment resolves the {@code env} entries of {@code auth.tokens}
     * @throws ProviderConfigException with a message naming the setting
     */
    public static HttpSettings from(ProviderConfig config, Map<String, String> environment) {
        Limits limits = new Limits(config.integer("max_body_bytes").orElseThrow(),
                config.integer("max_header_bytes").orElseThrow(), config.integer("max_connections").orElseThrow(),
                config.duration("idle_timeout").orElseThrow(), config.duration("request_timeout").orElseThrow(),
                config.integer("max_threads").orElseThrow());
        Sessions sessions = new Sessions(config.duration("session_idle_timeout").orElseThrow(),
                config.integer("max_sessions").orElseThrow(), config.integer("max_sessions_per_principal").orElseThrow(),
                config.integer("replay_events").orElseThrow(), config.integer("max_streams").orElseThrow(),
                config.integer("max_streams_per_principal").orElseThrow(),
                config.duration("stream_idle_timeout").orElseThrow());
        if (sessions.streamIdleTimeout().isNegative() || sessions.streamIdleTimeout().isZero()) {
            throw new ProviderConfigException("http.stream_idle_timeout must be positive");
        }
        AuthMode mode = AuthMode.valueOf(config.requireString("auth.mode").strip().toUpperCase(Locale.ROOT));
        List<StaticToken> tokens = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        config.secret("auth.token").filter(secret -> !secret.isEmpty()).ifPresent(secret -> {
            String where = "http.auth.token (BASTION_HTTP_TOKEN)";
            requireStrong(where, secret.reveal());
            List<String> scopes = config.list("auth.token_scopes");
            if (scopes.isEmpty()) {
                throw new ProviderConfigException("http.auth.token_scopes is empty: name the scopes the token grants, "
                        + "such as bastion:read");
            }
            tokens.add(new StaticToken(config.requireString("auth.token_name"),
                    StaticTokenAuthenticator.sha256(secret.reveal()), Set.copyOf(scopes)));
            origins.add(where);
        });
        config.json("auth.tokens").ifPresent(node -> parseTokens(node, environment, tokens, origins));
        refuseSharedValues(tokens, origins);
        String issuer = config.string("auth.issuer").orElse(null);
        List<String> servers = config.list("auth.authorization_servers");
        if (servers.isEmpty() && issuer != null) {
            servers = List.of(issuer);
        }
        Auth auth = new Auth(mode, tokens, issuer, config.string("auth.audience").orElse(null),
                config.url("auth.jwks_url").orElse(null), config.path("auth.public_key_file").orElse(null),
                config.bool("auth.jwks_allow_insecure_loopback").orElse(false), servers,
                config.list("auth.required_scopes"), config.list("auth.scopes_supported"),
                config.duration("auth.clock_skew").orElseThrow(),
                config.duration("auth.jwks_refresh_interval").orElseThrow(),
                config.duration("auth.jwks_cache_ttl").orElseThrow());
        checkAuth(auth);
        Tls tls = null;
        Optional<Path> cert = config.path("tls.cert_file");
        Optional<Path> key = config.path("tls.key_file");
        Optional<Path> pkcs12 = config.path("tls.pkcs12_file");
        if (cert.isPresent() != key.isPresent()) {
            throw new ProviderConfigException("http.tls.cert_file and http.tls.key_file must be set together");
        }
        if (cert.isPresent() && pkcs12.isPresent()) {
            throw new ProviderConfigException("http.tls: set either cert_file and key_file or pkcs12_file, not both");
        }
        if (cert.isPresent() || pkcs12.isPresent()) {
            tls = new Tls(cert.orElse(null), key.orElse(null), pkcs12.orElse(null),
                    config.secret("tls.pkcs12_password").orElse(null));
        }
        return new HttpSettings(config.requireString("host"), config.integer("port").orElseThrow(),
                config.requireString("path"), config.url("public_url").orElse(null), config.list("allowed_origins"),
                config.list("allowed_hosts"), limits, sessions, auth, config.bool("metrics.enabled").orElse(true),
                config.bool("metrics.require_auth").orElse(false), config.duration("ready_cache").orElseThrow(), tls,
                false);
    }

    private static void checkAuth(Auth auth) {
        switch (auth.mode()) {
            case STATIC -> {
                if (auth.tokens().isEmpty()) {
                    throw new ProviderConfigException("http.auth.mode is static but no token is configured: set "
                            + "http.auth.token (BASTION_HTTP_TOKEN) or http.auth.tokens");
                }
            }
            case OAUTH -> {
                if (auth.issuer() == null) {
                    throw new ProviderConfigException("http.auth.mode is oauth but http.auth.issuer is not set");
                }
                if ((auth.jwksUrl() == null) == (auth.publicKeyFile() == null)) {
                    throw new ProviderConfigException("http.auth.mode is oauth: set exactly one of "
                            + "http.auth.jwks_url and http.auth.public_key_file");
                }
                if (auth.jwksUrl() != null) {
                    checkJwksUrl(auth.jwksUrl(), auth.jwksAllowInsecureLoopback());
                }
            }
            case NONE -> {
            }
        }
    }

    /**
     * The key set must come over HTTPS: whoever can change it in transit can sign any token. Plain
     * http is accepted only for a loopback host with {@code auth.jwks_allow_insecure_loopback}, the
     * same rule the outbound client applies when it fetches, checked here so the server refuses to
     * start instead of answering every request 503.
     */
    private static void checkJwksUrl(URI url, boolean allowInsecureLoopback) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme)) {
            return;
        }
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1");
        if ("http".equals(scheme) && loopback && allowInsecureLoopback) {
            return;
        }
        throw new ProviderConfigException("http.auth.jwks_url must use https" + ("http".equals(scheme) && loopback
                ? " (or set http.auth.jwks_allow_insecure_loopback for a local test issuer)" : "")
                + ": a key set fetched over " + (scheme.isEmpty() ? "no scheme" : scheme)
                + " could be replaced in transit, and with it every token's signature");
    }

    private static final Set<String> TOKEN_KEYS = Set.of("name", "scopes", "sha256", "env");

    /** Reads {@code auth.tokens} strictly: every key known, every value of the right shape. */
    private static void parseTokens(JsonNode node, Map<String, String> environment, List<StaticToken> tokens,
                                    List<String> origins) {
        if (!node.isArray()) {
            throw new ProviderConfigException("http.auth.tokens must be a list of {name, scopes, sha256|env}");
        }
        int index = 0;
        for (JsonNode entry : node) {
            String where = "http.auth.tokens[" + index++ + "]";
            if (!entry.isObject()) {
                throw new ProviderConfigException(where + " must be a map {name, scopes, sha256|env}");
            }
            entry.fieldNames().forEachRemaining(key -> {
                if (!TOKEN_KEYS.contains(key)) {
                    throw new ProviderConfigException(where + ": unknown key '" + key + "'"
                            + DidYouMean.hint(key, TOKEN_KEYS.stream().sorted().toList(), "")
                            + " (the keys are name, scopes, sha256, env)");
                }
            });
            JsonNode nameNode = entry.path("name");
            if (!nameNode.isTextual() || nameNode.asText().isBlank()) {
                throw new ProviderConfigException(where + ": 'name' is required (the principal name, as text)");
            }
            String name = nameNode.asText().strip();
            List<String> scopes = new ArrayList<>();
            if (entry.has("scopes")) {
                JsonNode scopesNode = entry.get("scopes");
                if (!scopesNode.isArray()) {
                    throw new ProviderConfigException(where + ": 'scopes' must be a list, such as [bastion:read]");
                }
                for (JsonNode scope : scopesNode) {
                    if (!scope.isTextual() || scope.asText().isBlank()) {
                        throw new ProviderConfigException(where + ": every entry of 'scopes' must be a scope name");
                    }
                    scopes.add(scope.asText().strip());
                }
                if (scopes.isEmpty()) {
                    throw new ProviderConfigException(where + ": 'scopes' is empty; name the scopes the token grants "
                            + "(such as [bastion:read]), or leave 'scopes' out for bastion:read");
                }
            } else {
                scopes.add("bastion:read");
            }
            boolean hasHash = entry.hasNonNull("sha256");
            boolean hasEnv = entry.hasNonNull("env");
            if (hasHash == hasEnv) {
                throw new ProviderConfigException(where + ": set exactly one of 'sha256' and 'env'");
            }
            byte[] hash;
            String origin;
            if (hasHash) {
                String hex = entry.get("sha256").asText().strip().toLowerCase(Locale.ROOT);
                if (!hex.matches("[0-9a-f]{64}")) {
                    throw new ProviderConfigException(where + ": 'sha256' must be 64 hexadecimal digits");
                }
                hash = HexFormat.of().parseHex(hex);
                origin = where + " (" + name + ")";
            } else {
                String variable = entry.get("env").asText();
                String value = environment.get(variable);
                if (value == null || value.isEmpty()) {
                    throw new ProviderConfigException(where + ": the environment variable " + variable
                            + " is not set");
                }
                origin = where + " (" + name + ", environment variable " + variable + ")";
                requireStrong(origin, value);
                hash = StaticTokenAuthenticator.sha256(value);
            }
            tokens.add(new StaticToken(name, hash, Set.copyOf(scopes)));
            origins.add(origin);
        }
    }

    /** Refuses a token that is too weak to guard the server, naming where it came from, never its value. */
    private static void requireStrong(String where, String value) {
        TokenStrength.weakness(value).ifPresent(why -> {
            throw new ProviderConfigException(where + ": the token " + why);
        });
    }

    /** One value under two names would make the principal depend on which entry happens to match first. */
    private static void refuseSharedValues(List<StaticToken> tokens, List<String> origins) {
        for (int i = 0; i < tokens.size(); i++) {
            for (int j = i + 1; j < tokens.size(); j++) {
                if (java.security.MessageDigest.isEqual(tokens.get(i).sha256(), tokens.get(j).sha256())) {
                    throw new ProviderConfigException(origins.get(j) + " has the same token value as " + origins.get(i)
                            + "; give every principal its own token");
                }
            }
        }
    }

    /** The token values {@code auth.tokens} reads from the environment, for the redactor. */
    public static List<String> environmentTokenValues(ProviderConfig config, Map<String, String> environment) {
        List<String> values = new ArrayList<>();
        config.json("auth.tokens").ifPresent(node -> node.forEach(entry -> {
            if (entry.hasNonNull("env")) {
                String value = environment.get(entry.get("env").asText());
                if (value != null && !value.isEmpty()) {
                    values.add(value);
                }
            }
        }));
        return values;
    }

    private static Optional<String> checkPath(String source, String value) {
        return value.startsWith("/") && value.length() > 1 && value.matches("[A-Za-z0-9/_.~-]+")
                && !value.endsWith("/") && !value.contains("//") && !value.startsWith("/.well-known")
                ? Optional.empty()
                : Optional.of(source + ": the MCP path must start with '/', not end with '/', and use only letters, "
                + "digits and / _ . ~ -");
    }

    private static Optional<String> checkMode(String source, String value) {
        return Set.of("none", "static", "oauth").contains(value.strip().toLowerCase(Locale.ROOT)) ? Optional.empty()
                : Optional.of(source + ": must be one of none, static, oauth");
    }

}
