package dev.bastion.provider.dynatrace.managed;

/** An argument the schema let through but the tool cannot use; the message names the argument. */
final class InvalidArgumentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidArgumentException(String argument, String problem) {
        super("argument " + argument + " " + problem, null, false, false);
    }
}
