package dev.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.command.CommandConfig;
import dev.bastion.security.limits.LimitsConfig;
import dev.bastion.security.path.PathConfig;
import dev.bastion.security.policy.PolicyConfig;
import dev.bastion.security.ratelimit.RateLimitConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings of the path, command, rate limit, limits and policy packages combine into one section. */
class SettingsOfPoliciesAndLimitsTest {

    @Test
    void combineIntoOneConfigSpecWithTheDocumentedKeys() {
        List<Setting> all = new ArrayList<>();
        all.addAll(PolicyConfig.settings());
        all.addAll(RateLimitConfig.settings());
        all.addAll(LimitsConfig.settings());
        all.addAll(PathConfig.settings());
        all.addAll(CommandConfig.settings());

        ConfigSpec spec = new ConfigSpec(all);

        assertThat(spec.settings()).extracting(Setting::key).containsExactly(
                "read_only", "approval", "tools.include", "tools.exclude", "tags.include", "tags.exclude",
                "rate_limit.enabled", "rate_limit.requests_per_minute", "rate_limit.burst_size", "rate_limit.per_tool",
                "rate_limit.max_clients", "rate_limit.store", "rate_limit.store_username", "rate_limit.store_password",
                "rate_limit.store_ca_file", "rate_limit.store_unavailable", "rate_limit.store_timeout",
                "rate_limit.store_key_prefix", "call_timeout", "max_concurrent_calls", "max_result_bytes",
                "paths.allowed_roots", "paths.max_length", "commands.allowed", "device_commands.allow",
                "device_commands.deny");
        assertThat(spec.setting("commands.allowed").orElseThrow().type()).isEqualTo(SettingType.JSON);
        assertThat(spec.setting("rate_limit.store_password").orElseThrow().secret()).isTrue();
        assertThat(spec.setting("call_timeout").orElseThrow().type()).isEqualTo(SettingType.DURATION);
        assertThat(spec.setting("read_only").orElseThrow().envNames()).containsExactly("BASTION_READ_ONLY");
        // The shared rate-limit store's password is the section's only secret.
        assertThat(spec.settings()).filteredOn(Setting::secret).extracting(Setting::key)
                .containsExactly("rate_limit.store_password");
        assertThat(spec.settings()).allMatch(s -> !s.description().isBlank());
    }
}
