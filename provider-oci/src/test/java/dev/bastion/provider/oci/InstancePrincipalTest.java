package dev.bastion.provider.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.oci.sandbox.OciSandbox;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.MutableClock;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * auth_type instance_principal end to end: the identity from the (sandbox's) metadata service, a
 * security token from its federation endpoint for a fresh session key, requests signed with
 * {@code ST$<token>}, the token renewed before it expires, and every way it can fail named.
 */
class InstancePrincipalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final SecretRedactor redactor = new SecretRedactor();
    private OciSandbox sandbox = OciSandbox.start(new OciSandbox.Options(42L, clock));

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private ServerProviderContext context(Clock clock) {
        return new ServerProviderContext(JSON, redactor, clock, "test",
                Map.of(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of())));
    }

    /** The sandbox's principal instance, typed as the configuration loader types it. */
    private Map<String, Object> principal() {
        Map<String, Object> values = new LinkedHashMap<>(sandbox.instances().get(2));
        assertThat(values).containsEntry("auth_type", "instance_principal").doesNotContainKey("config_file");
        for (String url : List.of("metadata_endpoint", "federation_endpoint", "monitoring_endpoint",
                "identity_endpoint")) {
            values.put(url, URI.create(values.get(url).toString()));
        }
        return values;
    }

    private Provider create(Map<String, Object> values) {
        return new OciProviderFactory(Map.of(), java.nio.file.Path.of("/nonexistent-home"))
                .create(new ProviderConfig("oci", "principal", values), context(clock));
    }

    private static ToolResult listCompartments(Provider provider) throws Exception {
        Tool tool = provider.tools().stream().filter(t -> t.descriptor().name().equals("oci_list_compartments"))
                .findFirst().orElseThrow();
        return tool.call((ObjectNode) JSON.readTree("{\"include_subtree\":true}"),
                BackgroundCall.within(Duration.ofSeconds(20)));
    }

    private List<LoggedRequest> requestsTo(String path) {
        return sandbox.requests().stream().filter(r -> r.rawPath().equals(path)).toList();
    }

    @Test
    void signsAsTheInstanceWithATokenFederatedForAFreshSessionKey() throws Exception {
        Provider provider = create(principal());

        ToolResult result = listCompartments(provider);

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("count").asInt()).isEqualTo(13);
        assertThat(provider.health(BackgroundCall.within(Duration.ofSeconds(20))).healthy()).isTrue();
        // The identity came from the metadata service with its header; one token served both calls.
        assertThat(requestsTo("/opc/v2/identity/cert.pem")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(requestsTo("/v1/x509")).hasSize(1).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.status()).isEqualTo(200);
        });
        assertThat(requestsTo("/20160918/compartments")).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(sandbox.validPrincipalTokens()).isEqualTo(1);
    }

    @Test
    void theTokenIsRenewedBeforeItExpiresAndTheOldOneIsNeverSentAfterIt() throws Exception {
        Provider provider = create(principal());
        assertThat(listCompartments(provider).isError()).isFalse();

        clock.advance(Duration.ofMinutes(14));
        assertThat(listCompartments(provider).isError()).isFalse();
        assertThat(requestsTo("/v1/x509")).hasSize(1);

        // 20-minute tokens are renewed 5 minutes before they expire, with a new session key.
        clock.advance(Duration.ofMinutes(2));
        assertThat(listCompartments(provider).isError()).isFalse();
        assertThat(requestsTo("/v1/x509")).hasSize(2);
        assertThat(sandbox.validPrincipalTokens()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(30));
        ToolResult later = listCompartments(provider);
        assertThat(later.isError()).as(later.allText()).isFalse();
        assertThat(requestsTo("/v1/x509")).hasSize(3);
        assertThat(requestsTo("/20160918/compartments")).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void everyIssuedTokenIsRegisteredWithTheRedactor() throws Exception {
        MockWebServer federation = recordingFederation();
        try (federation) {
            Map<String, Object> values = principal();
            values.put("federation_endpoint", URI.create(federation.url("/v1/x509").toString()));
            Provider provider = create(values);

            assertThat(listCompartments(provider).isError()).isFalse();

            String token = JSON.readTree(tokens.get("last")).path("token").asText();
            assertThat(token).isNotBlank();
            assertThat(redactor.redact("token " + token)).doesNotContain(token);
        }
    }

    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /** A federation endpoint that passes requests on to the sandbox's and remembers the answers. */
    private MockWebServer recordingFederation() throws IOException {
        OkHttpClient forward = new OkHttpClient();
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                Request.Builder copy = new Request.Builder().url(sandbox.url() + "/v1/x509")
                        .post(okhttp3.RequestBody.create(request.getBody().readByteArray(),
                                okhttp3.MediaType.get("application/json")));
                request.getHeaders().forEach(h -> {
                    if (!h.getFirst().equalsIgnoreCase("host") && !h.getFirst().equalsIgnoreCase("content-length")) {
                        copy.header(h.getFirst(), h.getSecond());
                    }
                });
                try (Response response = forward.newCall(copy.build()).execute()) {
                    String body = response.body().string();
                    tokens.put("last", body);
                    return new MockResponse().setResponseCode(response.code()).setBody(body);
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(502);
                }
            }
        });
        server.start();
        return server;
    }

    @Test
    void aRefusedFederationIsAClearToolErrorThatNamesTheDynamicGroup() throws Exception {
        try (MockWebServer federation = new MockWebServer()) {
            federation.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                            .setBody("{\"code\":\"NotAuthenticated\",\"message\":\"The required information to"
                                    + " complete authentication was not provided.\"}");
                }
            });
            federation.start();
            Map<String, Object> values = principal();
            values.put("federation_endpoint", URI.create(federation.url("/v1/x509").toString()));
            Provider provider = create(values);

            ToolResult result = listCompartments(provider);

            assertThat(result.isError()).isTrue();
            assertThat(result.allText()).contains("refused the instance principal (HTTP 401 NotAuthenticated")
                    .contains("dynamic group").doesNotContain("Exception").doesNotContain("at dev.");
            assertThat(requestsTo("/20160918/compartments")).isEmpty();
            assertThat(provider.health(BackgroundCall.within(Duration.ofSeconds(20))).healthy()).isFalse();
        }
    }

    @Test
    void aMachineWithoutAMetadataServiceIsToldAtStartup() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, Object> values = principal();
        values.remove("region");
        values.put("metadata_endpoint", URI.create("http://127.0.0.1:" + closed + "/opc/v2"));

        assertThatThrownBy(() -> create(values)).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("oci[principal]: The instance metadata service at http://127.0.0.1:" + closed)
                .hasMessageContaining("works only on an OCI compute instance");
    }

    @Test
    void theLegacyMetadataServiceIsUsedWhenVersionTwoIsMissing() throws Exception {
        OkHttpClient http = new OkHttpClient();
        Map<String, String> served = new LinkedHashMap<>();
        for (String path : List.of("identity/cert.pem", "identity/key.pem", "identity/intermediate.pem",
                "instance/canonicalRegionName")) {
            try (Response response = http.newCall(new Request.Builder().url(sandbox.url() + "/opc/v2/" + path)
                    .header("Authorization", "Bearer Oracle").build()).execute()) {
                served.put(path, response.body().string());
            }
        }
        try (MockWebServer legacy = new MockWebServer()) {
            legacy.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String path = request.getPath();
                    if (path.startsWith("/opc/v1/") && served.containsKey(path.substring(8))) {
                        return new MockResponse().setBody(served.get(path.substring(8)));
                    }
                    return new MockResponse().setResponseCode(404).setBody("Not Found");
                }
            });
            legacy.start();
            Map<String, Object> values = principal();
            values.put("metadata_endpoint", URI.create(legacy.url("/opc/v2").toString()));
            values.remove("region");
            Provider provider = create(values);

            assertThat(listCompartments(provider).isError()).isFalse();
            List<String> paths = new java.util.ArrayList<>();
            for (int i = legacy.getRequestCount(); i > 0; i--) {
                paths.add(legacy.takeRequest().getPath());
            }
            assertThat(paths.get(0)).isEqualTo("/opc/v2/instance/canonicalRegionName");
            assertThat(paths).contains("/opc/v1/identity/cert.pem", "/opc/v1/identity/key.pem")
                    .filteredOn(p -> p.startsWith("/opc/v2/")).hasSize(1);
        }
    }

    @Test
    void aCertificateOfAnotherTenancyIsRefusedAtRenewal() throws Exception {
        OciSandbox other = OciSandbox.start(new OciSandbox.Options(7L, clock));
        try (other; MockWebServer switching = new MockWebServer()) {
            assertThat(other.tenancyId()).isNotEqualTo(sandbox.tenancyId());
            OkHttpClient http = new OkHttpClient();
            java.util.concurrent.atomic.AtomicReference<OciSandbox> current = new java.util.concurrent.atomic.AtomicReference<>(sandbox);
            switching.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    try (Response response = http.newCall(new Request.Builder().url(current.get().url()
                            + request.getPath()).header("Authorization", "Bearer Oracle").build()).execute()) {
                        return new MockResponse().setResponseCode(response.code()).setBody(response.body().string());
                    } catch (IOException e) {
                        return new MockResponse().setResponseCode(502);
                    }
                }
            });
            switching.start();
            Map<String, Object> values = principal();
            values.put("metadata_endpoint", URI.create(switching.url("/opc/v2").toString()));
            Provider provider = create(values);
            assertThat(listCompartments(provider).isError()).isFalse();

            current.set(other);
            clock.advance(Duration.ofMinutes(16));
            ToolResult result = listCompartments(provider);

            assertThat(result.isError()).isTrue();
            assertThat(result.allText()).contains("names another tenancy");
        }
    }

    @Test
    void withoutAFederationSettingTheRegionsAuthEndpointIsUsed() throws Exception {
        Map<String, Object> values = principal();
        values.remove("federation_endpoint");
        // The real host is not reached in CI (no DNS) or answers slowly elsewhere; either way the
        // message names the URL, within a short timeout.
        values.put("timeout", Duration.ofSeconds(3));
        Provider provider = create(values);

        ToolResult result = listCompartments(provider);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("https://auth.us-sandbox-1.oraclecloud.com/v1/x509");
        assertThat(requestsTo("/20160918/compartments")).isEmpty();
    }

    @Test
    void startingReadsOnlyTheRegionAndNothingWhenTheRegionIsSet() throws Exception {
        Map<String, Object> withoutRegion = principal();
        withoutRegion.remove("region");
        create(withoutRegion);
        assertThat(sandbox.requests()).extracting(LoggedRequest::rawPath)
                .containsExactly("/opc/v2/instance/canonicalRegionName");

        Provider provider = create(principal());
        assertThat(sandbox.requests()).hasSize(1);

        assertThat(listCompartments(provider).isError()).isFalse();
        assertThat(requestsTo("/opc/v2/identity/cert.pem")).hasSize(1);
    }

    @Test
    void aFailedRenewalKeepsUsingTheTokenInHandUntilItExpiresAndDoesNotRetryOnEveryCall() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        OkHttpClient forward = new OkHttpClient();
        try (MockWebServer federation = new MockWebServer()) {
            federation.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    attempts.incrementAndGet();
                    if (failing.get()) {
                        return new MockResponse().setResponseCode(503).setBody("{\"code\":\"ServiceUnavailable\"}");
                    }
                    Request.Builder copy = new Request.Builder().url(sandbox.url() + "/v1/x509")
                            .post(okhttp3.RequestBody.create(request.getBody().readByteArray(),
                                    okhttp3.MediaType.get("application/json")));
                    request.getHeaders().forEach(h -> {
                        if (!h.getFirst().equalsIgnoreCase("host") && !h.getFirst().equalsIgnoreCase("content-length")) {
                            copy.header(h.getFirst(), h.getSecond());
                        }
                    });
                    try (Response response = forward.newCall(copy.build()).execute()) {
                        return new MockResponse().setResponseCode(response.code()).setBody(response.body().string());
                    } catch (IOException e) {
                        return new MockResponse().setResponseCode(502);
                    }
                }
            });
            federation.start();
            Map<String, Object> values = principal();
            values.put("federation_endpoint", URI.create(federation.url("/v1/x509").toString()));
            Provider provider = create(values);
            assertThat(listCompartments(provider).isError()).isFalse();
            failing.set(true);

            clock.advance(Duration.ofMinutes(16));
            assertThat(listCompartments(provider).isError()).isFalse();
            int afterFirstFailure = attempts.get();
            assertThat(afterFirstFailure).isGreaterThan(1);
            clock.advance(Duration.ofSeconds(5));
            assertThat(listCompartments(provider).isError()).isFalse();
            assertThat(attempts.get()).isEqualTo(afterFirstFailure);

            clock.advance(Duration.ofMinutes(5));
            ToolResult expired = listCompartments(provider);
            assertThat(expired.isError()).isTrue();
            assertThat(expired.allText()).contains("refused the instance principal (HTTP 503");
        }
    }
}
