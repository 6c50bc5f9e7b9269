package dev.bastion.toolkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingValues;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.core.auth.BackendCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendSettingsTest {

    private static final Duration DEFAULT = Duration.ofSeconds(20);

    private static ProviderConfig bind(Map<String, Object> raw) {
        List<Setting> settings = new ArrayList<>();
        settings.add(BackendSettings.url("The Acme URL.", "ACME_URL"));
        settings.addAll(BackendSettings.common(DEFAULT));
        return SettingValues.bind("acme", new ConfigSpec(settings), raw);
    }

    @Test
    void defaultsAndTheExplicitMapping() {
        BackendSettings defaults = BackendSettings.from(bind(Map.of("url", "https://acme.example.com")), DEFAULT);
        assertThat(defaults.timeout()).isEqualTo(DEFAULT);
        assertThat(defaults.maxRequestsPerSecond()).isZero();
        assertThat(defaults.allowInsecureLoopback()).isFalse();
        assertThat(defaults.caFile()).isNull();
        assertThat(defaults.proxy()).isNull();

        BackendSettings explicit = BackendSettings.from(bind(Map.of("url", "http://127.0.0.1:9000/x",
                "timeout", "5s", "max_requests_per_second", 3, "allow_insecure_loopback", true,
                "proxy", "http://proxy.example.com:3128")), DEFAULT);
        assertThat(explicit.timeout()).hasSeconds(5);
        assertThat(explicit.maxRequestsPerSecond()).isEqualTo(3);
        BackendSpec spec = explicit.spec("acme/x", BackendCredentials.NONE).build();
        assertThat(spec.callTimeout()).hasSeconds(5);
        assertThat(spec.connectTimeout()).hasSeconds(5);
        assertThat(spec.allowInsecureLoopback()).isTrue();
        assertThat(spec.maxRequestsPerSecond()).isEqualTo(3.0);
    }

    @Test
    void aWrongSchemeFailsAtStartupNamingTheSetting() {
        assertThatThrownBy(() -> BackendSettings.from(bind(Map.of("url", "http://acme.example.com")), DEFAULT))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("acme[default].url must use https://; plain http is allowed only to a loopback address"
                        + " with allow_insecure_loopback: true");
        assertThatThrownBy(() -> BackendSettings.from(bind(Map.of("url", "http://127.0.0.1:9000")), DEFAULT))
                .hasMessageContaining("set allow_insecure_loopback: true");
        assertThatThrownBy(() -> bind(Map.of("url", "ftp://acme.example.com")))
                .hasMessage("acme.url has a value that is not an absolute http or https URL");
        assertThatThrownBy(() -> BackendSettings.from(bind(Map.of("url", "https://acme.example.com/?token=x")),
                DEFAULT)).hasMessage("acme[default].url must not have a query or fragment");
        assertThatThrownBy(() -> bind(Map.of("url", "https://user:pw@acme.example.com")))
                .hasMessage("acme.url has a value that must not contain credentials (user:password@); use the secret"
                        + " settings");
    }

    @Test
    void aNonPositiveTimeoutOrANegativeRateIsRefused() {
        assertThatThrownBy(() -> BackendSettings.from(bind(Map.of("url", "https://a.example.com", "timeout", "0s")),
                DEFAULT)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> BackendSettings.from(bind(Map.of("url", "https://a.example.com",
                "max_requests_per_second", -1)), DEFAULT)).hasMessageContaining("max_requests_per_second");
    }

    @Test
    void onlyAPlainHttpUrlOnALinkLocalLiteralHasALinkLocalOrigin() {
        assertThat(BackendSettings.linkLocalOrigin(java.net.URI.create("http://169.254.169.254/opc/v2")))
                .hasToString("http://169.254.169.254");
        assertThat(BackendSettings.linkLocalOrigin(java.net.URI.create("http://169.254.169.254:8080/x")))
                .hasToString("http://169.254.169.254:8080");
        for (String url : List.of("https://169.254.169.254/opc/v2", "http://127.0.0.1:9/opc/v2",
                "http://metadata.example.com/opc/v2", "http://169.254.169.254.nip.io/opc/v2", "http://10.0.0.1/")) {
            assertThat(BackendSettings.linkLocalOrigin(java.net.URI.create(url))).as(url).isNull();
        }
    }
}
