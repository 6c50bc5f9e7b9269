package dev.bastion.security.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.Secret;
import dev.bastion.security.credential.CallerCredentialCache.CallerCredentialException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallerCredentialCacheTest {

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private final MovableClock clock = new MovableClock();
    private final CallerCredentialCache<String> cache = new CallerCredentialCache<>(Duration.ofMinutes(5),
            Duration.ofSeconds(30), 3, clock);

    @Test
    void validatesACredentialOnceWithinItsTtlAndAgainAfterIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CallerCredentialCache.Validator<String> backend = credential -> "account-" + calls.incrementAndGet();
        Secret token = Secret.of("dt0c01.caller-token-one");

        assertThat(cache.resolve(token, backend)).isEqualTo("account-1");
        assertThat(cache.resolve(token, backend)).isEqualTo("account-1");
        clock.advance(Duration.ofMinutes(6));
        assertThat(cache.resolve(token, backend)).isEqualTo("account-2");
        assertThat(calls).hasValue(2);
    }

    @Test
    void remembersARefusalForItsShorterTtlWithoutAskingTheBackendAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CallerCredentialCache.Validator<String> backend = credential -> {
            calls.incrementAndGet();
            throw new CallerCredentialException("The Dynatrace token was refused (401).");
        };
        Secret token = Secret.of("dt0c01.bad-token");

        assertThatThrownBy(() -> cache.resolve(token, backend)).hasMessage("The Dynatrace token was refused (401).");
        assertThatThrownBy(() -> cache.resolve(token, backend)).hasMessage("The Dynatrace token was refused (401).");
        assertThat(calls).hasValue(1);
        clock.advance(Duration.ofSeconds(31));
        assertThatThrownBy(() -> cache.resolve(token, backend)).isInstanceOf(CallerCredentialException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void keysEntriesByHashAndBoundsTheirNumber() throws Exception {
        for (int i = 0; i < 10; i++) {
            cache.resolve(Secret.of("token-" + i), credential -> "ok");
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(CallerCredentialCache.fingerprint(Secret.of("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void doesNotCacheAnUnexpectedBackendFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Secret token = Secret.of("token-flaky");
        assertThatThrownBy(() -> cache.resolve(token, credential -> {
            calls.incrementAndGet();
            throw new IllegalStateException("connection reset");
        })).hasMessage("The credential could not be checked now; retry later.");
        assertThat(cache.resolve(token, credential -> "recovered")).isEqualTo("recovered");
    }
}
