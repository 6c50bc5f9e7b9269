package dev.bastion.provider.dynatrace.managed.sandbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the timeframe formats of the Environment API: now, now-2h, epoch milliseconds, ISO-8601. */
final class SandboxTime {

    private static final Pattern RELATIVE = Pattern.compile("^now(?:([-+])([0-9]{1,6})([smhdwMy]))?(?:/[smhdwMy])?$");

    private SandboxTime() {
    }

    /** Epoch milliseconds; throws IllegalArgumentException for text the API would reject. */
    static long parse(String text, long now) {
        Matcher relative = RELATIVE.matcher(text);
        if (relative.matches()) {
            if (relative.group(1) == null) {
                return now;
            }
            long amount = Long.parseLong(relative.group(2)) * unitMillis(relative.group(3));
            return relative.group(1).equals("-") ? now - amount : now + amount;
        }
        if (text.matches("^[0-9]{10,13}$")) {
            return Long.parseLong(text);
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("'" + text + "' is not a valid timeframe");
                }
            }
        }
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "w" -> 7 * 86_400_000L;
            case "M" -> 30 * 86_400_000L;
            default -> 365 * 86_400_000L;
        };
    }
}
