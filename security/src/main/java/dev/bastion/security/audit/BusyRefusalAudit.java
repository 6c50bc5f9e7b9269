package dev.bastion.security.audit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.mcp.BusyRefusal;
import dev.bastion.core.mcp.BusyRefusalListener;
import dev.bastion.security.audit.AuditRecord.Outcome;
import java.time.Clock;

/**
 * Writes an audit record for every tools/call refused as "Server busy". Those calls never enter the
 * pipeline, so without this the audit trail would hold no trace of them: a flood that keeps the
 * server busy would also keep the other callers' refusals out of the record.
 */
public final class BusyRefusalAudit implements BusyRefusalListener {

    /** The decision code, as the pipeline's stages name theirs. */
    public static final String DECISION = "server_busy";
    static final String REASON = "Server busy: too many requests in progress";

    private final AuditLog log;
    private final Clock clock;

    public BusyRefusalAudit(AuditLog log, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public BusyRefusalAudit(AuditLog log) {
        this(log, Clock.systemUTC());
    }

    @Override
    public void refused(BusyRefusal refusal) {
        requireNonNull(refusal, "refusal is null");
        if (!refusal.isToolCall()) {
            // The audit trail is one record per tools/call; other methods are counted, not audited.
            return;
        }
        log.write(new AuditRecord(clock.instant(), refusal.principal().name(), refusal.clientName(),
                log.sessionFingerprint(refusal.sessionId()), refusal.tool(), refusal.providerId(), refusal.instance(),
                DECISION, REASON, Outcome.DENIED, 0, refusal.requestBytes(), 0, log.argsSha256(refusal.arguments())));
    }
}
