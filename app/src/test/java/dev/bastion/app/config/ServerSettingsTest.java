package dev.bastion.app.config;

import static dev.bastion.app.config.TestSections.load;
import static dev.bastion.app.config.TestSections.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        ServerSettings settings = ServerSettings.from(loader().load(Optional.empty(), Map.of()).section("server"));

        assertThat(settings).isEqualTo(new ServerSettings("bastion", 100, 4_194_304));
    }

    @Test
    void explicitYamlMapping() {
        BastionConfig config = load(loader(), dir, """
                server: {name: ops-bastion, page_size: 25, max_line_bytes: 65536}
                """, Map.of());

        assertThat(ServerSettings.from(config.section("server"))).isEqualTo(new ServerSettings("ops-bastion", 25, 65_536));
    }

    @Test
    void explicitEnvironmentMapping() {
        Map<String, String> environment = Map.of("BASTION_SERVER_NAME", "env-bastion", "BASTION_PAGE_SIZE", "50",
                "BASTION_MAX_LINE_BYTES", "2048");

        BastionConfig config = loader().load(Optional.empty(), environment);

        assertThat(ServerSettings.from(config.section("server"))).isEqualTo(new ServerSettings("env-bastion", 50, 2048));
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheSource() {
        assertThatThrownBy(() -> loader().load(Optional.empty(), Map.of("BASTION_PAGE_SIZE", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("BASTION_PAGE_SIZE must be between 1 and 10000");
    }
}
