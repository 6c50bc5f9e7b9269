package dev.bastion.security.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.security.path.PathPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path root;
    private Path canary;
    private CommandRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        root = temp.toRealPath();
        Files.createDirectories(root.resolve("sub"));
        canary = root.resolve("pwned");
        CommandPolicy policy = CommandPolicy.fromJson(JSON.readTree("""
                [
                  {"name": "echo", "executable": "/bin/echo", "args": ["*"], "max_args": 8, "timeout": "10s"},
                  {"name": "seq", "executable": "/usr/bin/seq", "args": ["[0-9]*"], "max_output_bytes": 1000},
                  {"name": "env", "executable": "/usr/bin/env", "args": [], "env": ["ALLOWED_VAR", "UNSET_VAR"]},
                  {"name": "pwd", "executable": "/bin/pwd", "args": []},
                  {"name": "touch", "executable": "/usr/bin/touch", "args": ["%s/*"]},
                  {"name": "timeout", "executable": "/usr/bin/timeout", "args": ["[0-9]*", "sleep"], "timeout": "300ms"}
                ]
                """.formatted(root)));
        runner = new CommandRunner(policy, new PathPolicy(List.of(root), 4096),
                Map.of("ALLOWED_VAR", "visible", "SECRET_TOKEN", "dt0c01.SECRETSECRETSECRET", "HOME", "/root"));
    }

    /**
     * Injection payloads; each either is refused or runs /bin/echo with the payload as a literal
     * argument. Every one would create the canary file if a shell ever interpreted it.
     */
    static Stream<Arguments> injectionCorpus() {
        String touch = "touch CANARY";
        List<Arguments> corpus = new ArrayList<>();
        for (String name : List.of("ls; rm -rf /", "echo; " + touch, "echo && " + touch, "echo | sh", "/bin/sh", "sh",
                "bash", "../../bin/sh", "/bin/echo", "/usr/bin/env", "ECHO", "echo ", " echo", "echo\0", "echo\n" + touch,
                "$(" + touch + ")", "ｅｃｈｏ", "", "touch")) {
            corpus.add(Arguments.of(name, List.of("x")));
        }
        for (String argument : List.of("; " + touch, "a;" + touch, "$(" + touch + ")", "`" + touch + "`",
                "&& " + touch, "|| " + touch, "| sh -c '" + touch + "'", "& " + touch, "\n" + touch, "\r\n" + touch,
                "a\0; " + touch, "${IFS}touch${IFS}CANARY", "$HOME", "$PATH", "*", "/etc/*", "?", "~root", "!!",
                "> CANARY", ">> CANARY", "< /etc/passwd", "(" + touch + ")", "{touch,CANARY}", "#" + touch,
                "'" + touch + "'", "\"" + touch + "\"", "a\\;" + touch, "\uFF1B" + touch, "\uFF04(" + touch + ")",
                "\uFF5Csh", "\uFF06\uFF06" + touch, "\u2028" + touch, "\u200B;" + touch, "\u0085" + touch,
                "%0a" + touch, "\\x3b" + touch, "[a-z]", "-e \\073" + touch, touch)) {
            corpus.add(Arguments.of("echo", List.of(argument)));
        }
        corpus.add(Arguments.of("echo", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")));
        corpus.add(Arguments.of("seq", List.of("1;" + touch)));
        corpus.add(Arguments.of("seq", List.of("-f", "%s")));
        corpus.add(Arguments.of("env", List.of("sh", "-c", touch)));
        corpus.add(Arguments.of("env", List.of("CANARY=1")));
        return corpus.stream();
    }

    @ParameterizedTest
    @MethodSource("injectionCorpus")
    void injectionPayloadNeverRunsAShellOrAnotherCommand(String name, List<String> rawArguments) throws Exception {
        List<String> arguments = rawArguments.stream().map(a -> a.replace("CANARY", canary.toString())).toList();
        String resolvedName = name.replace("CANARY", canary.toString());
        Optional<CommandResult> result;
        try {
            result = Optional.of(runner.run(resolvedName, arguments));
        } catch (CommandPolicyException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("Exception");
            result = Optional.empty();
        }
        result.ifPresent(ran -> {
            // It can only have been /bin/echo, printing its argument literally.
            assertThat(resolvedName).isEqualTo("echo");
            assertThat(ran.stdout()).isEqualTo(String.join(" ", arguments) + "\n");
        });
        assertThat(canary).doesNotExist();
    }

    @Test
    void injectionCorpusHasAtLeastThirtyPayloads() {
        assertThat(injectionCorpus().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void canaryDetectsACommandThatReallyRan() throws Exception {
        CommandResult result = runner.run("touch", List.of(canary.toString()));

        assertThat(result.succeeded()).isTrue();
        assertThat(canary).exists();
    }

    @Test
    void passesArgumentsLiterallyWithoutAShell() throws Exception {
        CommandResult result = runner.run("echo", List.of("hello world", "touch " + canary));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("hello world touch " + canary + "\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.timedOut()).isFalse();
        assertThat(canary).doesNotExist();
    }

    @Test
    void scrubsTheEnvironmentDownToPathLangAndAllowedVariables() throws Exception {
        CommandResult result = runner.run("env", List.of());

        assertThat(result.stdout().lines().sorted().toList())
                .containsExactly("ALLOWED_VAR=visible", "LANG=C.UTF-8", "PATH=/usr/bin:/bin");
        assertThat(result.stdout()).doesNotContain("SECRETSECRET").doesNotContain("HOME");
    }

    @Test
    void capsOutputWithAMarker() throws Exception {
        CommandResult result = runner.run("seq", List.of("1", "100000"));

        assertThat(result.stdoutTruncated()).isTrue();
        assertThat(result.stdout()).startsWith("1\n2\n3\n").endsWith("\n[output truncated: more than 1000 bytes]");
        assertThat(result.stdout().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(1000 + "\n[output truncated: more than 1000 bytes]".length());
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void killsTheProcessTreeWhenTheTimeoutExpires() throws Exception {
        String marker = "61.4242";

        CommandResult result = runner.run("timeout", List.of("60", "sleep", marker));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sleeperAlive(marker) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sleeperAlive(marker)).as("the grandchild sleep process was killed").isFalse();
    }

    private static boolean sleeperAlive(String marker) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.isAlive() && p.info().arguments()
                .map(args -> List.of(args).contains(marker)).orElse(false));
    }

    @Test
    void runsInAWorkingDirectoryInsideTheRoots() throws Exception {
        assertThat(runner.run("pwd", List.of(), "sub").stdout()).isEqualTo(root.resolve("sub") + "\n");
        assertThat(runner.run("pwd", List.of()).stdout()).isEqualTo(root + "\n");
        assertThatThrownBy(() -> runner.run("pwd", List.of(), "../"))
                .hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> runner.run("pwd", List.of(), "missing"))
                .isInstanceOf(CommandPolicyException.class)
                .hasMessageContaining("not an existing directory");
    }

    @Test
    void refusalsNameTheRule() {
        assertThatThrownBy(() -> runner.run("sh", List.of()))
                .isInstanceOf(CommandPolicyException.class)
                .hasMessage("Command 'sh' is not in security.commands.allowed; allowed commands: echo, env, pwd, seq, "
                        + "timeout, touch.");
        assertThatThrownBy(() -> runner.run("seq", List.of("abc")))
                .hasMessageContaining("matches none of the allowed patterns [[0-9]*]");
        assertThatThrownBy(() -> runner.run("echo", List.of("$(id)")))
                .hasMessageContaining("contains the character '$'");
        assertThatThrownBy(() -> runner.run("echo", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")))
                .hasMessage("Command 'echo' accepts at most 8 arguments, not 9.");
    }

    @Test
    void cutsAtAUtf8Boundary() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8);

        assertThat(CommandRunner.utf8Boundary(euro, 4)).isEqualTo(4);
        assertThat(CommandRunner.utf8Boundary(euro, 3)).isEqualTo(1);
        assertThat(CommandRunner.utf8Boundary(euro, 2)).isEqualTo(1);
        assertThat(CommandRunner.utf8Boundary(euro, 1)).isEqualTo(1);
    }

    @Test
    void parsesEntriesWithDefaults() throws IOException {
        CommandPolicy policy = CommandPolicy.fromJson(JSON.readTree("""
                [{"name": "kubectl", "executable": "/bin/echo", "args": ["get", "pods", "-n", "[a-z]*"]}]"""));

        AllowedCommand entry = policy.command("kubectl").orElseThrow();
        assertThat(entry).isEqualTo(new AllowedCommand("kubectl", Path.of("/bin/echo"), List.of("get", "pods", "-n", "[a-z]*"),
                32, Duration.ofSeconds(30), 1024 * 1024, List.of()));
        assertThat(policy.check("kubectl", List.of("get", "pods", "-n", "monitoring"))).isEqualTo(entry);
        assertThatThrownBy(() -> policy.check("kubectl", List.of("get", "pods", "--all-namespaces")))
                .hasMessageContaining("Argument 3");
    }

    @Test
    void rejectsBrokenEntriesWithTheFieldName() {
        assertThatThrownBy(() -> parse("[{\"name\": \"x\", \"executable\": \"echo\"}]"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("security.commands.allowed[0].executable must be an absolute path without '.' or '..', not 'echo'");
        assertThatThrownBy(() -> parse("[{\"name\": \"x\", \"executable\": \"/bin/../bin/sh\"}]"))
                .hasMessageContaining("without '.' or '..'");
        assertThatThrownBy(() -> parse("[{\"name\": \"x\", \"executable\": \"/bin/echo\", \"shell\": true}]"))
                .hasMessageContaining("unknown field 'shell'");
        assertThatThrownBy(() -> parse("[{\"name\": \"x\", \"executable\": \"/bin/echo\", \"timeout\": \"soon\"}]"))
                .hasMessageContaining("security.commands.allowed[0].timeout must be a duration");
        assertThatThrownBy(() -> parse("[{\"name\": \"x\", \"executable\": \"/no/such/binary\"}]"))
                .hasMessageContaining("is not an executable file");
        assertThatThrownBy(() -> parse("[{\"name\": \"x\", \"executable\": \"/bin/echo\", \"env\": [\"LD_PRELOAD\"]}]"))
                .hasMessageContaining("LD_PRELOAD");
        assertThatThrownBy(() -> parse("[{\"name\": \"x\", \"executable\": \"/bin/echo\"},"
                + "{\"name\": \"x\", \"executable\": \"/bin/echo\"}]"))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> parse("{\"name\": \"x\"}")).hasMessage("security.commands.allowed must be a list of commands");
    }

    @Test
    void readsCommandConfigFromTheSection() throws IOException {
        JsonNode allowed = JSON.readTree("[{\"name\": \"echo\", \"executable\": \"/bin/echo\", \"args\": [\"*\"]}]");
        CommandConfig config = CommandConfig.from(new ProviderConfig("security", "default",
                Map.of("commands.allowed", allowed, "device_commands.allow", List.of("show version"))));

        assertThat(config.commands().commands()).containsOnlyKeys("echo");
        assertThat(config.deviceCommands().check("SHOW  version")).isEqualTo("SHOW version");
        assertThatThrownBy(() -> config.deviceCommands().check("show interfaces")).isInstanceOf(CommandPolicyException.class);

        CommandConfig defaults = CommandConfig.from(new ProviderConfig("security", "default", Map.of()));
        assertThat(defaults.commands().commands()).isEmpty();
        assertThat(defaults.deviceCommands().check("show interfaces")).isEqualTo("show interfaces");
        assertThat(CommandConfig.settings()).extracting(s -> s.key())
                .containsExactly("commands.allowed", "device_commands.allow", "device_commands.deny");
    }

    private static CommandPolicy parse(String json) throws IOException {
        return CommandPolicy.fromJson(JSON.readTree(json));
    }
}
