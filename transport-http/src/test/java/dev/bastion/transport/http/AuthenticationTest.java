package dev.bastion.transport.http;

import static dev.bastion.transport.http.HttpFixture.INITIALIZE;
import static dev.bastion.transport.http.HttpFixture.post;
import static dev.bastion.transport.http.HttpFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.transport.http.auth.StaticToken;
import dev.bastion.transport.http.auth.StaticTokenAuthenticator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Static bearer tokens and the OAuth 2.1 resource server, over real HTTP. */
class AuthenticationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER = "https://login.example.com/realms/ops";
    private static final String ALICE_TOKEN = "alice-token-3c9f1e2d7b";
    private static final String BOB_TOKEN = "bob-token-8a1d44e0c2";

    private final McpEngine engine = HttpFixture.engine();
    private final MockWebServer idp = new MockWebServer();
    private HttpTransport transport;
    private RSAKey signingKey;
    private RSAKey rotatedKey;
    private volatile JWKSet published;
    private volatile long jwksDelayMillis;

    @BeforeEach
    void keys() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("key-1").generate();
        rotatedKey = new RSAKeyGenerator(2048).keyID("key-2").generate();
        published = new JWKSet(signingKey.toPublicJWK());
        idp.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("Content-Type", "application/json")
                        .setHeadersDelay(jwksDelayMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .setBody(published.toString());
            }
        });
        idp.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (transport != null) {
            transport.close();
        }
        engine.close();
        idp.shutdown();
    }

    private HttpTransport startStatic(List<String> requiredScopes) {
        HttpSettings.Auth auth = new HttpSettings.Auth(HttpSettings.AuthMode.STATIC, List.of(
                new StaticToken("alice", StaticTokenAuthenticator.sha256(ALICE_TOKEN),
                        Set.of("bastion:read", "bastion:write")),
                new StaticToken("bob", HexFormat.of().parseHex(HexFormat.of().formatHex(
                        StaticTokenAuthenticator.sha256(BOB_TOKEN))), Set.of("bastion:read"))),
                null, null, null, null, false, List.of(), requiredScopes, List.of("bastion:read", "bastion:write"),
                Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(10));
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withAuth(auth));
        return transport;
    }

    private HttpTransport startOAuth(List<String> requiredScopes) {
        return startOAuth(requiredScopes, Duration.ofMillis(1));
    }

    private HttpTransport startOAuth(List<String> requiredScopes, Duration refreshInterval) {
        return startOAuth(requiredScopes, refreshInterval, Duration.ofMinutes(10));
    }

    private HttpTransport startOAuth(List<String> requiredScopes, Duration refreshInterval, Duration cacheTtl) {
        HttpSettings.Auth auth = new HttpSettings.Auth(HttpSettings.AuthMode.OAUTH, List.of(), ISSUER, null,
                idp.url("/jwks").uri(), null, true, List.of(ISSUER), requiredScopes,
                List.of("bastion:read", "bastion:write"), Duration.ofSeconds(30), refreshInterval, cacheTtl);
        transport = HttpTransport.builder(engine, HttpSettings.loopbackDefaults().withAuth(auth))
                .outbound(new OutboundHttp(Redactor.NONE, "test", Map.of())).build();
        transport.start();
        return transport;
    }

    private String metadataUrl() {
        return "http://127.0.0.1:" + transport.port() + "/.well-known/oauth-protected-resource/mcp";
    }

    private HttpResponse<String> initializeWith(String token) throws Exception {
        HttpRequest.Builder request = post(transport, INITIALIZE);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private String jwt(RSAKey key, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("carol")
                .audience("http://127.0.0.1:" + transport.port() + "/mcp")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("scope", "bastion:read openid");
    }

    // ----------------------------------------------------------------- static tokens

    @Test
    void answersAMissingTokenWith401AndTheExactChallenge() throws Exception {
        startStatic(List.of());
        HttpResponse<String> response = initializeWith(null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer resource_metadata=\""
                + metadataUrl() + "\", scope=\"bastion:read bastion:write\"");
        assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
                .isEqualTo("Unauthorized: a bearer token is required");
    }

    @Test
    void acceptsAConfiguredTokenAndRefusesAnyOtherWithoutEchoingIt() throws Exception {
        startStatic(List.of());
        assertThat(initializeWith(ALICE_TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> wrong = initializeWith(ALICE_TOKEN + "x");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith(
                "Bearer error=\"invalid_token\", resource_metadata=\"" + metadataUrl() + "\"");
        assertThat(wrong.body()).doesNotContain(ALICE_TOKEN);
    }

    @Test
    void answersAnotherPrincipalsSessionIdWith404() throws Exception {
        startStatic(List.of());
        String aliceSession = initializeWith(ALICE_TOKEN).headers().firstValue("Mcp-Session-Id").orElseThrow();
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
        HttpResponse<String> bob = send(post(transport, ping).header("Authorization", "Bearer " + BOB_TOKEN)
                .header("Mcp-Session-Id", aliceSession).build());
        assertThat(bob.statusCode()).isEqualTo(404);
        HttpResponse<String> alice = send(post(transport, ping).header("Authorization", "Bearer " + ALICE_TOKEN)
                .header("Mcp-Session-Id", aliceSession).build());
        assertThat(alice.statusCode()).isEqualTo(200);
    }

    @Test
    void answersATokenWithoutARequiredScopeWith403AndInsufficientScope() throws Exception {
        startStatic(List.of("bastion:write"));
        HttpResponse<String> bob = initializeWith(BOB_TOKEN);
        assertThat(bob.statusCode()).isEqualTo(403);
        assertThat(bob.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo(
                "Bearer error=\"insufficient_scope\", scope=\"bastion:write\", resource_metadata=\"" + metadataUrl()
                        + "\"");
        assertThat(initializeWith(ALICE_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void putsMetricsBehindTheBearerTokenWhenConfigured() throws Exception {
        HttpSettings.Auth auth = new HttpSettings.Auth(HttpSettings.AuthMode.STATIC, List.of(
                new StaticToken("alice", StaticTokenAuthenticator.sha256(ALICE_TOKEN),
                        Set.of("bastion:read"))), null, null, null, null, false, List.of(), List.of(),
                List.of("bastion:read"), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(10));
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withAuth(auth).withMetrics(true, true));
        URI metrics = URI.create("http://127.0.0.1:" + transport.port() + "/metrics");
        assertThat(send(HttpRequest.newBuilder(metrics).build()).statusCode()).isEqualTo(401);
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(metrics)
                .header("Authorization", "Bearer " + ALICE_TOKEN).build());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("bastion_auth_failures_total{reason=\"missing\"} 1");
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + transport.port() + "/healthz"))
                .build()).statusCode()).as("liveness needs no token").isEqualTo(200);
    }

    // ----------------------------------------------------------------- OAuth resource server

    @Test
    void acceptsAValidAccessTokenAndGivesThePrincipalItsScopes() throws Exception {
        startOAuth(List.of());
        HttpResponse<String> response = initializeWith(jwt(signingKey, validClaims()));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void refusesTokensForAnotherAudienceIssuerOrTimeOrWithABadSignatureWith401() throws Exception {
        startOAuth(List.of());
        Instant now = Instant.now();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("key-1").generate();
        Map<String, String> tokens = Map.of(
                "the access token was issued for another audience",
                jwt(signingKey, validClaims().audience("https://other.example.com/mcp")),
                "the access token was issued by an issuer this server does not accept",
                jwt(signingKey, validClaims().issuer("https://evil.example.com")),
                "the access token has expired",
                jwt(signingKey, validClaims().expirationTime(Date.from(now.minusSeconds(600)))),
                "the access token's signature is not valid for this server's authorization server",
                jwt(stranger, validClaims()));
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            HttpResponse<String> response = initializeWith(token.getValue());
            assertThat(response.statusCode()).as(token.getKey()).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
                    .isEqualTo("Unauthorized: " + token.getKey());
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer error=\"invalid_token\", resource_metadata=\"" + metadataUrl() + "\"");
            assertThat(response.body()).doesNotContain(token.getValue());
        }
        assertThat(initializeWith("not-a-jwt").statusCode()).isEqualTo(401);
        assertThat(initializeWith(new com.nimbusds.jwt.PlainJWT(validClaims().build()).serialize()).statusCode())
                .as("an unsigned (alg none) token").isEqualTo(401);
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), validClaims().build());
        hmac.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
        assertThat(initializeWith(hmac.serialize()).statusCode()).as("a symmetric-key token").isEqualTo(401);
    }

    @Test
    void answersAnAccessTokenWithoutTheRequiredScopeWith403() throws Exception {
        startOAuth(List.of("bastion:write"));
        HttpResponse<String> response = initializeWith(jwt(signingKey, validClaims()));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo(
                "Bearer error=\"insufficient_scope\", scope=\"bastion:write\", resource_metadata=\"" + metadataUrl()
                        + "\"");
    }

    @Test
    void fetchesTheKeySetAgainWhenATokenNamesAnUnknownKey() throws Exception {
        startOAuth(List.of());
        assertThat(initializeWith(jwt(signingKey, validClaims())).statusCode()).isEqualTo(200);
        int fetches = idp.getRequestCount();
        published = new JWKSet(List.of(signingKey.toPublicJWK(), rotatedKey.toPublicJWK()));
        Thread.sleep(5);
        assertThat(initializeWith(jwt(rotatedKey, validClaims())).statusCode()).isEqualTo(200);
        assertThat(idp.getRequestCount()).isEqualTo(fetches + 1);
        assertThat(initializeWith(jwt(signingKey, validClaims())).statusCode()).isEqualTo(200);
        assertThat(idp.getRequestCount()).as("known keys come from the cache").isEqualTo(fetches + 1);
    }

    @Test
    void aTokenWithAnUnknownKeyIdIs401EvenWhenTheKeySetWasJustFetchedAndLogsNoWarning() throws Exception {
        ch.qos.logback.classic.Logger jwtLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                dev.bastion.transport.http.auth.JwtAuthenticator.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        jwtLog.addAppender(captured);
        try {
            startOAuth(List.of(), Duration.ofSeconds(30));
            assertThat(initializeWith(jwt(signingKey, validClaims())).statusCode()).isEqualTo(200);
            RSAKey forged = new RSAKeyGenerator(2048).keyID("no-such-key").generate();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> refused = initializeWith(jwt(forged, validClaims()));
                assertThat(refused.statusCode()).as("attempt %s", i).isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                        .contains("error=\"invalid_token\"");
            }
            assertThat(transport.metrics().scrape()).contains("bastion_auth_failures_total{reason=\"invalid\"} 5\n")
                    .doesNotContain("reason=\"unavailable\"");
            assertThat(captured.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(
                    ch.qos.logback.classic.Level.WARN));
            assertThat(initializeWith(jwt(signingKey, validClaims())).statusCode()).isEqualTo(200);
        } finally {
            jwtLog.detachAppender(captured);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aHangingKeySetEndpointGetsEveryRequestAPrompt503WithRetryAfterAndRecovers() throws Exception {
        startOAuth(List.of(), Duration.ofMillis(100), Duration.ofSeconds(1));
        String token = jwt(signingKey, validClaims());
        assertThat(initializeWith(token).statusCode()).isEqualTo(200);
        jwksDelayMillis = 12_000;
        Thread.sleep(1_200);
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = initializeWith(token);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(response.statusCode()).as("request %s", i).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
                    .contains("signing keys cannot be fetched");
            assertThat(took).as("request %s was answered promptly", i).isLessThan(Duration.ofMillis(1_500));
        }
        // The hung fetch ends at the outbound client's read timeout; the next one gets the keys.
        jwksDelayMillis = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = initializeWith(token).statusCode()) != 200) {
            Thread.sleep(100);
        }
        assertThat(status).as("recovered once the key set arrived").isEqualTo(200);
    }

    @Test
    void validatesAgainstAStaticPemPublicKeyInsteadOfAKeySetUrl(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(signingKey.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        java.nio.file.Path keyFile = java.nio.file.Files.writeString(dir.resolve("issuer.pem"), pem);
        HttpSettings.Auth auth = new HttpSettings.Auth(HttpSettings.AuthMode.OAUTH, List.of(), ISSUER, null, null,
                keyFile, false, List.of(ISSUER), List.of(), List.of("bastion:read"), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(10));
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withAuth(auth));
        assertThat(initializeWith(jwt(signingKey, validClaims())).statusCode()).isEqualTo(200);
        assertThat(initializeWith(jwt(rotatedKey, validClaims())).statusCode()).isEqualTo(401);
        com.nimbusds.jose.jwk.ECKey ecKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_256).keyID("ec").generate();
        SignedJWT ecToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").build(),
                validClaims().build());
        ecToken.sign(new com.nimbusds.jose.crypto.ECDSASigner(ecKey));
        assertThat(initializeWith(ecToken.serialize()).statusCode()).as("another key type is refused, not an outage")
                .isEqualTo(401);
        assertThat(idp.getRequestCount()).isZero();
    }

    @Test
    void servesProtectedResourceMetadataAtBothWellKnownPaths() throws Exception {
        startOAuth(List.of());
        for (String path : List.of("/.well-known/oauth-protected-resource",
                "/.well-known/oauth-protected-resource/mcp")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + transport.port() + path)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode document = JSON.readTree(response.body());
            assertThat(document.path("resource").asText()).isEqualTo("http://127.0.0.1:" + transport.port() + "/mcp");
            assertThat(document.path("authorization_servers")).extracting(JsonNode::asText).containsExactly(ISSUER);
            assertThat(document.path("scopes_supported")).extracting(JsonNode::asText)
                    .containsExactly("bastion:read", "bastion:write");
            assertThat(document.path("bearer_methods_supported")).extracting(JsonNode::asText)
                    .containsExactly("header");
        }
    }
}
