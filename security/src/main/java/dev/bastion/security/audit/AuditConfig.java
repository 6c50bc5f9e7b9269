package dev.bastion.security.audit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Audit settings of the {@code security} section.
 *
 * @param enabled whether one audit record is written per tools/call
 * @param file the audit file (appended to, created with mode 0600), or {@code null} for standard error
 */
public record AuditConfig(boolean enabled, Path file) {

    public static final String ENABLED = "audit.enabled";
    public static final String FILE = "audit.file";

    public static final AuditConfig DEFAULTS = new AuditConfig(true, null);

    public Optional<Path> fileSink() {
        return Optional.ofNullable(file);
    }

    /** The settings this record reads from the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(
                Setting.builder(ENABLED, SettingType.BOOLEAN)
                        .env("BASTION_AUDIT_ENABLED")
                        .defaultValue("true")
                        .description("Write one JSON audit record per tool call, denied calls included.")
                        .build(),
                Setting.builder(FILE, SettingType.PATH)
                        .env("BASTION_AUDIT_FILE")
                        .description("File the audit records are appended to (created with mode 0600); "
                                + "when unset they go to standard error.")
                        .build());
    }

    public static AuditConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        return new AuditConfig(section.bool(ENABLED).orElse(DEFAULTS.enabled()), section.path(FILE).orElse(null));
    }
}
