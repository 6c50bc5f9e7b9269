package dev.bastion.toolkit.tool;

import dev.bastion.core.tool.ToolFailure;

/**
 * An argument the schema let through but the tool cannot use; the message names the argument,
 * never repeats its value, and becomes the {@code isError} result.
 */
public final class InvalidArgument extends ToolFailure {
    private static final long serialVersionUID = 1L;

    private final String argument;

    public InvalidArgument(String argument, String problem) {
        super("Invalid argument " + argument + ": " + problem + ".");
        this.argument = argument;
    }

    /** The argument's name. */
    public String argument() {
        return argument;
    }
}
