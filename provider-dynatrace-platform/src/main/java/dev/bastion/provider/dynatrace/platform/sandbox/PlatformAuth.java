package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxAuth;
import dev.bastion.toolkit.sandbox.SandboxCredentials;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Who may call the platform: one platform token per environment (every scope, that environment
 * only) and one OAuth client whose access tokens ({@code POST /sso/oauth2/token}, client
 * credentials) carry the scopes asked for that the client was given (all by default; fewer when the
 * sandbox is started so), for any of the environments, for 300 s of the sandbox's clock. Like the
 * SSO, a request for scopes the client lacks is not refused: the token's {@code scope} lists what
 * was granted, and the platform's 403 names the rest when a call needs it.
 */
final class PlatformAuth {

    /** Every scope the sandbox knows; an OAuth request for another one is {@code invalid_scope}. */
    static final Set<String> SCOPES = Set.of(
            "app-engine:apps:run", "app-engine:functions:run", "app-settings:objects:read",
            "storage:buckets:read", "storage:logs:read", "storage:events:read", "storage:events:write",
            "storage:bizevents:read", "storage:spans:read", "storage:security.events:read",
            "storage:user.events:read", "storage:user.sessions:read", "storage:entities:read",
            "storage:smartscape:read", "storage:metrics:read", "storage:system:read", "storage:files:read",
            "davis-copilot:nl2dql:execute", "davis-copilot:dql2nl:execute", "davis-copilot:conversations:execute",
            "davis-copilot:document-search:execute", "davis:analyzers:read", "davis:analyzers:execute",
            "document:documents:read", "document:documents:write", "document:documents:delete",
            "email:emails:send", "automation:workflows:read", "automation:workflows:write", "automation:workflows:run");

    static final Duration ACCESS_TOKEN_TTL = Duration.ofSeconds(300);
    private static final Pattern PLATFORM_TOKEN = Pattern.compile("^dt0s16\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}$");
    private static final Pattern JWT = Pattern.compile("^eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
    private static final String JWT_HEADER = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"sandbox\"}");

    /**
     * A caller the platform accepted.
     *
     * @param scopes what it may do
     * @param environmentId the one environment it may call, or null for any (an OAuth token)
     */
    record Principal(Set<String> scopes, String environmentId) {

        /** Refuses with 403 unless the token carries every scope in {@code required}. */
        void require(String... required) {
            for (String scope : required) {
                if (!scopes.contains(scope)) {
                    throw PlatformErrors.missingScope(scope);
                }
            }
        }

        /** Refuses with 403 unless the token carries at least one of {@code anyOf}. */
        void requireAny(String... anyOf) {
            for (String scope : anyOf) {
                if (scopes.contains(scope)) {
                    return;
                }
            }
            throw PlatformErrors.missingScope(anyOf);
        }
    }

    private record Issued(Set<String> scopes, Instant expires) {
    }

    private final Clock clock;
    private final Map<String, String> platformTokens;
    private final String clientId;
    private final String clientSecret;
    private final Set<String> clientScopes;
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    PlatformAuth(Clock clock, List<String> environmentIds, Set<String> clientScopes) {
        this.clock = clock;
        this.clientScopes = Set.copyOf(clientScopes);
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String id : environmentIds) {
            tokens.put(id, "dt0s16." + SandboxCredentials.random(SandboxCredentials.BASE32, 24) + "."
                    + SandboxCredentials.random(SandboxCredentials.BASE32, 64));
        }
        this.platformTokens = Map.copyOf(tokens);
        String publicPart = SandboxCredentials.random(SandboxCredentials.BASE32, 8);
        this.clientId = "dt0s02." + publicPart;
        this.clientSecret = "dt0s02." + publicPart + "." + SandboxCredentials.random(SandboxCredentials.BASE32, 64);
    }

    String platformToken(String environmentId) {
        String token = platformTokens.get(environmentId);
        if (token == null) {
            throw new IllegalArgumentException("no such environment: " + environmentId);
        }
        return token;
    }

    Map<String, String> platformTokens() {
        return platformTokens;
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    /** Every access token issued so far, expired ones included, for masking. */
    List<String> issuedTokens() {
        return List.copyOf(issued.keySet());
    }

    /** The check the server runs before routing: every route but the token endpoint needs a bearer token. */
    SandboxAuth sandboxAuth() {
        return request -> {
            try {
                principal(request);
                return Optional.empty();
            } catch (Unauthorized e) {
                return Optional.of(e.response);
            }
        };
    }

    /** The caller of an already admitted request (the server's auth check passed). */
    Principal principal(SandboxRequest request) {
        String environmentId = request.segments().size() >= 2 && request.segments().get(0).equals("e")
                ? request.segments().get(1) : null;
        Optional<String> header = request.header("authorization");
        if (header.isEmpty() || header.get().isBlank()) {
            throw new Unauthorized("Authorization header is missing.");
        }
        String value = header.get().trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("Unsupported authorization scheme: use Bearer.");
        }
        String token = value.substring(7).trim();
        if (token.startsWith("dt0s16.")) {
            if (!PLATFORM_TOKEN.matcher(token).matches()) {
                throw new Unauthorized("Platform token has invalid format.");
            }
            String expected = environmentId == null ? null : platformTokens.get(environmentId);
            if (expected == null || !equal(expected, token)) {
                throw new Unauthorized("Platform token is not valid for this environment.");
            }
            return new Principal(SCOPES, environmentId);
        }
        if (!JWT.matcher(token).matches()) {
            throw new Unauthorized("Platform token has invalid format.");
        }
        Issued grant = issued.get(token);
        if (grant == null) {
            throw new Unauthorized("invalid signature");
        }
        if (!clock.instant().isBefore(grant.expires())) {
            throw new Unauthorized("jwt expired");
        }
        return new Principal(grant.scopes(), null);
    }

    /** {@code POST /sso/oauth2/token}: client credentials, form encoded. */
    SandboxResponse token(SandboxRequest request) {
        Map<String, String> form = form(request.bodyText());
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
        }
        String id = form.getOrDefault("client_id", "");
        String secret = form.getOrDefault("client_secret", "");
        if (!equal(clientId, id) || !equal(clientSecret, secret)) {
            return oauthError(401, "invalid_client", "Invalid client credentials");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : form.getOrDefault("scope", "").trim().split("\\s+")) {
            if (scope.isEmpty()) {
                continue;
            }
            if (!SCOPES.contains(scope)) {
                return oauthError(400, "invalid_scope", "The requested scope is invalid: " + scope);
            }
            if (clientScopes.contains(scope)) {
                scopes.add(scope);
            }
        }
        if (scopes.isEmpty()) {
            return oauthError(400, "invalid_scope", form.getOrDefault("scope", "").isBlank() ? "No scope requested"
                    : "The client has none of the requested scopes");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(ACCESS_TOKEN_TTL);
        ObjectNode claims = NODES.objectNode();
        claims.put("sub", clientId);
        claims.put("scope", String.join(" ", scopes));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        String token = JWT_HEADER + "." + base64(claims.toString()) + "."
                + SandboxCredentials.random(SandboxCredentials.ALPHANUMERIC, 86);
        issued.put(token, new Issued(Set.copyOf(scopes), expires));
        ObjectNode body = NODES.objectNode();
        body.put("scope", String.join(" ", scopes));
        body.put("token_type", "Bearer");
        body.put("expires_in", ACCESS_TOKEN_TTL.toSeconds());
        body.put("access_token", token);
        String resource = form.get("resource");
        if (resource != null && !resource.isBlank()) {
            body.put("resource", resource);
        }
        return SandboxResponse.json(body);
    }

    private static SandboxResponse oauthError(int status, String error, String description) {
        ObjectNode body = NODES.objectNode();
        body.put("error", error);
        body.put("error_description", description);
        body.put("issueId", UUID.randomUUID().toString());
        return SandboxResponse.json(status, body);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // A malformed pair is ignored, as a form parser would; the checks below refuse what is missing.
            }
        }
        return out;
    }

    private static boolean equal(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A 401 in the platform's shape. */
    static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SandboxResponse response;

        Unauthorized(String message) {
            super(message, null, false, false);
            this.response = PlatformErrors.response(401, message, null);
        }
    }
}
