package dev.bastion.provider.dynatrace.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.provider.dynatrace.platform.sandbox.DynatracePlatformSandbox;
import dev.bastion.testkit.ProviderHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code environment: ALL} runs on the three sandbox environments at once: the sandbox holds each
 * environment call until three are in flight (a call left alone is refused after 10 s), so a
 * sequential fan-out could not succeed.
 */
class PlatformFanOutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void allEnvironmentsAreAskedConcurrently() {
        try (DynatracePlatformSandbox sandbox = DynatracePlatformSandbox.start(new DynatracePlatformSandbox.Options(
                42L, Clock.systemUTC(), Duration.ZERO, 3));
             ProviderHarness harness = ProviderHarness.startAll(new DynatracePlatformProviderFactory(),
                     sandbox.instances(), Map.of())) {
            JsonNode result = harness.call("dynatrace_platform_get_environment_info",
                    JSON.createObjectNode().put("environment", "ALL"));

            assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
            for (String id : sandbox.environmentIds()) {
                assertThat(result.toString()).contains(id);
            }
        }
    }
}
