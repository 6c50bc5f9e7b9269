package dev.bastion.transport.http.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.bastion.core.auth.AuthRequest;
import dev.bastion.core.auth.AuthResult;
import dev.bastion.core.auth.Authenticator;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.ProviderConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.1 resource server: validates JWT access tokens (RFC 9068) with Nimbus JOSE+JWT. The
 * signature is checked against the authorization server's JWK set, fetched through the hardened
 * outbound client (HTTPS only, timeouts, size cap) on a background thread ({@link KeySetCache}),
 * refreshed ahead of its expiry and when a token names an unknown key id, at most once per refresh
 * interval; a request waits at most {@link #KEY_WAIT} for a fetch and is otherwise answered 503. Or
 * against one static public key. Then the
 * issuer, the audience (this server's canonical resource URI, RFC 8707), {@code exp} and
 * {@code nbf} (with a small clock skew) and the required scopes.
 *
 * <p>The token is only read here: it is never stored, logged or sent on to a backend.
 */
public final class JwtAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    static final String WRONG_ISSUER = "the access token was issued by an issuer this server does not accept";
    static final String WRONG_AUDIENCE = "the access token was issued for another audience";
    static final String NO_EXPIRY = "the access token has no expiry (exp)";
    static final String EXPIRED = "the access token has expired";
    static final String NOT_YET_VALID = "the access token is not valid yet (nbf)";
    private static final Set<String> OUR_MESSAGES = Set.of(WRONG_ISSUER, WRONG_AUDIENCE, NO_EXPIRY, EXPIRED,
            NOT_YET_VALID);

    /** The longest a request waits for a key set fetch in flight before it is answered 503. */
    static final Duration KEY_WAIT = Duration.ofMillis(500);

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final BearerChallenge challenge;
    private final List<String> requiredScopes;

    private JwtAuthenticator(JWKSource<SecurityContext> keys, String issuer, String audience, Duration clockSkew,
                             List<String> requiredScopes, BearerChallenge challenge) {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(audience, "audience is null");
        this.challenge = requireNonNull(challenge, "challenge is null");
        this.requiredScopes = List.copyOf(requiredScopes);
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        long skewMillis = clockSkew.toMillis();
        processor.setJWTClaimsSetVerifier((claims, context) -> {
            // Our own checks, so each refusal has a specific message that quotes nothing from the token.
            if (!issuer.equals(claims.getIssuer())) {
                throw new BadJWTException(WRONG_ISSUER);
            }
            if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
                throw new BadJWTException(WRONG_AUDIENCE);
            }
            long now = System.currentTimeMillis();
            if (claims.getExpirationTime() == null) {
                throw new BadJWTException(NO_EXPIRY);
            }
            if (claims.getExpirationTime().getTime() + skewMillis < now) {
                throw new BadJWTException(EXPIRED);
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().getTime() - skewMillis > now) {
                throw new BadJWTException(NOT_YET_VALID);
            }
        });
    }

    /**
     * Validates against a JWK set URL.
     *
     * @param client the outbound client that fetches the key set (from {@code OutboundHttp})
     * @param cacheTtl how long a fetched key set is used
     * @param refreshInterval the least time between two fetches
     */
    public static JwtAuthenticator withJwks(URI jwksUrl, OkHttpClient client, Duration cacheTtl,
                                            Duration refreshInterval, String issuer, String audience,
                                            Duration clockSkew, List<String> requiredScopes,
                                            BearerChallenge challenge) {
        requireNonNull(client, "client is null");
        URL url;
        try {
            url = jwksUrl.toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new ProviderConfigException("http.auth.jwks_url is not a usable URL");
        }
        Duration refresh = refreshInterval.isNegative() || refreshInterval.isZero() ? Duration.ofMillis(1)
                : refreshInterval;
        Duration ttl = cacheTtl.compareTo(refresh) > 0 ? cacheTtl : refresh.plusMillis(1);
        JWKSource<SecurityContext> keys = new KeySetCache(url, new OutboundRetriever(client), ttl, refresh,
                KEY_WAIT, System::nanoTime);
        return new JwtAuthenticator(keys, issuer, audience, clockSkew, requiredScopes, challenge);
    }

    /** Validates against one PEM public key (RSA or EC, {@code BEGIN PUBLIC KEY}). */
    public static JwtAuthenticator withPublicKey(Path pemFile, String issuer, String audience, Duration clockSkew,
                                                 List<String> requiredScopes, BearerChallenge challenge) {
        JWK key = readPublicKey(pemFile);
        // The one configured key verifies every token, whatever key id its header names.
        JWKSource<SecurityContext> single = (selector, context) -> {
            Set<com.nimbusds.jose.jwk.KeyType> types = selector.getMatcher().getKeyTypes();
            return types == null || types.contains(key.getKeyType()) ? List.of(key) : List.of();
        };
        return new JwtAuthenticator(single, issuer, audience, clockSkew, requiredScopes, challenge);
    }

    /** Validates against a fixed key set (tests and embedders). */
    public static JwtAuthenticator withKeys(JWKSet keys, String issuer, String audience, Duration clockSkew,
                                            List<String> requiredScopes, BearerChallenge challenge) {
        return new JwtAuthenticator(new ImmutableJWKSet<>(keys.toPublicJWKSet()), issuer, audience, clockSkew,
                requiredScopes, challenge);
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        BearerTokens.Presented presented = BearerTokens.read(request);
        if (presented instanceof BearerTokens.Missing) {
            return new AuthResult.Unauthenticated("Unauthorized: a bearer access token is required",
                    challenge.missingToken());
        }
        if (presented instanceof BearerTokens.Malformed malformed) {
            return new AuthResult.Unauthenticated("Unauthorized: " + malformed.why(), challenge.invalidToken());
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(((BearerTokens.Token) presented).value(), null);
        } catch (ParseException e) {
            return invalid("the access token is not a JWT");
        } catch (BadJOSEException e) {
            LOG.debug("access token refused: {}", e.getMessage());
            return invalid(describe(e.getMessage()));
        } catch (JOSEException e) {
            // DEBUG: the key set cache logs each failed fetch once; a line per request would flood the log.
            LOG.debug("access tokens cannot be checked: the signing keys are unavailable: {}", e.getMessage());
            return new AuthResult.Failed("Service unavailable: the authorization server's signing keys cannot be "
                    + "fetched; retry later");
        }
        String subject = firstNonBlank(claims.getSubject(), stringClaim(claims, "client_id"),
                stringClaim(claims, "azp"));
        if (subject == null) {
            return invalid("the access token names no subject (sub or client_id)");
        }
        Set<String> scopes = scopes(claims);
        Principal principal = new Principal(subject, scopes);
        List<String> missing = requiredScopes.stream().filter(scope -> !scopes.contains(scope)).toList();
        if (!missing.isEmpty()) {
            return new AuthResult.Forbidden("Forbidden: the access token lacks the scopes "
                    + String.join(", ", missing), challenge.insufficientScope(requiredScopes));
        }
        return new AuthResult.Authenticated(principal);
    }

    private AuthResult invalid(String why) {
        return new AuthResult.Unauthenticated("Unauthorized: " + why, challenge.invalidToken());
    }

    /** Our claim checks' messages as they are; any other refusal is about the signature or the token's form. */
    static String describe(String message) {
        if (message != null && OUR_MESSAGES.contains(message)) {
            return message;
        }
        if (message != null && message.contains("JOSE header typ")) {
            return "the token is not an access token (typ)";
        }
        return "the access token's signature is not valid for this server's authorization server";
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = claims.getClaim("scope");
        Object scp = claims.getClaim("scp");
        for (Object value : new Object[] {scope, scp}) {
            if (value instanceof String text) {
                for (String part : text.trim().split("\\s+")) {
                    if (!part.isEmpty()) {
                        scopes.add(part);
                    }
                }
            } else if (value instanceof List<?> list) {
                list.forEach(item -> scopes.add(String.valueOf(item)));
            }
        }
        // A token never grants the wildcard that local principals hold.
        scopes.remove(Principal.ALL_SCOPES);
        return scopes;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text ? text : null;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    static JWK readPublicKey(Path pemFile) {
        String pem;
        try {
            pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ProviderConfigException("http.auth.public_key_file cannot be read: " + pemFile);
        }
        int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = pem.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new ProviderConfigException("http.auth.public_key_file must hold a PEM public key "
                    + "(-----BEGIN PUBLIC KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 26, end));
        } catch (IllegalArgumentException e) {
            throw new ProviderConfigException("http.auth.public_key_file: the PEM body is not valid base64");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                if (key instanceof RSAPublicKey rsa) {
                    return new RSAKey.Builder(rsa).build();
                }
                if (key instanceof ECPublicKey ec) {
                    return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
                }
            } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next
            }
        }
        throw new ProviderConfigException("http.auth.public_key_file: not an RSA or EC public key");
    }

    /** Fetches the JWK set through the hardened outbound client. */
    private static final class OutboundRetriever implements ResourceRetriever {
        private final OkHttpClient client;

        OutboundRetriever(OkHttpClient client) {
            this.client = client;
        }

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            Request request = new Request.Builder().url(url).header("Accept", "application/json").get().build();
            try (Response response = client.newCall(request).execute()) {
                if (response.code() != 200) {
                    throw new IOException("the JWK set URL answered HTTP " + response.code());
                }
                ResponseBody body = response.body();
                String contentType = response.header("Content-Type", "application/json");
                return new Resource(body == null ? "" : body.string(), contentType);
            }
        }
    }

}
