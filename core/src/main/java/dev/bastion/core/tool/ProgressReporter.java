package dev.bastion.core.tool;

/**
 * Reports progress of a running call. When the client gave no {@code progressToken} the reporter
 * does nothing, so tools can report unconditionally. Values that do not increase are dropped, as
 * the protocol demands.
 */
public interface ProgressReporter {

    ProgressReporter NONE = (progress, total, message) -> { };

    /**
     * @param progress the progress so far; must increase from call to call
     * @param total the total when known, else {@code null}
     * @param message a short human-readable message, or {@code null}
     */
    void report(double progress, Double total, String message);
}
