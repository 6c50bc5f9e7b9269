package dev.bastion.security.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * What the audit log keeps of one tools/call. String fields are redacted when the record is
 * written; arguments are represented only by the SHA-256 of their redacted canonical form.
 *
 * @param timestamp when the call entered the pipeline
 * @param principal who called
 * @param client the client's self-reported name, or {@code null}
 * @param session the MCP session, or {@code null}
 * @param tool the tool name
 * @param provider the provider id
 * @param instance the provider instance
 * @param decision {@code allowed} or the code of the stage that denied the call
 * @param reason why the call was denied, empty when it was allowed
 * @param outcome how the call ended
 * @param durationMs the time spent in the pipeline
 * @param bytesIn the size of the request
 * @param bytesOut the size of the serialized result, {@code 0} when there was none
 * @param argsSha256 SHA-256 (hex) of the canonical JSON of the redacted arguments
 * @param policy the read-only and approval policy that applied to the call and whose it was
 *     ({@link dev.bastion.security.policy.AppliedPolicy#describe()}, such as
 *     {@code instance prod: read_only=true, approval=destructive}), or {@code null} when none was
 *     decided (a call refused before the pipeline)
 */
public record AuditRecord(
        Instant timestamp,
        String principal,
        String client,
        String session,
        String tool,
        String provider,
        String instance,
        String decision,
        String reason,
        Outcome outcome,
        long durationMs,
        long bytesIn,
        long bytesOut,
        String argsSha256,
        String policy) {

    public AuditRecord {
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(tool, "tool is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(instance, "instance is null");
        requireNonNull(decision, "decision is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(argsSha256, "argsSha256 is null");
    }

    /** A record without a policy, for a call refused before the pipeline decided one. */
    public AuditRecord(Instant timestamp, String principal, String client, String session, String tool,
                       String provider, String instance, String decision, String reason, Outcome outcome,
                       long durationMs, long bytesIn, long bytesOut, String argsSha256) {
        this(timestamp, principal, client, session, tool, provider, instance, decision, reason, outcome, durationMs,
                bytesIn, bytesOut, argsSha256, null);
    }

    /** How a call ended. */
    public enum Outcome {
        OK, ERROR, DENIED, CANCELLED, TIMEOUT,
        /** Protocol 2026-07-28: the call asked the client (an approval, say) and ends until it answers. */
        INPUT_REQUIRED;

        /** The value written to the record. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
