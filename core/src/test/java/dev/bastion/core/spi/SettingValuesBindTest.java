package dev.bastion.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link SettingValues#bind} applies the server's binding rules ({@link SettingBinder}) to a raw map. */
class SettingValuesBindTest {

    private static final String TOKEN = "tok-4f9a1c2e7b3d5a60";

    private static final ConfigSpec SPEC = ConfigSpec.of(
            Setting.builder("url", SettingType.URL).required().build(),
            Setting.builder("api_token", SettingType.STRING).secret().required()
                    .format((source, value) -> value.startsWith("tok-") ? Optional.empty()
                            : Optional.of(source + ": does not look like a token (tok-…)")).build(),
            Setting.builder("ca_file", SettingType.PATH).build(),
            Setting.builder("timeout", SettingType.DURATION).defaultValue("30s").build(),
            Setting.builder("rate_limit.burst_size", SettingType.INTEGER).defaultValue("5").build(),
            Setting.builder("scopes", SettingType.LIST).build());

    @Test
    void bindsNestedMapsListsDefaultsAndSecrets() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("alias", "prod");
        raw.put("url", "https://backend.example.com");
        raw.put("api_token", TOKEN);
        raw.put("rate_limit", Map.of("burst_size", 9));
        raw.put("scopes", List.of("read", " write "));

        ProviderConfig config = SettingValues.bind("p", SPEC, raw);

        assertThat(config.alias()).isEqualTo("prod");
        assertThat(config.url("url")).contains(URI.create("https://backend.example.com"));
        assertThat(config.requireSecret("api_token").reveal()).isEqualTo(TOKEN);
        assertThat(config.integer("rate_limit.burst_size")).contains(9);
        assertThat(config.duration("timeout")).contains(Duration.ofSeconds(30));
        assertThat(config.list("scopes")).containsExactly("read", "write");
    }

    @Test
    void takesJavaValuesAsTheirText() {
        ProviderConfig config = SettingValues.bind("p", SPEC, Map.of("url", URI.create("https://backend.example.com"),
                "api_token", TOKEN, "ca_file", Path.of("/etc/ca.pem"), "timeout", Duration.ofSeconds(5)));

        assertThat(config.path("ca_file")).contains(Path.of("/etc/ca.pem"));
        assertThat(config.duration("timeout")).contains(Duration.ofSeconds(5));
        assertThat(config.alias()).isEqualTo(ProviderConfig.DEFAULT_ALIAS);
    }

    @Test
    void reportsEveryProblemWithTheLoadersMessagesAndNoSecret() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("alias", "Prod!");
        raw.put("api_tokn", TOKEN);
        raw.put("timeout", "soon");
        raw.put("rate_limit", "high");

        assertThatThrownBy(() -> SettingValues.bind("p", SPEC, raw)).isInstanceOf(ProviderConfigException.class)
                .hasMessage("p.alias: not a valid alias (use 1 to 32 lowercase letters, digits, '-' or '_', "
                        + "starting with a letter or digit); "
                        + "Unknown key p.api_tokn; did you mean p.api_token?; "
                        + "p.rate_limit must be a map of settings; "
                        + "Missing required setting p.url; "
                        + "Missing required setting p.api_token; "
                        + "p.timeout has a value that is not a duration (use 250ms, 30s, 5m, 1h, 1d or ISO-8601 such as "
                        + "PT30S)");
    }

    @Test
    void runsTheFormatCheckOnGivenValuesAndMasksTheSecretInItsMessage() {
        String wrong = "oauth-" + TOKEN;
        ConfigSpec echoing = ConfigSpec.of(Setting.builder("api_token", SettingType.STRING).secret()
                .format((source, value) -> Optional.of(source + ": " + value + " does not look like a token")).build());

        assertThatThrownBy(() -> SettingValues.bind("p", echoing, Map.of("api_token", wrong)))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("p.api_token is invalid: [REDACTED] does not look like a token");
    }
}
