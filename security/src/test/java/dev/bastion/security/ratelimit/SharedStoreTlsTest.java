package dev.bastion.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.security.testing.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://}: the server's certificate and host name are verified; {@code store_ca_file} adds a private CA. */
class SharedStoreTlsTest {

    @TempDir
    static Path temp;

    private static RedisServerProcess redis;
    private static Path caFile;

    @BeforeAll
    static void startRedisWithTls() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("bastion test CA").build();
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName("localhost")
                .commonName("localhost").build();
        caFile = Files.writeString(temp.resolve("ca.pem"), ca.certificatePem());
        Path certificate = Files.writeString(temp.resolve("server.pem"), server.certificatePem());
        Path key = Files.writeString(temp.resolve("server-key.pem"), server.privateKeyPkcs8Pem());
        redis = RedisServerProcess.startWithTls(certificate, key);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.stop();
        }
    }

    private static SharedRateLimits open(String host, Optional<Path> ca) {
        return SharedRateLimits.open(new RateLimitConfig(true, 60, 2, false, 100).withSharedStore(
                new SharedStoreConfig(host, redis.port(), 0, true, Optional.empty(), Optional.empty(), ca,
                        SharedStoreConfig.WhenUnavailable.FAIL_CLOSED, Duration.ofSeconds(2), "bastion:rl:")));
    }

    @Test
    void connectsWhenTheCaFileTrustsTheServersCertificate() {
        try (SharedRateLimits limits = open("localhost", Optional.of(caFile))) {
            assertThat(limits.health().healthy()).isTrue();
            assertThat(limits.tryAcquire("alice", "t").allowed()).isTrue();
            assertThat(limits.location()).isEqualTo("rediss://localhost:" + redis.port());
        }
    }

    @Test
    void refusesACertificateNoConfiguredCaSigned() {
        try (SharedRateLimits limits = open("localhost", Optional.empty())) {
            assertThat(limits.reachable()).isFalse();
            assertThat(limits.tryAcquire("alice", "t")).isEqualTo(RateLimitStore.Decision.STORE_UNREACHABLE);
        }
    }

    @Test
    void refusesACertificateForAnotherHostName() {
        try (SharedRateLimits limits = open("127.0.0.1", Optional.of(caFile))) {
            assertThat(limits.reachable()).isFalse();
            assertThat(limits.tryAcquire("alice", "t")).isEqualTo(RateLimitStore.Decision.STORE_UNREACHABLE);
        }
    }
}
