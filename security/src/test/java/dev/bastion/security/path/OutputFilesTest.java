package dev.bastion.security.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsANewFileOwnerOnlyAndAppendsToIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (OutputStream out = OutputFiles.openForAppend(file, "audit file")) {
            out.write("one\n".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = OutputFiles.openForAppend(file, "audit file")) {
            out.write("two\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(Files.readString(file)).isEqualTo("one\ntwo\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void refusesASymbolicLinkPlantedAtThePathAndLeavesItsTargetAlone() throws Exception {
        Path target = Files.createFile(dir.resolve("victim.txt"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(target, "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("audit.jsonl"), target);

        assertThatThrownBy(() -> OutputFiles.openForAppend(link, "audit file"))
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot open the audit file " + link + ": it is a symbolic link, which is never "
                        + "followed; give the path of a regular file");

        assertThat(Files.readString(target)).isEqualTo("precious\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    }

    @Test
    void refusesADanglingSymbolicLinkInsteadOfCreatingItsTarget() throws Exception {
        Path target = dir.resolve("created-elsewhere.txt");
        Path link = Files.createSymbolicLink(dir.resolve("audit.jsonl"), target);

        assertThatThrownBy(() -> OutputFiles.openForAppend(link, "audit file"))
                .hasMessageContaining("symbolic link");

        assertThat(target).doesNotExist();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void refusesAFifoWithoutBlockingOnIt() throws Exception {
        Path fifo = dir.resolve("audit.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();

        // Opening a FIFO for writing blocks until a reader appears; a refusal must come first.
        assertThatThrownBy(() -> OutputFiles.openForAppend(fifo, "audit file"))
                .hasMessage("Cannot open the audit file " + fifo
                        + ": it is a special file (a FIFO, device or socket), not a regular file");
    }

    @Test
    void refusesADirectory() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("audit.d"));

        assertThatThrownBy(() -> OutputFiles.openForAppend(directory, "audit file"))
                .hasMessage("Cannot open the audit file " + directory + ": it is a directory, not a regular file");
    }

    @Test
    void refusesAHardLinkToAnotherFile() throws Exception {
        Path other = Files.writeString(dir.resolve("other.txt"), "keep\n");
        Path link = Files.createLink(dir.resolve("audit.jsonl"), other);

        assertThatThrownBy(() -> OutputFiles.openForAppend(link, "audit file"))
                .hasMessageContaining("has 2 hard links");
        assertThat(Files.readString(other)).isEqualTo("keep\n");
    }

    @Test
    void refusesProcSysAndDevPaths() {
        for (String path : new String[] {"/proc/self/fd/1", "/proc/self/attr/current", "/sys/kernel/notes",
                "/dev/null", "/dev/shm/audit.jsonl", "/proc/../proc/self/environ"}) {
            assertThatThrownBy(() -> OutputFiles.openForAppend(Path.of(path), "audit file"))
                    .as(path)
                    .hasMessageContaining("holds kernel and device files");
        }
    }

    @Test
    void refusesADirectoryLinkThatLeadsIntoProc() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("logs"), Path.of("/proc/self"));

        assertThatThrownBy(() -> OutputFiles.openForAppend(link.resolve("audit.jsonl"), "audit file"))
                .hasMessageContaining("its directory leads to /proc");
    }

    @Test
    void narrowsAnExistingFileThatOthersCanRead() throws Exception {
        Path file = Files.createFile(dir.resolve("audit.jsonl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));

        try (OutputStream out = OutputFiles.openForAppend(file, "audit file")) {
            out.write('x');
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void explainsAMissingDirectory() {
        Path file = dir.resolve("missing/audit.jsonl");

        assertThatThrownBy(() -> OutputFiles.openForAppend(file, "audit file"))
                .hasMessage("Cannot open the audit file " + file + ": its directory does not exist");
    }
}
