package dev.bastion.toolkit.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthClientCredentialsTest {

    private static final String CLIENT_ID = "dt0s02.CLIENTID";
    private static final String CLIENT_SECRET = "dt0s02.CLIENTID.PLANTEDSECRET0123456789PLANTEDSECRET0123456789PLANTEDSECRET01";
    private static final OAuthClientCredentials.SettingNames SETTINGS = new OAuthClientCredentials.SettingNames(
            "sso_url", "oauth_client_id", "oauth_client_secret", "oauth_scopes");

    private final MockWebServer server = new MockWebServer();
    private final SecretRedactor redactor = new SecretRedactor();
    private final OutboundHttp outbound = new OutboundHttp(redactor, "test", Map.of());
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger backendRequests = new AtomicInteger();
    private final List<RecordedRequest> tokenRecorded = new CopyOnWriteArrayList<>();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private volatile Function<Integer, MockResponse> tokenEndpoint = OAuthClientCredentialsTest::token;
    private volatile Function<RecordedRequest, MockResponse> backend = request -> new MockResponse().setBody("{}");

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath().startsWith("/sso/oauth2/token")) {
                    tokenRecorded.add(request);
                    return tokenEndpoint.apply(tokenRequests.incrementAndGet());
                }
                backendRequests.incrementAndGet();
                return backend.apply(request);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    /** The n-th token: {@code access-token-PLANTED-<n>}, valid 300 s. */
    private static MockResponse token(int n) {
        return json(200, "{\"access_token\":\"access-token-PLANTED-" + n + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"scope\":\"storage:logs:read\"}");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    private OAuthClientCredentials.Builder builder() {
        return OAuthClientCredentials.builder("dt-platform/prod", server.url("/sso/oauth2/token").uri(), CLIENT_ID,
                        Secret.of(CLIENT_SECRET))
                .scopes(List.of("storage:logs:read", "storage:buckets:read"))
                .settingNames(SETTINGS)
                .clock(clock);
    }

    private BackendSpec.Builder spec(String name) {
        return BackendSpec.builder(name).allowInsecureLoopback(true).readTimeout(Duration.ofMillis(800))
                .callTimeout(Duration.ofSeconds(5));
    }

    private OAuthClientCredentials credentials() {
        return builder().build(outbound, spec("dt-sso").build());
    }

    private OkHttpClient backendClient(OAuthClientCredentials credentials) {
        return outbound.client(spec("dt-platform/prod").credentials(credentials).build());
    }

    private int call(OkHttpClient client) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(server.url("/platform/x")).build())
                .execute()) {
            return response.code();
        }
    }

    @Test
    void scopesThatCannotBeDeterminedAreACredentialFailureNotACrash() {
        OAuthClientCredentials credentials = builder().scopes(() -> {
            throw new IllegalStateException("the provider is not created yet");
        }).build(outbound, spec("dt-sso").build());

        assertThatThrownBy(credentials::accessToken).isInstanceOf(CredentialException.class)
                .hasMessageContaining("the scopes to ask for could not be determined")
                .hasMessageContaining("not created yet");
        assertThat(tokenRequests).hasValue(0);
    }

    @Test
    void grantedScopesAreTheTokenResponsesScopeOrTheRequestedOnesWhenItIsLeftOut() throws IOException {
        // The default token answer grants storage:logs:read of the two asked for.
        OAuthClientCredentials credentials = credentials();
        assertThat(credentials.grantedScopes()).containsExactly("storage:logs:read");
        assertThat(tokenRequests).hasValue(1);
        assertThat(credentials.grantedScopes()).containsExactly("storage:logs:read");
        assertThat(tokenRequests).as("the cached token's scopes, no second request").hasValue(1);

        tokenEndpoint = n -> json(200, "{\"access_token\":\"access-token-PLANTED-" + n + "\",\"expires_in\":300}");
        OAuthClientCredentials omitted = credentials();
        assertThat(omitted.grantedScopes()).containsExactlyInAnyOrder("storage:logs:read", "storage:buckets:read");

        tokenEndpoint = n -> json(200, "{\"access_token\":\"access-token-PLANTED-" + n + "\",\"expires_in\":300,"
                + "\"scope\":\" storage:logs:read  storage:logs:read storage:buckets:read \"}");
        assertThat(credentials().grantedScopes()).containsExactlyInAnyOrder("storage:logs:read", "storage:buckets:read");
    }

    private static String authorization(RecordedRequest request) {
        return request.getHeader("Authorization");
    }

    @Test
    void sendsTheClientCredentialsGrantAsFormFieldsAndTheTokenAsBearer() throws Exception {
        OAuthClientCredentials credentials = builder().resource("urn:dtaccount:abc-123").audience("dt-api")
                .build(outbound, spec("dt-sso").build());
        List<String> seen = new CopyOnWriteArrayList<>();
        backend = request -> {
            seen.add(authorization(request));
            return new MockResponse().setBody("{}");
        };

        assertThat(call(backendClient(credentials))).isEqualTo(200);

        RecordedRequest tokenRequest = tokenRecorded.get(0);
        assertThat(tokenRequest.getMethod()).isEqualTo("POST");
        assertThat(tokenRequest.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(tokenRequest.getHeader("Authorization")).isNull();
        assertThat(form(tokenRequest)).containsExactly(
                "grant_type=client_credentials", "client_id=" + CLIENT_ID, "client_secret=" + CLIENT_SECRET,
                "scope=storage:logs:read storage:buckets:read", "resource=urn:dtaccount:abc-123", "audience=dt-api");
        assertThat(seen).containsExactly("Bearer access-token-PLANTED-1");
    }

    @Test
    void basicAuthenticationSendsTheFormEncodedIdAndSecretInTheHeaderOnly() throws Exception {
        String secret = "s3cr+t/with:odd=chars";
        OAuthClientCredentials credentials = OAuthClientCredentials.builder("itential/prod",
                        server.url("/sso/oauth2/token").uri(), "client:1", Secret.of(secret))
                .authentication(OAuthClientCredentials.ClientAuthentication.CLIENT_SECRET_BASIC)
                .build(outbound, spec("itential-oauth").build());

        assertThat(credentials.accessToken().reveal()).isEqualTo("access-token-PLANTED-1");

        RecordedRequest tokenRequest = tokenRecorded.get(0);
        String expected = Base64.getEncoder().encodeToString("client%3A1:s3cr%2Bt%2Fwith%3Aodd%3Dchars"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(tokenRequest.getHeader("Authorization")).isEqualTo("Basic " + expected);
        assertThat(form(tokenRequest)).containsExactly("grant_type=client_credentials");
    }

    @Test
    void cachesTheTokenUntilShortlyBeforeItExpires() throws Exception {
        OAuthClientCredentials credentials = credentials();
        OkHttpClient client = backendClient(credentials);

        call(client);
        call(client);
        clock.advance(Duration.ofSeconds(269));
        call(client);
        assertThat(tokenRequests).hasValue(1);

        // 300 s lifetime, 30 s skew: at 270 s the token is renewed before it can expire in flight.
        clock.advance(Duration.ofSeconds(2));
        call(client);
        assertThat(tokenRequests).hasValue(2);
        assertThat(credentials.accessToken().reveal()).isEqualTo("access-token-PLANTED-2");
    }

    @Test
    void aShortLivedTokenIsRenewedTenPercentBeforeExpiry() throws Exception {
        tokenEndpoint = n -> json(200, "{\"access_token\":\"short-PLANTED-" + n + "\",\"expires_in\":\"60\"}");
        OAuthClientCredentials credentials = credentials();

        credentials.accessToken();
        clock.advance(Duration.ofSeconds(53));
        credentials.accessToken();
        assertThat(tokenRequests).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(credentials.accessToken().reveal()).isEqualTo("short-PLANTED-2");
    }

    @Test
    void fiftyConcurrentCallersShareOneTokenRequest() throws Exception {
        tokenEndpoint = n -> token(n).setHeadersDelay(300, TimeUnit.MILLISECONDS);
        OAuthClientCredentials credentials = credentials();
        OkHttpClient client = backendClient(credentials);

        List<Integer> codes = concurrently(50, () -> call(client));

        assertThat(codes).hasSize(50).containsOnly(200);
        assertThat(tokenRequests).hasValue(1);
        assertThat(backendRequests).hasValue(50);
    }

    @Test
    void fiftyConcurrentCallersFindingTheTokenDueShareOneRenewal() throws Exception {
        OAuthClientCredentials credentials = credentials();
        OkHttpClient client = backendClient(credentials);
        call(client);
        tokenEndpoint = n -> token(n).setHeadersDelay(200, TimeUnit.MILLISECONDS);
        List<String> seen = new CopyOnWriteArrayList<>();
        backend = request -> {
            seen.add(authorization(request));
            return new MockResponse().setBody("{}");
        };
        clock.advance(Duration.ofSeconds(280));

        List<Integer> codes = concurrently(50, () -> call(client));

        assertThat(codes).hasSize(50).containsOnly(200);
        assertThat(tokenRequests).hasValue(2);
        assertThat(seen).hasSize(50).containsOnly("Bearer access-token-PLANTED-2");
    }

    @Test
    void fiftyConcurrentCallersShareOneFailingTokenRequest() throws Exception {
        tokenEndpoint = n -> json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client\"}")
                .setHeadersDelay(300, TimeUnit.MILLISECONDS);
        OAuthClientCredentials credentials = credentials();

        List<String> failures = concurrently(50, () -> {
            try {
                credentials.accessToken();
                return "no failure";
            } catch (CredentialException e) {
                return e.getMessage();
            }
        });

        assertThat(tokenRequests).hasValue(1);
        assertThat(failures).hasSize(50).allSatisfy(message -> assertThat(message)
                .contains("invalid_client").contains("check oauth_client_id and oauth_client_secret"));
    }

    @Test
    void a401RefreshesTheTokenOnceAndTheRetrySucceeds() throws Exception {
        backend = request -> authorization(request).endsWith("-1") ? new MockResponse().setResponseCode(401)
                : new MockResponse().setBody("{}");
        OkHttpClient client = backendClient(credentials());

        assertThat(call(client)).isEqualTo(200);
        assertThat(tokenRequests).hasValue(2);
        assertThat(backendRequests).hasValue(2);
    }

    @Test
    void a401ToTheRefreshedTokenGivesUp() throws Exception {
        backend = request -> new MockResponse().setResponseCode(401);
        OAuthClientCredentials credentials = credentials();
        OkHttpClient client = backendClient(credentials);

        assertThat(call(client)).isEqualTo(401);
        assertThat(tokenRequests).hasValue(2);
        assertThat(backendRequests).hasValue(2);

        // The replacement was refused too: later calls do not hammer the token endpoint.
        assertThat(call(client)).isEqualTo(401);
        assertThat(tokenRequests).hasValue(2);
        assertThat(credentials.invalidate()).isFalse();

        // A token fetched because the old one expired gets its own one refresh again.
        clock.advance(Duration.ofSeconds(280));
        assertThat(call(client)).isEqualTo(401);
        assertThat(tokenRequests).hasValue(4);
    }

    @Test
    void concurrent401sToTheSameOldTokenCauseOneRefreshAndEveryRetrySucceeds() throws Exception {
        OAuthClientCredentials credentials = credentials();
        assertThat(credentials.accessToken().reveal()).isEqualTo("access-token-PLANTED-1");
        backend = request -> authorization(request).endsWith("-1")
                ? new MockResponse().setResponseCode(401).setHeadersDelay(100, TimeUnit.MILLISECONDS)
                : new MockResponse().setBody("{}");
        OkHttpClient client = backendClient(credentials);

        List<Integer> codes = concurrently(20, () -> call(client));

        assertThat(codes).hasSize(20).containsOnly(200);
        assertThat(tokenRequests).hasValue(2);
    }

    @Test
    void invalidClientNamesTheSettingsAndTheEndpointsWords() {
        tokenEndpoint = n -> json(400, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}");

        assertThat(failure(credentials())).isEqualTo("dt-platform/prod: the token endpoint refused the request"
                + " (400 invalid_client: Invalid client credentials); check oauth_client_id and oauth_client_secret");
    }

    @Test
    void invalidScopeNamesTheScopeSetting() {
        tokenEndpoint = n -> json(400, "{\"error\":\"invalid_scope\",\"error_description\":\"The requested scope is"
                + " invalid\",\"issueId\":\"issue-123\"}");

        assertThat(failure(credentials())).contains("400 invalid_scope: The requested scope is invalid")
                .contains("check oauth_scopes");
    }

    @Test
    void plain401NamesTheCredentialSettings() {
        tokenEndpoint = n -> new MockResponse().setResponseCode(401).setBody("Unauthorized");

        assertThat(failure(credentials())).contains("refused the request (401")
                .endsWith("check oauth_client_id and oauth_client_secret");
    }

    @Test
    void serverErrorSaysToTryAgainLater() {
        tokenEndpoint = n -> new MockResponse().setResponseCode(500).setBody("boom");

        assertThat(failure(credentials())).contains("(500").contains("try again later").contains("sso_url");
    }

    @Test
    void htmlPageFromAProxyIsNamedByItsTitle() {
        tokenEndpoint = n -> new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
                .setBody("<html><head><title>Bad Gateway - corporate proxy</title></head><body>x</body></html>");

        assertThat(failure(credentials())).contains("502").contains("Bad Gateway - corporate proxy")
                .contains("try again later");
    }

    @Test
    void htmlLoginPageWith200IsNotAToken() {
        tokenEndpoint = n -> new MockResponse().setHeader("Content-Type", "text/html")
                .setBody("<!DOCTYPE html><html><head><title>Sign in</title></head><body>login</body></html>");

        assertThat(failure(credentials())).contains("answered 200 with an HTML error page titled \"Sign in\"")
                .contains("instead of an OAuth token response; check sso_url");
    }

    @Test
    void slowTokenEndpointTimesOutWithAClearMessage() {
        tokenEndpoint = n -> token(n).setSocketPolicy(SocketPolicy.NO_RESPONSE);
        long started = System.nanoTime();

        assertThat(failure(credentials())).isEqualTo("dt-platform/prod: the OAuth token request failed (the token"
                + " endpoint did not answer in time (timeout)); check sso_url and the network path to it");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void malformedJsonIsNotAToken() {
        tokenEndpoint = n -> json(200, "{\"access_token\":\"access-token-PLANTED-9");

        String message = failure(credentials());
        assertThat(message).contains("a body that is not JSON").contains("check sso_url");
        assertThat(message).doesNotContain("access-token-PLANTED-9");
    }

    @Test
    void missingAccessTokenIsNamed() {
        tokenEndpoint = n -> json(200, "{\"token_type\":\"Bearer\",\"expires_in\":300}");

        assertThat(failure(credentials())).contains("has no access_token");
    }

    @Test
    void aNonBearerTokenTypeIsRefused() {
        tokenEndpoint = n -> json(200, "{\"access_token\":\"mac-token-PLANTED\",\"token_type\":\"mac\"}");

        String message = failure(credentials());
        assertThat(message).contains("type \"mac\"").doesNotContain("mac-token-PLANTED");
    }

    @Test
    void aBackendCallFailsWithTheCredentialExceptionWhenNoTokenCanBeHad() {
        tokenEndpoint = n -> json(401, "{\"error\":\"invalid_client\"}");
        OkHttpClient client = backendClient(credentials());

        assertThatThrownBy(() -> call(client)).isInstanceOf(CredentialException.class)
                .hasMessageContaining("check oauth_client_id and oauth_client_secret");
        assertThat(backendRequests).hasValue(0);
    }

    @Test
    void theSecretAndEveryTokenStayOutOfLogsMessagesAndToString() throws Exception {
        List<String> outputs = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            OAuthClientCredentials credentials = credentials();
            OkHttpClient client = backendClient(credentials);
            backend = request -> new MockResponse().setResponseCode(401).setBody("token "
                    + authorization(request) + " refused");
            call(client);
            call(client);
            // An endpoint that echoes what it was sent into its error description.
            tokenEndpoint = n -> json(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad client_secret="
                    + CLIENT_SECRET + " and token access-token-PLANTED-1\"}");
            clock.advance(Duration.ofMinutes(10));
            try {
                call(client);
            } catch (CredentialException e) {
                outputs.add(e.getMessage());
                outputs.add(e.toString());
            }
            tokenEndpoint = n -> json(200, "{\"access_token\":\"access-token-PLANTED-" + n);
            clock.advance(Duration.ofMinutes(10));
            outputs.add(failure(credentials));
            outputs.add(credentials.toString());
            outputs.add(logs.text());
        }

        assertThat(outputs.get(0)).contains("[REDACTED]");
        String everything = String.join("\n", outputs);
        assertThat(everything).doesNotContain(CLIENT_SECRET, "PLANTEDSECRET", "access-token-PLANTED-1",
                "access-token-PLANTED-2", "access-token-PLANTED-4", "access-token-PLANTED-5");
        assertThat(everything).doesNotContain(Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(outputs.get(outputs.size() - 1)).contains("dt-platform/prod");
    }

    @Test
    void aPlainHttpTokenUrlFailsAtStartUpNamingTheSetting() {
        OAuthClientCredentials.Builder plain = OAuthClientCredentials.builder("dt-platform/prod",
                URI.create("http://sso.example.com/sso/oauth2/token"), CLIENT_ID, Secret.of(CLIENT_SECRET))
                .settingNames(SETTINGS);

        assertThatThrownBy(() -> plain.build(outbound, BackendSpec.builder("dt-sso").build()))
                .isInstanceOf(ProviderConfigException.class).hasMessage("sso_url must be an https:// URL");
    }

    @Test
    void aPlainHttpTokenUrlToAnotherHostIsRefusedBeforeAnythingIsSent() {
        OAuthClientCredentials credentials = OAuthClientCredentials.builder("dt-platform/prod",
                        URI.create("http://sso.example.com/sso/oauth2/token"), CLIENT_ID, Secret.of(CLIENT_SECRET))
                .settingNames(SETTINGS)
                .build(outbound, spec("dt-sso").build());

        assertThat(failure(credentials)).startsWith("dt-platform/prod: the OAuth token request failed (")
                .contains("sso.example.com").doesNotContain(CLIENT_SECRET);
    }

    @Test
    void refusesScopesThatWouldCorruptTheScopeParameter() {
        assertThatThrownBy(() -> builder().scopes(List.of("storage:logs:read storage:buckets:read")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid scope");
    }

    private static String failure(OAuthClientCredentials credentials) {
        try {
            credentials.accessToken();
        } catch (CredentialException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError("expected a CredentialException, got " + e, e);
        }
        throw new AssertionError("expected the token request to fail");
    }

    private static List<String> form(RecordedRequest request) {
        String body = request.getBody().readUtf8();
        List<String> fields = new ArrayList<>();
        for (String field : body.split("&")) {
            fields.add(URLDecoder.decode(field, StandardCharsets.UTF_8));
        }
        return fields;
    }

    @FunctionalInterface
    interface Task<T> {
        T run() throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads released at the same moment. */
    static <T> List<T> concurrently(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.run();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
