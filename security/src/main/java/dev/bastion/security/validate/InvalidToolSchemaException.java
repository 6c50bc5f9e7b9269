package dev.bastion.security.validate;

/**
 * A tool's input or output schema cannot be compiled: it is not valid JSON Schema, or it refers
 * to a schema outside itself. The message names the tool and the problem and is safe to show.
 */
public final class InvalidToolSchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidToolSchemaException(String message) {
        super(message);
    }
}
