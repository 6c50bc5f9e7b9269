package dev.bastion.security.command;

/**
 * A command or argument was refused by the command allowlist. The message names the rule and is
 * safe to show to the client.
 */
public class CommandPolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandPolicyException(String message) {
        super(message);
    }
}
