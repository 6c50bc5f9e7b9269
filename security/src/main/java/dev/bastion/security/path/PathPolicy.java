package dev.bastion.security.path;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The only way a user-supplied path reaches the file system. A path is accepted only when it
 * stays inside one of the allowed root directories after every decoding a component further down
 * might apply (percent-decoding, repeated; Unicode NFKC folding) and after every symbolic link is
 * resolved with {@link Path#toRealPath}. Anything that could mean a traversal is refused outright
 * rather than repaired, because a repaired path is not the one the user asked for.
 *
 * <p>{@link #resolve} returns the real path. Callers open it with
 * {@link LinkOption#NOFOLLOW_LINKS} where they can, so a link swapped in after the check is not
 * followed.
 */
public final class PathPolicy {

    /** A double-encoded payload needs two rounds; more than this is never a legitimate file name. */
    static final int MAX_DECODE_ROUNDS = 3;

    /** Group and other permissions a private key file must not have. */
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final List<Path> configuredRoots;
    private final List<Path> realRoots;
    private final int maxLength;
    private final boolean backslashIsSeparator;

    /**
     * @param allowedRoots absolute directories that must exist; an empty list refuses every path
     * @param maxLength the longest path accepted, in characters
     * @throws ProviderConfigException when a root is not an existing directory
     */
    public PathPolicy(List<Path> allowedRoots, int maxLength) {
        requireNonNull(allowedRoots, "allowedRoots is null");
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive");
        }
        List<Path> configured = new ArrayList<>();
        List<Path> real = new ArrayList<>();
        for (Path root : allowedRoots) {
            requireNonNull(root, "root is null");
            if (!root.isAbsolute()) {
                throw new ProviderConfigException("security.paths.allowed_roots: '" + root + "' is not an absolute path");
            }
            if (!Files.isDirectory(root)) {
                throw new ProviderConfigException("security.paths.allowed_roots: '" + root
                        + "' is not an existing directory");
            }
            try {
                configured.add(root.normalize());
                real.add(root.toRealPath());
            } catch (IOException e) {
                throw new ProviderConfigException("security.paths.allowed_roots: '" + root + "' cannot be resolved");
            }
        }
        this.configuredRoots = List.copyOf(configured);
        this.realRoots = List.copyOf(real);
        this.maxLength = maxLength;
        this.backslashIsSeparator = "\\".equals(FileSystems.getDefault().getSeparator());
    }

    public PathPolicy(PathConfig config) {
        this(requireNonNull(config, "config is null").allowedRoots(), config.maxLength());
    }

    /** The allowed roots, as real paths. */
    public List<Path> roots() {
        return realRoots;
    }

    /**
     * Resolves a user-supplied path to its real path inside an allowed root. A relative path is
     * relative to the first root. A path that does not exist yet (a file about to be written) is
     * resolved through its nearest existing ancestor.
     *
     * @throws PathPolicyException naming the rule the path breaks
     */
    public Path resolve(String userPath) {
        if (userPath == null || userPath.isEmpty()) {
            throw new PathPolicyException("The path is empty; give a file path inside the allowed directories.");
        }
        if (userPath.length() > maxLength) {
            throw new PathPolicyException("The path is " + userPath.length() + " characters long; at most " + maxLength
                    + " are allowed (security.paths.max_length).");
        }
        for (String form : suspiciousForms(userPath)) {
            checkForm(form);
        }
        if (realRoots.isEmpty()) {
            throw new PathPolicyException("File access is disabled: no allowed directories are configured "
                    + "(security.paths.allowed_roots).");
        }
        Path parsed;
        try {
            parsed = Path.of(userPath);
        } catch (InvalidPathException e) {
            throw new PathPolicyException("The path '" + userPath + "' is not a valid file path.");
        }
        Path candidate = (parsed.isAbsolute() ? parsed : realRoots.get(0).resolve(parsed)).normalize();
        if (!startsWithAny(candidate, configuredRoots) && !startsWithAny(candidate, realRoots)) {
            throw new PathPolicyException("The path '" + userPath + "' is outside the allowed directories "
                    + realRoots + ".");
        }
        Path real = realPath(candidate, userPath);
        if (!startsWithAny(real, realRoots)) {
            throw new PathPolicyException("The path '" + userPath + "' leads through a symbolic link to a place "
                    + "outside the allowed directories " + realRoots + ".");
        }
        if (real.toString().length() > maxLength) {
            throw new PathPolicyException("The path resolves to more than " + maxLength
                    + " characters (security.paths.max_length).");
        }
        return real;
    }

    /**
     * Resolves the path of a private key or credentials file: it must be an existing regular file
     * inside an allowed root that only its owner can access.
     *
     * @throws PathPolicyException naming the rule the file breaks, with a {@code chmod 600} hint for permissions
     */
    public Path resolveKeyFile(String userPath) {
        Path real = resolve(userPath);
        if (!Files.isRegularFile(real)) {
            throw new PathPolicyException("The key file '" + userPath + "' does not exist or is not a regular file.");
        }
        requireOwnerOnly(real);
        return real;
    }

    /**
     * Refuses a key file that its group or other users can access: the one owner-only rule for every
     * private key the server reads (backend key files, the TLS key and key store). On file systems
     * without POSIX permissions (Windows) there is nothing to check, and the check is skipped.
     *
     * @throws PathPolicyException with a {@code chmod 600 <file>} hint
     */
    public static void requireOwnerOnly(Path keyFile) {
        requireNonNull(keyFile, "keyFile is null");
        PosixFileAttributeView view = Files.getFileAttributeView(keyFile, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new PathPolicyException("Cannot read the permissions of key file " + keyFile + ".");
        }
        Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
        extra.addAll(permissions);
        extra.retainAll(NOT_OWNER);
        if (!extra.isEmpty()) {
            throw new PathPolicyException("Key file " + keyFile + " can be accessed by group or other users (permissions "
                    + PosixFilePermissions.toString(permissions) + "); a key file must be readable only by its owner. "
                    + "Fix it with: chmod 600 " + keyFile);
        }
    }

    private void checkForm(String form) {
        String folded = Normalizer.normalize(form, Normalizer.Form.NFKC);
        for (String text : List.of(form, folded)) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\0') {
                    throw new PathPolicyException("The path contains a NUL byte, which is never part of a file name.");
                }
                if (Character.getType(c) == Character.CONTROL) {
                    throw new PathPolicyException("The path contains a control character, which is refused in file names.");
                }
                if (c == '\\' && !backslashIsSeparator) {
                    throw new PathPolicyException("The path contains a backslash; use / to separate directories.");
                }
            }
            String dotsFolded = text.replace('\u3002', '.').replace('\uFF61', '.');
            for (String segment : dotsFolded.split("[/\\\\]", -1)) {
                if (segment.equals("..")) {
                    throw new PathPolicyException("The path contains a '..' segment (possibly encoded or as Unicode "
                            + "look-alike dots); paths must stay inside the allowed directories.");
                }
            }
        }
    }

    /** The path as given and every percent-decoding of it, as a URL decoder further down might see it. */
    private static Set<String> suspiciousForms(String userPath) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(userPath);
        String current = userPath;
        for (int round = 0; round <= MAX_DECODE_ROUNDS; round++) {
            String next = percentDecode(current);
            if (next.equals(current)) {
                return forms;
            }
            forms.add(next);
            current = next;
        }
        throw new PathPolicyException("The path is percent-encoded more than " + MAX_DECODE_ROUNDS
                + " times over; that is never a legitimate file name.");
    }

    /**
     * One round of percent-decoding: {@code %XX} bytes and IIS-style {@code %uXXXX} characters.
     * The bytes must form valid UTF-8, which rules out overlong encodings such as {@code %c0%af}.
     */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && isHex(text, i + 1, 2)) {
                bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 3;
            } else if (c == '%' && i + 1 < text.length() && (text.charAt(i + 1) == 'u' || text.charAt(i + 1) == 'U')
                    && isHex(text, i + 2, 4)) {
                String decoded = String.valueOf((char) Integer.parseInt(text, i + 2, i + 6, 16));
                bytes.writeBytes(decoded.getBytes(StandardCharsets.UTF_8));
                i += 6;
            } else {
                int end = i + Character.charCount(text.codePointAt(i));
                bytes.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PathPolicyException("The path contains an invalid percent-encoded byte sequence (such as an "
                    + "overlong UTF-8 encoding); it is refused.");
        }
    }

    private static boolean isHex(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Path realPath(Path candidate, String userPath) {
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = candidate;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new PathPolicyException("The path '" + userPath + "' has no existing parent directory.");
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            throw new PathPolicyException("The path '" + userPath + "' leads through a symbolic link whose target "
                    + "does not exist.");
        } catch (AccessDeniedException e) {
            throw new PathPolicyException("The path '" + userPath + "' cannot be resolved: permission denied.");
        } catch (IOException e) {
            throw new PathPolicyException("The path '" + userPath + "' cannot be resolved.");
        }
        while (!missing.isEmpty()) {
            real = real.resolve(missing.pop());
        }
        return real;
    }

    private static boolean startsWithAny(Path path, List<Path> roots) {
        for (Path root : roots) {
            if (path.startsWith(root)) {
                return true;
            }
        }
        return false;
    }
}
