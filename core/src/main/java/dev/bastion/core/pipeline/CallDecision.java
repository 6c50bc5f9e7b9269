package dev.bastion.core.pipeline;

/**
 * What the pipeline decided about one call, shared by every stage of that call so the audit
 * record can say why a call was denied. Written by the stage that denies, read by audit.
 */
public final class CallDecision {

    private volatile String decision = "allowed";
    private volatile String reason = "";

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
}
