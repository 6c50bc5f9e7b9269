package dev.bastion.app.config;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A provider factory with one setting of every type, for configuration tests. */
final class TestProviderFactory implements ProviderFactory {

    static final ConfigSpec SPEC = ConfigSpec.of(
            Setting.builder("url", SettingType.URL).env("DT_ENVIRONMENT").required().description("Environment URL.").build(),
            Setting.builder("api_token", SettingType.STRING).env("DT_API_TOKEN", "DYNATRACE_API_TOKEN").required().secret()
                    .format((source, value) -> value.startsWith("dt0c01.")
                            ? Optional.empty()
                            : Optional.of(source + " is not a Dynatrace API token (expected dt0c01.*)"))
                    .description("API token.").build(),
            Setting.builder("timeout", SettingType.DURATION).env("DT_TIMEOUT").defaultValue("30s").description("Timeout.").build(),
            Setting.builder("verify_tls", SettingType.BOOLEAN).defaultValue("true").description("Verify TLS.").build(),
            Setting.builder("max_results", SettingType.INTEGER).env("DT_MAX_RESULTS").description("Result cap.").build(),
            Setting.builder("ca_file", SettingType.PATH).description("CA bundle.").build(),
            Setting.builder("tags", SettingType.LIST).env("DT_TAGS").description("Tags.").build(),
            Setting.builder("filters", SettingType.JSON).description("Filters.").build(),
            Setting.builder("proxy.host", SettingType.STRING).description("Proxy host.").build(),
            Setting.builder("proxy.port", SettingType.INTEGER).defaultValue("3128").description("Proxy port.").build());

    private final String id;
    private final Function<Map<String, String>, List<Map<String, Object>>> importer;

    TestProviderFactory(String id) {
        this(id, environment -> List.of());
    }

    TestProviderFactory(String id, Function<Map<String, String>, List<Map<String, Object>>> importer) {
        this.id = id;
        this.importer = importer;
    }

    @Override
    public String id() {
        return id;
    }

    /** Standing in for a real provider by its id, it declares the real one's credential shapes, as the server would see. */
    @Override
    public List<dev.bastion.core.sanitize.CredentialShape> credentialShapes() {
        return java.util.ServiceLoader.load(ProviderFactory.class).stream().map(java.util.ServiceLoader.Provider::get)
                .filter(real -> real.id().equals(id) && real.getClass() != TestProviderFactory.class).findFirst()
                .map(ProviderFactory::credentialShapes).orElse(List.of());
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        throw new UnsupportedOperationException("configuration tests never create providers");
    }

    @Override
    public List<Map<String, Object>> importInstances(Map<String, String> environment) {
        return importer.apply(environment);
    }
}
