package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    private final OutboundHttp outbound = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of());
    private final HeldCertificate root = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("Bastion Test Root CA").build();
    private final HeldCertificate otherRoot = new HeldCertificate.Builder()
            .certificateAuthority(0).commonName("Unrelated CA").build();
    private MockWebServer server;

    @TempDir
    Path directory;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private void serveHttpsAs(String... names) throws IOException {
        HeldCertificate.Builder certificate = new HeldCertificate.Builder().signedBy(root).commonName(names[0]);
        for (String name : names) {
            certificate.addSubjectAlternativeName(name);
        }
        HandshakeCertificates handshake = new HandshakeCertificates.Builder()
                .heldCertificate(certificate.build(), root.certificate()).build();
        server.useHttps(handshake.sslSocketFactory(), false);
        server.start();
    }

    private Path caFile(HeldCertificate... authorities) throws IOException {
        StringBuilder pem = new StringBuilder("# CA bundle for the test backend\n");
        for (HeldCertificate authority : authorities) {
            pem.append(authority.certificatePem());
        }
        return Files.writeString(directory.resolve("ca.pem"), pem);
    }

    private Request get() {
        return new Request.Builder().url(server.url("/api")).build();
    }

    @Test
    void trustsBackendSignedByCaFromCaFileBundle() throws IOException {
        serveHttpsAs("localhost", "127.0.0.1");
        server.enqueue(new MockResponse().setBody("secure"));
        OkHttpClient client = outbound.client(BackendSpec.builder("onprem")
                .caFile(caFile(otherRoot, root)).build());

        try (Response response = client.newCall(get()).execute()) {
            assertThat(response.body().string()).isEqualTo("secure");
            assertThat(response.handshake().tlsVersion()).isIn(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
        }
    }

    @Test
    void rejectsBackendCertificateFromUnknownCaWithCaFileHint() throws IOException {
        serveHttpsAs("localhost", "127.0.0.1");
        server.enqueue(new MockResponse().setBody("secure"));
        OkHttpClient client = outbound.client(BackendSpec.builder("onprem").build());

        SSLHandshakeException failure = catchThrowableOfType(SSLHandshakeException.class,
                () -> client.newCall(get()).execute());

        assertThat(BackendErrors.describe(failure, "onprem"))
                .isEqualTo("The TLS certificate of onprem is not trusted; if the backend uses a private or"
                        + " self-signed CA, set ca_file to that CA's PEM certificate bundle");
    }

    @Test
    void rejectsCertificateIssuedForAnotherHost() throws IOException {
        serveHttpsAs("backend.example.com");
        server.enqueue(new MockResponse().setBody("secure"));
        OkHttpClient client = outbound.client(BackendSpec.builder("onprem").caFile(caFile(root)).build());

        SSLPeerUnverifiedException failure = catchThrowableOfType(SSLPeerUnverifiedException.class,
                () -> client.newCall(get()).execute());

        assertThat(BackendErrors.describe(failure, "onprem")).contains("does not match its host name");
    }

    @Test
    void offersOnlyTls12AndNewerAndNoCleartextWithoutLoopbackAllowance() {
        OkHttpClient strict = outbound.client(BackendSpec.builder("onprem").build());
        OkHttpClient sandbox = outbound.client(BackendSpec.builder("sandbox").allowInsecureLoopback(true).build());

        assertThat(strict.connectionSpecs()).hasSize(1);
        assertThat(strict.connectionSpecs().get(0).tlsVersions()).containsExactly(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
        assertThat(sandbox.connectionSpecs()).contains(ConnectionSpec.CLEARTEXT);
        assertThat(sandbox.connectionSpecs().get(0).tlsVersions()).containsExactly(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
    }

    @Test
    void reportsUnreadableOrEmptyCaFileClearly() throws IOException {
        Path missing = directory.resolve("missing.pem");
        Path empty = Files.writeString(directory.resolve("empty.pem"), "not a certificate\n");

        assertThatThrownBy(() -> outbound.client(BackendSpec.builder("onprem").caFile(missing).build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("ca_file " + missing + " cannot be read; it must be a readable PEM file with one or more"
                        + " CA certificates");
        assertThatThrownBy(() -> outbound.client(BackendSpec.builder("onprem").caFile(empty).build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("contains no PEM certificate");
    }

    @Test
    void reportsCorruptCertificateInCaFile() throws IOException {
        Path corrupt = Files.writeString(directory.resolve("corrupt.pem"),
                root.certificatePem() + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> outbound.client(BackendSpec.builder("onprem").caFile(corrupt).build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("ca_file " + corrupt + " contains a certificate that is not valid PEM (certificate 2)");
    }

    @Test
    void refusesRedirectFromHttpsToPlainHttp() throws IOException {
        serveHttpsAs("localhost", "127.0.0.1");
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "http://api.example.com/login"));
        OkHttpClient client = outbound.client(BackendSpec.builder("onprem").caFile(caFile(root)).build());

        assertThatThrownBy(() -> client.newCall(get()).execute())
                .isInstanceOf(InsecureSchemeException.class)
                .hasMessage("Refusing plain http to api.example.com: backends are reached over HTTPS only");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
