package dev.bastion.toolkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.toolkit.credentials.HeaderCredentials;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JSON backend whose calls may carry their callers' own credentials. */
class CallCredentialsTest {

    private static final String CONFIGURED = "configured-PLANTED-0a1b2c3d";
    private static final String CALLER = "caller-PLANTED-9f8e7d6c";
    private static final String SOURCE = "the X-Test-Token header";

    private final SecretRedactor redactor = new SecretRedactor();
    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    /** A backend that maps the caller credential of a call to {@code Api-Token <it>}. */
    private JsonBackend backend(CallCredentials.Resolver resolver) {
        BackendSpec spec = BackendSpec.builder("test/prod")
                .credentials(HeaderCredentials.apiToken(Secret.of(CONFIGURED), "api_token"))
                .allowInsecureLoopback(true).build();
        return JsonBackend.builder("Test backend prod", server.url("/api/"),
                        new OutboundHttp(redactor, "1", Map.of()).lazyClient(spec), new ObjectMapper(), redactor)
                .credential("API token", "api_token")
                .callCredentials(resolver)
                .build();
    }

    private static final CallCredentials.Resolver FROM_CALLER = context -> context.callerCredential()
            .map(token -> new CallCredentials(HeaderCredentials.apiToken(token, "X-Test-Token"), SOURCE));

    @Test
    void aCallWithACallerCredentialSendsItAndACallWithoutSendsTheConfiguredOne() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"a\":1}"));
        server.enqueue(new MockResponse().setBody("{\"a\":2}"));
        JsonBackend backend = backend(FROM_CALLER);

        assertThat(backend.get("items").send(withCaller(CALLER)).path("a").asInt()).isEqualTo(1);
        assertThat(backend.get("items").send(BackgroundCall.within(Duration.ofSeconds(5))).path("a").asInt())
                .isEqualTo(2);

        assertThat(server.takeRequest().getHeaders().values("Authorization")).containsExactly("Api-Token " + CALLER);
        assertThat(server.takeRequest().getHeaders().values("Authorization"))
                .containsExactly("Api-Token " + CONFIGURED);
    }

    @Test
    void aRequestsOwnCredentialsWinOverTheCallsAndTheResolverIsNotAsked() throws Exception {
        server.enqueue(new MockResponse().setBody("{}"));
        JsonBackend backend = backend(context -> {
            throw new AssertionError("the resolver must not be asked when the request names its credentials");
        });

        backend.post(new ObjectMapper().createObjectNode(), "lookup")
                .credentials(new CallCredentials(HeaderCredentials.apiToken(Secret.of(CALLER), "x"), SOURCE))
                .send(withCaller("ignored-token-value"));

        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Api-Token " + CALLER);
    }

    @Test
    void aRefusalFromTheResolverEndsTheCallBeforeAnyRequest() {
        JsonBackend backend = backend(context -> {
            throw new ToolFailure("The caller's credential was refused.");
        });

        assertThatThrownBy(() -> backend.get("items").send(withCaller(CALLER)))
                .isInstanceOf(ToolFailure.class).hasMessage("The caller's credential was refused.");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void unauthorizedAndForbiddenNameWhereTheCallersCredentialCameFromNotTheSetting() {
        server.enqueue(new MockResponse().setResponseCode(403).setBody("{\"message\":\"missing scope\"}"));
        server.enqueue(new MockResponse().setResponseCode(401).setBody("{}"));
        server.enqueue(new MockResponse().setResponseCode(403).setBody("{}"));
        JsonBackend backend = backend(FROM_CALLER);

        assertThatThrownBy(() -> backend.get("items").send(withCaller(CALLER)))
                .hasMessage("Test backend prod refused access (403: missing scope); the API token in " + SOURCE
                        + " lacks a permission.");
        assertThatThrownBy(() -> backend.get("items").send(withCaller(CALLER)))
                .hasMessageEndingWith("it is missing, invalid, expired or revoked. Check " + SOURCE + ".");
        assertThatThrownBy(() -> backend.get("items").send(BackgroundCall.within(Duration.ofSeconds(5))))
                .hasMessageEndingWith("the API token in api_token lacks a permission.");
    }

    /** A call whose caller sent {@code token}, as the HTTP transport passes it. */
    private static CallContext withCaller(String token) {
        BackgroundCall call = BackgroundCall.within(Duration.ofSeconds(5));
        return new CallContext() {
            @Override
            public Principal principal() {
                return call.principal();
            }

            @Override
            public Instant deadline() {
                return call.deadline();
            }

            @Override
            public boolean isCancelled() {
                return call.isCancelled();
            }

            @Override
            public void cancel(String reason) {
                call.cancel(reason);
            }

            @Override
            public void onCancel(Runnable action) {
                call.onCancel(action);
            }

            @Override
            public ProgressReporter progress() {
                return call.progress();
            }

            @Override
            public void log(LogLevel level, String message) {
            }

            @Override
            public ClientRequests client() {
                return call.client();
            }

            @Override
            public Optional<Secret> callerCredential() {
                return Optional.of(Secret.of(token));
            }
        };
    }
}
