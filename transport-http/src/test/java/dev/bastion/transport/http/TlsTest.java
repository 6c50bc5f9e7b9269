package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.TlsVersion;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS termination with a PEM pair or a PKCS#12 key store. */
class TlsTest {

    private final McpEngine engine = HttpFixture.engine();
    private final HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1")
            .addSubjectAlternativeName("localhost").build();
    private HttpTransport transport;

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        engine.close();
    }

    private Response initialize() throws Exception {
        HandshakeCertificates trust = new HandshakeCertificates.Builder()
                .addTrustedCertificate(certificate.certificate()).build();
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
        return client.newCall(new Request.Builder().url("https://127.0.0.1:" + transport.port() + "/mcp")
                .header("Accept", "application/json, text/event-stream")
                .post(RequestBody.create(HttpFixture.INITIALIZE, MediaType.get("application/json"))).build()).execute();
    }

    @Test
    void servesHttpsWithAPemCertificateAndKeyOverTls12OrNewer() throws Exception {
        Path cert = Files.writeString(temp.resolve("cert.pem"), certificate.certificatePem());
        Path key = ownerOnly(Files.writeString(temp.resolve("key.pem"), certificate.privateKeyPkcs8Pem()));
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withTls(
                new HttpSettings.Tls(cert, key, null, null)));
        assertThat(transport.endpoint().getScheme()).isEqualTo("https");
        try (Response response = initialize()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.handshake().tlsVersion()).isIn(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
        }
    }

    @Test
    void servesHttpsWithAPkcs12KeyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", certificate.keyPair().getPrivate(), "changeit".toCharArray(),
                new Certificate[] {certificate.certificate()});
        Path file = temp.resolve("server.p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        ownerOnly(file);
        transport = HttpFixture.start(engine, HttpSettings.loopbackDefaults().withTls(
                new HttpSettings.Tls(null, null, file, Secret.of("changeit"))));
        try (Response response = initialize()) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    @Test
    void refusesAKeyThatIsNotPkcs8WithAnActionableMessage() throws Exception {
        Path cert = Files.writeString(temp.resolve("cert.pem"), certificate.certificatePem());
        Path key = ownerOnly(Files.writeString(temp.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n"));
        HttpTransport broken = HttpTransport.builder(engine, HttpSettings.loopbackDefaults().withTls(
                new HttpSettings.Tls(cert, key, null, null))).build();
        assertThatThrownBy(broken::start).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void refusesAPkcs12StoreWithTheWrongPasswordWithoutShowingIt() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", certificate.keyPair().getPrivate(), "right-pass".toCharArray(),
                new Certificate[] {certificate.certificate()});
        Path file = temp.resolve("server.p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, "right-pass".toCharArray());
        }
        ownerOnly(file);
        HttpTransport broken = HttpTransport.builder(engine, HttpSettings.loopbackDefaults().withTls(
                new HttpSettings.Tls(null, null, file, Secret.of("wrong-pass-7781")))).build();
        assertThatThrownBy(broken::start).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("wrong password").hasMessageNotContaining("wrong-pass-7781");
    }

    @Test
    void refusesAPemKeyThatOthersCanRead() throws Exception {
        Path cert = Files.writeString(temp.resolve("cert.pem"), certificate.certificatePem());
        Path key = Files.writeString(temp.resolve("key.pem"), certificate.privateKeyPkcs8Pem());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        HttpTransport exposed = HttpTransport.builder(engine, HttpSettings.loopbackDefaults().withTls(
                new HttpSettings.Tls(cert, key, null, null))).build();

        assertThatThrownBy(exposed::start).isInstanceOf(ProviderConfigException.class)
                .hasMessageStartingWith("http.tls.key_file: Key file " + key)
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600 " + key);
    }

    @Test
    void refusesAPkcs12StoreThatTheGroupCanRead() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", certificate.keyPair().getPrivate(), "changeit".toCharArray(),
                new Certificate[] {certificate.certificate()});
        Path file = temp.resolve("server.p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        HttpTransport exposed = HttpTransport.builder(engine, HttpSettings.loopbackDefaults().withTls(
                new HttpSettings.Tls(null, null, file, Secret.of("changeit")))).build();

        assertThatThrownBy(exposed::start).isInstanceOf(ProviderConfigException.class)
                .hasMessageStartingWith("http.tls.pkcs12_file: Key file " + file)
                .hasMessageContaining("chmod 600 " + file);
    }

    private static Path ownerOnly(Path file) throws java.io.IOException {
        return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
