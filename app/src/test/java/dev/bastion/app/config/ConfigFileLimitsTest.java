package dev.bastion.app.config;

import static dev.bastion.app.config.TestSections.load;
import static dev.bastion.app.config.TestSections.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file is bounded before it is parsed, and a syntax error points at its place. */
class ConfigFileLimitsTest {

    @TempDir
    Path dir;

    @Test
    void refusesAFileOverTheCapBeforeParsingIt() throws Exception {
        Path file = dir.resolve("bastion.yaml");
        // A comment one byte past the cap: parsing it was quadratic (10 MiB took 50 s).
        byte[] text = ("server:\n  name: bastion\n#" + "x".repeat(ConfigLoader.MAX_FILE_BYTES)).getBytes(
                StandardCharsets.US_ASCII);
        Files.write(file, text);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> loader().load(Optional.of(file), Map.of()))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("Configuration file " + file + " is larger than 1048576 bytes (1 MiB), "
                                + "the most a configuration file may hold"));
    }

    @Test
    void loadsAFileJustUnderTheCapWithALargeCommentPromptly() throws Exception {
        String head = "server:\n  name: under-the-cap\n#";
        String yaml = head + "x".repeat(ConfigLoader.MAX_FILE_BYTES - head.length() - 1) + "\n";
        assertThat(yaml.length()).isEqualTo(ConfigLoader.MAX_FILE_BYTES);

        BastionConfig config = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> load(loader(), dir, yaml, Map.of()));

        assertThat(config.section("server").string("name")).contains("under-the-cap");
    }

    @Test
    void reportsTheLineAndColumnOfTheSyntaxError() {
        String yaml = """
                server:
                  name: bastion
                  page_size: 3: 4
                security:
                  read_only: true
                """;

        assertThatThrownBy(() -> load(loader(), dir, yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Configuration file " + dir.resolve("bastion.yaml") + " is not valid YAML (line 3, "
                        + "column 15): mapping values are not allowed here");
    }

    @Test
    void reportsTheLineOfATabWhereJacksonNamedThePreviousLine() {
        // Jackson's own location was its last token (line 2, column 10), not the tab on line 3.
        String yaml = "server:\n  name: bastion\n\tpage_size: 3\n";

        assertThatThrownBy(() -> load(loader(), dir, yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Configuration file " + dir.resolve("bastion.yaml") + " is not valid YAML (line 3, "
                        + "column 1): found character '\\t(TAB)' that cannot start any token.");
    }

    @Test
    void reportsTheLineOfAnUnclosedQuoteWithoutQuotingTheValue() {
        String yaml = """
                server:
                  page_size: 3
                  name: "PLANTED-SECRET
                security: {read_only: true}
                """;

        assertThatThrownBy(() -> load(loader(), dir, yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(" is not valid YAML (line 5, column 1): found unexpected end of stream (while scanning a quoted scalar at line 3, column 9)")
                .hasMessageNotContaining("PLANTED");
    }
}
