package dev.bastion.provider.oci.sandbox;

import dev.bastion.provider.oci.auth.InstancePrincipalKeys;
import dev.bastion.provider.oci.auth.PemPrivateKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's RSA key pairs (its API signing key and its session key). Generating a 2048-bit
 * pair takes a few hundred milliseconds in a cold JVM, most of the sandbox's start, so the pairs
 * are generated in parallel, and every {@code bastion ... --sandbox} command (the provider factory's
 * {@code startSandbox()}) keeps them in the user's cache directory (owner-only files) to reuse on
 * later starts. They open nothing but the loopback sandbox; a sandbox started with
 * {@link OciSandbox.Options#defaults()} (as most tests do) gets fresh pairs.
 */
final class SandboxKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxKeys.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SandboxKeys() {
    }

    /** {@code count} key pairs, read from {@code cache} when it holds them, else generated (and kept there). */
    static List<KeyPair> pairs(int count, Optional<Path> cache) {
        if (cache.isPresent()) {
            Optional<List<KeyPair>> kept = read(cache.get(), count);
            if (kept.isPresent()) {
                return kept.get();
            }
        }
        List<CompletableFuture<KeyPair>> generating = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            generating.add(CompletableFuture.supplyAsync(InstancePrincipalKeys::newRsaKeys));
        }
        List<KeyPair> pairs = new ArrayList<>();
        pairs.add(InstancePrincipalKeys.newRsaKeys());
        generating.forEach(future -> pairs.add(future.join()));
        cache.ifPresent(directory -> write(directory, pairs));
        return List.copyOf(pairs);
    }

    private static Path file(Path directory, int index) {
        return directory.resolve("oci-sandbox-key-" + index + ".pem");
    }

    private static Optional<List<KeyPair>> read(Path directory, int count) {
        List<KeyPair> pairs = new ArrayList<>();
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            for (int i = 0; i < count; i++) {
                Path file = file(directory, i);
                if (!Files.isRegularFile(file) || !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                    return Optional.empty();
                }
                RSAPrivateCrtKey key = PemPrivateKeys.read(Files.readString(file, StandardCharsets.US_ASCII), null,
                        file.toString());
                pairs.add(new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())),
                        key));
            }
            return Optional.of(List.copyOf(pairs));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.debug("the OCI sandbox's kept keys in {} are not usable ({}); generating new ones", directory,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static void write(Path directory, List<KeyPair> pairs) {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            for (int i = 0; i < pairs.size(); i++) {
                Path target = file(directory, i);
                Path temporary = Files.createTempFile(directory, "oci-sandbox-key-", ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(temporary, OciSandbox.pem("PRIVATE KEY", pairs.get(i).getPrivate().getEncoded()),
                        StandardCharsets.US_ASCII);
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Only the next start is slower; this one has its keys.
            LOG.debug("the OCI sandbox could not keep its keys in {}: {}", directory, e.getMessage());
        }
    }
}
