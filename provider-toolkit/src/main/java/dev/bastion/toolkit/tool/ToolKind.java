package dev.bastion.toolkit.tool;

import dev.bastion.core.tool.ToolAnnotations;

/**
 * What a tool does to its backend. Bastion's gates trust it (read-only mode hides every tool that is
 * not {@link #READ}; approval keys off {@link #DESTRUCTIVE}), so declare it truthfully: the contract
 * test checks that read tools send no writes.
 */
public enum ToolKind {
    /** Reads only; safe to call at any time. */
    READ,
    /** Changes backend state in a way that can be undone or is additive (a comment, an event). */
    WRITE,
    /** Changes backend state in a way that cannot be undone (closing a problem, pushing a device configuration). */
    DESTRUCTIVE;

    ToolAnnotations annotations(boolean idempotent, boolean openWorld, String title) {
        ToolAnnotations base = switch (this) {
            case READ -> ToolAnnotations.readOnly();
            case WRITE -> ToolAnnotations.write(false, idempotent);
            case DESTRUCTIVE -> ToolAnnotations.write(true, idempotent);
        };
        base = openWorld ? base : base.closedWorld();
        return title == null ? base : base.withTitle(title);
    }

    /** The tag the tool carries for include and exclude filters. */
    String tag() {
        return this == READ ? "read" : "write";
    }
}
