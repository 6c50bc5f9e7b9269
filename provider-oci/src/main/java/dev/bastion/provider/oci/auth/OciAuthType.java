package dev.bastion.provider.oci.auth;

import dev.bastion.core.spi.ProviderConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an instance authenticates to OCI, the {@code auth_type} setting. */
public enum OciAuthType {
    API_KEY,
    SECURITY_TOKEN,
    INSTANCE_PRINCIPAL,
    /** {@code security_token} when the profile has its own {@code security_token_file}, else {@code api_key}. */
    AUTO;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the setting's value; the message lists the accepted values. */
    public static OciAuthType parse(String value) {
        for (OciAuthType type : values()) {
            if (type.configName().equals(value)) {
                return type;
            }
        }
        throw new ProviderConfigException("auth_type '" + value + "' is not one of "
                + Arrays.stream(values()).map(OciAuthType::configName).collect(Collectors.joining(", ")));
    }

    /**
     * The concrete type for {@code profile}. {@code auto} never probes the instance metadata
     * service: a machine that is not an OCI instance would wait for a timeout.
     */
    public OciAuthType resolve(OciProfile profile) {
        if (this != AUTO) {
            return this;
        }
        return profile.securityTokenFile() != null ? SECURITY_TOKEN : API_KEY;
    }
}
