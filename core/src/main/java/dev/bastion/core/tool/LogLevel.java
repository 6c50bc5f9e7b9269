package dev.bastion.core.tool;

import java.util.Locale;
import java.util.Optional;

/** The RFC 5424 levels that MCP uses for {@code logging/setLevel} and {@code notifications/message}. */
public enum LogLevel {
    DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LogLevel> fromWire(String name) {
        for (LogLevel level : values()) {
            if (level.wireName().equals(name)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
