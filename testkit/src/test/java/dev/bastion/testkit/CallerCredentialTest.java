package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.McpSession;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Per-caller backend credentials reach only the tools of the provider they were sent for. */
class CallerCredentialTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A provider whose only tool reports whether it received a caller credential. */
    private static ProviderFactory provider(String id) {
        return new ProviderFactory() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public ConfigSpec configSpec() {
                return ConfigSpec.of();
            }

            @Override
            public Optional<String> callerCredentialHeader() {
                return Optional.of("X-" + id + "-Token");
            }

            @Override
            public Provider create(ProviderConfig config, ProviderContext context) {
                Tool tool = new Tool() {
                    @Override
                    public ToolDescriptor descriptor() {
                        return ToolDescriptor.builder(id + "_probe").description("Reports the caller credential.")
                                .inputSchema(ToolDescriptor.noArguments()).annotations(ToolAnnotations.readOnly())
                                .build();
                    }

                    @Override
                    public ToolResult call(ObjectNode arguments, CallContext context) {
                        return ToolResult.text(context.callerCredential().map(secret -> "got " + secret.reveal())
                                .orElse("none"));
                    }
                };
                return new Provider() {
                    @Override
                    public List<Tool> tools() {
                        return List.of(tool);
                    }

                    @Override
                    public HealthStatus health(CallContext call) {
                        return HealthStatus.up("ok");
                    }
                };
            }
        };
    }

    private static String call(McpSession session, String tool, Map<String, Secret> credentials) throws Exception {
        List<JsonNode> out = new CopyOnWriteArrayList<>();
        session.handle(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":\"" + tool + "\",\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}"), out::add, 10, credentials)
                .get(10, TimeUnit.SECONDS);
        return out.get(0).path("result").path("content").get(0).path("text").asText();
    }

    @Test
    void aCredentialReachesOnlyTheToolsOfItsProvider() throws Exception {
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("t"), provider("alpha"),
                provider("beta"))) {
            McpSession session = engine.openSession("s", Principal.local(), message -> { });
            session.handle(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}}"), message -> { }, 10);
            Map<String, Secret> alphaOnly = Map.of("alpha", Secret.of("alpha-secret"));

            assertThat(call(session, "alpha_probe", alphaOnly)).isEqualTo("got alpha-secret");
            assertThat(call(session, "beta_probe", alphaOnly)).isEqualTo("none");
            assertThat(call(session, "alpha_probe", Map.of())).isEqualTo("none");
        }
    }
}
