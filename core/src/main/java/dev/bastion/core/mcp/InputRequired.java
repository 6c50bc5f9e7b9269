package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Unwinds a stateless (2026-07-28) request whose handler asked the client something it has not
 * answered yet, or asked with a capability the client did not declare. The engine turns it into an
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

    private InputRequired(ObjectNode questions, String missingCapability) {
        super(missingCapability == null ? "input required" : "missing client capability " + missingCapability,
                null, false, false);
        this.questions = questions;
        this.missingCapability = missingCapability;
    }

    static InputRequired questions(ObjectNode questions) {
        return new InputRequired(questions, null);
    }

    static InputRequired missingCapability(String capability) {
        return new InputRequired(null, capability);
    }

    ObjectNode questions() {
        return questions;
    }

    /** The capability the client lacks, or {@code null} when it is asked questions. */
    public String missingCapability() {
        return missingCapability;
    }
}
