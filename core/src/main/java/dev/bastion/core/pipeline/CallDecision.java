package dev.bastion.core.pipeline;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.tool.ToolResult;
import java.util.OptionalLong;

/**
 * What the pipeline decided about one call, shared by every stage of that call so the audit
 * record can say why a call was denied and how large the result was. Written by the stage that
 * denies and by the stage that measures the result, read by audit.
 */
public final class CallDecision {

    private record Measurement(ToolResult result, long bytes) {
    }

    private volatile String decision = "allowed";
    private volatile String reason = "";
    private volatile Measurement measurement;

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
