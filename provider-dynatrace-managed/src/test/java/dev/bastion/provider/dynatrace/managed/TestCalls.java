package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.CallContext;
import dev.bastion.testkit.TestCallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Helpers shared by the tests: configs, a call context, calling a tool by name, fixtures. */
final class TestCalls {

    /** A token in the real format, planted to prove it never leaks. */
    static final String TOKEN = "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static final ObjectMapper JSON = new ObjectMapper();

    private TestCalls() {
    }

    static ProviderConfig config(String alias, URI url, String environmentId, String token, Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put(ManagedSettings.URL, url);
        values.put(ManagedSettings.ENVIRONMENT_ID, environmentId);
        values.put(ManagedSettings.API_TOKEN, Secret.of(token));
        values.put(ManagedSettings.ALLOW_INSECURE_LOOPBACK, true);
        values.putAll(extra);
        return new ProviderConfig(DynatraceManagedProviderFactory.ID, alias, values);
    }

    static Provider provider(ProviderConfig config, ProviderContext context) {
        return new DynatraceManagedProviderFactory().create(config, context);
    }

    static ToolResult call(Provider provider, String shortName, String argumentsJson) {
        Tool tool = provider.tools().stream()
                .filter(t -> t.descriptor().name().equals("dynatrace_managed_" + shortName))
                .findFirst().orElseThrow(() -> new AssertionError("no tool " + shortName));
        try {
            return tool.call((ObjectNode) JSON.readTree(argumentsJson), context());
        } catch (Exception e) {
            throw new AssertionError("tool threw instead of returning a result", e);
        }
    }

    /** Calls a tool and returns its structured content, for look-ups before the call under test. */
    static com.fasterxml.jackson.databind.JsonNode structured(Provider provider, String shortName,
                                                            com.fasterxml.jackson.databind.node.ObjectNode arguments) {
        return call(provider, shortName, arguments.toString()).structuredContent();
    }

    static String fixture(String name) {
        try (InputStream in = TestCalls.class.getResourceAsStream(
                "/dev/bastion/provider/dynatrace/managed/sandbox/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CallContext context() {
        return new TestCallContext(Duration.ofMinutes(1));
    }

    /** A context whose call was already cancelled: cancel hooks run at once, as the contract says. */
    static CallContext context(boolean cancelled) {
        TestCallContext context = new TestCallContext(Duration.ofMinutes(1));
        if (cancelled) {
            context.cancel("cancelled by the test");
        }
        return context;
    }
}
