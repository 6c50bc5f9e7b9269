package dev.bastion.security.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.mcp.InputRequired;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.audit.AuditRecord.Outcome;
import dev.bastion.security.limits.SerializedSize;
import dev.bastion.security.policy.ToolPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost step of the pipeline: times the rest of the chain and writes one audit record per
 * call, whatever happened inside (allowed, denied, failed, cancelled, timed out). Exceptions are
 * recorded and rethrown unchanged.
 */
public final class AuditInterceptor implements ToolCallInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);

    private final AuditLog log;
    private final Clock clock;
    private final ToolPolicy policy;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param policy the policy whose {@link ToolPolicy#applied(ToolCall) applied} part each record
     *     names (the gate decides with the same), or {@code null} to leave it out
     */
    public AuditInterceptor(AuditLog log, Clock clock, ToolPolicy policy) {
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.policy = policy;
    }

    public AuditInterceptor(AuditLog log, ToolPolicy policy) {
        this(log, Clock.systemUTC(), requireNonNull(policy, "policy is null"));
    }

    public AuditInterceptor(AuditLog log, Clock clock) {
        this(log, clock, null);
    }

    public AuditInterceptor(AuditLog log) {
        this(log, Clock.systemUTC(), null);
    }

    @Override
    public Stage stage() {
        return Stage.AUDIT;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        // One record per call: at its return, or when it is answered without its tool (abandoned).
        AtomicBoolean recorded = new AtomicBoolean();
        call.decision().onAbandoned(answer -> recordOnce(recorded, call, started, startNanos, answer, null));
        ToolResult result = null;
        Throwable failure = null;
        try {
            result = chain.proceed(call);
            return result;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            recordOnce(recorded, call, started, startNanos, result, failure);
        }
    }

    private void recordOnce(AtomicBoolean recorded, ToolCall call, Instant started, long startNanos,
                            ToolResult result, Throwable failure) {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
        try {
            log.write(record(call, started, durationMs, result, failure));
        } catch (RuntimeException e) {
            // The audit must never turn a call's own outcome into a different failure.
            LOG.error("Cannot build the audit record of a call to {}", call.tool().name(), e);
        }
    }

    private AuditRecord record(ToolCall call, Instant started, long durationMs, ToolResult result,
                               Throwable failure) {
        return new AuditRecord(
                started,
                call.context().principal().name(),
                call.clientName(),
                log.sessionFingerprint(call.sessionId()),
                call.tool().name(),
                call.providerId(),
                call.instance(),
                refusedState(failure) != null ? "request_state_refused" : call.decision().decision(),
                refusedState(failure) != null ? refusedState(failure) : call.decision().reason(),
                outcome(call, result, failure),
                durationMs,
                call.requestBytes(),
                bytesOut(call, result),
                log.argsSha256(call.arguments()),
                appliedPolicy(call));
    }

    /** Why the call's {@code requestState} (protocol 2026-07-28) was refused, or {@code null}. */
    private static String refusedState(Throwable failure) {
        return failure instanceof InputRequired refused ? refused.stateRefusal() : null;
    }

    /** The policy that applied; a failure to name it must not cost the call its record. */
    private String appliedPolicy(ToolCall call) {
        if (policy == null) {
            return null;
        }
        try {
            return policy.applied(call).describe();
        } catch (RuntimeException e) {
            LOG.warn("Cannot name the policy of a call to {}: {}", call.tool().name(), e.toString());
            return "unknown";
        }
    }

    private Outcome outcome(ToolCall call, ToolResult result, Throwable failure) {
        if (refusedState(failure) != null) {
            return Outcome.DENIED;
        }
        if (failure instanceof InputRequired) {
            return Outcome.INPUT_REQUIRED;
        }
        if (failure != null) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof TimeoutException) {
                    return Outcome.TIMEOUT;
                }
                if (cause instanceof CancellationException || cause instanceof InterruptedException) {
                    return deadlinePassed(call) ? Outcome.TIMEOUT : Outcome.CANCELLED;
                }
            }
            return Outcome.ERROR;
        }
        if (call.decision().denied()) {
            return Outcome.DENIED;
        }
        if (result == null || result.isError()) {
            if (call.context().isCancelled()) {
                return deadlinePassed(call) ? Outcome.TIMEOUT : Outcome.CANCELLED;
            }
            return Outcome.ERROR;
        }
        return Outcome.OK;
    }

    private boolean deadlinePassed(ToolCall call) {
        return !clock.instant().isBefore(call.context().deadline());
    }

    /** The result's serialized size: as the size limit measured it, or measured here. */
    private long bytesOut(ToolCall call, ToolResult result) {
        if (result == null) {
            return 0;
        }
        OptionalLong measured = call.decision().measuredBytes(result);
        if (measured.isPresent()) {
            return measured.getAsLong();
        }
        try {
            return SerializedSize.of(MAPPER, result);
        } catch (IOException e) {
            LOG.warn("Cannot measure the size of a tool result: {}", e instanceof JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage());
            return 0;
        }
    }
}
