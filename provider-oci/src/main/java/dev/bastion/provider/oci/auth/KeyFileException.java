package dev.bastion.provider.oci.auth;

import dev.bastion.core.spi.ProviderConfigException;

/** A private key file that cannot be used; the message names the file and the fix, never key material. */
public final class KeyFileException extends ProviderConfigException {

    public KeyFileException(String message) {
        super(message);
    }
}
