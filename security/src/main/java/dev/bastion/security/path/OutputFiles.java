package dev.bastion.security.path;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the server opens a file it writes (the audit file, and any file added later). The
 * path comes from an operator's configuration, so whatever sits at that path when the server
 * starts must not turn the write into something else:
 * <ul>
 *   <li>a symbolic link is refused, never followed (the final component is opened with
 *       {@code O_NOFOLLOW}), so a link planted at the path cannot make the server append to, or
 *       change the mode of, the file it points to;</li>
 *   <li>anything but a regular file (a FIFO, a device, a directory, a socket) is refused before it
 *       is opened, so opening cannot block on a FIFO or write into a device;</li>
 *   <li>a file with more than one hard link is refused: the other name may be a file that matters;</li>
 *   <li>paths under {@code /proc}, {@code /sys} and {@code /dev}, or on those kinds of file system
 *       however they are reached, are refused;</li>
 *   <li>a new file is created with mode 0600 in the same system call that creates it, so there is
 *       no moment in which others can open it; an existing file that others can read is narrowed
 *       to 0600 through the opened path, without following links.</li>
 * </ul>
 * Every refusal is an {@link IOException} whose message names the path and the reason.
 *
 * <p>Java cannot open without blocking or {@code fstat} an open channel, so the type is checked just
 * before the open and the file key just after. Someone who can replace entries in the file's
 * directory in that instant could still swap in a FIFO (the open then waits for a reader); keep the
 * directory writable only by the server's user.
 */
public final class OutputFiles {

    private static final Logger LOG = LoggerFactory.getLogger(OutputFiles.class);

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Kernel views of processes, devices and kernel state: never a place for a log file. */
    private static final List<Path> VIRTUAL_ROOTS = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    /** File system types (as Linux names them) that hold kernel state or devices rather than files. */
    private static final Set<String> VIRTUAL_FILE_SYSTEMS = Set.of("proc", "sysfs", "devtmpfs", "devpts", "cgroup",
            "cgroup2", "debugfs", "tracefs", "securityfs", "configfs", "bpf", "pstore", "efivarfs", "mqueue",
            "hugetlbfs", "fusectl", "binfmt_misc", "autofs");

    private OutputFiles() {
    }

    /**
     * Opens {@code file} for appending, creating it with mode 0600 when it does not exist.
     *
     * @param file the path, as configured
     * @param purpose what the file is, for messages ("audit file")
     * @throws IOException naming the file and why it was refused or could not be opened
     */
    public static OutputStream openForAppend(Path file, String purpose) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(purpose, "purpose is null");
        Path path = file.toAbsolutePath().normalize();
        String name = purpose + " " + file;
        boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            refuseVirtualLocation(path, name);
            FileChannel created = createNew(path, posix);
            if (created != null) {
                return Channels.newOutputStream(created);
            }
            return Channels.newOutputStream(openExisting(path, name, posix));
        } catch (NoSuchFileException e) {
            throw new IOException("Cannot open the " + name + ": its directory does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException("Cannot open the " + name + ": permission denied", e);
        }
    }

    /** The new file's channel, or {@code null} when something already exists at the path. */
    private static FileChannel createNew(Path path, boolean posix) throws IOException {
        // O_CREAT|O_EXCL: fails on anything already there, a dangling symbolic link included.
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        try {
            return FileChannel.open(path, options, attributes);
        } catch (FileAlreadyExistsException e) {
            return null;
        }
    }

    private static FileChannel openExisting(Path path, String name, boolean posix) throws IOException {
        BasicFileAttributes before = regularFileAttributes(path, name);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (FileSystemException e) {
            if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
                throw e;
            }
            // ELOOP from O_NOFOLLOW: a link was swapped in after the check above.
            throw new IOException("Cannot open the " + name + ": it is a symbolic link, which is never followed", e);
        }
        try {
            // Java cannot fstat a channel; the same file key before and after the open shows that the
            // file checked is the file opened.
            BasicFileAttributes after = regularFileAttributes(path, name);
            if (before.fileKey() != null && !Objects.equals(before.fileKey(), after.fileKey())) {
                throw new IOException("Cannot open the " + name + ": it was replaced while it was being opened");
            }
            if (posix) {
                narrowToOwnerOnly(path, name);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static BasicFileAttributes regularFileAttributes(Path path, String name) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new IOException("Cannot open the " + name + ": it is a symbolic link, which is never followed; "
                    + "give the path of a regular file");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException("Cannot open the " + name + ": it is " + kind(attributes)
                    + ", not a regular file");
        }
        Object links = linkCount(path);
        if (links instanceof Integer count && count > 1) {
            throw new IOException("Cannot open the " + name + ": it has " + count + " hard links; another name "
                    + "for the same file could be a file that must not be written");
        }
        return attributes;
    }

    private static Object linkCount(Path path) {
        try {
            return Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return null;
        }
    }

    private static void narrowToOwnerOnly(Path path, String name) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> current = view.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(current)) {
            LOG.warn("The {} was accessible by others ({}); narrowing it to rw-------", name,
                    PosixFilePermissions.toString(current));
            view.setPermissions(EnumSet.copyOf(OWNER_ONLY));
        }
    }

    private static void refuseVirtualLocation(Path path, String name) throws IOException {
        for (Path root : VIRTUAL_ROOTS) {
            if (path.startsWith(root)) {
                throw new IOException("Cannot open the " + name + ": " + root + " holds kernel and device files, "
                        + "not a place for files the server writes");
            }
        }
        Path parent = path.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        // A directory link can lead into /proc from anywhere: check where the directory really is.
        Path realParent = parent.toRealPath();
        for (Path root : VIRTUAL_ROOTS) {
            if (realParent.startsWith(root)) {
                throw new IOException("Cannot open the " + name + ": its directory leads to " + root
                        + ", which holds kernel and device files");
            }
        }
        String type = Files.getFileStore(realParent).type().toLowerCase(Locale.ROOT);
        if (VIRTUAL_FILE_SYSTEMS.contains(type)) {
            throw new IOException("Cannot open the " + name + ": its directory is on a " + type
                    + " file system, which holds kernel state, not files");
        }
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        return "a special file (a FIFO, device or socket)";
    }
}
