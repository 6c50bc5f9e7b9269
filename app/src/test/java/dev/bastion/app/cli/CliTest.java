package dev.bastion.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bastion} commands, run in-process with captured output. */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private Path yaml(String text) throws Exception {
        Path file = temp.resolve("bastion.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void versionNamesTheBuildAndTheProtocol() {
        Run run = run(Map.of(), "version");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("bastion 0.1.0 (MCP 2025-11-25");
    }

    @Test
    void helpListsEverySubcommand() {
        Run run = run(Map.of(), "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains(BastionCommand.SUBCOMMANDS.keySet());
    }

    @Test
    void everySubcommandIsRegisteredUnderTheNameItsAnnotationGives() {
        assertThat(BastionCommand.commandLine(Map.of()).getSubcommands().keySet())
                .containsExactlyElementsOf(BastionCommand.SUBCOMMANDS.keySet());
        BastionCommand.SUBCOMMANDS.keySet().forEach(name ->
                assertThat(BastionCommand.commandLine(Map.of(), name, "--flag").getSubcommands()).containsKey(name));
    }

    @Test
    void namingASubcommandBuildsOnlyThatOne() {
        assertThat(BastionCommand.commandLine(Map.of(), "serve", "--sandbox").getSubcommands().keySet())
                .containsExactly("serve");
        assertThat(BastionCommand.commandLine(Map.of(), "help", "serve").getSubcommands().keySet())
                .containsExactlyElementsOf(BastionCommand.SUBCOMMANDS.keySet());
    }

    @Test
    void subcommandUsageAndMisspelledSubcommandsStillSeeTheWholeCommandLine() {
        Run helpServe = run(Map.of(), "help", "serve");
        Run unknownOption = run(Map.of(), "serve", "--no-such-option");
        Run typo = run(Map.of(), "serv");

        assertThat(helpServe.exit()).isZero();
        assertThat(helpServe.out()).startsWith("Usage: bastion serve").contains("--sandbox");
        assertThat(unknownOption.exit()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--no-such-option'", "Usage: bastion serve");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("Did you mean: bastion serve or bastion version?");
    }

    @Test
    void toolsListsAProviderFoundOnTheClasspathWithItsAnnotations() {
        Run run = run(Map.of("PROMETHEUS_URL", "https://prometheus.example.com"), "tools");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("prometheus_query", "prometheus", "read-only");
    }

    @Test
    void toolsJsonShowsThatReadOnlyModeHidesWriteTools() throws Exception {
        Run run = run(Map.of(), "tools", "--json", "--config", yaml("providers:\n  fixture: {}\n").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode tools = JSON.readTree(run.out());
        assertThat(tools).anySatisfy(tool -> {
            assertThat(tool.get("name").asText()).isEqualTo("fixture_update");
            assertThat(tool.get("visible").asBoolean()).isFalse();
        });
        assertThat(tools).anySatisfy(tool -> {
            assertThat(tool.get("name").asText()).isEqualTo("fixture_echo");
            assertThat(tool.get("visible").asBoolean()).isTrue();
        });
    }

    @Test
    void configShowsEverySecretRedactedWithItsSource() {
        String token = "planted-prometheus-token-93b1";
        Run run = run(Map.of("PROMETHEUS_URL", "https://prometheus.example.com", "PROMETHEUS_BEARER_TOKEN", token),
                "config");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("[REDACTED]", "env:PROMETHEUS_BEARER_TOKEN").doesNotContain(token);
        assertThat(run.err()).doesNotContain(token);
    }

    @Test
    void misspelledKeyStopsStartupWithAHintAndNoStackTrace() throws Exception {
        Run run = run(Map.of(), "tools", "--config", yaml("security:\n  read_olny: false\n").toString());
        assertThat(run.exit()).isEqualTo(Main.STARTUP_FAILED);
        assertThat(run.err()).contains("did you mean security.read_only").doesNotContain("\tat ", "Exception");
    }

    @Test
    void unknownToolIsAClearError() {
        Run run = run(Map.of(), "call", "no_such_tool", "--sandbox");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown tool 'no_such_tool'");
    }

    @Test
    void anUnknownToolGetsTheLikelyNameOrTheProviderToConfigure() {
        Run typo = run(Map.of(), "call", "dynatrace_platform_list_problemz", "--sandbox");
        Run unconfigured = run(Map.of(), "call", "dynatrace_platform_list_problems");

        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("did you mean dynatrace_platform_list_problems?");
        assertThat(unconfigured.exit()).isEqualTo(2);
        assertThat(unconfigured.err()).contains("its provider dynatrace-platform is not configured")
                .contains("--sandbox");
    }

    @Test
    void badJsonIsNamedWithoutTheParsersInternals() {
        Run run = run(Map.of(), "call", "dynatrace_managed_list_problems", "--sandbox", "--json", "{\"a\":1");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--json is not valid JSON at column 7: Unexpected end-of-input")
                .doesNotContain("StreamReadFeature").doesNotContain("Source:").doesNotContain("\tat ");
    }

    @Test
    void everyCommandExplainsItselfWithHelp() {
        for (String command : new String[] {"serve", "tools", "check", "call", "config", "version"}) {
            Run run = run(Map.of(), command, "--help");
            assertThat(run.exit()).as(command + ": " + run.err()).isZero();
            assertThat(run.out()).as(command).contains("Usage: bastion " + command);
        }
    }

    @Test
    void callGoesThroughThePipelineAgainstTheSandbox() throws Exception {
        Run run = run(Map.of(), "call", "prometheus_query", "--arg", "query=up", "--arg", "limit=5", "--sandbox");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("isError").asBoolean()).isFalse();
        assertThat(result.get("structuredContent").get("series").size()).isEqualTo(3);
    }

    @Test
    void callWithAnArgumentOverItsCapIsRefusedByValidation() throws Exception {
        Run run = run(Map.of(), "call", "prometheus_query", "--json", "{\"query\":\"up\",\"limit\":5000}", "--sandbox");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(JSON.readTree(run.out()).get("content").get(0).get("text").asText())
                .contains("/limit: must be at most 100");
    }

    @Test
    void callOfAWriteToolInReadOnlyModeSaysHowToEnableWrites() throws Exception {
        Run run = run(Map.of(), "call", "fixture_update", "--arg", "text=x", "--config",
                yaml("providers:\n  fixture: {}\n").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("read-only mode", "read_only");
    }

    @Test
    void checkReportsEveryStepOfTheSandbox() {
        Run run = run(Map.of(), "check", "--sandbox");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("prometheus/sandbox: ok", "ok  dns", "ok  tcp", "skipped  tls",
                "ok  auth and read");
    }

    @Test
    void checkFailsWhenTheBackendIsUnreachable() {
        Run run = run(Map.of("PROMETHEUS_URL", "https://127.0.0.1:1"), "check", "--timeout", "2s");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("prometheus/default: FAILED", "failed  tcp");
    }
}
