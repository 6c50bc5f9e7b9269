package dev.bastion.toolkit.credentials;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import dev.bastion.security.outbound.BackendErrors;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.Idempotent;
import dev.bastion.security.outbound.OutboundHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): fetches an access token from the token endpoint
 * and sends it as {@code Authorization: Bearer <token>}.
 *
 * <ul>
 *   <li>The token is cached until shortly before {@code expires_in} (10 % of its lifetime, at most
 *       {@link Builder#maxSkew(Duration) 30 s}).</li>
 *   <li>Concurrent callers share one token request, and the expiry check and the refresh cannot
 *       interleave (see the class comment of {@code TokenCache}).</li>
 *   <li>A {@code 401} from the backend drops the token and allows one refresh; a {@code 401} to
 *       the refreshed token gives up ({@link #invalidate()} returns {@code false}).</li>
 *   <li>The client secret and every fetched token are registered with the redactor; token
 *       endpoint failures are {@link CredentialException}s naming the provider's settings.</li>
 * </ul>
 *
 * <p>The token request goes through a client built by {@link OutboundHttp} (HTTPS only, timeouts,
 * proxy, CA file), which must not carry these credentials itself.
 */
public final class OAuthClientCredentials implements BackendCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthClientCredentials.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_RESPONSE_CHARS = 64 * 1024;

    /** How the client authenticates to the token endpoint (RFC 6749 §2.3.1). */
    public enum ClientAuthentication {
        /** {@code client_id} and {@code client_secret} as form fields; what Dynatrace SSO expects. */
        CLIENT_SECRET_POST,
        /** {@code Authorization: Basic base64(urlencode(id):urlencode(secret))}. */
        CLIENT_SECRET_BASIC
    }

    /**
     * The provider's names for the settings behind each value, so a failure says which one to
     * check (such as {@code "check oauth_client_id and oauth_client_secret"}).
     */
    public record SettingNames(String tokenUrl, String clientId, String clientSecret, String scopes) {
        public SettingNames {
            requireNonNull(tokenUrl, "tokenUrl is null");
            requireNonNull(clientId, "clientId is null");
            requireNonNull(clientSecret, "clientSecret is null");
            requireNonNull(scopes, "scopes is null");
        }

        public static final SettingNames DEFAULT = new SettingNames("token_url", "client_id", "client_secret",
                "scopes");
    }

    private final String backendName;
    private final HttpUrl tokenUrl;
    private final String clientId;
    private final Secret clientSecret;
    private final Supplier<List<String>> scopes;
    private final String resource;
    private final String audience;
    private final ClientAuthentication authentication;
    private final SettingNames settings;
    private final Duration maxSkew;
    private final Clock clock;
    private final Supplier<OkHttpClient> client;
    private final Redactor redactor;
    private final TokenCache cache;
    /** The scopes of the last token the endpoint issued; what the client may do with it. */
    private volatile Set<String> granted = Set.of();

    private OAuthClientCredentials(Builder builder, Supplier<OkHttpClient> client, Redactor redactor) {
        this.backendName = builder.backendName;
        this.tokenUrl = builder.tokenUrl;
        this.clientId = builder.clientId;
        this.clientSecret = builder.clientSecret;
        this.scopes = builder.scopes;
        this.resource = builder.resource;
        this.audience = builder.audience;
        this.authentication = builder.authentication;
        this.settings = builder.settings;
        this.maxSkew = builder.maxSkew;
        this.clock = builder.clock;
        this.client = requireNonNull(client, "client is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        redactor.registerSecret(clientSecret.reveal());
        redactor.registerSecret(basicCredentials());
        this.cache = new TokenCache(this::fetch, clock);
    }

    /**
     * @param backendName the label used in messages and logs, such as {@code dynatrace-platform/prod}
     * @param tokenUrl the token endpoint, such as {@code https://sso.dynatrace.com/sso/oauth2/token}
     */
    public static Builder builder(String backendName, URI tokenUrl, String clientId, Secret clientSecret) {
        return new Builder(backendName, tokenUrl, clientId, clientSecret);
    }

    @Override
    public Map<String, String> headersFor(OutgoingRequest request) throws IOException {
        return Map.of("Authorization", "Bearer " + cache.get().value());
    }

    /** The current access token, fetched when there is none or it is due. */
    public Secret accessToken() throws IOException {
        return Secret.of(cache.get().value());
    }

    /**
     * The scopes the current access token carries, fetching one when there is none: the token
     * response's {@code scope}, or the scopes asked for when the response leaves it out (RFC 6749
     * §5.1 omits it only when it equals the request). An identity provider that grants fewer scopes
     * than asked says so here, so a provider can name the tools that will fail before they are called.
     */
    public Set<String> grantedScopes() throws IOException {
        cache.get();
        return granted;
    }

    @Override
    public boolean invalidate() {
        boolean retry = cache.invalidate();
        if (retry) {
            LOG.debug("{}: the backend refused the OAuth access token; fetching a new one", backendName);
        } else {
            LOG.debug("{}: the backend refused a freshly fetched OAuth access token too; giving up", backendName);
        }
        return retry;
    }

    @Override
    public List<String> secretValues() {
        return List.of(clientSecret.reveal(), basicCredentials());
    }

    @Override
    public String toString() {
        return "OAuthClientCredentials[backend=" + backendName + ", clientId=" + clientId + ", clientSecret="
                + Secret.MASK + "]";
    }

    private TokenCache.Fetched fetch() throws IOException {
        FormBody.Builder form = new FormBody.Builder(StandardCharsets.UTF_8).add("grant_type", "client_credentials");
        if (authentication == ClientAuthentication.CLIENT_SECRET_POST) {
            form.add("client_id", clientId).add("client_secret", clientSecret.reveal());
        }
        List<String> asked;
        try {
            asked = checkScopes(requireNonNull(scopes.get(), "the scopes are null"));
        } catch (RuntimeException e) {
            throw failure("the scopes to ask for could not be determined (" + e.getMessage() + ")");
        }
        if (!asked.isEmpty()) {
            form.add("scope", String.join(" ", asked));
        }
        if (resource != null) {
            form.add("resource", resource);
        }
        if (audience != null) {
            form.add("audience", audience);
        }
        Request.Builder request = new Request.Builder().url(tokenUrl).post(form.build())
                .header("Accept", "application/json");
        if (authentication == ClientAuthentication.CLIENT_SECRET_BASIC) {
            request.header("Authorization", "Basic " + basicCredentials());
        }
        // A token request changes nothing on the server, so a busy answer may be retried.
        Idempotent.mark(request);
        Instant sent = clock.instant();
        try (Response response = client.get().newCall(request.build()).execute()) {
            String body = readBody(response);
            return parse(response, body, sent, asked);
        } catch (CredentialException e) {
            throw e;
        } catch (IOException e) {
            // Not "token: …": the redactor would take what follows a "token:" for a token's value.
            throw failure("the OAuth token request failed (" + EndpointFailures.describe(e, "the token endpoint")
                    + "); check " + settings.tokenUrl() + " and the network path to it");
        }
    }

    private static String readBody(Response response) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return "";
        }
        String text = body.string();
        return text.length() > MAX_TOKEN_RESPONSE_CHARS ? text.substring(0, MAX_TOKEN_RESPONSE_CHARS) : text;
    }

    private TokenCache.Fetched parse(Response response, String body, Instant sent, List<String> asked)
            throws CredentialException {
        JsonNode json = readJson(body);
        if (!response.isSuccessful() || json != null && json.hasNonNull("error")) {
            throw refused(response, body, json);
        }
        if (json == null || !json.isObject()) {
            throw failure("the token endpoint answered " + response.code() + " with " + describeBody(response, body)
                    + " instead of an OAuth token response; check " + settings.tokenUrl());
        }
        JsonNode accessToken = json.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isEmpty()) {
            throw failure("the token endpoint's answer has no access_token; check " + settings.tokenUrl());
        }
        String token = accessToken.asText();
        // Registered before anything else can print it, even if it is refused below.
        redactor.registerSecret(token);
        if (TokenText.firstUnsendable(token) >= 0) {
            throw failure("the token endpoint returned an access_token that cannot be sent in an HTTP header;"
                    + " check " + settings.tokenUrl());
        }
        JsonNode tokenType = json.get("token_type");
        if (tokenType != null && tokenType.isTextual() && !tokenType.asText().equalsIgnoreCase("bearer")) {
            throw failure("the token endpoint returned a token of type \"" + oneWord(tokenType.asText())
                    + "\", not a bearer token; check " + settings.tokenUrl());
        }
        JsonNode scope = json.get("scope");
        granted = scope != null && scope.isTextual()
                ? java.util.Arrays.stream(scope.asText().strip().split("\\s+")).filter(s -> !s.isEmpty())
                        .collect(java.util.stream.Collectors.toUnmodifiableSet())
                : Set.copyOf(asked);
        Duration lifetime = lifetime(json.get("expires_in"));
        Duration skew = lifetime.dividedBy(10).compareTo(maxSkew) < 0 ? lifetime.dividedBy(10) : maxSkew;
        LOG.debug("{}: fetched an OAuth access token valid for {} s", backendName, lifetime.toSeconds());
        return new TokenCache.Fetched(token, sent.plus(lifetime).minus(skew));
    }

    /** {@code expires_in} in seconds, as a number or a numeric string; absent means a conservative default. */
    private static Duration lifetime(JsonNode expiresIn) {
        long seconds = -1;
        if (expiresIn != null && expiresIn.isNumber()) {
            seconds = expiresIn.asLong();
        } else if (expiresIn != null && expiresIn.isTextual()) {
            try {
                seconds = Long.parseLong(expiresIn.asText().strip());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
        }
        if (seconds < 0) {
            // RFC 6749 only recommends expires_in; without it, renew early rather than send a dead token.
            return Duration.ofSeconds(60);
        }
        return Duration.ofSeconds(seconds);
    }

    private CredentialException refused(Response response, String body, JsonNode json) {
        String error = json == null ? null : text(json.get("error"));
        String description = json == null ? null : text(json.get("error_description"));
        if (description == null && json != null) {
            description = text(json.get("message"));
        }
        StringBuilder message = new StringBuilder(response.code() >= 500 ? "the token endpoint failed ("
                : "the token endpoint refused the request (").append(response.code());
        if (error != null) {
            message.append(' ').append(oneWord(error));
        }
        if (description != null) {
            message.append(": ").append(description);
        } else if (error == null) {
            message.append(": ").append(describeBody(response, body));
        }
        message.append("); ").append(hint(response.code(), error));
        return failure(message.toString(), response.code() < 500);
    }

    private String hint(int status, String error) {
        String credentials = "check " + settings.clientId() + " and " + settings.clientSecret();
        if (error != null) {
            switch (error.toLowerCase(Locale.ROOT)) {
                case "invalid_client", "unauthorized_client":
                    return credentials;
                case "invalid_scope":
                    return "check " + settings.scopes() + " (the client may not be allowed those scopes)";
                case "invalid_target":
                    return "check the resource or audience the provider asks for, and " + settings.clientId();
                case "unsupported_grant_type", "invalid_request":
                    return "check " + settings.tokenUrl() + " (the endpoint may not accept client credentials)";
                default:
                    break;
            }
        }
        if (status == 401 || status == 403) {
            return credentials;
        }
        if (status == 404 || status == 405) {
            return "check " + settings.tokenUrl();
        }
        if (status >= 500) {
            return "try again later, and check " + settings.tokenUrl() + " if it keeps failing";
        }
        return credentials + ", and " + settings.tokenUrl();
    }

    private String describeBody(Response response, String body) {
        String stripped = body.strip();
        if (stripped.isEmpty()) {
            return "an empty body";
        }
        String lower = stripped.substring(0, Math.min(200, stripped.length())).toLowerCase(Locale.ROOT);
        boolean html = lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.contains("<body")
                || response.body() != null && response.body().contentType() != null
                && "html".equalsIgnoreCase(response.body().contentType().subtype());
        if (html) {
            // BackendErrors knows how to name an HTML page by its title.
            String summary = BackendErrors.summarize("x", response, stripped, redactor);
            int colon = summary.indexOf(": ");
            return colon < 0 ? "an HTML page" : summary.substring(colon + 2);
        }
        return readJson(body) == null ? "a body that is not JSON" : "JSON that is not an OAuth token response";
    }

    private static JsonNode readJson(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private String text(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            return null;
        }
        String value = redactor.redact(node.asText()).replaceAll("\\s+", " ").strip();
        return value.length() <= BackendErrors.MAX_MESSAGE_CHARS ? value
                : value.substring(0, BackendErrors.MAX_MESSAGE_CHARS - 1) + "…";
    }

    private static String oneWord(String text) {
        String word = text.replaceAll("[^A-Za-z0-9_.:-]", "");
        return word.length() <= 60 ? word : word.substring(0, 60);
    }

    private CredentialException failure(String message) {
        return failure(message, false);
    }

    private CredentialException failure(String message, boolean refused) {
        String line = redactor.redact(backendName + ": " + message);
        LOG.debug("{}", line);
        return new CredentialException(line, refused);
    }

    private static List<String> checkScopes(List<String> value) {
        List<String> copy = List.copyOf(value);
        for (String scope : copy) {
            if (scope.isEmpty() || scope.chars().anyMatch(c -> c <= 0x20 || c == '"' || c == '\\' || c > 0x7e)) {
                throw new IllegalArgumentException("the OAuth scope \"" + scope.strip()
                        + "\" is not a valid scope (no spaces, quotes or backslashes)");
            }
        }
        return copy;
    }

    private String basicCredentials() {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret.reveal(), StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Builds {@link OAuthClientCredentials}; only the token endpoint, client id and secret are required. */
    public static final class Builder {
        private final String backendName;
        private final HttpUrl tokenUrl;
        private final String clientId;
        private final Secret clientSecret;
        private Supplier<List<String>> scopes = List::of;
        private String resource;
        private String audience;
        private ClientAuthentication authentication = ClientAuthentication.CLIENT_SECRET_POST;
        private SettingNames settings = SettingNames.DEFAULT;
        private Duration maxSkew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder(String backendName, URI tokenUrl, String clientId, Secret clientSecret) {
            this.backendName = requireNonNull(backendName, "backendName is null");
            requireNonNull(tokenUrl, "tokenUrl is null");
            this.clientId = requireNonNull(clientId, "clientId is null");
            this.clientSecret = requireNonNull(clientSecret, "clientSecret is null");
            this.tokenUrl = HttpUrl.parse(tokenUrl.toString());
            if (this.tokenUrl == null) {
                throw new IllegalArgumentException("the OAuth token URL must be an http(s) URL");
            }
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("the OAuth client id is empty");
            }
            if (clientSecret.isEmpty()) {
                throw new IllegalArgumentException("the OAuth client secret is empty");
            }
        }

        /** The scopes to ask for, sent space-separated in {@code scope}; none by default. */
        public Builder scopes(List<String> value) {
            List<String> copy = checkScopes(requireNonNull(value, "scopes is null"));
            this.scopes = () -> copy;
            return this;
        }

        /**
         * The scopes to ask for, read at each token request: for a provider whose scopes follow
         * the tools the server's policy enables, known only once the provider exists.
         */
        public Builder scopes(Supplier<List<String>> value) {
            this.scopes = requireNonNull(value, "scopes is null");
            return this;
        }

        /** The {@code resource} parameter (RFC 8707), such as Dynatrace's {@code urn:dtaccount:<uuid>}. */
        public Builder resource(String value) {
            this.resource = requireNonNull(value, "resource is null");
            return this;
        }

        /** The {@code audience} parameter some identity providers ask for. */
        public Builder audience(String value) {
            this.audience = requireNonNull(value, "audience is null");
            return this;
        }

        public Builder authentication(ClientAuthentication value) {
            this.authentication = requireNonNull(value, "authentication is null");
            return this;
        }

        /** The provider's setting names, for messages; {@link SettingNames#DEFAULT} otherwise. */
        public Builder settingNames(SettingNames value) {
            this.settings = requireNonNull(value, "settingNames is null");
            return this;
        }

        /** Renew this long before expiry at most (10 % of the lifetime when that is less). */
        public Builder maxSkew(Duration value) {
            requireNonNull(value, "maxSkew is null");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxSkew must not be negative");
            }
            this.maxSkew = value;
            return this;
        }

        /** The clock expiry is measured with; tests pass a controllable one. */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock is null");
            return this;
        }

        /**
         * Sends token requests with a client built from {@code tokenEndpoint} (its credentials are
         * ignored: the token request authenticates with the client id and secret), built on first use.
         *
         * @throws ProviderConfigException when the token URL is not https and the spec allows no
         *     plain-http loopback
         */
        public OAuthClientCredentials build(OutboundHttp outbound, BackendSpec tokenEndpoint) {
            requireNonNull(outbound, "outbound is null");
            requireNonNull(tokenEndpoint, "tokenEndpoint is null");
            // The client refuses plain http at the first request as well; saying so at start-up is kinder.
            if (!tokenUrl.isHttps() && !tokenEndpoint.allowInsecureLoopback()) {
                throw new ProviderConfigException(settings.tokenUrl() + " must be an https:// URL");
            }
            return new OAuthClientCredentials(this, outbound.lazyClient(tokenEndpoint.withoutCredentials()),
                    outbound.redactor());
        }

        /**
         * Sends token requests with {@code client}, which must come from {@link OutboundHttp} and
         * must not carry these credentials (a token request that needs a token would never end).
         */
        public OAuthClientCredentials build(OkHttpClient client, Redactor redactor) {
            requireNonNull(client, "client is null");
            return new OAuthClientCredentials(this, () -> client, redactor);
        }
    }
}
