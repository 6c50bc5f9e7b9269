package dev.bastion.core.tool;

/**
 * A tool's own failure, thrown from anywhere inside a tool call: the engine turns its message into
 * the {@code isError} result the model reads, so no tool needs its own try/catch. The message must
 * say what went wrong and what to do; it passes the redactor on its way out like every result.
 * It carries no stack trace: it is an answer, not a bug.
 */
public class ToolFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToolFailure(String message) {
        super(message, null, false, false);
    }
}
