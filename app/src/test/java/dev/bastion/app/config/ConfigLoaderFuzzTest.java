package dev.bastion.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the configuration loader: any YAML file, with any of a few
 * environments, gives a configuration or a {@link ConfigException} whose problems are clear
 * sentences, never another exception, never a Java class or stack trace and never the value of
 * the secret. The secret is the API token in the environment; the fuzzed text can place it
 * anywhere too, by writing {@value #TOKEN_MARKER} (as an operator pasting it in the wrong
 * setting, or as a key, would).
 *
 * <p>In a normal build the fuzz test replays its corpus ({@code ConfigLoaderFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz.sh).
 */
class ConfigLoaderFuzzTest {

    static final String TOKEN_MARKER = "@TOKEN@";
    private static final String TOKEN = "dt0c01.FUZZPLANTEDPUBLIC.fuzzplantedsecretpart0123456789abcdef";
    /**
     * Every environment declares the token as the API token: the loader masks what it knows to be
     * secret. A token it has not been told about (pasted as a key, say) is only text to it; what the
     * operator sees passes the server's redactor, which knows credential shapes (Main.failed).
     */
    private static final List<Map<String, String>> ENVIRONMENTS = List.of(
            Map.of("DT_API_TOKEN", TOKEN),
            Map.of("DT_ENVIRONMENT", "https://abc.example.com", "DT_API_TOKEN", TOKEN),
            Map.of("DYNATRACE_API_TOKEN", TOKEN, "BASTION_READ_ONLY", "maybe", "BASTION_RATE_LIMIT_RPM", "-1",
                    "BASTION_UNKNOWN", "x"));
    private static final List<String> LEAK_MARKERS = List.of("Exception", "java.", "com.fasterxml",
            "org.yaml", "dev.bastion", "Caused by");
    /** A stack frame ({@code at dev.bastion.Foo.bar(Foo.java:1)}), wherever a message has one. */
    private static final java.util.regex.Pattern STACK_FRAME =
            java.util.regex.Pattern.compile("at [\\w$]+(\\.[\\w$<>]+)+\\(");

    private static final ConfigLoader LOADER = TestSections.loader(new TestProviderFactory("dynatrace-managed"));
    private static Path dir;

    @BeforeAll
    static void directory() throws IOException {
        dir = Files.createTempDirectory("config-loader-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        Files.deleteIfExists(dir.resolve("bastion.yaml"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest
    void anyFileGivesAConfigurationOrAClearErrorWithoutTheSecret(FuzzedDataProvider data) throws IOException {
        Map<String, String> environment = ENVIRONMENTS.get(data.consumeInt(0, ENVIRONMENTS.size() - 1));
        String yaml = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8).replace(TOKEN_MARKER, TOKEN);
        Path file = Files.writeString(dir.resolve("bastion.yaml"), yaml);

        try {
            BastionConfig config = LOADER.load(Optional.of(file), environment);
            assertThat(config.sections()).isNotEmpty();
        } catch (ConfigException refused) {
            assertThat(refused.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem).isNotBlank());
            String message = refused.getMessage();
            assertThat(message).as("a configuration error quoted the secret").doesNotContain(TOKEN);
            for (String marker : LEAK_MARKERS) {
                if (message.contains(marker)) {
                    assertThat(yaml).as("%s in the configuration error %s", marker, message).contains(marker);
                }
            }
            java.util.regex.Matcher frame = STACK_FRAME.matcher(message);
            while (frame.find()) {
                assertThat(yaml).as("a stack frame in the configuration error %s", message).contains(frame.group());
            }
        }
    }

    /**
     * Issue 9 item 4, found by the campaign (corpus entry token-part-pasted-into-a-key): a
     * configuration error masks the exact secret values only, so the token's {@code PUBLIC.SECRET}
     * part without its {@code dt0c01.} prefix, pasted into a key, is echoed. The redactor learns a
     * registered token's partial forms in helper/redaction, but the loader's errors are thrown
     * before the secrets are registered; enable this when the loader masks those forms too.
     */
    @FuzzTest
    void theTokensSecretPartNeverAppearsInAConfigurationError(FuzzedDataProvider data) throws IOException {
        Map<String, String> environment = ENVIRONMENTS.get(data.consumeInt(0, ENVIRONMENTS.size() - 1));
        String yaml = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8).replace(TOKEN_MARKER, TOKEN);
        Path file = Files.writeString(dir.resolve("bastion.yaml"), yaml);

        try {
            LOADER.load(Optional.of(file), environment);
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).doesNotContain(TOKEN.substring("dt0c01.".length()));
        }
    }

    /** Corpus entry token-pasted-into-a-key, found by the campaign: an unknown key is echoed, the token masked. */
    @Test
    void aTokenPastedIntoAnUnknownKeyIsMasked() throws IOException {
        Path file = Files.writeString(dir.resolve("bastion.yaml"), "secu" + TOKEN + "rity: {read_only: false}\n");

        try {
            LOADER.load(Optional.of(file), ENVIRONMENTS.get(0));
            throw new AssertionError("an unknown key is an error");
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).contains("Unknown key secu").doesNotContain(TOKEN);
        }
    }

    /**
     * Found by the campaign (corpus entry token-in-a-duplicate-key): the YAML error for a
     * duplicate key quotes the key, and was thrown unmasked, before the secrets were known.
     */
    @Test
    void aTokenInADuplicateKeyIsMaskedInTheYamlError() throws IOException {
        Path file = Files.writeString(dir.resolve("bastion.yaml"),
                "security: {\"" + TOKEN + "\": 1, \"" + TOKEN + "\": 2}\n");

        try {
            LOADER.load(Optional.of(file), ENVIRONMENTS.get(0));
            throw new AssertionError("a duplicate key is an error");
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).contains("is not valid YAML", "Duplicate field").doesNotContain(TOKEN);
        }
    }

    @Test
    void theTokenMarkerPlacesTheSecretAndTheLoaderMasksIt() throws IOException {
        Path file = Files.writeString(dir.resolve("bastion.yaml"),
                "security: {read_only: \"" + TOKEN_MARKER + "\"}\n".replace(TOKEN_MARKER, TOKEN));

        try {
            LOADER.load(Optional.of(file), ENVIRONMENTS.get(1));
            throw new AssertionError("a token is no boolean");
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).contains("security.read_only").doesNotContain(TOKEN);
        }
    }
}
