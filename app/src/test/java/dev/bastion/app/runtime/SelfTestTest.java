package dev.bastion.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.security.outbound.OutboundHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code bastion check}: the provider's health check runs within the check's {@code --timeout}. */
class SelfTestTest {

    /** A health check that waits for its call to end, as one waiting on a silent backend would. */
    private static final class WaitingProvider implements Provider {
        final AtomicReference<Instant> deadline = new AtomicReference<>();

        @Override
        public List<Tool> tools() {
            return List.of();
        }

        @Override
        public HealthStatus health(CallContext call) {
            deadline.set(call.deadline());
            while (!call.isCancelled()) {
                Thread.onSpinWait();
            }
            return HealthStatus.down("the backend did not answer before the check's deadline");
        }
    }

    private static ProviderInstances.Entry entry(Provider provider) {
        ProviderFactory factory = new ProviderFactory() {
            @Override
            public String id() {
                return "waiting";
            }

            @Override
            public ConfigSpec configSpec() {
                return ConfigSpec.of();
            }

            @Override
            public Provider create(ProviderConfig config, ProviderContext context) {
                return provider;
            }
        };
        return new ProviderInstances.Entry(new DiscoveredProvider(factory, "test"),
                new ProviderConfig("waiting", "default", Map.of()),
                new ProviderInstance("waiting", "waiting_", "default", Optional.empty(), provider));
    }

    @Test
    void theHealthCheckGetsACallWithTheChecksTimeoutAsItsDeadline() {
        WaitingProvider provider = new WaitingProvider();
        Duration timeout = Duration.ofMillis(400);
        SelfTest test = new SelfTest(new OutboundHttp(Redactor.NONE, "test", Map.of()), Redactor.NONE, timeout);
        Instant before = Instant.now();

        SelfTest.Report report = test.run(entry(provider));

        Instant after = Instant.now();
        assertThat(provider.deadline.get()).isBetween(before.plus(timeout), after);
        assertThat(Duration.between(before, after)).isLessThan(Duration.ofSeconds(5));
        assertThat(report.ok()).isFalse();
        assertThat(report.steps()).anySatisfy(step -> {
            assertThat(step.name()).isEqualTo("auth and read");
            assertThat(step.status()).isEqualTo(SelfTest.Status.FAILED);
            assertThat(step.detail()).contains("deadline");
        });
    }
}
