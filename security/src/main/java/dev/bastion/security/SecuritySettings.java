package dev.bastion.security;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.security.audit.AuditConfig;
import dev.bastion.security.command.CommandConfig;
import dev.bastion.security.limits.LimitsConfig;
import dev.bastion.security.path.PathConfig;
import dev.bastion.security.policy.PolicyConfig;
import dev.bastion.security.policy.RequestStateKey;
import dev.bastion.security.ratelimit.RateLimitConfig;
import dev.bastion.security.redact.RedactionConfig;
import dev.bastion.security.validate.StructuralLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code security} configuration section: every setting of every security control, in one
 * spec, and their typed values. Each control declares its own settings next to its code; this is
 * the one place that gathers them.
 */
public record SecuritySettings(
        PolicyConfig policy,
        RateLimitConfig rateLimit,
        LimitsConfig limits,
        StructuralLimits structuralLimits,
        RedactionConfig redaction,
        AuditConfig audit,
        PathConfig paths,
        CommandConfig commands) {

    public static final String SECTION_NAME = "security";

    public SecuritySettings {
        requireNonNull(policy, "policy is null");
        requireNonNull(rateLimit, "rateLimit is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(structuralLimits, "structuralLimits is null");
        requireNonNull(redaction, "redaction is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(paths, "paths is null");
        requireNonNull(commands, "commands is null");
    }

    public static ConfigSpec spec() {
        List<Setting> settings = new ArrayList<>();
        settings.addAll(PolicyConfig.settings());
        settings.addAll(RequestStateKey.settings());
        settings.addAll(RateLimitConfig.settings());
        settings.addAll(LimitsConfig.settings());
        settings.addAll(StructuralLimits.settings());
        settings.addAll(RedactionConfig.settings());
        settings.addAll(AuditConfig.settings());
        settings.addAll(PathConfig.settings());
        settings.addAll(CommandConfig.settings());
        return new ConfigSpec(settings);
    }

    public static SecuritySettings from(ProviderConfig section) {
        return new SecuritySettings(PolicyConfig.from(section), RateLimitConfig.from(section),
                LimitsConfig.from(section), StructuralLimits.from(section), RedactionConfig.from(section),
                AuditConfig.from(section), PathConfig.from(section), CommandConfig.from(section));
    }
}
