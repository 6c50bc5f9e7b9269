package dev.bastion.security.command;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.security.policy.Glob;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The allowlist of CLI commands sent to network devices (Itential's "run command" operations).
 * A command is compared after NFKC folding, lower-casing and collapsing whitespace, so case and
 * spacing tricks do not matter. It is refused when it contains a line break or a command separator
 * ({@code ;}, {@code |}, {@code &}), when it matches a deny pattern (configuration mode and other
 * state-changing commands), or when it matches no allow pattern.
 */
public final class DeviceCommandPolicy {

    /** Read-only show commands of the common network operating systems. */
    public static final List<String> DEFAULT_ALLOW = List.of("show *", "display *", "ping *", "traceroute *");

    /**
     * Configuration mode and state-changing commands, with their usual abbreviations: Cisco IOS/NX-OS
     * ({@code conf t}), Juniper ({@code edit}, {@code set}, {@code commit}), Huawei ({@code system-view});
     * and the configuration dumps ({@code show running-config}, {@code display current-configuration}),
     * which hold credentials.
     */
    public static final List<String> DEFAULT_DENY = List.of(
            "conf", "conf *", "config", "config *", "configure", "configure *", "edit", "edit *",
            "system-view", "system-view *", "sys", "sys *", "set *", "delete *", "commit*", "rollback*",
            "write*", "copy *", "erase *", "reload*", "request *", "clear *", "debug *", "undo *", "save*",
            "format *", "start shell*", "shell*", "bash*", "run *", "load *", "tclsh*",
            // Configuration dumps carry passwords, SNMP communities and keys.
            "show run*", "show start*", "show conf*", "show tech*", "display current*", "display saved*");

    private static final String SEPARATORS = ";|&`$><";

    private final List<Glob> allow;
    private final List<Glob> deny;

    /**
     * @param allow globs a command must match, case-insensitive
     * @param deny globs that refuse a command even when an allow pattern matches
     */
    public DeviceCommandPolicy(List<String> allow, List<String> deny) {
        this.allow = compile(requireNonNull(allow, "allow is null"), "device_commands.allow");
        this.deny = compile(requireNonNull(deny, "deny is null"), "device_commands.deny");
    }

    public static DeviceCommandPolicy defaults() {
        return new DeviceCommandPolicy(DEFAULT_ALLOW, DEFAULT_DENY);
    }

    /**
     * Checks a device command.
     *
     * @return the command, whitespace-normalised, as it should be sent to the device
     * @throws CommandPolicyException naming the rule the command breaks
     */
    public String check(String command) {
        if (command == null || command.isBlank()) {
            throw new CommandPolicyException("The device command is empty.");
        }
        String folded = Normalizer.normalize(command, Normalizer.Form.NFKC);
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                throw new CommandPolicyException("The device command contains a line break; send one command per call.");
            }
            if (Character.getType(c) == Character.CONTROL && c != '\t'
                    || Character.getType(c) == Character.FORMAT) {
                throw new CommandPolicyException("The device command contains a control character.");
            }
            if (SEPARATORS.indexOf(c) >= 0) {
                throw new CommandPolicyException("The device command contains '" + c + "'; command separators, pipes "
                        + "and redirections are not allowed. Send one plain command.");
            }
        }
        String normalized = folded.trim().replaceAll("\\s+", " ");
        String lower = normalized.toLowerCase(Locale.ROOT);
        for (Glob glob : deny) {
            if (glob.matches(lower)) {
                throw new CommandPolicyException("The device command '" + normalized + "' is refused by the deny pattern '"
                        + glob.source() + "' (security.device_commands.deny): configuration and state-changing "
                        + "commands are not allowed.");
            }
        }
        if (allow.stream().noneMatch(glob -> glob.matches(lower))) {
            throw new CommandPolicyException("The device command '" + normalized + "' matches no allowed pattern "
                    + allow.stream().map(Glob::source).toList() + " (security.device_commands.allow).");
        }
        return normalized;
    }

    private static List<Glob> compile(List<String> patterns, String key) {
        List<Glob> globs = new ArrayList<>();
        for (String pattern : patterns) {
            String normalized = Normalizer.normalize(pattern, Normalizer.Form.NFKC).trim().replaceAll("\\s+", " ");
            if (normalized.isEmpty()) {
                throw new ProviderConfigException("security." + key + " contains an empty pattern");
            }
            try {
                globs.add(Glob.compile(normalized.toLowerCase(Locale.ROOT), true));
            } catch (IllegalArgumentException e) {
                throw new ProviderConfigException("security." + key + ": " + e.getMessage());
            }
        }
        return List.copyOf(globs);
    }
}
