package dev.bastion.core.spi;

import java.util.Objects;

/**
 * A secret configuration value. Its {@link #toString()} never shows the value, so a secret that
 * ends up in a log line, an exception message or a printed configuration stays hidden. Only the
 * code that must hand the value to a backend calls {@link #reveal()}.
 */
public final class Secret {
    public static final String MASK = "[REDACTED]";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value is null");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The plain value, for the one place that must send it to a backend. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                secret.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
