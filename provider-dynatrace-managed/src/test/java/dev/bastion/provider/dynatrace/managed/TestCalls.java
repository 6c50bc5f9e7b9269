package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
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

    static Provider provider(ProviderConfig config, TestProviderContext context) {
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
        return context(false);
    }

    /** A context whose call was already cancelled: cancel hooks run at once, as the contract says. */
    static CallContext context(boolean cancelled) {
        return new CallContext() {
            private final Instant deadline = Instant.now().plus(Duration.ofMinutes(1));

            @Override
            public Principal principal() {
                return Principal.local();
            }

            @Override
            public Instant deadline() {
                return deadline;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }

            @Override
            public void cancel(String reason) {
            }

            @Override
            public void onCancel(Runnable action) {
                if (cancelled) {
                    action.run();
                }
            }

            @Override
            public ProgressReporter progress() {
                return ProgressReporter.NONE;
            }

            @Override
            public void log(LogLevel level, String message) {
            }

            @Override
            public ClientRequests client() {
                throw new UnsupportedOperationException("no client in tests");
            }
        };
    }
}
