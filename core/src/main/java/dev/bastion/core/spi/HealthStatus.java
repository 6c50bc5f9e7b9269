package dev.bastion.core.spi;

import static java.util.Objects.requireNonNull;

/**
 * The result of a provider's health check. {@code detail} is shown to operators (the {@code check}
 * command, logs) and must carry no secret; readiness endpoints show only {@code healthy}.
 */
public record HealthStatus(boolean healthy, String detail) {
    public HealthStatus {
        requireNonNull(detail, "detail is null");
    }

    public static HealthStatus up(String detail) {
        return new HealthStatus(true, detail);
    }

    public static HealthStatus down(String detail) {
        return new HealthStatus(false, detail);
    }
}
