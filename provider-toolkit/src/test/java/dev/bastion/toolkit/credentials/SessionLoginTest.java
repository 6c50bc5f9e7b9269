package dev.bastion.toolkit.credentials;

import static dev.bastion.toolkit.credentials.OAuthClientCredentialsTest.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.spi.Secret;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import okhttp3.HttpUrl;
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

/** Against an Itential-like server: {@code POST /login}, {@code GET /whoami}, a job list behind the token. */
class SessionLoginTest {

    private static final String PASSWORD = "PLANTED-itential-password-42";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SessionLogin.SettingNames SETTINGS = new SessionLogin.SettingNames("platform_host",
            "platform_user", "platform_password");

    private final MockWebServer server = new MockWebServer();
    private final SecretRedactor redactor = new SecretRedactor();
    private final OutboundHttp outbound = new OutboundHttp(redactor, "test", Map.of());
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger logins = new AtomicInteger();
    private final List<String> loginBodies = new CopyOnWriteArrayList<>();
    private final List<String> whoamiTokens = new CopyOnWriteArrayList<>();
    private final List<String> backendTokens = new CopyOnWriteArrayList<>();
    private final List<String> backendQueries = new CopyOnWriteArrayList<>();
    /** The tokens the server accepts; a login adds its token. */
    private final Set<String> valid = new CopyOnWriteArraySet<>();
    private volatile Function<Integer, MockResponse> login = n -> new MockResponse().setBody("\"" + token(n) + "\"");
    private volatile Function<RecordedRequest, MockResponse> whoami = request -> null;
    private SessionLogin session;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl().encodedPath();
                if (path.equals("/login")) {
                    loginBodies.add(request.getBody().readUtf8());
                    int n = logins.incrementAndGet();
                    valid.add(token(n));
                    return login.apply(n);
                }
                String sent = sentToken(request);
                if (path.equals("/whoami")) {
                    whoamiTokens.add(String.valueOf(sent));
                    MockResponse custom = whoami.apply(request);
                    if (custom != null) {
                        return custom;
                    }
                } else {
                    backendTokens.add(String.valueOf(sent));
                    backendQueries.add(String.valueOf(request.getRequestUrl().encodedQuery()));
                }
                return sent != null && valid.contains(sent) ? new MockResponse().setBody("{\"results\":[]}")
                        : new MockResponse().setResponseCode(401).setBody("Unauthorized");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (session != null) {
            session.close();
        }
        server.shutdown();
    }

    private static String token(int n) {
        return "session-PLANTED-" + n;
    }

    private static String sentToken(RecordedRequest request) {
        String query = request.getRequestUrl().queryParameter("token");
        if (query != null) {
            return query;
        }
        String cookie = request.getHeader("Cookie");
        if (cookie != null && cookie.startsWith("token=")) {
            return cookie.substring(6);
        }
        String header = request.getHeader("Authorization");
        return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
    }

    private SessionLogin.Builder builder() {
        return SessionLogin.builder("itential/prod", server.url("/login").uri(), "admin@pronghorn", Secret.of(PASSWORD))
                .body(SessionLogin.LoginBody.json("/user/username", "/user/password"))
                .ttl(Duration.ofMinutes(10))
                .settingNames(SETTINGS)
                .clock(clock);
    }

    private BackendSpec.Builder spec(String name) {
        return BackendSpec.builder(name).allowInsecureLoopback(true).readTimeout(Duration.ofMillis(800))
                .callTimeout(Duration.ofSeconds(5));
    }

    private SessionLogin build(SessionLogin.Builder builder) {
        session = builder.build(outbound, spec("itential-login").build());
        return session;
    }

    private OkHttpClient backendClient(SessionLogin credentials) {
        return credentials.authorize(outbound.client(spec("itential/prod").credentials(credentials).build()));
    }

    private int call(OkHttpClient client, HttpUrl url) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.code();
        }
    }

    private int call(OkHttpClient client) throws IOException {
        return call(client, server.url("/operations-manager/jobs?limit=5"));
    }

    @Test
    void logsInWithTheItentialBodyAndSendsTheQuotedTokenAsBearer() throws Exception {
        OkHttpClient client = backendClient(build(builder()));

        assertThat(call(client)).isEqualTo(200);

        JsonNode body = JSON.readTree(loginBodies.get(0));
        assertThat(body.at("/user/username").asText()).isEqualTo("admin@pronghorn");
        assertThat(body.at("/user/password").asText()).isEqualTo(PASSWORD);
        assertThat(backendTokens).containsExactly(token(1));
    }

    @Test
    void readsABareTokenAFieldOrAFormLogin() throws Exception {
        login = n -> new MockResponse().setBody(token(n) + "\n");
        assertThat(build(builder()).token().reveal()).isEqualTo(token(1));

        login = n -> new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"data\":{\"session\":\"" + token(n) + "\"}}");
        SessionLogin field = build(builder().tokenFormat(SessionLogin.TokenFormat.field("/data/session"))
                .body(SessionLogin.LoginBody.form("username", "password")));
        assertThat(field.token().reveal()).isEqualTo(token(2));
        assertThat(loginBodies.get(1)).isEqualTo("username=admin%40pronghorn&password=" + PASSWORD);
    }

    @Test
    void aQueryTokenIsPlacedInTheUrlReplacedAfterA401AndNeverLogged() throws Exception {
        List<String> logLines;
        try (LogCapture logs = new LogCapture()) {
            OkHttpClient client = backendClient(build(builder().placement(TokenPlacement.query("token"))));
            assertThat(call(client)).isEqualTo(200);
            valid.remove(token(1));
            assertThat(call(client)).isEqualTo(200);
            logLines = logs.lines();
        }

        assertThat(backendTokens).containsExactly(token(1), token(1), token(2));
        assertThat(backendQueries).containsExactly("limit=5&token=" + token(1), "limit=5&token=" + token(1),
                "limit=5&token=" + token(2));
        assertThat(logins).hasValue(2);
        assertThat(String.join("\n", logLines)).doesNotContain("session-PLANTED").contains("operations-manager/jobs");
    }

    @Test
    void aQueryTokenGoesOnlyToTheLoginUrlsOrigin() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.enqueue(new MockResponse().setBody("{}"));
            OkHttpClient client = backendClient(build(builder().placement(TokenPlacement.query("token"))));

            assertThat(call(client, elsewhere.url("/collect?x=1"))).isEqualTo(200);

            assertThat(elsewhere.takeRequest().getRequestUrl().queryParameter("token")).isNull();
        }
    }

    @Test
    void aHeaderPlacementCanCarryTheTokenAsACookie() throws Exception {
        SessionLogin cookie = build(builder().placement(TokenPlacement.header("Cookie", "token=")));
        OkHttpClient client = backendClient(cookie);

        assertThat(call(client)).isEqualTo(200);

        RecordedRequest sent = null;
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest request = server.takeRequest();
            if (request.getPath().startsWith("/operations-manager")) {
                sent = request;
            }
        }
        assertThat(sent).isNotNull();
        assertThat(sent.getHeader("Cookie")).isEqualTo("token=" + token(1));
        assertThat(sent.getHeader("Authorization")).isNull();
    }

    @Test
    void theSessionIsRenewedShortlyBeforeItsTtl() throws Exception {
        OkHttpClient client = backendClient(build(builder()));

        call(client);
        clock.advance(Duration.ofSeconds(569));
        call(client);
        assertThat(logins).hasValue(1);

        // A 10 min TTL with a 30 s skew: at 9 min 30 s the next call logs in first.
        clock.advance(Duration.ofSeconds(2));
        call(client);
        assertThat(logins).hasValue(2);
        assertThat(backendTokens).containsExactly(token(1), token(1), token(2));
    }

    @Test
    void fiftyConcurrentCallersShareOneLogin() throws Exception {
        login = n -> new MockResponse().setBody("\"" + token(n) + "\"").setHeadersDelay(300, TimeUnit.MILLISECONDS);
        OkHttpClient client = backendClient(build(builder()));

        List<Integer> codes = concurrently(50, () -> call(client));

        assertThat(codes).hasSize(50).containsOnly(200);
        assertThat(logins).hasValue(1);
    }

    @Test
    void a401LogsInAgainOnceThenGivesUp() throws Exception {
        OkHttpClient client = backendClient(build(builder()));
        assertThat(call(client)).isEqualTo(200);

        valid.remove(token(1));
        assertThat(call(client)).isEqualTo(200);
        assertThat(logins).hasValue(2);

        // The server now refuses every session: one new login, then the 401 goes back to the caller.
        login = n -> {
            valid.clear();
            return new MockResponse().setBody("\"" + token(n) + "\"");
        };
        valid.clear();
        clock.advance(Duration.ofMinutes(10));
        assertThat(call(client)).isEqualTo(401);
        assertThat(logins).hasValue(4);
        assertThat(call(client)).isEqualTo(401);
        assertThat(logins).hasValue(4);
    }

    @Test
    void theKeepaliveSendsTheTokenAndLogsInAgainOnceWhenItFails() throws Exception {
        SessionLogin keptAlive = build(builder().keepAlive(server.url("/whoami").uri(), Duration.ofMillis(100)));
        OkHttpClient client = backendClient(keptAlive);
        assertThat(call(client)).isEqualTo(200);
        awaitTrue(() -> whoamiTokens.size() >= 2);
        assertThat(whoamiTokens).containsOnly(token(1));

        AtomicInteger failures = new AtomicInteger();
        whoami = request -> failures.getAndIncrement() == 0 ? new MockResponse().setResponseCode(401) : null;
        awaitTrue(() -> logins.get() == 2 && whoamiTokens.contains(token(2)));
        int seen = whoamiTokens.size();
        awaitTrue(() -> whoamiTokens.size() >= seen + 2);

        assertThat(logins).hasValue(2);
        assertThat(whoamiTokens.subList(seen, whoamiTokens.size())).containsOnly(token(2));
        assertThat(call(client)).isEqualTo(200);
        assertThat(backendTokens).containsExactly(token(1), token(2));
    }

    @Test
    void closingTheSessionStopsTheKeepalive() throws Exception {
        SessionLogin keptAlive = build(builder().keepAlive(server.url("/whoami").uri(), Duration.ofMillis(50)));
        keptAlive.token();
        awaitTrue(() -> whoamiTokens.size() >= 2);

        keptAlive.close();
        Thread.sleep(100);
        int afterClose = whoamiTokens.size();
        Thread.sleep(300);

        assertThat(whoamiTokens).hasSize(afterClose);
    }

    @Test
    void noKeepaliveRunsBeforeTheFirstLogin() throws Exception {
        build(builder().keepAlive(server.url("/whoami").uri(), Duration.ofMillis(20)));
        Thread.sleep(200);

        assertThat(whoamiTokens).isEmpty();
        assertThat(logins).hasValue(0);
    }

    @Test
    void refusedCredentialsNameTheSettings() {
        login = n -> new MockResponse().setStatus("HTTP/1.1 401 Unauthorized")
                .setBody("{\"message\":\"Invalid username or password\"}");

        assertThat(failure(build(builder()))).isEqualTo("itential/prod: could not log in: the login endpoint answered"
                + " 401 Unauthorized: Invalid username or password; check platform_user and platform_password");
    }

    @Test
    void serverErrorHtmlAndTimeoutAreClear() {
        login = n -> new MockResponse().setResponseCode(500).setBody("{\"message\":\"mongo is down\"}");
        assertThat(failure(build(builder()))).contains("answered 500").contains("mongo is down")
                .endsWith("try again later, and check platform_host if it keeps failing");

        login = n -> new MockResponse().setResponseCode(503).setHeader("Content-Type", "text/html")
                .setBody("<html><head><title>Maintenance</title></head></html>");
        assertThat(failure(build(builder()))).contains("HTML error page titled \"Maintenance\"");

        login = n -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        assertThat(failure(build(builder()))).isEqualTo("itential/prod: could not log in (the login endpoint did not"
                + " answer in time (timeout)); check platform_host and the network path to it");
    }

    @Test
    void aSuccessfulAnswerWithoutATokenIsNotASession() {
        login = n -> new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"status\":\"ok\"}");

        assertThat(failure(build(builder()))).isEqualTo("itential/prod: the login endpoint answered 200 without a"
                + " session token in the expected form; check platform_host");
    }

    @Test
    void thePasswordAndTokensStayOutOfLogsMessagesAndToString() throws Exception {
        List<String> outputs = new ArrayList<>();
        try (LogCapture logs = new LogCapture()) {
            SessionLogin credentials = build(builder().keepAlive(server.url("/whoami").uri(), Duration.ofMillis(50)));
            OkHttpClient client = backendClient(credentials);
            call(client);
            whoami = request -> new MockResponse().setResponseCode(401).setBody("bad token " + sentToken(request));
            awaitTrue(() -> logins.get() >= 2);
            valid.clear();
            login = n -> new MockResponse().setResponseCode(401).setBody("{\"message\":\"wrong password " + PASSWORD
                    + " for admin\"}");
            clock.advance(Duration.ofMinutes(10));
            try {
                call(client);
            } catch (CredentialException e) {
                outputs.add(e.getMessage());
                outputs.add(e.toString());
            }
            outputs.add(credentials.toString());
            credentials.close();
            outputs.add(logs.text());
        }

        assertThat(outputs.get(0)).contains("wrong password [REDACTED]");
        String everything = String.join("\n", outputs);
        assertThat(everything).doesNotContain(PASSWORD, "session-PLANTED");
        assertThat(outputs.get(2)).isEqualTo("SessionLogin[backend=itential/prod, username=admin@pronghorn,"
                + " password=[REDACTED], token in header Authorization]");
    }

    private static String failure(SessionLogin credentials) {
        try {
            credentials.token();
        } catch (CredentialException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError("expected a CredentialException, got " + e, e);
        }
        throw new AssertionError("expected the login to fail");
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the condition did not become true within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
