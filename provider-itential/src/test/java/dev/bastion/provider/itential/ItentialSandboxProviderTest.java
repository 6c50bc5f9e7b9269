package dev.bastion.provider.itential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.itential.sandbox.ItentialSandbox;
import dev.bastion.security.command.DeviceCommandPolicy;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.testkit.MutableClock;
import dev.bastion.testkit.ProviderHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider against its sandbox: nothing lost in paging, the device-command allowlist proven by
 * the sandbox's own record of what the devices ran, one login for many concurrent callers, and the
 * JSON strings clients send for arrays.
 */
class ItentialSandboxProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final ItentialSandbox sandbox = ItentialSandbox.start(new ItentialSandbox.Options(42L, clock,
            Duration.ofHours(8)));
    private Provider provider;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        sandbox.close();
    }

    private Map<String, Object> instance(int index) {
        return new LinkedHashMap<>(sandbox.instances().get(index));
    }

    /** A provider on {@code raw}, with the test's clock (the login TTL is measured on it). */
    private Provider create(Map<String, Object> raw) {
        SecretRedactor redactor = new SecretRedactor();
        ServerProviderContext context = new ServerProviderContext(JSON, redactor, clock, "test", Map.of(
                OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of()),
                DeviceCommandPolicy.class, DeviceCommandPolicy.defaults()));
        provider = new ItentialProviderFactory().create(ProviderHarness.bind(new ItentialProviderFactory(), raw),
                context);
        return provider;
    }

    private static ToolResult call(Provider provider, String tool, String arguments) throws Exception {
        Tool found = provider.tools().stream().filter(t -> t.descriptor().name().equals("itential_" + tool))
                .findFirst().orElseThrow();
        return found.call((ObjectNode) JSON.readTree(arguments), BackgroundCall.within(Duration.ofSeconds(20)));
    }

    @Test
    void everyDeviceAndEveryJobIsListedWithBothKindsOfCredentials() throws Exception {
        for (int index = 0; index < 2; index++) {
            Provider platform = create(instance(index));

            ToolResult devices = call(platform, "list_devices", "{}");
            ToolResult jobs = call(platform, "list_jobs", "{}");

            assertThat(devices.isError()).as(devices.allText()).isFalse();
            assertThat(devices.structuredContent().path("count").asInt()).isEqualTo(250);
            assertThat(devices.structuredContent().has("truncated")).isFalse();
            assertThat(jobs.isError()).as(jobs.allText()).isFalse();
            assertThat(jobs.structuredContent().path("count").asInt()).isEqualTo(300);
            assertThat(jobs.structuredContent().path("total").asInt()).isEqualTo(300);
            assertThat(platform.health(BackgroundCall.within(Duration.ofSeconds(10))).detail())
                    .contains("logged in as");
            platform.close();
        }
    }

    /** 44 commands: what the allowlist lets through reaches the devices, nothing else does. */
    @Test
    void noRefusedCommandEverReachesADevice() throws Exception {
        Provider platform = create(instance(0));
        String device = sandbox.deviceNames().get(0);
        List<String> allowed = List.of("show version", "SHOW VERSION", "show   clock", "show ip interface brief",
                "show interfaces", "show inventory", "display version", "ping 10.0.0.1", "traceroute 10.0.0.1",
                "show chassis hardware");
        List<String> refused = List.of("configure terminal", "conf t", "config", "CONFIGURE terminal", "edit",
                "set system host-name x", "delete interfaces ge-0/0/0", "commit", "rollback 1", "write memory",
                "copy running-config startup-config", "erase startup-config", "reload", "request system reboot",
                "clear counters", "debug ip packet", "system-view", "show running-config", "show run",
                "show startup-config", "show configuration", "show tech-support", "display current-configuration",
                "show version; reload", "show version | include IOS", "show version && reload",
                "show version\nconfigure terminal", "show version\rreload", "show version\u2028reload",
                "show clock `reload`", "show $(reload)", "show version > flash:x", "ｃｏｎｆｉｇｕｒｅ terminal",
                "show\u200bversion; reload");
        assertThat(allowed.size() + refused.size()).isGreaterThanOrEqualTo(40);

        for (String command : refused) {
            ToolResult result = call(platform, "run_command", JSON.createObjectNode().put("command", command)
                    .set("devices", JSON.createArrayNode().add(device)).toString());
            assertThat(result.isError()).as(command).isTrue();
            assertThat(result.allText()).as(command).containsAnyOf("refused", "not allowed", "matches no allowed",
                    "line break", "control character");
        }
        assertThat(sandbox.commandsRun()).isEmpty();
        assertThat(sandbox.requests()).noneMatch(r -> r.rawPath().startsWith("/mop/RunCommand"));

        for (String command : allowed) {
            ToolResult result = call(platform, "run_command", JSON.createObjectNode().put("command", command)
                    .set("devices", JSON.createArrayNode().add(device)).toString());
            assertThat(result.isError()).as(command + ": " + result.allText()).isFalse();
        }
        assertThat(sandbox.commandsRun()).hasSize(allowed.size())
                .allSatisfy(run -> assertThat(run.device()).isEqualTo(device));
    }

    @Test
    void concurrentCallsAtTheLoginsExpiryLogInOnce() throws Exception {
        Map<String, Object> raw = instance(0);
        raw.put("ttl", "5m");
        raw.put("keep_alive", "0s");
        Provider platform = create(raw);
        assertThat(call(platform, "list_command_templates", "{}").isError()).isFalse();
        assertThat(sandbox.logins()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(6));
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ToolResult>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return call(platform, "list_command_templates", "{}");
            }));
        }
        go.countDown();
        for (Future<ToolResult> result : calls) {
            assertThat(result.get().isError()).isFalse();
        }
        pool.shutdown();

        assertThat(sandbox.logins()).isEqualTo(2);
    }

    @Test
    void aKeepaliveThatFindsTheSessionExpiredLogsInAgainOnce() throws Exception {
        try (ItentialSandbox shortLived = ItentialSandbox.start(new ItentialSandbox.Options(42L,
                java.time.Clock.systemUTC(), Duration.ofMillis(1500)))) {
            Map<String, Object> raw = new LinkedHashMap<>(shortLived.instances().get(0));
            raw.put("keep_alive", "1s");
            SecretRedactor redactor = new SecretRedactor();
            Provider platform = new ItentialProviderFactory().create(ProviderHarness.bind(new ItentialProviderFactory(),
                    raw), new ServerProviderContext(JSON, redactor, java.time.Clock.systemUTC(), "test", Map.of(
                    OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of()),
                    DeviceCommandPolicy.class, DeviceCommandPolicy.defaults())));
            try {
                assertThat(call(platform, "list_command_templates", "{}").isError()).isFalse();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (shortLived.logins() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(shortLived.logins()).isEqualTo(2);
                assertThat(shortLived.requests()).anyMatch(r -> r.rawPath().equals("/whoami") && r.status() == 401);
                assertThat(call(platform, "list_command_templates", "{}").isError()).isFalse();
            } finally {
                platform.close();
            }
        }
    }

    @Test
    void arraysAndObjectsSentAsJsonStringsWorkThroughThePipeline() {
        String device = sandbox.deviceNames().get(0);
        try (ProviderHarness harness = ProviderHarness.start(new ItentialProviderFactory(), instance(0),
                Map.of("read_only", false, "approval", "none"))) {
            ObjectNode arguments = JSON.createObjectNode().put("command", "show version")
                    .put("devices", "[\"" + device + "\"]");

            JsonNode result = harness.call("itential_run_command", arguments);

            assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
            assertThat(result.path("structuredContent").path("results").get(0).path("device").asText())
                    .isEqualTo(device);
        }
    }
}
