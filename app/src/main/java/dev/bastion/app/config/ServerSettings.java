package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.Optional;

/**
 * The {@code server} section.
 *
 * @param name the server name announced to clients
 * @param pageSize the number of items per page of paginated MCP lists
 * @param maxLineBytes the largest JSON-RPC message accepted on stdio, in bytes
 */
public record ServerSettings(String name, int pageSize, int maxLineBytes) {

    public static final String SECTION_NAME = "server";

    public static final ConfigSpec SPEC = ConfigSpec.of(
            Setting.builder("name", SettingType.STRING)
                    .env("BASTION_SERVER_NAME")
                    .defaultValue("bastion")
                    .format(ServerSettings::checkName)
                    .description("The server name announced to MCP clients.")
                    .build(),
            Setting.builder("page_size", SettingType.INTEGER)
                    .env("BASTION_PAGE_SIZE")
                    .defaultValue("100")
                    .format(FormatCheck.range(1, 10_000))
                    .description("Items per page of paginated lists (tools, resources, prompts).")
                    .build(),
            Setting.builder("max_line_bytes", SettingType.INTEGER)
                    .env("BASTION_MAX_LINE_BYTES")
                    .defaultValue("4194304")
                    .format(FormatCheck.range(1024, 268_435_456))
                    .description("The largest JSON-RPC message accepted on stdio, in bytes.")
                    .build());

    public static final ConfigSection SECTION = new ConfigSection(SECTION_NAME, SPEC,
            (section, environment) -> from(section));

    public ServerSettings {
        requireNonNull(name, "name is null");
    }

    /** Reads the resolved {@code server} section. */
    public static ServerSettings from(ProviderConfig config) {
        return new ServerSettings(
                config.requireString("name"),
                config.integer("page_size").orElseThrow(),
                config.integer("max_line_bytes").orElseThrow());
    }

    private static Optional<String> checkName(String source, String value) {
        return value.isBlank() || value.length() > 128 || value.chars().anyMatch(Character::isISOControl)
                ? Optional.of(source + " must be a server name of 1 to 128 printable characters")
                : Optional.empty();
    }
}
