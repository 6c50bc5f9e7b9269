package dev.bastion.core.pipeline;

/**
 * The fixed order of the tools/call pipeline. This enum is the one place that order is defined:
 * {@link ToolCallChain} sorts interceptors by it. Each interceptor runs its "before" part in this
 * order and its "after" part in reverse, so the result passes output validation, redaction, then the
 * size limit, and audit sees the final outcome, denials included. Redaction comes before the cut:
 * a cut through the middle of a secret would leave a prefix the redactor no longer recognises.
 */
public enum Stage {
    /**
     * Records a call's arguments and result on its trace span, when the operator opted in:
     * outermost, so it records what the client got.
     */
    TELEMETRY,
    /** Counts calls by outcome and measures their latency: outside every deciding stage, so it sees every outcome. */
    METRICS,
    /**
     * Writes one audit record per call, denied ones included: outside every deciding stage, so it sees
     * every outcome.
     */
    AUDIT,
    /** Checks that the principal may see and call the tool (scopes, include/exclude filters). */
    AUTHORIZE,
    /** Per-client (and optionally per-tool) rate limits. */
    RATE_LIMIT,
    /** Caps concurrent calls per client. */
    CONCURRENCY,
    /** Structural limits and JSON Schema validation of the arguments. */
    VALIDATE_ARGUMENTS,
    /** Read-only mode and human approval through elicitation. */
    GATE,
    /** Cuts over-large results with an explicit marker (after redaction, so no cut can split a secret). */
    RESULT_SIZE,
    /** Redacts secrets from the result, before the size limit cuts it. */
    REDACT,
    /** Validates {@code structuredContent} against the tool's {@code outputSchema}. */
    VALIDATE_OUTPUT,
    /** Enforces the call deadline and cancels work that overruns it: innermost, around the tool itself. */
    DEADLINE
}
