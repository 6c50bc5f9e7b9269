package dev.bastion.core.tool;

/**
 * A server-to-client request could not be made or was not answered: the client did not declare
 * the capability, timed out, or answered with an error. The message is safe to show to the client.
 */
public class ClientRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClientRequestException(String message) {
        super(message);
    }
}
