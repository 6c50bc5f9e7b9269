package dev.bastion.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SharedStoreConfigTest {

    private static RateLimitConfig read(Map<String, Object> values) {
        return RateLimitConfig.from(new ProviderConfig("security", "default", values));
    }

    @Test
    void theStoreIsLocalByDefault() {
        assertThat(read(Map.of()).sharedStore()).isEmpty();
        assertThat(read(Map.of("rate_limit.store", "local")).sharedStore()).isEmpty();
    }

    @Test
    void readsARedisStoreWithDefaults() {
        SharedStoreConfig store = read(Map.of("rate_limit.store", "redis://redis.internal")).sharedStore().orElseThrow();

        assertThat(store).isEqualTo(new SharedStoreConfig("redis.internal", 6379, 0, false, Optional.empty(),
                Optional.empty(), Optional.empty(), SharedStoreConfig.WhenUnavailable.FAIL_OPEN, Duration.ofMillis(300),
                "bastion:rl:"));
        assertThat(store.location()).isEqualTo("redis://redis.internal:6379");
    }

    @Test
    void readsEverySettingOfATlsStore() {
        Map<String, Object> values = new HashMap<>();
        values.put("rate_limit.store", "rediss://redis.internal:6380/3");
        values.put("rate_limit.store_username", "bastion");
        values.put("rate_limit.store_password", Secret.of("s3cret-value"));
        values.put("rate_limit.store_ca_file", Path.of("/etc/bastion/redis-ca.pem"));
        values.put("rate_limit.store_unavailable", "fail_closed");
        values.put("rate_limit.store_timeout", Duration.ofMillis(500));
        values.put("rate_limit.store_key_prefix", "prod:rl:");

        SharedStoreConfig store = read(values).sharedStore().orElseThrow();

        assertThat(store).isEqualTo(new SharedStoreConfig("redis.internal", 6380, 3, true, Optional.of("bastion"),
                Optional.of(Secret.of("s3cret-value")), Optional.of(Path.of("/etc/bastion/redis-ca.pem")),
                SharedStoreConfig.WhenUnavailable.FAIL_CLOSED, Duration.ofMillis(500), "prod:rl:"));
        assertThat(store.location()).isEqualTo("rediss://redis.internal:6380/3");
        assertThat(store.toString()).doesNotContain("s3cret-value");
    }

    @Test
    void aBadStoreUrlSaysWhatIsWrongWithoutRepeatingIt() {
        String source = "security.rate_limit.store";
        assertThat(SharedStoreConfig.problem(source, "http://redis:6379")).contains(source
                + " must be local, redis://host:port[/db] or rediss://host:port[/db] (for TLS)");
        assertThat(SharedStoreConfig.problem(source, "redis://:hunter2hunter2@redis:6379")).hasValueSatisfying(
                message -> assertThat(message).contains("must not carry a user or password")
                        .contains("rate_limit.store_password").doesNotContain("hunter2"));
        assertThat(SharedStoreConfig.problem(source, "redis:///0")).contains(source
                + " names no host; expected redis://host:port[/db]");
        assertThat(SharedStoreConfig.problem(source, "redis://redis:6379/cache")).hasValueSatisfying(
                message -> assertThat(message).contains("not a database number"));
        assertThat(SharedStoreConfig.problem(source, "redis://redis:6379/0?x=1")).isPresent();
        assertThat(SharedStoreConfig.problem(source, "lcoal")).isPresent();
        assertThat(SharedStoreConfig.problem(source, "redis://[::1]:6379/2")).isEmpty();
        assertThatThrownBy(() -> read(Map.of("rate_limit.store", "redis://u:p@redis")))
                .isInstanceOf(ProviderConfigException.class).hasMessageNotContaining("u:p");
    }

    @Test
    void aCaFileNeedsATlsStoreAndTheOutageModeIsOneOfTwo() {
        assertThatThrownBy(() -> read(Map.of("rate_limit.store", "redis://redis", "rate_limit.store_ca_file",
                Path.of("/ca.pem")))).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("store_ca_file is set but security.rate_limit.store is not a rediss://");
        assertThatThrownBy(() -> read(Map.of("rate_limit.store", "redis://redis", "rate_limit.store_unavailable",
                "fail_shut"))).isInstanceOf(ProviderConfigException.class)
                .hasMessage("security.rate_limit.store_unavailable must be one of fail_open, fail_closed");
    }
}
