package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.List;

/**
 * Rate limit settings of the {@code security} section ({@code rate_limit.*}), spelled as in
 * TelemetryFlow's SECURITY.md, whose environment variable names also work.
 *
 * @param enabled whether calls are rate-limited at all
 * @param requestsPerMinute the sustained rate per client
 * @param burstSize how many calls a client may make at once before the rate applies
 * @param perTool whether each (client, tool) pair has its own budget instead of one per client
 * @param maxClients the most limiters kept; the least recently used is dropped beyond it
 */
public record RateLimitConfig(boolean enabled, int requestsPerMinute, int burstSize, boolean perTool, int maxClients) {

    /**
     * Chosen against an interactive agent's trace (20 parallel calls, then one a second): one permit
     * back every 0.5 s and room for 30 at once hold it with slack for retries and jitter, and still
     * stop a loop that calls as fast as it can after its first 30 calls.
     */
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 120;
    public static final int DEFAULT_BURST_SIZE = 30;
    public static final int DEFAULT_MAX_CLIENTS = 10_000;

    public RateLimitConfig {
        if (requestsPerMinute < 1) {
            throw new ProviderConfigException("security.rate_limit.requests_per_minute must be at least 1, not "
                    + requestsPerMinute);
        }
        if (burstSize < 1) {
            throw new ProviderConfigException("security.rate_limit.burst_size must be at least 1, not " + burstSize);
        }
        if (maxClients < 1) {
            throw new ProviderConfigException("security.rate_limit.max_clients must be at least 1, not " + maxClients);
        }
    }

    public static RateLimitConfig defaults() {
        return new RateLimitConfig(true, DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_BURST_SIZE, false, DEFAULT_MAX_CLIENTS);
    }

    /** The settings this package reads, keys relative to the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(
                Setting.builder("rate_limit.enabled", SettingType.BOOLEAN)
                        .env("BASTION_RATE_LIMIT_ENABLED", "TELEMETRYFLOW_MCP_RATE_LIMIT_ENABLED")
                        .defaultValue("true")
                        .description("Whether tool calls are rate-limited per client.")
                        .build(),
                Setting.builder("rate_limit.requests_per_minute", SettingType.INTEGER)
                        .env("BASTION_RATE_LIMIT_REQUESTS_PER_MINUTE", "TELEMETRYFLOW_MCP_RATE_LIMIT_REQUESTS_PER_MINUTE")
                        .defaultValue(String.valueOf(DEFAULT_REQUESTS_PER_MINUTE))
                        .format(FormatCheck.atLeast(1))
                        .description("The sustained number of tool calls a client may make per minute.")
                        .build(),
                Setting.builder("rate_limit.burst_size", SettingType.INTEGER)
                        .env("BASTION_RATE_LIMIT_BURST_SIZE", "TELEMETRYFLOW_MCP_RATE_LIMIT_BURST_SIZE")
                        .defaultValue(String.valueOf(DEFAULT_BURST_SIZE))
                        .format(FormatCheck.atLeast(1))
                        .description("How many calls a client may make at once before the per-minute rate applies.")
                        .build(),
                Setting.builder("rate_limit.per_tool", SettingType.BOOLEAN)
                        .env("BASTION_RATE_LIMIT_PER_TOOL")
                        .defaultValue("false")
                        .description("Give each client a separate budget per tool instead of one for all tools.")
                        .build(),
                Setting.builder("rate_limit.max_clients", SettingType.INTEGER)
                        .env("BASTION_RATE_LIMIT_MAX_CLIENTS")
                        .defaultValue(String.valueOf(DEFAULT_MAX_CLIENTS))
                        .format(FormatCheck.atLeast(1))
                        .description("The most clients tracked at once; the least recently seen is forgotten beyond it.")
                        .build());
    }

    /** Reads the typed values from the resolved {@code security} section. */
    public static RateLimitConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        return new RateLimitConfig(
                section.bool("rate_limit.enabled").orElse(true),
                section.integer("rate_limit.requests_per_minute").orElse(DEFAULT_REQUESTS_PER_MINUTE),
                section.integer("rate_limit.burst_size").orElse(DEFAULT_BURST_SIZE),
                section.bool("rate_limit.per_tool").orElse(false),
                section.integer("rate_limit.max_clients").orElse(DEFAULT_MAX_CLIENTS));
    }
}
