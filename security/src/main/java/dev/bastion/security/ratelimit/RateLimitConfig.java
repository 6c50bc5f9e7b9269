package dev.bastion.security.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Rate limit settings of the {@code security} section ({@code rate_limit.*}), spelled as in
 * TelemetryFlow's SECURITY.md, whose environment variable names also work.
 *
 * @param enabled whether calls are rate-limited at all
 * @param requestsPerMinute the sustained rate per client
 * @param burstSize how many calls a client may make at once before the rate applies
 * @param perTool whether each (client, tool) pair has its own budget instead of one per client
 * @param maxClients the most limiters kept; the least recently used is dropped beyond it
 * @param sharedStore where replicas keep their limits together; empty: each process limits on its own
 */
public record RateLimitConfig(boolean enabled, int requestsPerMinute, int burstSize, boolean perTool, int maxClients,
                              Optional<SharedStoreConfig> sharedStore) {

    /** The value of {@code rate_limit.store} that keeps the limits in the process. */
    public static final String LOCAL_STORE = "local";

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
        requireNonNull(sharedStore, "sharedStore is null");
    }

    /** Limits kept in this process only. */
    public RateLimitConfig(boolean enabled, int requestsPerMinute, int burstSize, boolean perTool, int maxClients) {
        this(enabled, requestsPerMinute, burstSize, perTool, maxClients, Optional.empty());
    }

    /** The same limits kept in {@code store}. */
    public RateLimitConfig withSharedStore(SharedStoreConfig store) {
        return new RateLimitConfig(enabled, requestsPerMinute, burstSize, perTool, maxClients,
                Optional.of(requireNonNull(store, "store is null")));
    }

    /**
     * The GCRA emission interval: one permit comes back every {@code 60 s ÷ requests_per_minute}.
     * Both stores ({@link ClientRateLimits} and the Redis script) take it from here.
     */
    public long intervalNanos() {
        return Math.max(1, 60_000_000_000L / requestsPerMinute);
    }

    /** How far ahead of now the theoretical arrival time may be for a call to pass: {@code burst_size − 1} intervals. */
    public long toleranceNanos() {
        return (burstSize - 1) * intervalNanos();
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
                        .build(),
                Setting.builder("rate_limit.store", SettingType.STRING)
                        .env("BASTION_RATE_LIMIT_STORE")
                        .defaultValue(LOCAL_STORE)
                        .format(SharedStoreConfig::problem)
                        .description("Where the limits are kept: local (this process) or redis://host:port[/db],"
                                + " rediss:// for TLS, to share them across replicas.")
                        .build(),
                Setting.builder("rate_limit.store_username", SettingType.STRING)
                        .env("BASTION_RATE_LIMIT_STORE_USERNAME")
                        .description("The Redis ACL user of the shared store; empty: the default user.")
                        .build(),
                Setting.builder("rate_limit.store_password", SettingType.STRING)
                        .env("BASTION_RATE_LIMIT_STORE_PASSWORD")
                        .secret()
                        .description("The password of the shared rate-limit store (Redis AUTH).")
                        .build(),
                Setting.builder("rate_limit.store_ca_file", SettingType.PATH)
                        .env("BASTION_RATE_LIMIT_STORE_CA_FILE")
                        .description("PEM CA certificates trusted, besides the JDK's, for a rediss:// store.")
                        .build(),
                Setting.builder("rate_limit.store_unavailable", SettingType.STRING)
                        .env("BASTION_RATE_LIMIT_STORE_UNAVAILABLE")
                        .defaultValue(SharedStoreConfig.WhenUnavailable.FAIL_OPEN.configName())
                        .format((source, value) -> SharedStoreConfig.WhenUnavailable.parse(value).isPresent()
                                ? Optional.empty()
                                : Optional.of(source + " must be one of " + SharedStoreConfig.WhenUnavailable.choices()))
                        .description("While the shared store is unreachable: fail_open (each replica limits on its"
                                + " own) or fail_closed (rate-limited calls are refused).")
                        .build(),
                Setting.builder("rate_limit.store_timeout", SettingType.DURATION)
                        .env("BASTION_RATE_LIMIT_STORE_TIMEOUT")
                        .defaultValue("300ms")
                        .format(FormatCheck.positiveDuration())
                        .description("The connect and command timeout of the shared store, kept short so a dead"
                                + " store does not stall calls.")
                        .build(),
                Setting.builder("rate_limit.store_key_prefix", SettingType.STRING)
                        .env("BASTION_RATE_LIMIT_STORE_KEY_PREFIX")
                        .defaultValue(SharedStoreConfig.DEFAULT_KEY_PREFIX)
                        .description("The prefix of the shared store's keys; deployments sharing one Redis need"
                                + " different prefixes.")
                        .build());
    }

    /** Reads the typed values from the resolved {@code security} section. */
    public static RateLimitConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        RateLimitConfig local = new RateLimitConfig(
                section.bool("rate_limit.enabled").orElse(true),
                section.integer("rate_limit.requests_per_minute").orElse(DEFAULT_REQUESTS_PER_MINUTE),
                section.integer("rate_limit.burst_size").orElse(DEFAULT_BURST_SIZE),
                section.bool("rate_limit.per_tool").orElse(false),
                section.integer("rate_limit.max_clients").orElse(DEFAULT_MAX_CLIENTS));
        String store = section.string("rate_limit.store").map(String::strip).orElse(LOCAL_STORE);
        if (store.isEmpty() || store.equalsIgnoreCase(LOCAL_STORE)) {
            return local;
        }
        SharedStoreConfig.Location location = SharedStoreConfig.parse("security.rate_limit.store", store);
        String whenText = section.string("rate_limit.store_unavailable")
                .orElse(SharedStoreConfig.WhenUnavailable.FAIL_OPEN.configName());
        SharedStoreConfig.WhenUnavailable when = SharedStoreConfig.WhenUnavailable.parse(whenText)
                .orElseThrow(() -> new ProviderConfigException("security.rate_limit.store_unavailable must be one of "
                        + SharedStoreConfig.WhenUnavailable.choices()));
        Duration timeout = section.duration("rate_limit.store_timeout").orElse(SharedStoreConfig.DEFAULT_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new ProviderConfigException("security.rate_limit.store_timeout must be longer than zero");
        }
        String prefix = section.string("rate_limit.store_key_prefix").orElse(SharedStoreConfig.DEFAULT_KEY_PREFIX);
        return local.withSharedStore(new SharedStoreConfig(location.host(), location.port(), location.database(),
                location.tls(), section.string("rate_limit.store_username").filter(user -> !user.isBlank()),
                section.secret("rate_limit.store_password").filter(secret -> !secret.isEmpty()),
                section.path("rate_limit.store_ca_file"), when, timeout, prefix));
    }
}
