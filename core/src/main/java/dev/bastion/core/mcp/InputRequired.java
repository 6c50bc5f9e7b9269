package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Unwinds a stateless (2026-07-28) request whose handler asked the client something it has not
 * answered yet, asked with a capability the client did not declare, or came with a
 * {@code requestState} that is refused (changed, expired, another caller's or request's). The engine turns it into an
 * {@code input_required} result (or a {@code -32021} error); nothing else should catch it, which is
 * why it is an {@link Error}: tools and stages that catch {@link Exception} let it pass. It carries
 * no stack trace.
 */
public final class InputRequired extends Error {
    private static final long serialVersionUID = 1L;

    /** The unanswered questions, by key: {@code {method, params}} each. */
    private final transient ObjectNode questions;
    /** The capability the client lacks, or {@code null}. */
    private final String missingCapability;
    /** Why the request's state was refused, or {@code null}. */
    private final String stateRefusal;

    private InputRequired(ObjectNode questions, String missingCapability, String stateRefusal) {
        super(stateRefusal != null ? "requestState refused: " + stateRefusal
                : missingCapability == null ? "input required" : "missing client capability " + missingCapability,
                null, false, false);
        this.questions = questions;
        this.missingCapability = missingCapability;
        this.stateRefusal = stateRefusal;
    }

    static InputRequired stateRefused(String why) {
        return new InputRequired(null, null, why);
    }

    /** Why the request's state was refused, or {@code null} (for the audit record). */
    public String stateRefusal() {
        return stateRefusal;
    }

    static InputRequired questions(ObjectNode questions) {
        return new InputRequired(questions, null, null);
    }

    static InputRequired missingCapability(String capability) {
        return new InputRequired(null, capability, null);
    }

    ObjectNode questions() {
        return questions;
    }

    /** The capability the client lacks, or {@code null} when it is asked questions. */
    public String missingCapability() {
        return missingCapability;
    }
}
