package dev.bastion.security.command;

/** An allowed command could not be started. The message is safe to show to the client. */
public class CommandRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandRunException(String message) {
        super(message);
    }
}
