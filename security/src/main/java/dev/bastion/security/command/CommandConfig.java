package dev.bastion.security.command;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.List;

/**
 * Host and device command settings of the {@code security} section.
 *
 * @param commands the host commands tools may run ({@code commands.allowed})
 * @param deviceCommands the CLI commands tools may send to network devices ({@code device_commands.*})
 */
public record CommandConfig(CommandPolicy commands, DeviceCommandPolicy deviceCommands) {

    public CommandConfig {
        requireNonNull(commands, "commands is null");
        requireNonNull(deviceCommands, "deviceCommands is null");
    }

    /** The settings this package reads, keys relative to the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(
                Setting.builder("commands.allowed", SettingType.JSON)
                        .description("Host commands tools may run: a list of {name, executable (absolute path), "
                                + "args (patterns), max_args, timeout, max_output_bytes, env}. Empty means none.")
                        .build(),
                Setting.builder("device_commands.allow", SettingType.LIST)
                        .env("BASTION_DEVICE_COMMANDS_ALLOW")
                        .defaultValue(String.join(",", DeviceCommandPolicy.DEFAULT_ALLOW))
                        .description("Patterns of CLI commands that may be sent to network devices, such as 'show *'.")
                        .build(),
                Setting.builder("device_commands.deny", SettingType.LIST)
                        .env("BASTION_DEVICE_COMMANDS_DENY")
                        .defaultValue(String.join(",", DeviceCommandPolicy.DEFAULT_DENY))
                        .description("Patterns of device commands that are always refused (configuration mode and "
                                + "state-changing commands).")
                        .build());
    }

    /**
     * Reads the typed values from the resolved {@code security} section. A device list that is
     * absent gets its default; an explicitly empty allow list allows no device command.
     */
    public static CommandConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        CommandPolicy commands = CommandPolicy.fromJson(section.json("commands.allowed").orElse(null));
        List<String> allow = section.values().containsKey("device_commands.allow")
                ? section.list("device_commands.allow") : DeviceCommandPolicy.DEFAULT_ALLOW;
        List<String> deny = section.values().containsKey("device_commands.deny")
                ? section.list("device_commands.deny") : DeviceCommandPolicy.DEFAULT_DENY;
        return new CommandConfig(commands, new DeviceCommandPolicy(allow, deny));
    }
}
