package dev.bastion.app.config;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A security section like the one the app assembles, and helpers to load YAML text. */
final class TestSections {

    static final ConfigSection SECURITY = new ConfigSection("security", ConfigSpec.of(
            Setting.builder("read_only", SettingType.BOOLEAN).env("BASTION_READ_ONLY").defaultValue("true")
                    .description("Refuse mutating tools.").build(),
            Setting.builder("rate_limit.enabled", SettingType.BOOLEAN).defaultValue("true").description("Rate limit on.").build(),
            Setting.builder("rate_limit.requests_per_minute", SettingType.INTEGER).env("BASTION_RATE_LIMIT_RPM")
                    .defaultValue("60").description("Requests per minute.").build(),
            Setting.builder("rate_limit.burst_size", SettingType.INTEGER).defaultValue("10").description("Burst.").build()));

    private TestSections() {
    }

    static ConfigLoader loader(TestProviderFactory... factories) {
        return ConfigLoader.builder()
                .serverSections(List.of(ServerSettings.SECTION, LoggingSettings.SECTION, SECURITY))
                .providers(List.of(factories))
                .allowEnvironmentVariables("BASTION_CONFIG")
                .build();
    }

    static BastionConfig load(ConfigLoader loader, Path dir, String yaml, Map<String, String> environment) {
        try {
            Path file = Files.writeString(dir.resolve("bastion.yaml"), yaml);
            return loader.load(Optional.of(file), environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
