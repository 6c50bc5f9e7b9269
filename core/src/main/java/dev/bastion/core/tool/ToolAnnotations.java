package dev.bastion.core.tool;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The MCP behaviour hints of a tool. Bastion trusts them for its own gates (read-only mode hides
 * every tool that is not {@code readOnlyHint}, approval keys off {@code destructiveHint}), so a
 * provider must declare them truthfully; the contract test checks read-only tools send no writes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolAnnotations(
        String title,
        boolean readOnlyHint,
        boolean destructiveHint,
        boolean idempotentHint,
        boolean openWorldHint) {

    /** A read-only tool that talks to an external backend. */
    public static ToolAnnotations readOnly() {
        return new ToolAnnotations(null, true, false, true, true);
    }

    /** A tool that changes backend state; {@code destructive} when the change cannot be undone. */
    public static ToolAnnotations write(boolean destructive, boolean idempotent) {
        return new ToolAnnotations(null, false, destructive, idempotent, true);
    }

    public ToolAnnotations withTitle(String newTitle) {
        return new ToolAnnotations(newTitle, readOnlyHint, destructiveHint, idempotentHint, openWorldHint);
    }

    public ToolAnnotations closedWorld() {
        return new ToolAnnotations(title, readOnlyHint, destructiveHint, idempotentHint, false);
    }
}
