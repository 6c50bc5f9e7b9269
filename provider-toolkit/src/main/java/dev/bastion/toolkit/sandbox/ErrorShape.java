package dev.bastion.toolkit.sandbox;

/**
 * How the simulated backend answers an error: its status, body and headers. The server uses it for
 * every error it produces itself (404, 405, 413, the held-request 503, a failed handler's 500) and
 * for every {@link SandboxError} a handler throws, so a client sees the backend's shape throughout.
 */
@FunctionalInterface
public interface ErrorShape {

    /** The response for {@code error}; its status should be {@link SandboxError#status()}. */
    SandboxResponse render(SandboxError error);
}
