package dev.bastion.core.spi;

import dev.bastion.core.tool.ToolDescriptor;

/**
 * Which tools of a provider instance the server's policy lets run at all, whoever calls: the
 * include and exclude filters and read-only mode (the server's, or the instance's own). A provider
 * may use it to ask its backend only for what those tools need, such as the scopes of an OAuth
 * token. The server binds it as a service ({@code context.service(EnabledTools.class)}); without
 * one, every tool counts as enabled.
 */
@FunctionalInterface
public interface EnabledTools {

    /** Every tool enabled, as when no server policy is bound. */
    EnabledTools ALL = (providerId, instance, tool) -> true;

    /** Whether {@code tool} of provider {@code providerId}'s instance {@code instance} may run at all. */
    boolean enabled(String providerId, String instance, ToolDescriptor tool);
}
