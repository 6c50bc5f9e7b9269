package dev.bastion.core.pipeline;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.tool.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline decided about one call, shared by every stage of that call so the audit
 * record can say why a call was denied and how large the result was. Written by the stage that
 * denies and by the stage that measures the result, read by audit.
 *
 * <p>It also carries the call's abandonment: a call whose tool ignores its deadline is answered
 * without waiting for the tool ({@link #abandon}), and the parties that would otherwise act when
 * the call returns (the engine that sends the response, the audit) register for that moment with
 * {@link #onAbandoned}.
 */
public final class CallDecision {

    private static final Logger LOG = LoggerFactory.getLogger(CallDecision.class);

    private record Measurement(ToolResult result, long bytes) {
    }

    private volatile String decision = "allowed";
    private volatile String reason = "";
    private volatile Measurement measurement;
    private List<Consumer<ToolResult>> abandonHooks;
    private ToolResult abandonedWith;

    /** Records a denial; the first one wins. */
    public synchronized void deny(String code, String why) {
        if ("allowed".equals(decision)) {
            this.decision = code;
            this.reason = why;
        }
    }

    public String decision() {
        return decision;
    }

    public String reason() {
        return reason;
    }

    public boolean denied() {
        return !"allowed".equals(decision);
    }

    /**
     * Runs {@code hook} with the answer if this call is abandoned; at once when it already was.
     * A hook must not block.
     */
    public void onAbandoned(Consumer<ToolResult> hook) {
        requireNonNull(hook, "hook is null");
        ToolResult answer;
        synchronized (this) {
            if (abandonedWith == null) {
                if (abandonHooks == null) {
                    abandonHooks = new ArrayList<>(2);
                }
                abandonHooks.add(hook);
                return;
            }
            answer = abandonedWith;
        }
        hook.accept(answer);
    }

    /**
     * Answers the call with {@code answer} although its tool is still running: every registered
     * hook runs once, the last registered first, as a returning call unwinds its stages (the
     * audit, registered inside the engine's call, records before the engine sends the answer).
     * Only the first call has an effect.
     *
     * @return whether this call abandoned the call
     */
    public boolean abandon(ToolResult answer) {
        requireNonNull(answer, "answer is null");
        List<Consumer<ToolResult>> hooks;
        synchronized (this) {
            if (abandonedWith != null) {
                return false;
            }
            abandonedWith = answer;
            hooks = abandonHooks == null ? List.of() : abandonHooks;
            abandonHooks = null;
        }
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).accept(answer);
            } catch (RuntimeException e) {
                LOG.error("a hook of an abandoned call failed", e);
            }
        }
        return true;
    }

    public synchronized boolean abandoned() {
        return abandonedWith != null;
    }

    /** Records the serialized size of {@code result}, so later stages need not serialize it again. */
    public void resultMeasured(ToolResult result, long bytes) {
        measurement = new Measurement(requireNonNull(result, "result is null"), bytes);
    }

    /** The recorded size of {@code result}: empty unless this very instance was measured. */
    public OptionalLong measuredBytes(ToolResult result) {
        Measurement last = measurement;
        return last != null && last.result() == result ? OptionalLong.of(last.bytes()) : OptionalLong.empty();
    }
}
