package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.security.outbound.PlantedSecrets.SecretRedactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyTest {

    private static final String PROXY_PASSWORD = "pr0xy@Secret";

    @TempDir
    Path directory;

    private static List<Proxy> route(Map<String, String> environment, String url) {
        return BackendProxySelector.fromEnvironment(environment).select(URI.create(url));
    }

    private static Proxy proxy(String host, int port) {
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }

    @Test
    void usesHttpsProxyFromEnvironmentForHttpsBackends() {
        Map<String, String> environment = Map.of("HTTPS_PROXY", "http://proxy.corp:3128");

        assertThat(route(environment, "https://api.example.com/api")).containsExactly(proxy("proxy.corp", 3128));
    }

    @Test
    void acceptsLowerCaseVariablesAndProxyWithoutScheme() {
        Map<String, String> environment = Map.of("https_proxy", "proxy.corp:8080", "no_proxy", "internal.corp");

        assertThat(route(environment, "https://api.example.com/")).containsExactly(proxy("proxy.corp", 8080));
        assertThat(route(environment, "https://dt.internal.corp/")).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void goesDirectWithoutProxyVariables() {
        assertThat(route(Map.of(), "https://api.example.com/")).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void alwaysReachesLoopbackDirectly() {
        Map<String, String> environment = Map.of("HTTPS_PROXY", "http://proxy.corp:3128");

        assertThat(route(environment, "https://localhost:8443/")).containsExactly(Proxy.NO_PROXY);
        assertThat(route(environment, "https://127.0.0.1/")).containsExactly(Proxy.NO_PROXY);
        assertThat(route(environment, "https://[::1]:9443/")).containsExactly(Proxy.NO_PROXY);
        assertThat(BackendProxySelector.explicit(ProxyEndpoint.parse("http://proxy.corp:3128", "proxy"))
                .select(URI.create("https://localhost/"))).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void noProxyMatchesExactHostsSuffixesWildcardPortsAndCidrs() {
        NoProxyRules rules = NoProxyRules.parse(
                "exact.example.com, .suffix.org *.star.net,host.with.port:8443 10.0.0.0/8 [2001:db8::1]:443 ::2");

        assertThat(rules.bypasses("exact.example.com", 443)).isTrue();
        assertThat(rules.bypasses("EXACT.example.com.", 443)).isTrue();
        assertThat(rules.bypasses("api.exact.example.com", 443)).isTrue();
        assertThat(rules.bypasses("notexact.example.com", 443)).isFalse();
        assertThat(rules.bypasses("api.suffix.org", 443)).isTrue();
        assertThat(rules.bypasses("suffix.org", 443)).isFalse();
        assertThat(rules.bypasses("a.b.star.net", 443)).isTrue();
        assertThat(rules.bypasses("host.with.port", 8443)).isTrue();
        assertThat(rules.bypasses("host.with.port", 443)).isFalse();
        assertThat(rules.bypasses("10.20.30.40", 443)).isTrue();
        assertThat(rules.bypasses("11.0.0.1", 443)).isFalse();
        assertThat(rules.bypasses("2001:db8::1", 443)).isTrue();
        assertThat(rules.bypasses("2001:db8::1", 8443)).isFalse();
        assertThat(rules.bypasses("[::2]", 443)).isTrue();
        assertThat(rules.bypasses("api.example.com", 443)).isFalse();
        assertThat(NoProxyRules.parse("*").bypasses("anything.example", 443)).isTrue();
        assertThat(NoProxyRules.parse("").bypasses("anything.example", 443)).isFalse();
    }

    @Test
    void noProxyFromEnvironmentExemptsHosts() {
        Map<String, String> environment = Map.of("HTTPS_PROXY", "http://proxy.corp:3128", "NO_PROXY",
                "dt.internal:443,.corp.example");

        assertThat(route(environment, "https://dt.internal/")).containsExactly(Proxy.NO_PROXY);
        assertThat(route(environment, "https://dt.internal:9999/")).containsExactly(proxy("proxy.corp", 3128));
        assertThat(route(environment, "https://oci.corp.example/")).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void refusesUnsupportedProxySchemesWithoutShowingCredentials() {
        assertThatThrownBy(() -> new OutboundHttp(new SecretRedactor(), "1", Map.of("HTTPS_PROXY",
                "https://user:" + PROXY_PASSWORD + "@proxy.corp:443")).client(BackendSpec.builder("x").build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageStartingWith("HTTPS_PROXY https://proxy.corp:443 uses https, which is not supported")
                .hasMessageNotContaining(PROXY_PASSWORD);
        assertThatThrownBy(() -> new OutboundHttp(new SecretRedactor(), "1", Map.of()).client(BackendSpec
                .builder("x").proxy(URI.create("socks5://proxy.corp:1080")).build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageStartingWith("proxy socks5://proxy.corp:1080 uses socks5, which is not supported");
    }

    @Test
    void tunnelsHttpsThroughAuthenticatedProxyAndRegistersItsPassword() throws Exception {
        HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate backend = new HeldCertificate.Builder().signedBy(root)
                .addSubjectAlternativeName("api.example.com").build();
        Path caFile = Files.writeString(directory.resolve("ca.pem"), root.certificatePem());
        SecretRedactor redactor = new SecretRedactor();
        try (MockWebServer proxyServer = new MockWebServer()) {
            proxyServer.useHttps(new HandshakeCertificates.Builder().heldCertificate(backend).build().sslSocketFactory(),
                    true);
            proxyServer.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.UPGRADE_TO_SSL_AT_END).clearHeaders());
            proxyServer.enqueue(new MockResponse().setBody("through the tunnel"));
            proxyServer.start();
            String proxyUrl = "http://svc-user:" + PROXY_PASSWORD.replace("@", "%40") + "@" + proxyServer.getHostName()
                    + ":" + proxyServer.getPort();
            OkHttpClient client = new OutboundHttp(redactor, "1", Map.of("HTTPS_PROXY", proxyUrl))
                    .client(BackendSpec.builder("saas").caFile(caFile).build());

            try (Response response = client.newCall(new Request.Builder().url("https://api.example.com/api/v2")
                    .build()).execute()) {
                assertThat(response.body().string()).isEqualTo("through the tunnel");
            }

            RecordedRequest connect = proxyServer.takeRequest();
            assertThat(connect.getRequestLine()).isEqualTo("CONNECT api.example.com:443 HTTP/1.1");
            assertThat(connect.getHeader("Proxy-Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString(("svc-user:" + PROXY_PASSWORD).getBytes(StandardCharsets.UTF_8)));
            RecordedRequest tunnelled = proxyServer.takeRequest();
            assertThat(tunnelled.getRequestLine()).isEqualTo("GET /api/v2 HTTP/1.1");
            assertThat(tunnelled.getHeader("Proxy-Authorization")).isNull();
            assertThat(redactor.secrets()).contains(PROXY_PASSWORD);
            assertThat(redactor.redact("login " + PROXY_PASSWORD)).doesNotContain(PROXY_PASSWORD);
        }
    }

    @Test
    void givesUpWhenProxyRejectsCredentials() throws Exception {
        try (MockWebServer proxyServer = new MockWebServer()) {
            proxyServer.enqueue(new MockResponse().setResponseCode(407)
                    .setHeader("Proxy-Authenticate", "Basic realm=\"corp\""));
            proxyServer.enqueue(new MockResponse().setResponseCode(407)
                    .setHeader("Proxy-Authenticate", "Basic realm=\"corp\""));
            proxyServer.start();
            // Written unencoded, as operators often do: the last '@' ends the user-info.
            OkHttpClient client = new OutboundHttp(new SecretRedactor(), "1", Map.of()).client(BackendSpec
                    .builder("saas").proxy(URI.create("http://svc-user:" + PROXY_PASSWORD + "@"
                            + proxyServer.getHostName() + ":" + proxyServer.getPort())).build());

            IOException failure = catchThrowableOfType(IOException.class, () -> client.newCall(new Request.Builder()
                    .url("https://api.example.com/").build()).execute());

            assertThat(proxyServer.getRequestCount()).isEqualTo(1);
            assertThat(failure).hasMessageNotContaining(PROXY_PASSWORD);
            assertThat(BackendErrors.describe(failure, "saas"))
                    .isEqualTo("The proxy refused its credentials while connecting to saas; check the user and"
                            + " password in the proxy URL");
        }
    }

    @Test
    void neverShowsProxyPasswordInToString() {
        BackendSpec spec = BackendSpec.builder("saas")
                .proxy(URI.create("http://svc-user:" + PROXY_PASSWORD + "@proxy.corp:3128")).build();
        BackendSpec withoutScheme = BackendSpec.builder("saas")
                .proxy(URI.create("svc-user:" + PROXY_PASSWORD + "@proxy.corp:3128")).build();

        assertThat(spec.toString()).contains("proxy=http://[REDACTED]@proxy.corp:3128").doesNotContain(PROXY_PASSWORD);
        assertThat(withoutScheme.toString()).doesNotContain(PROXY_PASSWORD);
        assertThat(ProxyEndpoint.parse(spec.proxy(), "proxy").toString())
                .isEqualTo("http://svc-user:[REDACTED]@proxy.corp:3128");
    }
}
