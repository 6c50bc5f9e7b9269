package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import java.security.interfaces.RSAPrivateKey;

/**
 * What a request is signed with: the {@code keyId} of the Authorization header and the RSA key.
 *
 * @param keyId {@code <tenancy>/<user>/<fingerprint>} for an API key, {@code ST$<token>} for a
 *     session or principal token (a secret then)
 * @param privateKey the private key
 */
public record SigningKey(String keyId, RSAPrivateKey privateKey) {

    public SigningKey {
        requireNonNull(keyId, "keyId is null");
        requireNonNull(privateKey, "privateKey is null");
    }

    @Override
    public String toString() {
        return "SigningKey[" + (keyId.startsWith("ST$") ? "ST$[REDACTED]" : keyId) + "]";
    }
}
