package dev.bastion.example.prometheus;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.toolkit.credentials.HeaderCredentials;
import dev.bastion.toolkit.http.BackendSettings;
import dev.bastion.toolkit.http.JsonBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The example provider of the provider guide: read-only access to a Prometheus server's HTTP API
 * (instant queries and active alerts). Step 1 of the guide: the factory, found by ServiceLoader. The
 * standard backend settings (url, proxy, ca_file, timeout, rate limit, the loopback switch) come
 * from the toolkit; only the bearer token is Prometheus's own.
 */
public final class PrometheusProviderFactory implements ProviderFactory {

    static final String URL = BackendSettings.URL;
    static final String BEARER_TOKEN = "bearer_token";
    static final String ALLOW_INSECURE_LOOPBACK = BackendSettings.ALLOW_INSECURE_LOOPBACK;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_RESPONSE_BYTES = 8L * 1024 * 1024;

    @Override
    public String id() {
        return "prometheus";
    }

    @Override
    public ConfigSpec configSpec() {
        List<Setting> settings = new ArrayList<>();
        settings.add(BackendSettings.url("Base URL of the Prometheus server, e.g. https://prometheus.example.com",
                "PROMETHEUS_URL"));
        settings.add(Setting.builder(BEARER_TOKEN, SettingType.STRING).env("PROMETHEUS_BEARER_TOKEN").secret()
                .description("Bearer token, when Prometheus sits behind an authenticating proxy").build());
        settings.addAll(BackendSettings.common(DEFAULT_TIMEOUT));
        return new ConfigSpec(settings);
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        BackendSettings settings = BackendSettings.from(config, DEFAULT_TIMEOUT);
        // The token is optional: Prometheus itself has no authentication, a proxy in front may.
        BackendCredentials credentials = config.secret(BEARER_TOKEN)
                .<BackendCredentials>map(token -> HeaderCredentials.bearer(token, BEARER_TOKEN))
                .orElse(BackendCredentials.NONE);
        BackendSpec spec = settings.spec("prometheus/" + config.alias(), credentials)
                .maxResponseBytes(MAX_RESPONSE_BYTES)
                .build();
        JsonBackend backend = JsonBackend.builder("Prometheus " + config.alias(), HttpUrl.get(settings.url()),
                        context.require(OutboundHttp.class).lazyClient(spec), context.json(), context.redactor())
                .credential("bearer token", BEARER_TOKEN)
                .errors(PrometheusClient.ERRORS)
                .timeout(settings.timeout(), "narrow the query (fewer series) or raise the timeout setting.")
                .htmlHint("Check that url points at the Prometheus server itself, not at a login page.")
                .build();
        return new PrometheusProvider(new PrometheusClient(backend));
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(PrometheusSandbox.start());
    }
}
