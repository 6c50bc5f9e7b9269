package dev.bastion.security.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PathPolicyTest {

    @TempDir
    Path temp;

    private Path root;
    private Path outside;
    private PathPolicy policy;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(temp.resolve("root")).toRealPath();
        outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), "outside secret");
        Files.createDirectories(root.resolve("sub/dir"));
        Files.writeString(root.resolve("notes.txt"), "notes");
        Files.writeString(root.resolve("sub/dir/file.txt"), "file");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("escape-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-there.txt"));
        Files.createSymbolicLink(root.resolve("inner-link"), root.resolve("sub"));
        policy = new PathPolicy(List.of(root), 4096);
    }

    /** Traversal, encoding, Unicode, NUL, absolute and symlink payloads: each must be refused or stay inside. */
    static Stream<String> attackCorpus() {
        List<String> corpus = new ArrayList<>(List.of(
                "../",
                "..",
                "../secret.txt",
                "../outside/secret.txt",
                "../../../../../../etc/passwd",
                "sub/../../outside/secret.txt",
                "sub/dir/../../../outside/secret.txt",
                "./../outside",
                "..%2f",
                "..%2foutside%2fsecret.txt",
                "..%2Foutside%2Fsecret.txt",
                "%2e%2e%2f",
                "%2e%2e/outside/secret.txt",
                "%2E%2E%2Foutside",
                ".%2e/outside",
                "%2e./outside",
                "%252e%252e%252f",
                "%252e%252e%252foutside%252fsecret.txt",
                "%25252e%25252e%25252f",
                "%2525252e%2525252e%2525252f",
                "..%252foutside",
                "%2e%2e%5coutside",
                "..\\",
                "..\\outside\\secret.txt",
                "sub\\..\\..\\outside",
                "..%5c..%5coutside",
                "..%255coutside",
                "\uFF0E\uFF0E/outside/secret.txt",
                "\uFF0E\uFF0E\uFF0Foutside",
                "..\uFF0Foutside",
                "\u2025/outside",
                "\uFE30/outside",
                "\uFE52\uFE52/outside",
                "\u3002\u3002/outside",
                "\uFF61\uFF61/outside",
                "%ef%bc%8e%ef%bc%8e/outside",
                "..%c0%af",
                "..%c0%afoutside",
                "..%c1%9c",
                "%c0%ae%c0%ae/outside",
                "%e0%80%ae%e0%80%ae/outside",
                "..%u2215outside",
                "%u002e%u002e/outside",
                "notes.txt\0.png",
                "notes.txt%00.png",
                "notes.txt%2500",
                "\0",
                "/etc/passwd",
                "/etc/shadow",
                "//etc/passwd",
                "/",
                "file:///etc/passwd",
                "escape/secret.txt",
                "escape",
                "escape-file",
                "escape/new-file.txt",
                "dangling",
                "notes.txt\n../../etc/passwd",
                "notes.txt\r",
                "sub/dir/\u001b[31m",
                "a".repeat(5000),
                "sub/" + "x/".repeat(3000),
                ""));
        corpus.add("/" + "..");
        return corpus.stream();
    }

    @ParameterizedTest
    @MethodSource("attackCorpus")
    void attackPayloadNeverEscapesTheRoot(String payload) throws IOException {
        Path resolved;
        try {
            resolved = policy.resolve(payload);
        } catch (PathPolicyException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("Exception").doesNotContain(outside.toString());
            return;
        }
        assertThat(resolved).startsWithRaw(root);
        if (Files.exists(resolved)) {
            assertThat(resolved.toRealPath()).startsWith(root);
        }
    }

    @Test
    void corpusHasAtLeastFiftyPayloads() {
        assertThat(attackCorpus().count()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void absolutePathsAbsoluteInTheCorpusAreRefusedNotMerelyContained() {
        assertThatThrownBy(() -> policy.resolve("/etc/passwd"))
                .isInstanceOf(PathPolicyException.class)
                .hasMessageContaining("outside the allowed directories");
        assertThatThrownBy(() -> policy.resolve(outside.resolve("secret.txt").toString()))
                .hasMessageContaining("outside the allowed directories");
    }

    @Test
    void rejectsPathThatEscapesRootThroughSymlink() {
        assertThatThrownBy(() -> policy.resolve("escape/secret.txt"))
                .isInstanceOf(PathPolicyException.class)
                .hasMessageContaining("symbolic link")
                .hasMessageNotContaining(outside.toString());
        assertThatThrownBy(() -> policy.resolve("escape/not-yet-written.txt"))
                .hasMessageContaining("symbolic link");
    }

    @Test
    void rejectsDanglingSymlinkThatWouldBeFollowedOnWrite() {
        assertThatThrownBy(() -> policy.resolve("dangling"))
                .hasMessageContaining("symbolic link whose target does not exist");
    }

    @Test
    void namesTheRuleInEachRefusal() {
        assertThatThrownBy(() -> policy.resolve("%252e%252e%252fx")).hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> policy.resolve("\uFF0E\uFF0E/x")).hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> policy.resolve("a%00b")).hasMessageContaining("NUL byte");
        assertThatThrownBy(() -> policy.resolve("a\\b")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> policy.resolve("..%c0%af")).hasMessageContaining("invalid percent-encoded");
        assertThatThrownBy(() -> policy.resolve("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> policy.resolve(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> policy.resolve("a".repeat(5000))).hasMessageContaining("security.paths.max_length");
        assertThatThrownBy(() -> policy.resolve("%2525252e")).hasMessageContaining("percent-encoded more than");
    }

    @Test
    void resolvesOrdinaryPathsInsideTheRoot() throws IOException {
        assertThat(policy.resolve("notes.txt")).isEqualTo(root.resolve("notes.txt"));
        assertThat(policy.resolve("sub/dir/file.txt")).isEqualTo(root.resolve("sub/dir/file.txt"));
        assertThat(policy.resolve("./sub/./dir/file.txt")).isEqualTo(root.resolve("sub/dir/file.txt"));
        assertThat(policy.resolve(root.resolve("notes.txt").toString())).isEqualTo(root.resolve("notes.txt"));
        assertThat(policy.resolve(".")).isEqualTo(root);
        assertThat(policy.resolve("inner-link/dir/file.txt")).isEqualTo(root.resolve("sub/dir/file.txt"));
        assertThat(policy.resolve("a..b.txt")).isEqualTo(root.resolve("a..b.txt"));
        assertThat(policy.resolve("...")).isEqualTo(root.resolve("..."));
        assertThat(policy.resolve("report%202024.txt")).isEqualTo(root.resolve("report%202024.txt"));
        assertThat(policy.resolve("100%.txt")).isEqualTo(root.resolve("100%.txt"));
        assertThat(policy.resolve("données/résumé.txt")).isEqualTo(root.resolve("données/résumé.txt"));
    }

    @Test
    void resolvesFilesThatDoNotExistYetThroughTheirParent() {
        assertThat(policy.resolve("sub/dir/new.txt")).isEqualTo(root.resolve("sub/dir/new.txt"));
        assertThat(policy.resolve("new/nested/file.txt")).isEqualTo(root.resolve("new/nested/file.txt"));
    }

    @Test
    void acceptsAnyOfSeveralRoots() throws IOException {
        Path second = Files.createDirectories(temp.resolve("second")).toRealPath();
        PathPolicy two = new PathPolicy(List.of(root, second), 4096);

        assertThat(two.resolve(second.resolve("x.txt").toString())).isEqualTo(second.resolve("x.txt"));
        assertThatThrownBy(() -> two.resolve(outside.toString())).isInstanceOf(PathPolicyException.class);
    }

    @Test
    void noRootsMeansNoFileAccess() {
        PathPolicy none = new PathPolicy(List.of(), 4096);

        assertThatThrownBy(() -> none.resolve("notes.txt")).hasMessageContaining("security.paths.allowed_roots");
    }

    @Test
    void rootThatDoesNotExistIsAConfigurationError() {
        assertThatThrownBy(() -> new PathPolicy(List.of(temp.resolve("missing")), 4096))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("is not an existing directory");
    }

    @Test
    void refusesGroupReadableKeyFileWithChmodHint() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path key = root.resolve("oci_api_key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> policy.resolveKeyFile("oci_api_key.pem"))
                .isInstanceOf(PathPolicyException.class)
                .hasMessageContaining("chmod 600 " + key)
                .hasMessageContaining("rw-r-----");
    }

    @Test
    void refusesWorldReadableKeyFile() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path key = root.resolve("config");
        Files.writeString(key, "[DEFAULT]");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw----r--"));

        assertThatThrownBy(() -> PathPolicy.requireOwnerOnly(key)).hasMessageContaining("chmod 600 " + key);
    }

    @Test
    void acceptsOwnerOnlyKeyFile() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path key = root.resolve("key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        assertThat(policy.resolveKeyFile("key.pem")).isEqualTo(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertThat(policy.resolveKeyFile(key.toString())).isEqualTo(key);
    }

    @Test
    void keyFileMustExist() {
        assertThatThrownBy(() -> policy.resolveKeyFile("missing.pem")).hasMessageContaining("does not exist");
    }

    @Test
    void readsConfigDefaultsAndExplicitValues() {
        assertThat(PathConfig.from(new ProviderConfig("security", "default", Map.of())))
                .isEqualTo(new PathConfig(List.of(), 4096));
        assertThat(PathConfig.from(new ProviderConfig("security", "default",
                Map.of("paths.allowed_roots", List.of(root.toString()), "paths.max_length", 1024))))
                .isEqualTo(new PathConfig(List.of(root), 1024));
        assertThatThrownBy(() -> PathConfig.from(new ProviderConfig("security", "default",
                Map.of("paths.allowed_roots", List.of("relative/dir")))))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("not an absolute path");
        assertThat(PathConfig.settings()).extracting(s -> s.key()).containsExactly("paths.allowed_roots", "paths.max_length");
    }
}
