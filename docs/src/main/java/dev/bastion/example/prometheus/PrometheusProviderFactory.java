package dev.bastion.example.prometheus;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import java.time.Duration;
import java.util.Optional;

/**
 * The example provider of the provider guide: read-only access to a Prometheus server's HTTP API
 * (instant queries and active alerts). Step 1 of the guide: the factory, found by ServiceLoader.
 */
public final class PrometheusProviderFactory implements ProviderFactory {

    static final String URL = "url";
    static final String BEARER_TOKEN = "bearer_token";
    static final String CA_FILE = "ca_file";
    static final String TIMEOUT = "timeout";
    static final String ALLOW_INSECURE_LOOPBACK = "allow_insecure_loopback";

    @Override
    public String id() {
        return "prometheus";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of(
                Setting.builder(URL, SettingType.URL).env("PROMETHEUS_URL").required()
                        .description("Base URL of the Prometheus server, e.g. https://prometheus.example.com").build(),
                Setting.builder(BEARER_TOKEN, SettingType.STRING).env("PROMETHEUS_BEARER_TOKEN").secret()
                        .description("Bearer token, when Prometheus sits behind an authenticating proxy").build(),
                Setting.builder(CA_FILE, SettingType.PATH).env("PROMETHEUS_CA_FILE")
                        .description("PEM bundle of extra CA certificates to trust").build(),
                Setting.builder(TIMEOUT, SettingType.DURATION).defaultValue("30s")
                        .description("Read timeout of each request to Prometheus").build(),
                Setting.builder(ALLOW_INSECURE_LOOPBACK, SettingType.BOOLEAN).defaultValue("false")
                        .description("Allow plain http to a loopback address (sandboxes and tests only)").build());
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        java.net.URI url = config.requireUrl(URL);
        boolean insecureLoopback = config.bool(ALLOW_INSECURE_LOOPBACK).orElse(false);
        if (!"https".equals(url.getScheme()) && !insecureLoopback) {
            throw new ProviderConfigException("url must use https (got " + url.getScheme() + "://" + url.getHost()
                    + "); plain http is allowed only to loopback with allow_insecure_loopback: true");
        }
        Duration timeout = config.duration(TIMEOUT).orElse(Duration.ofSeconds(30));
        BackendSpec.Builder spec = BackendSpec.builder("prometheus/" + config.alias())
                .credentials(new BearerCredentials(config.secret(BEARER_TOKEN)))
                .readTimeout(timeout)
                .callTimeout(timeout.plusSeconds(10))
                .maxResponseBytes(8L * 1024 * 1024)
                .allowInsecureLoopback(insecureLoopback);
        config.path(CA_FILE).ifPresent(spec::caFile);
        PrometheusClient client = new PrometheusClient(context.require(OutboundHttp.class).client(spec.build()), url,
                context.json(), context.redactor());
        return new PrometheusProvider(client);
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(PrometheusSandbox.start());
    }
}
