package dev.bastion.toolkit.sandbox;

import java.util.List;

/**
 * Something that records the requests it answered, credentials masked: every {@link SandboxServer},
 * and a provider's sandbox built on one, so a contract test can check what a tool really sent and
 * how the sandbox answered, without knowing the provider.
 */
public interface RequestLog {

    /** The logged requests, oldest first. */
    List<LoggedRequest> requests();
}
