package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Map;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one plain-http exception a backend may declare: a link-local origin such as the instance
 * metadata service. Every connection the clients here open is routed to a loopback MockWebServer,
 * so a request that passes the guard really is sent and one that is refused never reaches it.
 */
class LinkLocalOriginTest {

    private final OutboundHttp outbound = new OutboundHttp(Redactor.NONE, "1.2.3", Map.of());
    private MockWebServer server;
    private String metadata;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        metadata = "http://169.254.169.254:" + server.getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void aBackendReachesTheLinkLocalOriginItDeclared() throws Exception {
        server.enqueue(new MockResponse().setBody("us-ashburn-1"));
        OkHttpClient client = toServer(BackendSpec.builder("oci/metadata").linkLocalOrigin(URI.create(metadata)));

        try (Response response = client.newCall(get(metadata + "/opc/v2/instance/canonicalRegionName")).execute()) {
            assertThat(response.body().string()).isEqualTo("us-ashburn-1");
        }
        assertThat(server.takeRequest().getPath()).isEqualTo("/opc/v2/instance/canonicalRegionName");
    }

    @Test
    void theExceptionCoversThatAddressAndPortOnly() {
        OkHttpClient client = toServer(BackendSpec.builder("oci/metadata").linkLocalOrigin(URI.create(metadata)));

        for (String url : new String[] {
                "http://169.254.169.253:" + server.getPort() + "/opc/v2/identity/cert.pem",
                "http://169.254.169.254:" + (server.getPort() + 1) + "/opc/v2/identity/cert.pem",
                "http://169.254.169.254/opc/v2/identity/cert.pem",
                "http://api.example.com:" + server.getPort() + "/",
                "http://127.0.0.1:" + server.getPort() + "/",
                "http://10.0.0.1:" + server.getPort() + "/"}) {
            assertThatThrownBy(() -> client.newCall(get(url)).execute()).as(url)
                    .isInstanceOf(InsecureSchemeException.class)
                    .hasMessageContaining("backends are reached over HTTPS only");
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aBackendThatDeclaredNothingCannotReachTheMetadataAddress() {
        OkHttpClient plain = toServer(BackendSpec.builder("oci/monitoring"));
        OkHttpClient loopback = toServer(BackendSpec.builder("oci/sandbox").allowInsecureLoopback(true));

        assertThatThrownBy(() -> plain.newCall(get(metadata + "/opc/v2/identity/key.pem")).execute())
                .isInstanceOf(InsecureSchemeException.class);
        assertThatThrownBy(() -> loopback.newCall(get(metadata + "/opc/v2/identity/key.pem")).execute())
                .isInstanceOf(InsecureSchemeException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aRedirectFromTheOriginToAnotherPlainHttpAddressIsRefusedBeforeItIsSent() {
        server.enqueue(new MockResponse().setResponseCode(302)
                .setHeader("Location", "http://169.254.169.253:" + server.getPort() + "/elsewhere"));
        server.enqueue(new MockResponse().setBody("must not be served"));
        OkHttpClient client = toServer(BackendSpec.builder("oci/metadata").linkLocalOrigin(URI.create(metadata)));

        assertThatThrownBy(() -> client.newCall(get(metadata + "/opc/v2/identity/cert.pem")).execute())
                .isInstanceOf(InsecureSchemeException.class)
                .hasMessageContaining("169.254.169.253");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void onlyAPlainLinkLocalOriginCanBeDeclared() {
        for (String origin : new String[] {"http://10.0.0.1", "http://127.0.0.1:8080", "http://example.com",
                "https://169.254.169.254", "http://169.254.169.254/opc/v2", "http://user@169.254.169.254",
                "http://169.254.169.254?x=1", "http://169.254.169.254.nip.io"}) {
            assertThatThrownBy(() -> BackendSpec.builder("x").linkLocalOrigin(URI.create(origin)).build()).as(origin)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("link-local");
        }
        assertThat(BackendSpec.builder("x").linkLocalOrigin(URI.create("http://[fe80::a9fe:a9fe]")).build()
                .linkLocalOrigin()).hasToString("http://[fe80::a9fe:a9fe]");
    }

    @Test
    void aTokenEndpointSpecDerivedFromTheBackendDropsTheException() {
        BackendSpec spec = BackendSpec.builder("oci/metadata").linkLocalOrigin(URI.create(metadata)).build();

        assertThat(spec.withoutCredentials().linkLocalOrigin()).isNull();
        assertThat(spec.toString()).contains("linkLocalOrigin=" + metadata);
    }

    private static Request get(String url) {
        return new Request.Builder().url(url).build();
    }

    /** A client for {@code spec} whose every connection goes to the mock server, whatever its address. */
    private OkHttpClient toServer(BackendSpec.Builder spec) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
        return outbound.client(spec.build()).newBuilder().socketFactory(new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new Socket() {
                    @Override
                    public void connect(SocketAddress endpoint, int timeout) throws IOException {
                        super.connect(target, timeout);
                    }
                };
            }

            @Override
            public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }
        }).build();
    }
}
