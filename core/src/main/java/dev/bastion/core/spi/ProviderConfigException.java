package dev.bastion.core.spi;

/**
 * A provider's configuration cannot work. The message is shown to the operator as it is: it names
 * the setting and what is wrong, and never contains a secret value.
 */
public class ProviderConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProviderConfigException(String message) {
        super(message);
    }
}
