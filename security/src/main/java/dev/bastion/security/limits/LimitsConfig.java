package dev.bastion.security.limits;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.time.Duration;
import java.util.List;

/**
 * Per-call limits of the {@code security} section.
 *
 * @param callTimeout how long one tool call may run; the engine sets each call's deadline from it
 * @param maxConcurrentCalls how many calls one client may have running at once
 * @param maxResultBytes the largest serialized result sent to the client; larger ones are cut with a marker
 */
public record LimitsConfig(Duration callTimeout, int maxConcurrentCalls, int maxResultBytes) {

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 8;
    public static final int DEFAULT_MAX_RESULT_BYTES = 256 * 1024;
    /** Room for the truncation marker and the result's envelope. */
    public static final int MIN_RESULT_BYTES = 1024;

    public LimitsConfig {
        requireNonNull(callTimeout, "callTimeout is null");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new ProviderConfigException("security.call_timeout must be longer than zero");
        }
        if (maxConcurrentCalls < 1) {
            throw new ProviderConfigException("security.max_concurrent_calls must be at least 1, not " + maxConcurrentCalls);
        }
        if (maxResultBytes < MIN_RESULT_BYTES) {
            throw new ProviderConfigException("security.max_result_bytes must be at least " + MIN_RESULT_BYTES + ", not "
                    + maxResultBytes);
        }
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_CONCURRENT_CALLS, DEFAULT_MAX_RESULT_BYTES);
    }

    /** The settings this package reads, keys relative to the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(
                Setting.builder("call_timeout", SettingType.DURATION)
                        .env("BASTION_CALL_TIMEOUT")
                        .defaultValue("30s")
                        .format(FormatCheck.positiveDuration())
                        .description("How long one tool call may run before it is cancelled.")
                        .build(),
                Setting.builder("max_concurrent_calls", SettingType.INTEGER)
                        .env("BASTION_MAX_CONCURRENT_CALLS")
                        .defaultValue(String.valueOf(DEFAULT_MAX_CONCURRENT_CALLS))
                        .format(FormatCheck.atLeast(1))
                        .description("How many tool calls one client may have running at once.")
                        .build(),
                Setting.builder("max_result_bytes", SettingType.INTEGER)
                        .env("BASTION_MAX_RESULT_BYTES")
                        .defaultValue(String.valueOf(DEFAULT_MAX_RESULT_BYTES))
                        .format(FormatCheck.atLeast(MIN_RESULT_BYTES))
                        .description("The largest tool result sent to a client, in bytes of JSON; larger results are "
                                + "cut with an explicit marker.")
                        .build());
    }

    /** Reads the typed values from the resolved {@code security} section. */
    public static LimitsConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        return new LimitsConfig(
                section.duration("call_timeout").orElse(DEFAULT_CALL_TIMEOUT),
                section.integer("max_concurrent_calls").orElse(DEFAULT_MAX_CONCURRENT_CALLS),
                section.integer("max_result_bytes").orElse(DEFAULT_MAX_RESULT_BYTES));
    }
}
