package dev.bastion.security.outbound;

import java.io.IOException;

/**
 * A backend's response body is larger than {@link BackendSpec#maxResponseBytes()}. Thrown as soon
 * as a too large {@code Content-Length} arrives, or while reading a body of unknown length the
 * moment it passes the limit, so an oversized answer never fills memory.
 */
public final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    ResponseTooLargeException(String backendName, long limitBytes, long declaredBytes) {
        super(message(backendName, limitBytes, declaredBytes));
        this.limitBytes = limitBytes;
    }

    /** The limit that was exceeded, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }

    private static String message(String backendName, long limitBytes, long declaredBytes) {
        String size = declaredBytes >= 0 ? " (" + declaredBytes + " bytes announced)" : "";
        return "The response from " + backendName + " is larger than the limit of " + limitBytes + " bytes"
                + size + "; narrow the request (time range, filters, page size) or raise max_response_bytes";
    }
}
