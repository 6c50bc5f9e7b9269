package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One profile of an OCI config file, resolved the way the SDKs resolve it: its own values first,
 * then those of {@code [DEFAULT]}, except {@code security_token_file}, which counts only in the
 * profile's own section (an inherited one would silently switch the principal, oracle/mcp#366).
 *
 * @param file the config file it was read from, for messages
 * @param name the profile name
 * @param tenancy the tenancy OCID, or {@code null}
 * @param user the user OCID, or {@code null} (session profiles have none, oracle/mcp#400)
 * @param fingerprint the API key's fingerprint, or {@code null}
 * @param keyFile the private key file, {@code ~} expanded, or {@code null}
 * @param region the region, or {@code null}
 * @param passPhrase the key's pass phrase, or {@code null}
 * @param securityTokenFile the session token file of the profile's own section, or {@code null}
 */
public record OciProfile(
        Path file,
        String name,
        String tenancy,
        String user,
        String fingerprint,
        Path keyFile,
        String region,
        Secret passPhrase,
        Path securityTokenFile) {

    public OciProfile {
        requireNonNull(file, "file is null");
        requireNonNull(name, "name is null");
    }

    /**
     * Refuses the profile when a key that {@code authType} needs is missing; the message names the
     * profile, the file and every missing key.
     */
    public OciProfile requireFor(OciAuthType authType) {
        requireNonNull(authType, "authType is null");
        List<String> missing = new ArrayList<>();
        switch (authType) {
            case API_KEY -> {
                addIfMissing(missing, "tenancy", tenancy);
                addIfMissing(missing, "user", user);
                addIfMissing(missing, "fingerprint", fingerprint);
                addIfMissing(missing, "key_file", keyFile);
            }
            case SECURITY_TOKEN -> {
                addIfMissing(missing, "security_token_file", securityTokenFile);
                addIfMissing(missing, "key_file", keyFile);
            }
            default -> throw new IllegalArgumentException("no profile keys are defined for " + authType);
        }
        if (!missing.isEmpty()) {
            throw new ProviderConfigException("OCI config file " + file + ", profile [" + name + "]: "
                    + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " required for auth_type "
                    + authType.configName()
                    + (authType == OciAuthType.SECURITY_TOKEN && securityTokenFile == null
                            ? " (a security_token_file in [DEFAULT] is not inherited; put it in [" + name + "])" : ""));
        }
        return this;
    }

    private static void addIfMissing(List<String> missing, String key, Object value) {
        if (value == null) {
            missing.add(key);
        }
    }

    @Override
    public String toString() {
        return "OciProfile[" + name + " in " + file + ", region " + region + "]";
    }
}
