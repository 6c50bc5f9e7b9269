package dev.bastion.security.path;

/**
 * A path was refused by the {@link PathPolicy}. The message names the rule that refused it and is
 * safe to show to the client: it never contains a stack trace or where a symbolic link points.
 */
public class PathPolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PathPolicyException(String message) {
        super(message);
    }
}
