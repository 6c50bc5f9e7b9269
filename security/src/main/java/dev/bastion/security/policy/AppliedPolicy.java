package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

/**
 * The read-only and approval modes that apply to one call, and whose they are: the server's
 * ({@code security.read_only}, {@code security.approval}), one instance's own
 * ({@link InstancePolicy}), or, for a fan-out to {@code ALL} instances, the strictest of them.
 * The gate decides with it and the audit record names it ({@link #describe()}).
 *
 * @param source {@code server}, {@code instance <alias>} or {@code ALL (strictest of <aliases>)}
 * @param readOnly whether write tools are refused
 * @param approval which calls need the user's approval
 */
public record AppliedPolicy(String source, boolean readOnly, ApprovalMode approval) {

    static final String SERVER = "server";

    public AppliedPolicy {
        requireNonNull(source, "source is null");
        requireNonNull(approval, "approval is null");
    }

    /** Whether the values are the server's own, not an instance's. */
    public boolean fromServer() {
        return SERVER.equals(source);
    }

    /** For the audit record, such as {@code instance prod: read_only=true, approval=destructive}. */
    public String describe() {
        return source + ": read_only=" + readOnly + ", approval=" + approval.configName();
    }
}
