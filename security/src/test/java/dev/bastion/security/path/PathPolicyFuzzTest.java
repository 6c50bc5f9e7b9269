package dev.bastion.security.path;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the path policy: no path it accepts resolves outside the allowed
 * root, checked independently of the policy by resolving the accepted path's nearest existing
 * ancestor with {@link Path#toRealPath} (so through every symbolic link), and every refusal is a
 * {@link PathPolicyException} with a message.
 *
 * <p>The tree under test has a link out of the root (to a directory and to a file), a dangling
 * link, a link inside the root and a directory next to the root whose name starts like the
 * root's ({@code root-sibling}), so that a prefix comparison of strings would be caught.
 *
 * <p>In a normal build the fuzz test replays its corpus ({@code PathPolicyFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz.sh).
 */
class PathPolicyFuzzTest {

    private static final String[] PREFIXES = {"", "sub/", "escape/", "inner-link/", "../", "%2e%2e/", "/", ""};

    private static Path temp;
    private static Path root;
    private static PathPolicy policy;

    @BeforeAll
    static void layout() throws IOException {
        temp = Files.createTempDirectory("path-policy-fuzz").toRealPath();
        root = Files.createDirectories(temp.resolve("root"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.createDirectories(temp.resolve("root-sibling"));
        Files.writeString(outside.resolve("secret.txt"), "outside");
        Files.createDirectories(root.resolve("sub/dir"));
        Files.writeString(root.resolve("sub/dir/file.txt"), "inside");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("escape-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-there"));
        Files.createSymbolicLink(root.resolve("inner-link"), root.resolve("sub"));
        policy = new PathPolicy(List.of(root), 4096);
    }

    @AfterAll
    static void clean() throws IOException {
        try (var paths = Files.walk(temp)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @FuzzTest
    void noAcceptedPathResolvesOutsideTheRoot(FuzzedDataProvider data) throws IOException {
        int shape = data.consumeInt(0, PREFIXES.length - 1);
        String tail = data.consumeRemainingAsString();
        String userPath = switch (shape) {
            case 6 -> root + "/" + tail;
            case 7 -> temp + "/root-sibling/" + tail;
            default -> PREFIXES[shape] + tail;
        };

        Path resolved;
        try {
            resolved = policy.resolve(userPath);
        } catch (PathPolicyException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }

        assertThat(resolved.isAbsolute()).isTrue();
        assertThat(resolved.normalize()).isEqualTo(resolved);
        assertThat(resolved.startsWith(root)).as("%s accepted as %s", userPath, resolved).isTrue();
        // Path.startsWith compares names; AssertJ's path startsWith would resolve a real path, which a
        // file not written yet does not have.
        assertThat(realPathThroughExistingAncestor(resolved).startsWith(root)).as("%s accepted as %s", userPath,
                resolved).isTrue();
    }

    /** The real path of {@code path}'s nearest existing ancestor, with the rest appended. */
    private static Path realPathThroughExistingAncestor(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        assertThat(existing).as("an existing ancestor of %s", path).isNotNull();
        Path real = existing.toRealPath();
        Path rest = existing.relativize(path);
        for (Path part : rest) {
            assertThat(part.toString()).as("a part of the not-yet-existing rest of %s", path).isNotEqualTo("..");
        }
        return real.resolve(rest).normalize();
    }

    /**
     * Corpus entry name-starting-with-dots-not-yet-existing, found by the campaign: the check, not
     * the policy, was wrong (AssertJ's {@code startsWith} on paths resolves the real path, which a
     * file not written yet does not have). A name that only starts with two dots is no traversal.
     */
    @Test
    void aNameThatStartsWithTwoDotsIsNoTraversal() {
        assertThat(policy.resolve("..tosd/new.txt")).isEqualTo(root.resolve("..tosd/new.txt"));
    }

    @Test
    void theLayoutHasALinkOutOfTheRoot() throws IOException {
        assertThat(root.resolve("escape").toRealPath().startsWith(root)).isFalse();
        assertThat(policy.resolve("sub/dir/file.txt")).isEqualTo(root.resolve("sub/dir/file.txt"));
    }
}
