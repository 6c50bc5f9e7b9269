package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.Secret;
import dev.bastion.security.path.PathPolicy;
import dev.bastion.security.path.PathPolicyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Locale;

/** Loads the private key of a profile, with the checks OCI users need at startup rather than at the first 401. */
public final class ApiKeys {

    /** A PEM RSA key of 8192 bits is under 7 KiB. */
    private static final long MAX_KEY_FILE_BYTES = 64 * 1024;

    private ApiKeys() {
    }

    /**
     * The API-key signing key of {@code profile}: {@code keyId} {@code <tenancy>/<user>/<fingerprint>},
     * the key read from {@code key_file} (owner-only permissions required), and its fingerprint
     * checked against the profile's {@code fingerprint}.
     */
    public static SigningKey apiKey(OciProfile profile) {
        requireNonNull(profile, "profile is null");
        profile.requireFor(OciAuthType.API_KEY);
        RSAPrivateCrtKey key = readKeyFile(profile.keyFile(), profile.passPhrase(), where(profile));
        String actual = PemPrivateKeys.fingerprint(key);
        String expected = profile.fingerprint().strip().toLowerCase(Locale.ROOT);
        if (!actual.equals(expected)) {
            throw new KeyFileException(where(profile) + ": the key in " + profile.keyFile() + " has fingerprint "
                    + actual + ", but the profile's fingerprint is " + profile.fingerprint()
                    + "; key_file and fingerprint belong to different keys (the console lists each uploaded key's"
                    + " fingerprint under the user's API keys)");
        }
        return new SigningKey(profile.tenancy() + "/" + profile.user() + "/" + actual, key);
    }

    /**
     * Reads an RSA private key from {@code keyFile}, refusing a file that its group or other users
     * can access (with the {@code chmod 600} hint).
     *
     * @param where the context for messages, such as {@code OCI profile [DEFAULT]}
     */
    public static RSAPrivateCrtKey readKeyFile(Path keyFile, Secret passPhrase, String where) {
        requireNonNull(keyFile, "keyFile is null");
        requireNonNull(where, "where is null");
        if (!Files.isRegularFile(keyFile)) {
            throw new KeyFileException(where + ": the key_file " + keyFile + " does not exist or is not a regular file");
        }
        try {
            PathPolicy.requireOwnerOnly(keyFile);
        } catch (PathPolicyException e) {
            throw new KeyFileException(where + ": " + e.getMessage());
        }
        String pem;
        try {
            if (Files.size(keyFile) > MAX_KEY_FILE_BYTES) {
                throw new KeyFileException(where + ": the key_file " + keyFile + " is larger than 64 KiB; it is not a"
                        + " PEM private key");
            }
            pem = Files.readString(keyFile.toRealPath(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new KeyFileException(where + ": the key_file " + keyFile + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        return PemPrivateKeys.read(pem, passPhrase, where + ": the key_file " + keyFile);
    }

    static String where(OciProfile profile) {
        return "OCI config file " + profile.file() + ", profile [" + profile.name() + "]";
    }
}
