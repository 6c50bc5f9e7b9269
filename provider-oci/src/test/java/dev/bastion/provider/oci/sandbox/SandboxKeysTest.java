package dev.bastion.provider.oci.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's keys: fresh per start without a cache, kept owner-only and reused with one. */
class SandboxKeysTest {

    @TempDir
    Path cache;

    private String fingerprint(OciSandbox.Options options) {
        try (OciSandbox sandbox = OciSandbox.start(options)) {
            return sandbox.fingerprint();
        }
    }

    @Test
    void withoutACacheEveryStartHasItsOwnKey() {
        assertThat(fingerprint(OciSandbox.Options.defaults())).isNotEqualTo(fingerprint(OciSandbox.Options.defaults()));
    }

    @Test
    void aCacheKeepsTheKeysOwnerOnlyAndALaterStartReusesThem() throws Exception {
        Path keys = cache.resolve("bastion").resolve("sandbox");
        String first = fingerprint(OciSandbox.Options.defaults().withKeyCache(keys));

        assertThat(fingerprint(OciSandbox.Options.defaults().withKeyCache(keys))).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(keys)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var files = Files.list(keys)) {
            assertThat(files.toList()).hasSize(2).allSatisfy(file -> assertThat(Files.getPosixFilePermissions(file))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------")));
        }
    }

    @Test
    void aKeptKeyOthersCanReadOrThatIsDamagedIsReplaced() throws Exception {
        String first = fingerprint(OciSandbox.Options.defaults().withKeyCache(cache));
        Files.setPosixFilePermissions(cache.resolve("oci-sandbox-key-0.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        String second = fingerprint(OciSandbox.Options.defaults().withKeyCache(cache));
        Files.writeString(cache.resolve("oci-sandbox-key-1.pem"), "not a key");
        String third = fingerprint(OciSandbox.Options.defaults().withKeyCache(cache));

        assertThat(second).isNotEqualTo(first);
        assertThat(Files.getPosixFilePermissions(cache.resolve("oci-sandbox-key-0.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(third).isNotEqualTo(second);
        assertThat(fingerprint(OciSandbox.Options.defaults().withKeyCache(cache))).isEqualTo(third);
    }
}
