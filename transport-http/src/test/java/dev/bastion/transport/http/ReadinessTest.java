package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.tool.CallContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void runsEveryCheckOnceWithinTheCacheWindowAndReportsOnlyOkOrFailing() {
        AtomicInteger calls = new AtomicInteger();
        try (Readiness readiness = new Readiness(Map.of(
                "good/default", call -> {
                    calls.incrementAndGet();
                    return HealthStatus.up("fine");
                },
                "bad/prod", call -> HealthStatus.down("https://10.0.0.7 answered 401 for token dt0c01.abc"),
                "broken/default", call -> {
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
    void aFailingOptionalComponentIsDegradedButReadyAndAFailingRequiredOneIsNotReady() {
        AtomicReference<HealthStatus> store = new AtomicReference<>(HealthStatus.up("reachable"));
        Map<String, java.util.function.Function<CallContext, HealthStatus>> providers = Map.of(
                "good/default", call -> HealthStatus.up("fine"));
        try (Readiness failOpen = new Readiness(providers, java.util.List.of(
                new Readiness.Component("rate_limit_store", store::get, false)), Duration.ZERO);
             Readiness failClosed = new Readiness(providers, java.util.List.of(
                     new Readiness.Component("rate_limit_store", store::get, true)), Duration.ZERO)) {
            assertThat(failOpen.evaluate().body().toString()).isEqualTo("{\"status\":\"ready\",\"providers\":"
                    + "{\"good/default\":\"ok\"},\"components\":{\"rate_limit_store\":\"ok\"}}");

            store.set(HealthStatus.down("unreachable at 10.0.0.9"));

            Readiness.Outcome degraded = failOpen.evaluate();
            assertThat(degraded.ready()).isTrue();
            assertThat(degraded.body().toString()).isEqualTo("{\"status\":\"ready\",\"providers\":"
                    + "{\"good/default\":\"ok\"},\"components\":{\"rate_limit_store\":\"degraded\"}}");
            Readiness.Outcome failing = failClosed.evaluate();
            assertThat(failing.ready()).isFalse();
            assertThat(failing.body().toString()).isEqualTo("{\"status\":\"not_ready\",\"providers\":"
                    + "{\"good/default\":\"ok\"},\"components\":{\"rate_limit_store\":\"failing\"}}");
        }
    }

    @Test
    void isReadyWhenEveryCheckPassesAndEvaluatesAgainAfterTheCacheWindow() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Readiness readiness = new Readiness(Map.of("good/default", call -> {
            calls.incrementAndGet();
            return HealthStatus.up("fine");
        }), Duration.ofMillis(1))) {
            assertThat(readiness.evaluate().ready()).isTrue();
            Thread.sleep(5);
            readiness.evaluate();
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void givesEachCheckTheReadinessDeadlineAndCancelsTheCallOfACheckThatOverrunsIt() throws Exception {
        AtomicReference<CallContext> seen = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        Instant before = Instant.now();
        try (Readiness readiness = new Readiness(Map.of("slow/default", call -> {
            seen.set(call);
            call.onCancel(cancelled::countDown);
            try {
                // A backend request sent as part of the call would be cancelled the same way.
                cancelled.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HealthStatus.up("too late");
        }), Duration.ofMinutes(1), Duration.ofMillis(300))) {
            Readiness.Outcome outcome = readiness.evaluate();

            assertThat(outcome.ready()).isFalse();
            assertThat(outcome.body().path("providers").path("slow/default").asText()).isEqualTo("failing");
            assertThat(cancelled.await(5, TimeUnit.SECONDS)).as("the overrun check's call was cancelled").isTrue();
            assertThat(seen.get().isCancelled()).isTrue();
            assertThat(seen.get().deadline()).isBetween(before.plusMillis(300), Instant.now().plusMillis(300));
        }
    }
}
