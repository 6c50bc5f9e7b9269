package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code logging} section. Logs always go to standard error; standard output belongs to the
 * stdio transport.
 *
 * @param level the root log level
 * @param format plain text lines or JSON lines
 */
public record LoggingSettings(Level level, Format format) {

    public static final String SECTION_NAME = "logging";

    public enum Level {
        TRACE, DEBUG, INFO, WARN, ERROR
    }

    public enum Format {
        /** One human-readable line per event. */
        TEXT,
        /** One JSON object per line. */
        JSON
    }

    public static final ConfigSpec SPEC = ConfigSpec.of(
            Setting.builder("level", SettingType.STRING)
                    .env("BASTION_LOG_LEVEL")
                    .defaultValue("info")
                    .format(oneOf(Level.values()))
                    .description("The log level: trace, debug, info, warn or error.")
                    .build(),
            Setting.builder("format", SettingType.STRING)
                    .env("BASTION_LOG_FORMAT")
                    .defaultValue("text")
                    .format(oneOf(Format.values()))
                    .description("The log format on standard error: text or json (one JSON object per line).")
                    .build());

    public static final ConfigSection SECTION = new ConfigSection(SECTION_NAME, SPEC,
            (section, environment) -> from(section));

    /** The bootstrap default, used until the configuration is loaded. */
    public static final LoggingSettings DEFAULT = new LoggingSettings(Level.INFO, Format.TEXT);

    public LoggingSettings {
        requireNonNull(level, "level is null");
        requireNonNull(format, "format is null");
    }

    /** Reads the resolved {@code logging} section. */
    public static LoggingSettings from(ProviderConfig config) {
        return new LoggingSettings(
                Level.valueOf(config.requireString("level").strip().toUpperCase(Locale.ROOT)),
                Format.valueOf(config.requireString("format").strip().toUpperCase(Locale.ROOT)));
    }

    private static FormatCheck oneOf(Enum<?>[] values) {
        String allowed = Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        return (source, value) -> Arrays.stream(values).anyMatch(v -> v.name().equalsIgnoreCase(value.strip()))
                ? Optional.empty()
                : Optional.of(source + " must be one of " + allowed);
    }
}
