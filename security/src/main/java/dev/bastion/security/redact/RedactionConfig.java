package dev.bastion.security.redact;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.List;

/**
 * Redaction settings of the {@code security} section.
 *
 * @param redactToolOutput whether tool results are redacted before they reach the client
 */
public record RedactionConfig(boolean redactToolOutput) {

    public static final String REDACT_TOOL_OUTPUT = "redact_tool_output";

    public static final RedactionConfig DEFAULTS = new RedactionConfig(true);

    /** The settings this package reads from the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(Setting.builder(REDACT_TOOL_OUTPUT, SettingType.BOOLEAN)
                .env("BASTION_REDACT_TOOL_OUTPUT")
                .defaultValue("true")
                .description("Redact secrets (registered credentials, tokens, keys, passwords) from tool results "
                        + "before they reach the client.")
                .build());
    }

    public static RedactionConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        return new RedactionConfig(section.bool(REDACT_TOOL_OUTPUT).orElse(DEFAULTS.redactToolOutput()));
    }
}
