package dev.bastion.app.config;

import static dev.bastion.app.config.TestSections.load;
import static dev.bastion.app.config.TestSections.loader;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.security.redact.SecretRedactor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffectiveConfigPrinterTest {

    private static final String PROD_TOKEN = "dt0c01.PRODSECRETPLANTED";
    private static final String TEST_TOKEN = "dt0c01.TESTSECRETPLANTED";

    @TempDir
    Path dir;

    private BastionConfig config;
    private final SecretRedactor redactor = new SecretRedactor();

    @BeforeEach
    void loadConfig() {
        config = load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                server: {name: ops}
                providers:
                  dynatrace-managed:
                    instances:
                      - {alias: prod, url: "https://prod.example.com", api_token: "${PROD}", tags: [a, b]}
                      - {alias: test, url: "https://test.example.com", api_token: "%s", filters: {x: 1}}
                """.formatted(TEST_TOKEN), Map.of("PROD", PROD_TOKEN, "BASTION_PAGE_SIZE", "20"));
        config.secretValues().forEach(redactor::registerSecret);
    }

    @Test
    void tableShowsValuesAndSourcesAndMasksSecrets() {
        String table = EffectiveConfigPrinter.table(config, redactor);

        assertThat(table).doesNotContain(PROD_TOKEN).doesNotContain(TEST_TOKEN);
        assertThat(table.lines()).first().asString().matches("KEY\\s+VALUE\\s+SOURCE");
        assertThat(table).containsPattern("server\\.name\\s+ops\\s+yaml\n")
                .containsPattern("server\\.page_size\\s+20\\s+env:BASTION_PAGE_SIZE\n")
                .containsPattern("server\\.max_line_bytes\\s+4194304\\s+default\n")
                .containsPattern("providers\\.dynatrace-managed\\[prod]\\.api_token\\s+\\[REDACTED]\\s+yaml\n")
                .containsPattern("providers\\.dynatrace-managed\\[prod]\\.tags\\s+a,b\\s+yaml\n")
                .containsPattern("providers\\.dynatrace-managed\\[test]\\.filters\\s+\\{\"x\":1}\\s+yaml\n")
                .containsPattern("providers\\.dynatrace-managed\\[test]\\.ca_file\\s+unset\n");
    }

    @Test
    void jsonAndYamlCarryValuesAndSourcesAndMaskSecrets() throws Exception {
        String json = EffectiveConfigPrinter.json(config, redactor);
        String yaml = EffectiveConfigPrinter.yaml(config, redactor);

        for (JsonNode tree : new JsonNode[] {new ObjectMapper().readTree(json), new YAMLMapper().readTree(yaml)}) {
            assertThat(tree.at("/server/page_size/value").asInt()).isEqualTo(20);
            assertThat(tree.at("/server/page_size/source").asText()).isEqualTo("env:BASTION_PAGE_SIZE");
            JsonNode prod = tree.at("/providers/dynatrace-managed/0");
            assertThat(prod.get("alias").asText()).isEqualTo("prod");
            assertThat(prod.at("/settings/api_token/value").asText()).isEqualTo("[REDACTED]");
            assertThat(prod.at("/settings/timeout/value").asText()).isEqualTo("PT30S");
            assertThat(prod.at("/settings/tags/value/1").asText()).isEqualTo("b");
            assertThat(prod.at("/settings/ca_file/value").isNull()).isTrue();
            assertThat(prod.at("/settings/ca_file/source").asText()).isEqualTo("unset");
        }
        assertThat(json + yaml).doesNotContain(PROD_TOKEN).doesNotContain(TEST_TOKEN);
    }

    @Test
    void secretsPlacedInSettingsNotDeclaredSecretAreRedactedInEveryFormat() {
        String bearer = "planted-server-bearer-Q7x2";
        String shaped = "vnd1.PLANTEDPUBLIC01.PLANTEDSECRET000000000000000001";
        SecretRedactor withShapes = new SecretRedactor();
        withShapes.registerShapes(List.of(new CredentialShape("vendor", "vnd", (text, start) ->
                start + 5 < text.length() && text.charAt(start + 4) == '.'
                        ? Optional.of(CredentialShape.Match.of(start + shaped.length(), 5)) : Optional.empty())));
        BastionConfig misplaced = load(loader(new TestProviderFactory("dynatrace-managed")), dir, """
                server: {name: "${NAME}"}
                providers:
                  dynatrace-managed:
                    url: "https://prod.example.com/api?token=planted-query-token-91&page=1"
                    api_token: "${BEARER}"
                    proxy: {host: "%s"}
                    tags: ["%s", plain]
                    filters: {note: "%s", password: "planted-json-pw-55"}
                """.formatted(shaped, shaped, shaped), Map.of("NAME", bearer, "BEARER", "dt0c01." + bearer));
        misplaced.secretValues().forEach(withShapes::registerSecret);
        withShapes.registerSecret(bearer);

        String all = EffectiveConfigPrinter.table(misplaced, withShapes) + EffectiveConfigPrinter.json(misplaced,
                withShapes) + EffectiveConfigPrinter.yaml(misplaced, withShapes);

        assertThat(all).doesNotContain(bearer, "planted-query-token-91", shaped.substring(5), "planted-json-pw-55")
                .contains("token=[REDACTED]&page=1", "vnd1.[REDACTED]", "plain");
    }
}
