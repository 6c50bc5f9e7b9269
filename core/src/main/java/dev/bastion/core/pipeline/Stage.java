package dev.bastion.core.pipeline;

/**
 * The fixed order of the tools/call pipeline. This enum is the one place that order is defined:
 * {@link ToolCallChain} sorts interceptors by it. Each interceptor runs its "before" part in this
 * order and its "after" part in reverse, so the result passes output validation, the size limit,
 * then redaction, and audit sees the final outcome, denials included.
 */
public enum Stage {
    /** Counts calls by outcome and measures their latency: outermost, so it sees every outcome. */
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
    /** Redacts secrets from the result (after the size limit has cut it). */
    REDACT,
    /** Cuts over-large results with an explicit marker. */
    RESULT_SIZE,
    /** Validates {@code structuredContent} against the tool's {@code outputSchema}. */
    VALIDATE_OUTPUT,
    /** Enforces the call deadline and cancels work that overruns it: innermost, around the tool itself. */
    DEADLINE
}
