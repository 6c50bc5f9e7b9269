package com.example.acmestatus;

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
 * A provider built outside the Bastion repository, from the provider guide alone: read-only tools
 * for the Acme Status API (components and incidents). Found by ServiceLoader through
 * {@code META-INF/services/dev.bastion.core.spi.ProviderFactory}.
 */
public final class AcmeStatusProviderFactory implements ProviderFactory {

    static final String API_KEY = "api_key";
    static final String API_KEY_HEADER = "X-Api-Key";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    @Override
    public String id() {
        return "acme-status";
    }

    @Override
    public ConfigSpec configSpec() {
        List<Setting> settings = new ArrayList<>();
        settings.add(BackendSettings.url("Base URL of the Acme Status API, e.g. https://status.acme.example",
                "ACME_STATUS_URL"));
        settings.add(Setting.builder(API_KEY, SettingType.STRING).env("ACME_STATUS_API_KEY").required().secret()
                .description("Acme Status API key, sent in the X-Api-Key header").build());
        settings.addAll(BackendSettings.common(DEFAULT_TIMEOUT));
        return new ConfigSpec(settings);
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        BackendSettings settings = BackendSettings.from(config, DEFAULT_TIMEOUT);
        BackendSpec spec = settings.spec("acme-status/" + config.alias(),
                HeaderCredentials.header(API_KEY_HEADER, config.requireSecret(API_KEY), API_KEY)).build();
        JsonBackend backend = JsonBackend.builder("Acme Status " + config.alias(), HttpUrl.get(settings.url()),
                        context.require(OutboundHttp.class).lazyClient(spec), context.json(), context.redactor())
                .credential("API key", API_KEY)
                .timeout(settings.timeout(), "try again later or raise the timeout setting.")
                .build();
        return new AcmeStatusProvider(backend);
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(AcmeStatusSandbox.start());
    }
}
