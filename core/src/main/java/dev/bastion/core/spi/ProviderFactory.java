package dev.bastion.core.spi;

import dev.bastion.core.sanitize.CredentialShape;
import java.util.List;
import java.util.Optional;

/**
 * The entry point of a provider, found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/dev.bastion.core.spi.ProviderFactory}.
 *
 * <p>A factory is pure: {@link #create} returns a ready provider for one configured instance, or
 * throws {@link ProviderConfigException} with a message for the operator. The server creates one
 * provider per configured alias and routes each tool call to the instance the caller named.
 */
public interface ProviderFactory {

    /** A stable id in {@code kebab-case}, such as {@code dynatrace-managed}; also the YAML key. */
    String id();

    /** Every tool name of this provider starts with this prefix, such as {@code dynatrace_managed_}. */
    default String toolPrefix() {
        return id().replace('-', '_') + "_";
    }

    /** The settings this provider reads. */
    ConfigSpec configSpec();

    /**
     * The name of the tool argument that selects an instance, such as {@code environment}. When
     * present, every tool of this provider takes it, as an enum of the configured aliases
     * defaulting to the first; tools whose descriptor says {@code fanOut} also accept {@code ALL}
     * and run once per instance, concurrently. When empty, the argument is added (as
     * {@code instance}) only if more than one instance is configured.
     */
    default Optional<String> instanceArgument() {
        return Optional.empty();
    }

    Provider create(ProviderConfig config, ProviderContext context);

    /**
     * The HTTP request header through which a caller may send its own backend credential for this
     * provider, per request (modelled on the official Dynatrace Managed server's
     * {@code X-Dynatrace-Tokens}). The HTTP transport passes the header's value to the tools of
     * this provider as {@link dev.bastion.core.tool.CallContext#callerCredential()}; it is never
     * logged. Empty (the default) when the provider only uses its configured credentials.
     */
    default Optional<String> callerCredentialHeader() {
        return Optional.empty();
    }

    /**
     * Instance configurations imported from a foreign format the provider's users already have
     * (the official Dynatrace server's {@code DT_ENVIRONMENT_CONFIGS}, say), as raw maps with an
     * {@code alias} entry, exactly like YAML {@code instances}. Used only when the YAML file
     * configures no instances for this provider. Secrets inside are masked and registered like any
     * other secret setting.
     *
     * @param environment the process environment
     */
    default java.util.List<java.util.Map<String, Object>> importInstances(java.util.Map<String, String> environment) {
        return java.util.List.of();
    }

    /**
     * The shapes of this backend's credentials (a vendor token prefix and how far such a token
     * reaches), so that the server's redactor hides them wherever they appear, configured or not.
     * Registered at startup for every discovered provider; declaring a shape another provider
     * declares too is harmless. Generic shapes (JWTs, {@code Bearer} and {@code Basic} headers,
     * PEM keys, URLs with user info, {@code password=} pairs) are the redactor's own.
     */
    default List<CredentialShape> credentialShapes() {
        return List.of();
    }

    /**
     * Starts this provider's backend simulator on loopback, when it has one. Used by the tests,
     * by {@code bastion serve --sandbox} and by anyone trying the provider without an account.
     */
    default Optional<Sandbox> startSandbox() {
        return Optional.empty();
    }
}
