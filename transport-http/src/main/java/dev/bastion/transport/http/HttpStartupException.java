package dev.bastion.transport.http;

/** The HTTP transport cannot start; the message tells the operator why and what to change. */
public final class HttpStartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HttpStartupException(String message) {
        super(message, null, false, false);
    }
}
