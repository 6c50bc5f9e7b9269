package dev.bastion.app.cli;

import dev.bastion.core.spi.SettingValues;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations on the command line the way configuration reads them ({@code 10s}, {@code 500ms}, {@code PT10S}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return SettingValues.parseDuration(value.strip());
        } catch (SettingValues.InvalidValueException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' " + e.getMessage());
        }
    }
}
