package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.spi.HealthStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void runsEveryCheckOnceWithinTheCacheWindowAndReportsOnlyOkOrFailing() {
        AtomicInteger calls = new AtomicInteger();
        try (Readiness readiness = new Readiness(Map.of(
                "good/default", () -> {
                    calls.incrementAndGet();
                    return HealthStatus.up("fine");
                },
                "bad/prod", () -> HealthStatus.down("https://10.0.0.7 answered 401 for token dt0c01.abc"),
                "broken/default", () -> {
                    throw new IllegalStateException("boom at 10.0.0.8");
                }), Duration.ofMinutes(1))) {
            Readiness.Outcome first = readiness.evaluate();
            Readiness.Outcome second = readiness.evaluate();
            assertThat(calls).hasValue(1);
            assertThat(second).isSameAs(first);
            assertThat(first.ready()).isFalse();
            assertThat(first.body().toString()).isEqualTo("{\"status\":\"not_ready\",\"providers\":"
                    + "{\"bad/prod\":\"failing\",\"broken/default\":\"failing\",\"good/default\":\"ok\"}}");
        }
    }

    @Test
    void isReadyWhenEveryCheckPassesAndEvaluatesAgainAfterTheCacheWindow() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Readiness readiness = new Readiness(Map.of("good/default", () -> {
            calls.incrementAndGet();
            return HealthStatus.up("fine");
        }), Duration.ofMillis(1))) {
            assertThat(readiness.evaluate().ready()).isTrue();
            Thread.sleep(5);
            readiness.evaluate();
            assertThat(calls).hasValue(2);
        }
    }
}
