package dev.bastion.toolkit.credentials;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import dev.bastion.security.outbound.BackendErrors;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session token from a login endpoint: a {@code POST} with the user name and password (a JSON
 * body or a form) returns a token (a bare string, a JSON-quoted string or a field of a JSON
 * object) that is good for a while and then must be renewed. The Itential Platform's
 * {@code POST /login} is the model.
 *
 * <ul>
 *   <li>The token is renewed by logging in again shortly before its {@link Builder#ttl(Duration)}
 *       passes; concurrent callers share one login.</li>
 *   <li>Where the token goes is a {@link TokenPlacement}: a header, or a query parameter (then
 *       the backend client needs {@link #authorize(OkHttpClient)}).</li>
 *   <li>Optionally a {@code GET} at an interval keeps the session alive (Itential's
 *       {@code GET /whoami}); when it fails, the session logs in again, once.</li>
 *   <li>A {@code 401} drops the token and allows one new login; a {@code 401} to that new token
 *       gives up.</li>
 *   <li>The password and every token are registered with the redactor; login failures are
 *       {@link CredentialException}s naming the provider's settings.</li>
 * </ul>
 * A session with a keepalive holds a thread: {@link #close()} it with the provider.
 */
public final class SessionLogin implements BackendCredentials, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLogin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_TOKEN_CHARS = 16 * 1024;

    /** The body of the login request, built from the user name and password at each login. */
    @FunctionalInterface
    public interface LoginBody {

        RequestBody build(String username, Secret password);

        /**
         * A JSON object with the user name and password at the given JSON pointers; Itential's
         * {@code {"user":{"username":…,"password":…}}} is {@code json("/user/username", "/user/password")}.
         */
        static LoginBody json(String usernamePointer, String passwordPointer) {
            List<String> userPath = pointer(usernamePointer);
            List<String> passwordPath = pointer(passwordPointer);
            return (username, password) -> {
                ObjectNode root = JsonNodeFactory.instance.objectNode();
                put(root, userPath, username);
                put(root, passwordPath, password.reveal());
                return RequestBody.create(root.toString().getBytes(StandardCharsets.UTF_8), JSON_TYPE);
            };
        }

        /** A form ({@code application/x-www-form-urlencoded}) with the two fields. */
        static LoginBody form(String usernameField, String passwordField) {
            requireNonNull(usernameField, "usernameField is null");
            requireNonNull(passwordField, "passwordField is null");
            return (username, password) -> new FormBody.Builder(StandardCharsets.UTF_8)
                    .add(usernameField, username).add(passwordField, password.reveal()).build();
        }

        private static List<String> pointer(String pointer) {
            requireNonNull(pointer, "pointer is null");
            if (!pointer.startsWith("/") || pointer.length() < 2) {
                throw new IllegalArgumentException("\"" + pointer + "\" is not a JSON pointer such as /user/username");
            }
            List<String> names = new ArrayList<>();
            for (String part : pointer.substring(1).split("/", -1)) {
                if (part.isEmpty()) {
                    throw new IllegalArgumentException("\"" + pointer + "\" has an empty segment");
                }
                names.add(part.replace("~1", "/").replace("~0", "~"));
            }
            return List.copyOf(names);
        }

        private static void put(ObjectNode root, List<String> path, String value) {
            ObjectNode node = root;
            for (String name : path.subList(0, path.size() - 1)) {
                node = node.has(name) && node.get(name).isObject() ? (ObjectNode) node.get(name) : node.putObject(name);
            }
            node.put(path.get(path.size() - 1), value);
        }
    }

    /** How the token is read from a successful login response. */
    @FunctionalInterface
    public interface TokenFormat {

        /** The token, or {@code null} when the body holds none. */
        String read(String body);

        /** The body is the token: bare ({@code abc}) or a JSON string ({@code "abc"}). */
        static TokenFormat text() {
            return body -> {
                String stripped = body.strip();
                if (stripped.startsWith("\"")) {
                    try {
                        JsonNode node = JSON.readTree(stripped);
                        return node != null && node.isTextual() ? node.asText() : null;
                    } catch (IOException e) {
                        return null;
                    }
                }
                if (stripped.startsWith("{") || stripped.startsWith("[") || stripped.startsWith("<")) {
                    return null;
                }
                return stripped;
            };
        }

        /** A string field of a JSON object, by JSON pointer, such as {@code /token} or {@code /data/session}. */
        static TokenFormat field(String pointer) {
            requireNonNull(pointer, "pointer is null");
            if (!pointer.startsWith("/")) {
                throw new IllegalArgumentException("\"" + pointer + "\" is not a JSON pointer such as /token");
            }
            return body -> {
                try {
                    JsonNode node = JSON.readTree(body);
                    JsonNode token = node == null ? null : node.at(pointer);
                    return token != null && token.isTextual() ? token.asText() : null;
                } catch (IOException e) {
                    return null;
                }
            };
        }
    }

    /** The provider's names for the settings behind each value, for "check …" hints. */
    public record SettingNames(String url, String username, String password) {
        public SettingNames {
            requireNonNull(url, "url is null");
            requireNonNull(username, "username is null");
            requireNonNull(password, "password is null");
        }

        public static final SettingNames DEFAULT = new SettingNames("url", "username", "password");
    }

    private final String backendName;
    private final HttpUrl loginUrl;
    private final String username;
    private final Secret password;
    private final LoginBody body;
    private final TokenFormat format;
    private final TokenPlacement placement;
    private final Duration ttl;
    private final Duration maxSkew;
    private final HttpUrl keepAliveUrl;
    private final Duration keepAliveInterval;
    private final SettingNames settings;
    private final Clock clock;
    private final Supplier<OkHttpClient> client;
    private final Redactor redactor;
    private final TokenCache cache;
    private final Object keepAliveLock = new Object();
    private ScheduledExecutorService keepAlive;
    private boolean closed;

    private SessionLogin(Builder builder, Supplier<OkHttpClient> client, Redactor redactor) {
        this.backendName = builder.backendName;
        this.loginUrl = builder.loginUrl;
        this.username = builder.username;
        this.password = builder.password;
        this.body = builder.body;
        this.format = builder.format;
        this.placement = builder.placement;
        this.ttl = builder.ttl;
        this.maxSkew = builder.maxSkew;
        this.keepAliveUrl = builder.keepAliveUrl;
        this.keepAliveInterval = builder.keepAliveInterval;
        this.settings = builder.settings;
        this.clock = builder.clock;
        this.client = requireNonNull(client, "client is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        redactor.registerSecret(password.reveal());
        this.cache = new TokenCache(this::login, clock);
    }

    /**
     * @param backendName the label used in messages and logs, such as {@code itential/prod}
     * @param loginUrl the login endpoint, such as {@code https://itential.example.com/login}
     */
    public static Builder builder(String backendName, URI loginUrl, String username, Secret password) {
        return new Builder(backendName, loginUrl, username, password);
    }

    @Override
    public Map<String, String> headersFor(OutgoingRequest request) throws IOException {
        // Also for a query placement: taking the token here is what ties a later 401 to it.
        return placement.headers(cache.get().value());
    }

    @Override
    public boolean invalidate() {
        boolean retry = cache.invalidate();
        LOG.debug(retry ? "{}: the backend refused the session token; logging in again"
                : "{}: the backend refused a fresh session token too; giving up", backendName);
        return retry;
    }

    @Override
    public List<String> secretValues() {
        return List.of(password.reveal());
    }

    /** The current session token, logging in when there is none or it is due. */
    public Secret token() throws IOException {
        return Secret.of(cache.get().value());
    }

    /**
     * {@code backendClient} (built by {@link OutboundHttp} with these credentials) with the token
     * also placed in the URL, when the placement puts it there; otherwise {@code backendClient}
     * itself. The token is added by a network interceptor, so the {@code 401} retry gets the new
     * token too, the request log never shows it, and it goes only to the login URL's origin
     * (scheme, host and port), never to a host a redirect points at.
     */
    public OkHttpClient authorize(OkHttpClient backendClient) {
        requireNonNull(backendClient, "backendClient is null");
        if (!placement.changesUrl()) {
            return backendClient;
        }
        Interceptor query = chain -> {
            Request request = chain.request();
            if (!sameOrigin(request.url())) {
                return chain.proceed(request);
            }
            String token = cache.get().value();
            return chain.proceed(request.newBuilder().url(placement.url(request.url(), token)).build());
        };
        return backendClient.newBuilder().addNetworkInterceptor(query).build();
    }

    /** Stops the keepalive; the session itself needs no logout. */
    @Override
    public void close() {
        synchronized (keepAliveLock) {
            closed = true;
            if (keepAlive != null) {
                keepAlive.shutdownNow();
            }
        }
    }

    @Override
    public String toString() {
        return "SessionLogin[backend=" + backendName + ", username=" + username + ", password=" + Secret.MASK
                + ", token in " + placement + "]";
    }

    private boolean sameOrigin(HttpUrl url) {
        return url.scheme().equals(loginUrl.scheme()) && url.host().equals(loginUrl.host())
                && url.port() == loginUrl.port();
    }

    private TokenCache.Fetched login() throws IOException {
        Request request = new Request.Builder().url(loginUrl).post(body.build(username, password)).build();
        Instant sent = clock.instant();
        String token;
        try (Response response = client.get().newCall(request).execute()) {
            String text = readBody(response);
            if (!response.isSuccessful()) {
                throw refused(response, text);
            }
            token = format.read(text);
            if (token == null || token.isEmpty()) {
                throw failure("the login endpoint answered " + response.code() + " without a session token in the"
                        + " expected form; check " + settings.url());
            }
        } catch (CredentialException e) {
            throw e;
        } catch (IOException e) {
            throw failure("could not log in (" + EndpointFailures.describe(e, "the login endpoint") + "); check "
                    + settings.url() + " and the network path to it");
        }
        redactor.registerSecret(token);
        if (TokenText.firstUnsendable(token) >= 0) {
            throw failure("the login endpoint returned a session token that cannot be sent in an HTTP request;"
                    + " check " + settings.url());
        }
        Duration skew = ttl.dividedBy(10).compareTo(maxSkew) < 0 ? ttl.dividedBy(10) : maxSkew;
        LOG.debug("{}: logged in; the session is renewed in {} s", backendName, ttl.minus(skew).toSeconds());
        startKeepAlive();
        return new TokenCache.Fetched(token, sent.plus(ttl).minus(skew));
    }

    private CredentialException refused(Response response, String text) {
        String summary = BackendErrors.summarize("the login endpoint", response, text, redactor);
        int status = response.code();
        String hint;
        if (status == 401 || status == 403) {
            hint = "check " + settings.username() + " and " + settings.password();
        } else if (status == 404 || status == 405) {
            hint = "check " + settings.url();
        } else if (status >= 500) {
            hint = "try again later, and check " + settings.url() + " if it keeps failing";
        } else {
            hint = "check " + settings.username() + ", " + settings.password() + " and " + settings.url();
        }
        return failure("could not log in: " + summary + "; " + hint, status >= 400 && status < 500);
    }

    private static String readBody(Response response) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return "";
        }
        String text = body.string();
        return text.length() > MAX_TOKEN_CHARS ? text.substring(0, MAX_TOKEN_CHARS) : text;
    }

    private CredentialException failure(String message) {
        return failure(message, false);
    }

    private CredentialException failure(String message, boolean refused) {
        String line = redactor.redact(backendName + ": " + message);
        LOG.debug("{}", line);
        return new CredentialException(line, refused);
    }

    private void startKeepAlive() {
        if (keepAliveUrl == null) {
            return;
        }
        synchronized (keepAliveLock) {
            if (keepAlive != null || closed) {
                return;
            }
            keepAlive = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "bastion-keepalive-" + backendName);
                thread.setDaemon(true);
                return thread;
            });
            long millis = keepAliveInterval.toMillis();
            keepAlive.scheduleWithFixedDelay(this::keepAliveOnce, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** One keepalive: a {@code GET} with the current token; on failure, one new login. */
    void keepAliveOnce() {
        TokenCache.Issued token = cache.peek();
        if (token == null || !clock.instant().isBefore(token.renewAt())) {
            // No session to keep, or it is due anyway: the next call logs in.
            return;
        }
        String problem;
        Request.Builder request = new Request.Builder().url(placement.url(keepAliveUrl, token.value())).get();
        placement.headers(token.value()).forEach(request::header);
        try (Response response = client.get().newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return;
            }
            problem = BackendErrors.summarize("the keepalive endpoint", response, redactor);
        } catch (IOException e) {
            problem = EndpointFailures.describe(e, "the keepalive endpoint");
        } catch (RuntimeException e) {
            problem = "the keepalive request failed";
        }
        LOG.info("{}", redactor.redact(backendName + ": the session keepalive failed (" + problem
                + "); logging in again"));
        cache.drop(token);
        try {
            cache.get();
        } catch (IOException e) {
            // The next call tries again and reports the failure to its caller.
            LOG.warn("{}", redactor.redact(String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.warn("{}: logging in again after the keepalive failed did not work", backendName);
        }
    }

    /** Builds {@link SessionLogin}; only the login URL, user name and password are required. */
    public static final class Builder {
        private final String backendName;
        private final HttpUrl loginUrl;
        private final String username;
        private final Secret password;
        private LoginBody body = LoginBody.json("/username", "/password");
        private TokenFormat format = TokenFormat.text();
        private TokenPlacement placement = TokenPlacement.bearer();
        private Duration ttl = Duration.ofMinutes(15);
        private Duration maxSkew = Duration.ofSeconds(30);
        private HttpUrl keepAliveUrl;
        private Duration keepAliveInterval;
        private SettingNames settings = SettingNames.DEFAULT;
        private Clock clock = Clock.systemUTC();

        private Builder(String backendName, URI loginUrl, String username, Secret password) {
            this.backendName = requireNonNull(backendName, "backendName is null");
            this.loginUrl = httpUrl(requireNonNull(loginUrl, "loginUrl is null"), "login URL");
            this.username = requireNonNull(username, "username is null");
            this.password = requireNonNull(password, "password is null");
            if (username.isBlank()) {
                throw new IllegalArgumentException("the user name is empty");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("the password is empty");
            }
        }

        /** The login request's body; {@code {"username":…,"password":…}} by default. */
        public Builder body(LoginBody value) {
            this.body = requireNonNull(value, "body is null");
            return this;
        }

        /** How the token is read; {@link TokenFormat#text()} (bare or JSON-quoted) by default. */
        public Builder tokenFormat(TokenFormat value) {
            this.format = requireNonNull(value, "tokenFormat is null");
            return this;
        }

        /** Where the token goes; {@link TokenPlacement#bearer()} by default. */
        public Builder placement(TokenPlacement value) {
            this.placement = requireNonNull(value, "placement is null");
            return this;
        }

        /** How long a token is good after login (15 min by default); it is renewed shortly before. */
        public Builder ttl(Duration value) {
            requireNonNull(value, "ttl is null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("ttl must be positive");
            }
            this.ttl = value;
            return this;
        }

        /** Renew this long before the TTL passes at most (10 % of the TTL when that is less). */
        public Builder maxSkew(Duration value) {
            requireNonNull(value, "maxSkew is null");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxSkew must not be negative");
            }
            this.maxSkew = value;
            return this;
        }

        /** A {@code GET url} with the token every {@code interval} while a session exists. */
        public Builder keepAlive(URI url, Duration interval) {
            requireNonNull(interval, "interval is null");
            if (interval.toMillis() <= 0) {
                throw new IllegalArgumentException("the keepalive interval must be positive");
            }
            this.keepAliveUrl = httpUrl(requireNonNull(url, "url is null"), "keepalive URL");
            this.keepAliveInterval = interval;
            return this;
        }

        public Builder settingNames(SettingNames value) {
            this.settings = requireNonNull(value, "settingNames is null");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock is null");
            return this;
        }

        /**
         * Logs in with a client built from {@code loginEndpoint} (its credentials are ignored: the
         * login authenticates with the user name and password), built on first use.
         *
         * @throws ProviderConfigException when a URL is not https and the spec allows no plain-http
         *     loopback
         */
        public SessionLogin build(OutboundHttp outbound, BackendSpec loginEndpoint) {
            requireNonNull(outbound, "outbound is null");
            requireNonNull(loginEndpoint, "loginEndpoint is null");
            // The client refuses plain http at the first request as well; saying so at start-up is kinder.
            if ((!loginUrl.isHttps() || keepAliveUrl != null && !keepAliveUrl.isHttps())
                    && !loginEndpoint.allowInsecureLoopback()) {
                throw new ProviderConfigException(settings.url() + " must be an https:// URL");
            }
            return new SessionLogin(this, outbound.lazyClient(loginEndpoint.withoutCredentials()),
                    outbound.redactor());
        }

        /**
         * Logs in with {@code client}, which must come from {@link OutboundHttp} and must not carry
         * these credentials (a login that needs the session would never end).
         */
        public SessionLogin build(OkHttpClient client, Redactor redactor) {
            requireNonNull(client, "client is null");
            return new SessionLogin(this, () -> client, redactor);
        }

        private static HttpUrl httpUrl(URI uri, String what) {
            HttpUrl url = HttpUrl.parse(uri.toString());
            if (url == null) {
                throw new IllegalArgumentException("the " + what + " must be an http(s) URL");
            }
            return url;
        }
    }
}
