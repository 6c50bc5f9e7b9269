package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.Provider;
import java.util.Optional;

/**
 * One created provider instance, as the engine routes to it.
 *
 * @param providerId the factory's id
 * @param toolPrefix the prefix all its tool names must carry
 * @param alias the instance alias
 * @param instanceArgument the factory's instance argument name, if it declares one
 * @param provider the provider
 */
public record ProviderInstance(String providerId, String toolPrefix, String alias,
                               Optional<String> instanceArgument, Provider provider) {
    public ProviderInstance {
        requireNonNull(providerId, "providerId is null");
        requireNonNull(toolPrefix, "toolPrefix is null");
        requireNonNull(alias, "alias is null");
        requireNonNull(instanceArgument, "instanceArgument is null");
        requireNonNull(provider, "provider is null");
    }
}
