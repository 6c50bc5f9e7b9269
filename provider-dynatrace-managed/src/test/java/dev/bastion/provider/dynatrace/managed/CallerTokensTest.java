package dev.bastion.provider.dynatrace.managed;

import static dev.bastion.provider.dynatrace.managed.TestCalls.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.credential.DynatraceCredentialShapes;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.MutableClock;
import dev.bastion.testkit.TestCallContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code X-Dynatrace-Tokens}: a caller's own token per environment, checked once, never shown. */
class CallerTokensTest {

    /** Tokens of the API token's shape, which the redactor masks from the first use (the shapes are registered). */
    private static final String GOOD = "dt0c01.CALLERGOOD7C1E2D3F4A5B6C.7D8E9F7D8E9F7D8E9F7D8E9F7D8E9F7D8E9F7D8E9F7D8E9F7D8E9F7D8E9F7D8E";
    private static final String BAD = "dt0c01.CALLERBAD0A9B8C7D6E5F4A3.B2C1DB2C1DB2C1DB2C1DB2C1DB2C1DB2C1DB2C1DB2C1DB2C1DB2C1DB2C1DB2C1";
    private static final String ECHOING = "dt0c01.CALLERECHO5E6F7A8B9C0D1E.2F3A4B2F3A4B2F3A4B2F3A4B2F3A4B2F3A4B2F3A4B2F3A4B2F3A4B2F3A4B2F3A";
    private static final String LIMITED = "dt0c01.CALLERLIMITED4D5E6F7A8B9.C0D1E2FC0D1E2FC0D1E2FC0D1E2FC0D1E2FC0D1E2FC0D1E2FC0D1E2FC0D1E2FC";
    private static final String REFUSED = "The caller's X-Dynatrace-Tokens credential for environment prod was refused;"
            + " send prod=<a valid API token of that environment> in the X-Dynatrace-Tokens header.";

    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger("dev.bastion");
    private MockWebServer server;
    private Provider provider;

    @BeforeEach
    void start() throws Exception {
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.TRACE);
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                return answer(request);
            }
        });
        server.start();
        provider = TestCalls.provider(TestCalls.config("prod", server.url("/").uri(), "abc12345", TOKEN, Map.of()),
                TestProviderContext.create());
    }

    @AfterEach
    void stop() throws Exception {
        root.detachAppender(logs);
        root.setLevel(null);
        server.shutdown();
    }

    /** A Dynatrace environment that knows the configured token, GOOD, and ECHOING (whose lookup fails loudly). */
    private static MockResponse answer(RecordedRequest request) {
        String authorization = String.valueOf(request.getHeader("Authorization"));
        boolean known = authorization.equals("Api-Token " + TOKEN) || authorization.equals("Api-Token " + GOOD)
                || authorization.equals("Api-Token " + ECHOING) || authorization.equals("Api-Token " + LIMITED);
        if (!known) {
            return json(401, "{\"error\":{\"code\":401,\"message\":\"Token Authentication failed\"}}");
        }
        String path = request.getPath();
        if (path.startsWith("/e/abc12345/api/v2/apiTokens/lookup")) {
            if (authorization.endsWith(ECHOING)) {
                return json(500, "{\"error\":{\"code\":500,\"message\":\"lookup of " + ECHOING + " failed\"}}");
            }
            return json(200, "{\"id\":\"dt0c01.X\",\"name\":\"caller\",\"enabled\":true,\"scopes\":[\"problems.read\"]}");
        }
        if (path.startsWith("/e/abc12345/api/v2/problems")) {
            if (authorization.endsWith(LIMITED)) {
                return json(403, "{\"error\":{\"code\":403,\"message\":\"" + LIMITED + " lacks problems.read\"}}");
            }
            return json(200, "{\"totalCount\":0,\"pageSize\":50,\"problems\":[]}");
        }
        return json(404, "{\"error\":{\"code\":404,\"message\":\"Not found\"}}");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    private ToolResult listProblems(String header) throws Exception {
        Tool tool = provider.tools().stream()
                .filter(t -> t.descriptor().name().equals("dynatrace_managed_list_problems")).findFirst().orElseThrow();
        TestCallContext context = new TestCallContext();
        if (header != null) {
            context.callerCredential(Secret.of(header));
        }
        return tool.call((ObjectNode) TestCalls.JSON.readTree("{}"), context);
    }

    private List<RecordedRequest> requests(String pathPrefix) {
        return received.stream().filter(request -> request.getPath().startsWith(pathPrefix)).toList();
    }

    private String loggedText() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    @Test
    void aCallToProdSendsTheCallersProdTokenInsteadOfTheConfiguredOne() throws Exception {
        ToolResult result = listProblems(" staging = dt0c01.OTHER ; prod = " + GOOD + " ");

        assertThat(result.isError()).as(result.allText()).isFalse();
        RecordedRequest lookup = requests("/e/abc12345/api/v2/apiTokens/lookup").get(0);
        assertThat(lookup.getHeaders().values("Authorization")).containsExactly("Api-Token " + GOOD);
        assertThat(lookup.getBody().readUtf8()).isEqualTo("{\"token\":\"" + GOOD + "\"}");
        RecordedRequest problems = requests("/e/abc12345/api/v2/problems").get(0);
        assertThat(problems.getHeaders().values("Authorization")).containsExactly("Api-Token " + GOOD);
        assertThat(received).noneMatch(request -> String.valueOf(request.getHeader("Authorization")).contains(TOKEN));
    }

    @Test
    void withoutTheHeaderTheConfiguredTokenIsUsedAndNothingIsLookedUp() throws Exception {
        assertThat(listProblems(null).isError()).isFalse();

        assertThat(received).hasSize(1);
        assertThat(received.get(0).getHeader("Authorization")).isEqualTo("Api-Token " + TOKEN);
    }

    @Test
    void theCallersTokenIsLookedUpOnceForManyCalls() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(listProblems("prod=" + GOOD).isError()).isFalse();
        }

        assertThat(requests("/e/abc12345/api/v2/apiTokens/lookup")).hasSize(1);
        assertThat(requests("/e/abc12345/api/v2/problems")).hasSize(5)
                .allMatch(request -> ("Api-Token " + GOOD).equals(request.getHeader("Authorization")));
    }

    @Test
    void aVerdictIsTrustedForItsTimeAndThenTheTokenIsLookedUpAgain() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        SecretRedactor redactor = new SecretRedactor();
        redactor.registerShapes(DynatraceCredentialShapes.ALL);
        provider = TestCalls.provider(TestCalls.config("prod", server.url("/").uri(), "abc12345", TOKEN, Map.of()),
                new ServerProviderContext(TestCalls.JSON, redactor, clock, "test",
                        Map.of(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of()))));

        listProblems("prod=" + GOOD);
        listProblems("prod=" + BAD);
        clock.advance(CallerTokens.REFUSED_FOR.minusSeconds(1));
        listProblems("prod=" + GOOD);
        listProblems("prod=" + BAD);
        assertThat(requests("/e/abc12345/api/v2/apiTokens/lookup")).as("both verdicts still cached").hasSize(2);

        clock.advance(Duration.ofSeconds(2));
        listProblems("prod=" + BAD);
        assertThat(requests("/e/abc12345/api/v2/apiTokens/lookup")).as("the refusal expired first").hasSize(3);

        clock.advance(CallerTokens.TRUSTED_FOR);
        assertThat(listProblems("prod=" + GOOD).isError()).isFalse();
        assertThat(requests("/e/abc12345/api/v2/apiTokens/lookup")).as("then the trust").hasSize(4);
    }

    @Test
    void anUnknownAliasAndABadTokenGetTheSameAnswerAndARefusalIsRemembered() throws Exception {
        ToolResult unknownAlias = listProblems("staging=" + GOOD);
        ToolResult badToken = listProblems("prod=" + BAD);
        ToolResult badAgain = listProblems("prod=" + BAD);

        assertThat(unknownAlias.isError()).isTrue();
        assertThat(badToken.isError()).isTrue();
        assertThat(unknownAlias.allText()).isEqualTo(REFUSED);
        assertThat(badToken.allText()).isEqualTo(REFUSED);
        assertThat(badAgain.allText()).isEqualTo(REFUSED);
        // The bad token was looked up once (and refused), then the refusal came from the cache.
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getPath()).startsWith("/e/abc12345/api/v2/apiTokens/lookup");
        assertThat(requests("/e/abc12345/api/v2/problems")).isEmpty();
    }

    @Test
    void aMalformedHeaderIsAClearErrorThatNeverEchoesItsContentAndSendsNothing() throws Exception {
        String secret = "s3cretPLANTEDvalue99";
        Map<String, String> cases = Map.of(
                secret, "entry 1 is not alias=token",
                "prod=", "entry 1 has an empty token",
                "=" + secret, "entry 1 has an empty alias",
                "prod=" + secret + ";;staging=x", "entry 2 is empty",
                "prod=" + secret + ";", "entry 2 is empty",
                "prod=" + secret + " tail", "the token of entry 1 contains spaces or characters a token cannot have",
                secret + ".x=prod", "the alias of entry 1 is not an environment alias",
                "prod=" + secret + ";prod=other", "entry 2 repeats the alias of entry 1",
                IntStream.range(0, 65).mapToObj(i -> "e" + i + "=" + secret).collect(Collectors.joining(";")),
                "it has more than 64 entries");
        for (Map.Entry<String, String> malformed : cases.entrySet()) {
            ToolResult result = listProblems(malformed.getKey());

            assertThat(result.isError()).as(malformed.getKey()).isTrue();
            assertThat(result.allText()).as(malformed.getKey())
                    .startsWith("The X-Dynatrace-Tokens header is malformed: " + malformed.getValue())
                    .endsWith("Send alias=token pairs separated by ';', such as prod=<token>;staging=<token>.")
                    .doesNotContain(secret, "other");
        }
        assertThat(received).isEmpty();
    }

    @Test
    void aForbiddenCallNamesTheCallersHeaderNotTheApiTokenSetting() throws Exception {
        ToolResult result = listProblems("prod=" + LIMITED);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("the API token in the caller's X-Dynatrace-Tokens header (its token for"
                + " environment prod) lacks a permission").doesNotContain("api_token", LIMITED);
    }

    @Test
    void theCallersTokenIsInNoResultAndNoLogLineTheTraceRequestLogIncluded() throws Exception {
        ToolResult good = listProblems("prod=" + GOOD);
        ToolResult bad = listProblems("prod=" + BAD);
        // Its lookup fails with a body that quotes it, logged at DEBUG: the token's shape hides it there.
        ToolResult echoing = listProblems("prod=" + ECHOING);
        ToolResult limited = listProblems("prod=" + LIMITED);

        assertThat(good.isError()).isFalse();
        assertThat(bad.allText()).isEqualTo(REFUSED);
        assertThat(echoing.allText()).isEqualTo("The caller's X-Dynatrace-Tokens credential for environment prod"
                + " could not be checked now (the token lookup failed); retry later.");
        String log = loggedText();
        assertThat(log).as("the TRACE request log ran").contains("headers {").contains("Authorization: [REDACTED]")
                .contains("a caller's token could not be checked");
        for (ToolResult result : List.of(good, bad, echoing, limited)) {
            assertThat(result.allText() + result.structuredContent()).doesNotContain(GOOD, BAD, ECHOING, LIMITED, TOKEN);
        }
        assertThat(log).doesNotContain(GOOD, BAD, ECHOING, LIMITED, TOKEN);
    }

    @Test
    void aTokenWithoutTheApiTokensShapeIsRefusedLikeABadOneAndNeverLookedUp() throws Exception {
        int before = server.getRequestCount();
        ToolResult result = listProblems("prod=true");
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo(REFUSED);
        assertThat(server.getRequestCount()).isEqualTo(before);
    }
}
