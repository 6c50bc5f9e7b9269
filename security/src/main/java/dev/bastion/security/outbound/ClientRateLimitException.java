package dev.bastion.security.outbound;

import java.io.IOException;

/**
 * The client-side request rate limit of a backend ({@link BackendSpec#maxRequestsPerSecond()}) had
 * no free permit within the bounded wait, so the request was not sent.
 */
public final class ClientRateLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientRateLimitException(String backendName, double maxRequestsPerSecond) {
        super("Too many requests to " + backendName + ": the client-side limit of " + maxRequestsPerSecond
                + " requests per second is used up; try again shortly");
    }
}
