package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.List;
import java.util.Optional;

/**
 * The policy of one provider instance: the keys {@code read_only} and {@code approval} that every
 * instance of every provider accepts in its configuration, beside {@code alias}. They are not
 * provider settings: the server's configuration loader reads them and removes them before it binds
 * the provider's own settings. A key that is set replaces the server's value
 * ({@code security.read_only}, {@code security.approval}) for the calls routed to that instance, in
 * either direction (stricter or looser); a key that is not set keeps the server's value.
 * {@link ToolPolicy} applies them.
 *
 * @param readOnly the instance's read-only mode, or empty for the server's
 * @param approval the instance's approval mode, or empty for the server's
 */
public record InstancePolicy(Optional<Boolean> readOnly, Optional<ApprovalMode> approval) {

    /** The instance key that overrides {@code security.read_only}. */
    public static final String READ_ONLY = "read_only";
    /** The instance key that overrides {@code security.approval}. */
    public static final String APPROVAL = "approval";
    /** Every key of an instance's policy, in the order the reference lists them. */
    public static final List<String> KEYS = List.of(READ_ONLY, APPROVAL);

    /** No override: the instance follows the server's policy. */
    public static final InstancePolicy INHERIT = new InstancePolicy(Optional.empty(), Optional.empty());

    private static final ConfigSpec SPEC = ConfigSpec.of(
            Setting.builder(READ_ONLY, SettingType.BOOLEAN)
                    .description("Overrides security.read_only for the calls to this instance: true refuses its "
                            + "write tools, false allows them; unset, the server's value applies.")
                    .build(),
            Setting.builder(APPROVAL, SettingType.STRING)
                    .description("Overrides security.approval for the calls to this instance: destructive, writes "
                            + "or none; unset, the server's value applies.")
                    .format((source, value) -> ApprovalMode.parse(value).isPresent()
                            ? Optional.empty()
                            : Optional.of(source + " must be one of " + ApprovalMode.choices()))
                    .build());

    public InstancePolicy {
        requireNonNull(readOnly, "readOnly is null");
        requireNonNull(approval, "approval is null");
    }

    /** Whether the instance sets at least one key. */
    public boolean overrides() {
        return readOnly.isPresent() || approval.isPresent();
    }

    /**
     * The keys as settings, for binding (YAML only: they have no environment variables and no
     * defaults) and for the configuration reference.
     */
    public static ConfigSpec spec() {
        return SPEC;
    }

    /** Whether a provider setting key collides with an instance key ({@code read_only}, {@code approval.x}). */
    public static boolean isReserved(String settingKey) {
        requireNonNull(settingKey, "settingKey is null");
        return KEYS.stream().anyMatch(key -> settingKey.equals(key) || settingKey.startsWith(key + "."));
    }

    /** Reads the keys from values bound with {@link #spec()}. */
    public static InstancePolicy from(ProviderConfig values) {
        requireNonNull(values, "values is null");
        Optional<ApprovalMode> approval = values.string(APPROVAL).map(text -> ApprovalMode.parse(text)
                .orElseThrow(() -> new ProviderConfigException(APPROVAL + " must be one of "
                        + ApprovalMode.choices() + ", not '" + text + "'")));
        return new InstancePolicy(values.bool(READ_ONLY), approval);
    }
}
