package dev.bastion.security.policy;

import dev.bastion.core.tool.ToolDescriptor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which tool calls need a human's approval through elicitation ({@code security.approval}). */
public enum ApprovalMode {
    /** Tools whose {@code destructiveHint} is set (the default). */
    DESTRUCTIVE,
    /** Every tool that is not read-only. */
    WRITES,
    /** No approval; the read-only gate and scopes still apply. */
    NONE;

    public boolean requiresApproval(ToolDescriptor tool) {
        return switch (this) {
            case DESTRUCTIVE -> !tool.readOnly() && tool.annotations().destructiveHint();
            case WRITES -> !tool.readOnly();
            case NONE -> false;
        };
    }

    /** The stricter of two modes: {@code writes} asks most, then {@code destructive}, then {@code none}. */
    public static ApprovalMode stricter(ApprovalMode a, ApprovalMode b) {
        return a.strictness() >= b.strictness() ? a : b;
    }

    private int strictness() {
        return switch (this) {
            case WRITES -> 2;
            case DESTRUCTIVE -> 1;
            case NONE -> 0;
        };
    }

    /** The configuration spelling: {@code destructive}, {@code writes} or {@code none}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ApprovalMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(mode -> mode.configName().equals(wanted)).findFirst();
    }

    static String choices() {
        return Arrays.stream(values()).map(ApprovalMode::configName).collect(Collectors.joining(", "));
    }
}
