package dev.bastion.app.config;

import static dev.bastion.app.config.TestSections.load;
import static dev.bastion.app.config.TestSections.loader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.security.redact.SecretRedactor;
import org.junit.jupiter.params.ParameterizedTest;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Secret;
import dev.bastion.security.redact.SecretRedactor;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

class ConfigLoaderTest {

    private static final String TOKEN = "dt0c01.PLANTEDSECRETVALUE123";
    private static final String BAD_TOKEN = "oauth-client-PLANTED-NOT-A-TOKEN";

    @TempDir
    Path dir;

    private static ConfigException failure(Runnable load) {
        try {
            load.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("configuration was accepted");
    }

    @Test
    void appliesDefaultsWithoutFileOrEnvironment() {
        BastionConfig config = loader(new TestProviderFactory("dynatrace-managed")).load(Optional.empty(), Map.of());

        assertThat(config.section("security").bool("read_only")).contains(true);
        assertThat(config.section("security").integer("rate_limit.requests_per_minute")).contains(60);
        assertThat(config.sections()).extracting(ResolvedSection::section).containsExactly("server", "logging", "security");
        assertThat(config.sections().get(0).source("name")).contains(ValueSource.DEFAULT);
        assertThat(config.enabledProviders()).isEmpty();
        assertThat(config.instances("dynatrace-managed")).isEmpty();
        assertThat(config.secretValues()).isEmpty();
        assertThat(config.file()).isEmpty();
    }

    @Test
    void flattensNestedYamlMapsToDottedKeys() {
        BastionConfig config = load(loader(), dir, """
                security:
                  read_only: false
                  rate_limit: {enabled: false, requests_per_minute: 120, burst_size: 20}
                """, Map.of());

        ProviderConfig security = config.section("security");
        assertThat(security.bool("read_only")).contains(false);
        assertThat(security.bool("rate_limit.enabled")).contains(false);
        assertThat(security.integer("rate_limit.requests_per_minute")).contains(120);
        assertThat(security.integer("rate_limit.burst_size")).contains(20);
        assertThat(config.sections().get(2).source("rate_limit.burst_size"))
                .contains(ValueSource.yaml("security.rate_limit.burst_size"));
    }

    @Test
    void reportsMisspelledNestedKeyWithHint() {
        ConfigException error = failure(() -> load(loader(), dir, """
                security:
                  rate_limit:
                    burts_size: 5
                """, Map.of()));

        assertThat(error.problems()).containsExactly(
                "Unknown key security.rate_limit.burts_size; did you mean security.rate_limit.burst_size?");
    }

    @Test
    void reportsMisspelledGroupAndTopLevelSectionWithHints() {
        ConfigException error = failure(() -> load(loader(), dir, """
                servr: {name: x}
                security:
                  rate_limt: {burst_size: 5}
                """, Map.of()));

        assertThat(error.problems()).hasSize(2);
        assertThat(error.problems().get(0)).startsWith("Unknown key servr; did you mean server?");
        assertThat(error.problems().get(1)).isEqualTo("Unknown key security.rate_limt; did you mean security.rate_limit?");
    }

    @Test
    void unknownKeyFarFromEveryNameGetsNoHint() {
        ConfigException error = failure(() -> load(loader(), dir, "server: {colour: blue}\n", Map.of()));

        assertThat(error.problems()).containsExactly("Unknown key server.colour");
    }

    @Test
    void reportsUnknownProviderWithHintAndInstalledList() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-manged: {url: https://example.com}
                """, Map.of()));

        assertThat(error.problems()).containsExactly("Unknown provider providers.dynatrace-manged; did you mean "
                + "providers.dynatrace-managed? (installed providers: dynatrace-managed)");
    }

    @Test
    void reportsUnknownBastionEnvironmentVariableWithHint() {
        Map<String, String> environment = Map.of("BASTION_LOG_LEVL", "debug", "BASTION_CONFIG", "/etc/bastion.yaml",
                "PATH", "/usr/bin", "BASTION_READ_ONLY", "yes");

        ConfigException error = failure(() -> loader().load(Optional.empty(), environment));

        assertThat(error.problems()).containsExactly(
                "Unknown environment variable BASTION_LOG_LEVL; did you mean BASTION_LOG_LEVEL?");
    }

    @Test
    void resolvesPlaceholdersWithDefaultsAndEscapes() {
        BastionConfig config = load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                server:
                  name: "${SERVER_NAME:-fallback}-${SUFFIX}"
                providers:
                  dynatrace-managed:
                    url: ${DT_URL}
                    api_token: ${DT_PROD_TOKEN}
                    proxy: {host: "$${LITERAL}"}
                """, Map.of("DT_URL", "https://abc.example.com/e/1", "DT_PROD_TOKEN", TOKEN, "SUFFIX", "eu"));

        assertThat(config.section("server").string("name")).contains("fallback-eu");
        ProviderConfig instance = config.instances("dynatrace-managed").get(0);
        assertThat(instance.url("url")).contains(URI.create("https://abc.example.com/e/1"));
        assertThat(instance.requireSecret("api_token").reveal()).isEqualTo(TOKEN);
        assertThat(instance.string("proxy.host")).contains("${LITERAL}");
    }

    @Test
    void environmentValuesAreNotScannedForPlaceholdersAgain() {
        BastionConfig config = load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed: {url: "https://x.example.com", api_token: "${TOKEN}"}
                """, Map.of("TOKEN", "dt0c01.${NOT_A_VARIABLE}"));

        assertThat(config.instances("dynatrace-managed").get(0).requireSecret("api_token").reveal())
                .isEqualTo("dt0c01.${NOT_A_VARIABLE}");
    }

    @Test
    void undefinedPlaceholderNamesVariableAndPath() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    instances:
                      - alias: prod
                        url: https://prod.example.com
                        api_token: ${DT_PROD_TOKEN}
                """, Map.of("DT_PROD_TOKEN", "")));

        assertThat(error.problems()).containsExactly("providers.dynatrace-managed.instances[0].api_token uses "
                + "environment variable DT_PROD_TOKEN, which is not set (placeholder ${DT_PROD_TOKEN})");
    }

    @Test
    void explicitYamlValueWinsOverEnvironmentWhichFillsGaps() {
        BastionConfig config = load(loader(), dir, """
                server: {name: from-yaml}
                """, Map.of("BASTION_SERVER_NAME", "from-env", "BASTION_PAGE_SIZE", "25"));

        ResolvedSection server = config.sections().get(0);
        assertThat(server.config().string("name")).contains("from-yaml");
        assertThat(server.source("name")).contains(ValueSource.yaml("server.name"));
        assertThat(server.config().integer("page_size")).contains(25);
        assertThat(server.source("page_size")).contains(ValueSource.env("BASTION_PAGE_SIZE"));
        assertThat(server.source("max_line_bytes")).contains(ValueSource.DEFAULT);
    }

    @Test
    void firstSetEnvironmentVariableWinsAndEmptyCountsAsUnset() {
        Map<String, String> environment = Map.of("DT_ENVIRONMENT", "https://x.example.com",
                "DT_API_TOKEN", "", "DYNATRACE_API_TOKEN", TOKEN);

        BastionConfig config = loader(new TestProviderFactory("dynatrace-managed")).load(Optional.empty(), environment);

        ResolvedSection instance = config.providers().get("dynatrace-managed").get(0);
        assertThat(instance.config().alias()).isEqualTo(ProviderConfig.DEFAULT_ALIAS);
        assertThat(instance.config().requireSecret("api_token").reveal()).isEqualTo(TOKEN);
        assertThat(instance.source("api_token")).contains(ValueSource.env("DYNATRACE_API_TOKEN"));
    }

    @Test
    void environmentFillsGapsOfSingleYamlSectionAndNullMeansUnset() {
        BastionConfig config = load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    url: https://yaml.example.com
                    max_results: null
                    tags: ["${TAG}", static]
                """, Map.of("DT_ENVIRONMENT", "https://env.example.com", "DT_API_TOKEN", TOKEN,
                        "DT_MAX_RESULTS", "9", "TAG", "from-env"));

        ResolvedSection instance = config.providers().get("dynatrace-managed").get(0);
        assertThat(instance.config().url("url")).contains(URI.create("https://yaml.example.com"));
        assertThat(instance.source("api_token")).contains(ValueSource.env("DT_API_TOKEN"));
        assertThat(instance.config().integer("max_results")).contains(9);
        assertThat(instance.config().list("tags")).containsExactly("from-env", "static");
    }

    @Test
    void providerIsEnabledByEnvironmentAlone() {
        BastionConfig config = loader(new TestProviderFactory("dynatrace-managed"), new TestProviderFactory("oci"))
                .load(Optional.empty(), Map.of("DT_ENVIRONMENT", "https://x.example.com", "DT_API_TOKEN", TOKEN));

        // Both test providers read the same variables, so both are enabled.
        assertThat(config.enabledProviders()).containsExactly("dynatrace-managed", "oci");
        assertThat(config.secretValues()).containsExactly(TOKEN);
    }

    @Test
    void providerIsEnabledByEmptyYamlSectionAndThenNeedsRequiredSettings() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                """, Map.of()));

        assertThat(error.problems()).containsExactly(
                "Missing required setting providers.dynatrace-managed.url (or environment variable DT_ENVIRONMENT)",
                "Missing required setting providers.dynatrace-managed.api_token "
                        + "(or environment variable DT_API_TOKEN or DYNATRACE_API_TOKEN)");
    }

    @Test
    void importedInstancesEnableProviderWhenYamlHasNone() {
        TestProviderFactory factory = new TestProviderFactory("dynatrace-managed", environment ->
                environment.containsKey("DT_ENVIRONMENT_CONFIGS")
                        ? List.of(Map.of("alias", "prod", "url", "https://prod.example.com", "api_token", TOKEN),
                                Map.of("alias", "test", "url", "https://test.example.com", "api_token", TOKEN + "2",
                                        "max_results", 5))
                        : List.of());

        BastionConfig config = loader(factory).load(Optional.empty(), Map.of("DT_ENVIRONMENT_CONFIGS", "[...]"));

        assertThat(config.instances("dynatrace-managed")).extracting(ProviderConfig::alias).containsExactly("prod", "test");
        assertThat(config.instances("dynatrace-managed").get(1).integer("max_results")).contains(5);
        assertThat(config.providers().get("dynatrace-managed").get(0).source("url")).contains(ValueSource.IMPORTED);
        assertThat(config.secretValues()).containsExactly(TOKEN, TOKEN + "2");
    }

    @Test
    void yamlInstancesTakePrecedenceOverImportedInstances() {
        TestProviderFactory factory = new TestProviderFactory("dynatrace-managed",
                environment -> List.of(Map.of("alias", "imported", "url", "https://i.example.com", "api_token", TOKEN)));

        BastionConfig config = load(loader(factory), dir, """
                providers:
                  dynatrace-managed:
                    instances:
                      - {alias: prod, url: "https://prod.example.com", api_token: "dt0c01.YAML"}
                """, Map.of());

        assertThat(config.instances("dynatrace-managed")).extracting(ProviderConfig::alias).containsExactly("prod");
    }

    @Test
    void sandboxInstancesReplaceYamlAndAreCheckedAndMasked() {
        ConfigLoader loader = ConfigLoader.builder()
                .providers(List.of(new TestProviderFactory("dynatrace-managed")))
                .sandboxInstances("dynatrace-managed", List.of(
                        Map.of("alias", "sandbox", "url", "http://127.0.0.1:41234", "api_token", TOKEN)))
                .build();

        BastionConfig config = load(loader, dir, """
                providers:
                  dynatrace-managed: {url: "https://prod.example.com", api_token: "dt0c01.PROD"}
                """, Map.of());

        ResolvedSection instance = config.providers().get("dynatrace-managed").get(0);
        assertThat(instance.config().alias()).isEqualTo("sandbox");
        assertThat(instance.config().url("url")).contains(URI.create("http://127.0.0.1:41234"));
        assertThat(instance.source("api_token")).contains(ValueSource.SANDBOX);
        assertThat(config.secretValues()).containsExactly(TOKEN);
        assertThatThrownBy(() -> ConfigLoader.builder().sandboxInstances("oci", List.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sandbox instances for unknown provider: oci");
    }

    @Test
    void environmentDoesNotFeedNamedInstances() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    instances:
                      - alias: prod
                        url: https://prod.example.com
                """, Map.of("DT_API_TOKEN", TOKEN)));

        assertThat(error.problems()).containsExactly(
                "Missing required setting providers.dynatrace-managed.instances[0].api_token");
    }

    @Test
    void rejectsDuplicateMissingAndMalformedAliases() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    instances:
                      - {alias: prod, url: "https://a.example.com", api_token: "dt0c01.A"}
                      - {alias: prod, url: "https://b.example.com", api_token: "dt0c01.B"}
                      - {url: "https://c.example.com", api_token: "dt0c01.C"}
                      - {alias: "Prod Env", url: "https://d.example.com", api_token: "dt0c01.D"}
                """, Map.of()));

        assertThat(error.problems()).containsExactly(
                "providers.dynatrace-managed: duplicate instance alias 'prod' "
                        + "(providers.dynatrace-managed.instances[0] and providers.dynatrace-managed.instances[1])",
                "providers.dynatrace-managed.instances[2]: missing alias (every instance needs one, such as alias: prod)",
                "providers.dynatrace-managed.instances[3].alias: not a valid alias (use 1 to 32 lowercase "
                        + "letters, digits, '-' or '_', starting with a letter or digit)");
    }

    @Test
    void rejectsInstancesMixedWithDirectSettings() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    url: https://x.example.com
                    instances:
                      - {alias: prod, url: "https://a.example.com", api_token: "dt0c01.A"}
                """, Map.of()));

        assertThat(error.problems()).containsExactly("providers.dynatrace-managed: set either an instances list or "
                + "settings directly, not both (found providers.dynatrace-managed.url)");
    }

    @Test
    void convertsEveryType() {
        BastionConfig config = load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    url: https://x.example.com/api
                    api_token: dt0c01.ABC
                    timeout: 250ms
                    verify_tls: "no"
                    max_results: 42
                    ca_file: /etc/ssl/ca.pem
                    tags: [a, " b ", c]
                    filters:
                      - {name: "${FILTER}", severity: 3}
                    proxy: {host: proxy.local}
                """, Map.of("FILTER", "cpu"));

        ProviderConfig instance = config.instances("dynatrace-managed").get(0);
        assertThat(instance.url("url")).contains(URI.create("https://x.example.com/api"));
        assertThat(instance.duration("timeout")).contains(Duration.ofMillis(250));
        assertThat(instance.bool("verify_tls")).contains(false);
        assertThat(instance.integer("max_results")).contains(42);
        assertThat(instance.path("ca_file")).contains(Path.of("/etc/ssl/ca.pem"));
        assertThat(instance.list("tags")).containsExactly("a", "b", "c");
        JsonNode filters = instance.json("filters").orElseThrow();
        assertThat(filters.get(0).get("name").asText()).isEqualTo("cpu");
        assertThat(filters.get(0).get("severity").asInt()).isEqualTo(3);
        assertThat(instance.string("proxy.host")).contains("proxy.local");
        assertThat(instance.integer("proxy.port")).contains(3128);
    }

    @Test
    void convertsEnvironmentTextForListsDurationsAndBooleans() {
        Map<String, String> environment = Map.of("DT_ENVIRONMENT", "https://x.example.com", "DT_API_TOKEN", TOKEN,
                "DT_TAGS", "prod, eu ,,web", "DT_TIMEOUT", "PT1M", "BASTION_READ_ONLY", "0");

        BastionConfig config = loader(new TestProviderFactory("dynatrace-managed")).load(Optional.empty(), environment);

        ProviderConfig instance = config.instances("dynatrace-managed").get(0);
        assertThat(instance.list("tags")).containsExactly("prod", "eu", "web");
        assertThat(instance.duration("timeout")).contains(Duration.ofMinutes(1));
        assertThat(config.section("security").bool("read_only")).contains(false);
    }

    @Test
    void collectsEveryConversionProblemInOneException() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                server: {page_size: lots}
                security: {read_only: maybe}
                providers:
                  dynatrace-managed:
                    url: ftp://x.example.com
                    api_token: dt0c01.ABC
                    timeout: 5 minutes
                    tags: {a: b}
                    proxy: {port: [1, 2]}
                """, Map.of("DT_MAX_RESULTS", "10")));

        assertThat(error.problems()).containsExactly(
                "server.page_size has a value that is not an integer",
                "security.read_only has a value that is not a boolean (use true/false, yes/no or 1/0)",
                "providers.dynatrace-managed.url has a value that is not an absolute http or https URL",
                "providers.dynatrace-managed.timeout has a value that is not a duration "
                        + "(use 250ms, 30s, 5m, 1h, 1d or ISO-8601 such as PT30S)",
                "providers.dynatrace-managed.tags must be a single value, not a map",
                "providers.dynatrace-managed.proxy.port must be a single value, not a list");
        assertThat(error.getMessage()).startsWith("Invalid configuration (6 problems):")
                .contains(System.lineSeparator() + "  - server.page_size has a value that is not an integer");
    }

    @Test
    void rejectsUrlWithCredentials() {
        ConfigException error = failure(() -> loader(new TestProviderFactory("dynatrace-managed")).load(Optional.empty(),
                Map.of("DT_ENVIRONMENT", "https://user:pw@x.example.com", "DT_API_TOKEN", TOKEN)));

        assertThat(error.problems()).containsExactly("DT_ENVIRONMENT has a value that must not "
                + "contain credentials (user:password@); use the secret settings");
    }

    @Test
    void runsFormatCheckWithTheSourceName() {
        ConfigException fromEnvironment = failure(() -> loader(new TestProviderFactory("dynatrace-managed"))
                .load(Optional.empty(), Map.of("DT_ENVIRONMENT", "https://x.example.com", "DT_API_TOKEN", BAD_TOKEN)));
        ConfigException fromYaml = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed: {url: "https://x.example.com", api_token: "%s"}
                """.formatted(BAD_TOKEN), Map.of()));

        assertThat(fromEnvironment.problems()).containsExactly("DT_API_TOKEN is not a Dynatrace API token (expected dt0c01.*)");
        assertThat(fromYaml.problems()).containsExactly(
                "providers.dynatrace-managed.api_token is not a Dynatrace API token (expected dt0c01.*)");
    }

    @Test
    void wrapsSecretsAndListsTheirValues() {
        BastionConfig config = load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    instances:
                      - {alias: prod, url: "https://a.example.com", api_token: "%s"}
                      - {alias: test, url: "https://b.example.com", api_token: "%s"}
                """.formatted(TOKEN, TOKEN), Map.of());

        assertThat(config.instances("dynatrace-managed").get(0).values().get("api_token")).isInstanceOf(Secret.class);
        assertThat(config.secretValues()).containsExactly(TOKEN);
        assertThat(config.toString()).doesNotContain(TOKEN);
        assertThat(config.providers().toString()).doesNotContain(TOKEN);
    }

    @Test
    void errorsNeverContainSecretValues() {
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                providers:
                  dynatrace-managed:
                    instances:
                      - {alias: prod, url: "https://a.example.com", api_tokn: "%s"}
                      - {alias: test, url: "https://b.example.com", api_token: "%s"}
                      - {alias: dev, url: "https://%s.example.com", api_token: [ "%s" ]}
                      - {alias: qa, url: "https://c.example.com", api_token: "dt0c01.OK", max_results: "%s"}
                """.formatted(TOKEN, BAD_TOKEN, TOKEN, BAD_TOKEN, TOKEN), Map.of()));

        assertThat(error.getMessage()).doesNotContain(TOKEN).doesNotContain(BAD_TOKEN).doesNotContain("PLANTED");
        assertThat(error.problems()).contains(
                "Unknown key providers.dynatrace-managed.instances[0].api_tokn; "
                        + "did you mean providers.dynatrace-managed.instances[0].api_token?",
                "providers.dynatrace-managed.instances[1].api_token is not a Dynatrace API token (expected dt0c01.*)",
                "providers.dynatrace-managed.instances[2].api_token must be a single value, not a list");
    }

    @Test
    void credentialSwappedIntoNonSecretSettingIsNotEchoed() {
        ConfigException error = failure(() -> loader(new TestProviderFactory("dynatrace-managed")).load(Optional.empty(),
                Map.of("DT_ENVIRONMENT", TOKEN, "DT_API_TOKEN", "https://x.example.com")));

        assertThat(error.getMessage()).doesNotContain(TOKEN).doesNotContain("PLANTED");
        assertThat(error.problems()).containsExactly("DT_ENVIRONMENT has a value that is not an absolute http or https URL",
                "DT_API_TOKEN is not a Dynatrace API token (expected dt0c01.*)");
    }

    @Test
    void invalidSecretValueIsNotQuoted() {
        ConfigException error = failure(() -> load(ConfigLoader.builder()
                .serverSection(new ConfigSection("vault", dev.bastion.core.spi.ConfigSpec.of(
                        dev.bastion.core.spi.Setting.builder("pin", dev.bastion.core.spi.SettingType.INTEGER)
                                .secret().description("PIN").build())))
                .build(), dir, "vault: {pin: PLANTED-PIN}\n", Map.of()));

        assertThat(error.problems()).containsExactly("vault.pin has a secret value that is not an integer");
    }

    @Test
    void aTokenPastedAsAPlaceholderNameIsNotPrintedBack() {
        String pasted = "rtBearer-Xq81mZ0pLk2NvB7cW4sD";
        String namelike = "Xq81mZ0pLk2NvB7cW4sDr9Tf";
        ConfigException error = failure(() -> load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                server: {name: "${%s}"}
                providers:
                  dynatrace-managed: {url: "https://x.example.com", api_token: "${%s}"}
                """.formatted(pasted, namelike), Map.of()));

        assertThat(error.getMessage()).doesNotContain(pasted).doesNotContain(namelike).doesNotContain("Xq81");
        assertThat(error.problems()).hasSize(2).allSatisfy(problem -> assertThat(problem)
                .contains("whose text is not the name of an environment variable")
                .contains("the text is not shown because it may be a credential"));
        assertThat(error.problems().get(0)).startsWith("server.name has a placeholder");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"DT_API_TOKEN", "dt_api_token", "_X", "HOME", "Proxy_Host", "TOKEN_2"})
    void ordinaryVariableNamesAreShown(String name) {
        assertThat(Placeholders.looksLikeAVariableName(name)).isTrue();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rtBearer-abc", "Xq81mZ0pLk2N", "1ABC", "a.b", "", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void credentialLikeOrInvalidNamesAreNotShown(String name) {
        assertThat(Placeholders.looksLikeAVariableName(name)).isFalse();
    }

    @Test
    void problemsAboutSecretSettingsSurviveTheRedactorWhole() {
        ConfigLoader loader = ConfigLoader.builder()
                .serverSection(new ConfigSection("vault", dev.bastion.core.spi.ConfigSpec.of(
                        dev.bastion.core.spi.Setting.builder("api_key", dev.bastion.core.spi.SettingType.STRING)
                                .secret().description("Key.")
                                .format((source, value) -> Optional.of(source + ": does not look like a vault key"))
                                .build(),
                        dev.bastion.core.spi.Setting.builder("token", dev.bastion.core.spi.SettingType.INTEGER)
                                .secret().description("Token.").build(),
                        dev.bastion.core.spi.Setting.builder("password", dev.bastion.core.spi.SettingType.STRING)
                                .secret().description("Password.").build())))
                .build();
        ConfigException error = failure(() -> load(loader, dir, """
                vault: {api_key: PLANTED-KEY-1, token: PLANTED-TOKEN-2, password: "${VAULT_PASSWORD}"}
                """, Map.of()));
        SecretRedactor redactor = new SecretRedactor();

        assertThat(error.problems()).containsExactly("vault.api_key is invalid: does not look like a vault key",
                "vault.token has a secret value that is not an integer",
                "vault.password uses environment variable VAULT_PASSWORD, which is not set (placeholder "
                        + "${VAULT_PASSWORD})");
        assertThat(redactor.redact(error.getMessage())).isEqualTo(error.getMessage());
    }

    @Test
    void reportsYamlSyntaxErrorWithoutQuotingTheFile() {
        ConfigException error = failure(() -> load(loader(), dir, """
                server:
                  name: "PLANTED-SECRET
                  page_size: 3
                  : broken
                """, Map.of()));

        assertThat(error.problems()).singleElement().asString()
                .startsWith("Configuration file " + dir.resolve("bastion.yaml") + " is not valid YAML (line ")
                .doesNotContain("PLANTED");
    }

    @Test
    void rejectsDuplicateYamlKeys() {
        ConfigException error = failure(() -> load(loader(), dir, "server: {name: a}\nserver: {name: b}\n", Map.of()));

        assertThat(error.problems()).singleElement().asString().contains("Duplicate field 'server'");
    }

    @Test
    void rejectsMissingExplicitFileAndAcceptsEmptyFile() {
        assertThatThrownBy(() -> loader().load(Optional.of(dir.resolve("absent.yaml")), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Configuration file " + dir.resolve("absent.yaml") + " does not exist");

        assertThat(load(loader(), dir, "", Map.of()).section("server").string("name")).contains("bastion");
    }

    @Test
    void rejectsSectionThatIsNotAMap() {
        ConfigException error = failure(() -> load(loader(), dir, "server: [1, 2]\nproviders: 3\n", Map.of()));

        assertThat(error.problems()).containsExactly("server must be a map of settings",
                "providers must be a map from provider id to its settings");
    }

    @Test
    void unknownSectionNameIsRejectedBySectionLookup() {
        BastionConfig config = loader().load(Optional.empty(), Map.of());

        assertThatThrownBy(() -> config.section("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no configuration section named nope");
    }
}
