package dev.bastion.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.app.Main;
import dev.bastion.app.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One validation of the settings, run by {@code bastion config} as by {@code serve}: what one
 * refuses the other refuses, each problem is said once, and it names the setting as the operator
 * wrote it, never a field of the code.
 */
class SettingsValidationCliTest {

    @TempDir
    Path temp;

    private String yaml(String text) throws Exception {
        Path file = temp.resolve("bastion.yaml");
        Files.writeString(file, text);
        return file.toString();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "max_result_bytes             | -1  | security.max_result_bytes must be at least 1024",
        "call_timeout                 | 0s  | security.call_timeout must be longer than zero",
        "max_concurrent_calls         | 0   | security.max_concurrent_calls must be at least 1",
        "max_request_bytes            | 0   | security.max_request_bytes must be at least 1",
        "limits.max_depth             | -3  | security.limits.max_depth must be at least 1",
        "paths.max_length             | 0   | security.paths.max_length must be at least 1",
        "rate_limit.burst_size        | 0   | security.rate_limit.burst_size must be at least 1",
        "rate_limit.requests_per_minute | 0 | security.rate_limit.requests_per_minute must be at least 1",
    })
    void configAndServeRefuseTheSameLimitOnceNamingTheSetting(String key, String value, String problem)
            throws Exception {
        String config = yaml("security:\n  " + key + ": " + value + "\n");

        Run shown = CliTest.run(Map.of(), "config", "--config", config);
        Run served = CliTest.run(Map.of(), "serve", "--transport", "http", "--port", "0", "--config", config);

        for (Run run : new Run[] {shown, served}) {
            assertThat(run.exit()).as(run.err()).isEqualTo(Main.STARTUP_FAILED);
            assertThat(run.err()).contains(problem).doesNotContain("\tat ", "Exception", "must be positive");
            assertThat(occurrences(run.err(), problem)).as(run.err()).isEqualTo(1);
        }
        assertThat(shown.out()).isEmpty();
    }

    @Test
    void aLimitFromTheEnvironmentIsNamedByItsVariable() {
        Run run = CliTest.run(Map.of("BASTION_RATE_LIMIT_BURST_SIZE", "0"), "config");

        assertThat(run.exit()).isEqualTo(Main.STARTUP_FAILED);
        assertThat(run.err()).contains("BASTION_RATE_LIMIT_BURST_SIZE must be at least 1");
    }

    @Test
    void configRefusesSettingsThatOnlyMakeSenseTogether() throws Exception {
        String config = yaml("http:\n  tls:\n    cert_file: /etc/bastion/cert.pem\n");

        Run run = CliTest.run(Map.of(), "config", "--config", config);

        assertThat(run.exit()).isEqualTo(Main.STARTUP_FAILED);
        assertThat(run.err()).contains("http.tls.cert_file and http.tls.key_file must be set together");
    }

    @Test
    void everyProblemIsReportedTogether() throws Exception {
        String config = yaml("security:\n  max_result_bytes: -1\n  rate_limit:\n    burst_size: 0\n");

        Run run = CliTest.run(Map.of(), "config", "--config", config);

        assertThat(run.exit()).isEqualTo(Main.STARTUP_FAILED);
        assertThat(run.err()).contains("security.max_result_bytes must be at least 1024",
                "security.rate_limit.burst_size must be at least 1");
    }

    @Test
    void validLimitsStillLoad() throws Exception {
        String config = yaml("security:\n  max_result_bytes: 1024\n  call_timeout: 250ms\n"
                + "  rate_limit:\n    burst_size: 1\n");

        Run run = CliTest.run(Map.of(), "config", "--config", config);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("security.max_result_bytes", "1024", "PT0.25S");
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
