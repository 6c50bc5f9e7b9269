package dev.bastion.provider.oci.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The test keys: one 2048-bit RSA key generated with openssl 3.0 in four PEM forms (PKCS#1, PKCS#8,
 * PKCS#8 encrypted with aes-256-cbc, legacy PKCS#1 encrypted with AES-128-CBC; pass phrase
 * {@value #PASS_PHRASE}), and the sample key of Oracle's "Request Signatures" page.
 */
final class TestKeys {

    static final String PASS_PHRASE = "test-pass-phrase";
    /** {@code openssl rsa -in pkcs1.pem -pubout -outform DER | openssl md5 -c}. */
    static final String FINGERPRINT = "4b:f1:62:5d:0a:f9:b9:70:9d:dc:45:7c:3b:22:f9:1f";
    /** The same for Oracle's sample key; the documentation's fingerprint starts 73:61:a2. */
    static final String ORACLE_FINGERPRINT = "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7";

    private TestKeys() {
    }

    static String pem(String name) {
        try (InputStream in = TestKeys.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies resource {@code name} into {@code dir} with POSIX permissions {@code permissions}. */
    static Path install(Path dir, String name, String permissions) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, pem(name), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
