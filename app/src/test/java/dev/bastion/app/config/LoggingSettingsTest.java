package dev.bastion.app.config;

import static dev.bastion.app.config.TestSections.load;
import static dev.bastion.app.config.TestSections.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.app.config.LoggingSettings.Format;
import dev.bastion.app.config.LoggingSettings.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        LoggingSettings settings = LoggingSettings.from(loader().load(Optional.empty(), Map.of()).section("logging"));

        assertThat(settings).isEqualTo(new LoggingSettings(Level.INFO, Format.TEXT)).isEqualTo(LoggingSettings.DEFAULT);
    }

    @Test
    void explicitYamlMapping() {
        BastionConfig config = load(loader(), dir, "logging: {level: debug, format: json}\n", Map.of());

        assertThat(LoggingSettings.from(config.section("logging"))).isEqualTo(new LoggingSettings(Level.DEBUG, Format.JSON));
    }

    @Test
    void explicitEnvironmentMapping() {
        BastionConfig config = loader().load(Optional.empty(), Map.of("BASTION_LOG_LEVEL", "WARN", "BASTION_LOG_FORMAT", "json"));

        assertThat(LoggingSettings.from(config.section("logging"))).isEqualTo(new LoggingSettings(Level.WARN, Format.JSON));
    }

    @Test
    void rejectsUnknownLevelAndFormat() {
        assertThatThrownBy(() -> load(loader(), dir, "logging: {level: verbose, format: xml}\n", Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "logging.level must be one of trace, debug, info, warn, error",
                        "logging.format must be one of text, json"));
    }
}
