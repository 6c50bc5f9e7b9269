package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.security.outbound.PlantedSecrets.RefreshableToken;
import dev.bastion.security.outbound.PlantedSecrets.SecretRedactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyClientTest {

    private final SecretRedactor redactor = new SecretRedactor();
    private final OutboundHttp outbound = new OutboundHttp(redactor, "1.2.3", Map.of());
    private MockWebServer server;

    @TempDir
    Path directory;

    @BeforeEach
    void start() {
        server = new MockWebServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void buildsOneClientOnFirstUseAndHandsOutTheSameOneAfterwards() {
        Supplier<OkHttpClient> lazy = outbound.lazyClient(BackendSpec.builder("dt/prod").build());

        OkHttpClient first = lazy.get();

        assertThat(lazy.get()).isSameAs(first);
    }

    @Test
    void registersCredentialSecretsBeforeTheClientIsBuilt() {
        outbound.lazyClient(BackendSpec.builder("dt/prod")
                .credentials(new RefreshableToken(PlantedSecrets.TOKEN, false)).build());

        assertThat(redactor.secrets()).contains(PlantedSecrets.TOKEN);
    }

    @Test
    void reportsUnusableCaFileAndProxyWhenCreatedNotOnFirstUse() throws IOException {
        Path empty = Files.writeString(directory.resolve("empty.pem"), "not a certificate\n");

        assertThatThrownBy(() -> outbound.lazyClient(BackendSpec.builder("onprem").caFile(empty).build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("contains no PEM certificate");
        assertThatThrownBy(() -> outbound.lazyClient(BackendSpec.builder("onprem")
                        .proxy(java.net.URI.create("ftp://proxy.example.com:21")).build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("proxy");
    }

    @Test
    void appliesTheSameHardeningAsAnEagerClient() throws Exception {
        server.start();
        server.enqueue(new MockResponse().setBody("{}"));
        Supplier<OkHttpClient> lazy = outbound.lazyClient(BackendSpec.builder("dt/prod")
                .credentials(new RefreshableToken(PlantedSecrets.TOKEN, false)).allowInsecureLoopback(true).build());

        try (Response response = lazy.get().newCall(new Request.Builder().url(server.url("/api")).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeader("Authorization")).isEqualTo("Api-Token " + PlantedSecrets.TOKEN + "-1");
        assertThat(request.getHeader("User-Agent")).isEqualTo("bastion/1.2.3");

        Supplier<OkHttpClient> strict = outbound.lazyClient(BackendSpec.builder("onprem").build());
        assertThatThrownBy(() -> strict.get().newCall(new Request.Builder().url(server.url("/api")).build()).execute())
                .isInstanceOf(InsecureSchemeException.class);
    }

    @Test
    void trustsTheCaFileReadWhenCreated() throws Exception {
        HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).commonName("Lazy Test Root").build();
        HeldCertificate leaf = new HeldCertificate.Builder().signedBy(root).commonName("localhost")
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(leaf, root.certificate()).build()
                .sslSocketFactory(), false);
        server.start();
        server.enqueue(new MockResponse().setBody("secure"));
        Path caFile = Files.writeString(directory.resolve("ca.pem"), root.certificatePem());
        Supplier<OkHttpClient> lazy = outbound.lazyClient(BackendSpec.builder("onprem").caFile(caFile).build());
        // The file is read when the client is created, not when it is first used.
        Files.delete(caFile);

        try (Response response = lazy.get().newCall(new Request.Builder().url(server.url("/api")).build()).execute()) {
            assertThat(response.body().string()).isEqualTo("secure");
        }
    }
}
