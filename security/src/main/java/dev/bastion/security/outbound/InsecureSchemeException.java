package dev.bastion.security.outbound;

import java.io.IOException;

/**
 * A request to a backend was refused before any connection because it was not HTTPS. Plain
 * {@code http://} is allowed only to loopback hosts, and only when the backend's
 * {@link BackendSpec#allowInsecureLoopback()} is set (sandboxes and tests).
 */
public final class InsecureSchemeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String host;

    InsecureSchemeException(String host, boolean loopback) {
        super(message(host, loopback));
        this.host = host;
    }

    /** The host the refused request was addressed to. */
    public String host() {
        return host;
    }

    private static String message(String host, boolean loopback) {
        String message = "Refusing plain http to " + host + ": backends are reached over HTTPS only";
        if (loopback) {
            return message + " (plain http to a loopback address is allowed only for sandboxes and tests that"
                    + " enable allowInsecureLoopback)";
        }
        return message;
    }
}
