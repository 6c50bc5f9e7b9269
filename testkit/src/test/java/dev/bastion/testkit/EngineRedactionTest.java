package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.prompt.Prompt;
import dev.bastion.core.prompt.PromptDescriptor;
import dev.bastion.core.prompt.PromptMessage;
import dev.bastion.core.prompt.PromptResult;
import dev.bastion.core.resource.Resource;
import dev.bastion.core.resource.ResourceDescriptor;
import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ResourceContents;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.redact.SecretRedactor;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a tool or resource sends outside the tools/call result is redacted by the engine itself:
 * log and progress notifications, elicitation questions, resource contents and prompts.
 */
class EngineRedactionTest {

    private static final String SECRET = "s3cr3t-engine-5521";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final Redactor REDACTOR = new Redactor() {
        @Override
        public String redact(String text) {
            return text.replace(SECRET, "[REDACTED]");
        }

        @Override
        public void registerSecret(String value) {
        }
    };

    private static McpEngine engine() {
        return engine(McpEngineOptions.defaults("test"), REDACTOR);
    }

    private static McpEngine engine(McpEngineOptions options, Redactor redactor) {
        Tool chatty = new Tool() {
            @Override
            public ToolDescriptor descriptor() {
                return ToolDescriptor.builder("leak_chatty").description("Logs, reports progress and asks.")
                        .annotations(ToolAnnotations.readOnly()).build();
            }

            @Override
            public ToolResult call(ObjectNode arguments, CallContext context) throws Exception {
                context.log(LogLevel.INFO, "connecting with " + SECRET);
                context.progress().report(1, 2.0, "sent " + SECRET);
                context.client().elicit("Proceed with " + SECRET + "?", ToolDescriptor.noArguments());
                return ToolResult.text("done");
            }
        };
        Provider provider = new Provider() {
            @Override
            public List<Tool> tools() {
                return List.of(chatty);
            }

            @Override
            public List<Resource> resources() {
                return List.of(new Resource() {
                    @Override
                    public ResourceDescriptor descriptor() {
                        return new ResourceDescriptor("leak://config", "config", null, null, "text/plain");
                    }

                    @Override
                    public List<ResourceContents> read(CallContext context) {
                        return List.of(new ResourceContents.Text("leak://config", "text/plain", "token=" + SECRET));
                    }
                });
            }

            @Override
            public List<Prompt> prompts() {
                return List.of(new Prompt() {
                    @Override
                    public PromptDescriptor descriptor() {
                        return new PromptDescriptor("leak_prompt", null, "A prompt that quotes " + SECRET, List.of());
                    }

                    @Override
                    public PromptResult get(Map<String, String> arguments, CallContext context) {
                        return new PromptResult(null, List.of(PromptMessage.user(Content.text("use " + SECRET))));
                    }

                    @Override
                    public List<String> complete(String argument, String prefix, Map<String, String> context) {
                        return List.of("prod", "value-" + SECRET);
                    }
                });
            }

            @Override
            public HealthStatus health(CallContext call) {
                return HealthStatus.up("test");
            }
        };
        List<ProviderInstance> instances = List.of(new ProviderInstance("leak", "leak_", "default", Optional.empty(),
                provider));
        return new McpEngine(options, JsonMappers.create(), () -> instances,
                ToolCallChain.of(List.of()), ToolVisibility.ALL, (what, e) -> "failed", redactor);
    }

    @Test
    void notificationsQuestionsResourcesAndPromptsLeaveRedacted() {
        try (McpEngine engine = engine(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.onServerRequest(request -> F.objectNode().put("action", "decline"));
            ObjectNode capabilities = F.objectNode();
            capabilities.putObject("elicitation");
            client.initialize(capabilities);
            ObjectNode call = F.objectNode();
            call.put("name", "leak_chatty");
            call.putObject("_meta").put("progressToken", "p1");
            McpTestClient.result(client.request("tools/call", call));
            client.request("resources/read", (ObjectNode) F.objectNode().put("uri", "leak://config"));
            client.request("prompts/get", (ObjectNode) F.objectNode().put("name", "leak_prompt"));
            assertThat(client.notifications("notifications/message")).hasSize(1);
            assertThat(client.notifications("notifications/progress")).hasSize(1);
            assertThat(client.received().toString()).contains("[REDACTED]").doesNotContain(SECRET);
        }
    }

    @Test
    void errorDataLeavesRedactedLikeTheErrorMessage() {
        try (McpEngine engine = engine(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();

            JsonNode missing = client.request("resources/read", (ObjectNode) F.objectNode().put("uri",
                    "leak://" + SECRET));
            JsonNode unsubscribable = client.request("resources/subscribe", (ObjectNode) F.objectNode().put("uri",
                    "leak://" + SECRET));

            for (JsonNode response : List.of(missing, unsubscribable)) {
                assertThat(response.at("/error/code").asInt()).isEqualTo(-32002);
                assertThat(response.at("/error/data/uri").asText()).isEqualTo("leak://[REDACTED]");
                assertThat(response.at("/error/message").asText()).isEqualTo("Resource not found: leak://[REDACTED]");
            }
        }
    }

    @Test
    void completionValuesAndListDescriptorsLeaveRedacted() {
        try (McpEngine engine = engine(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            ObjectNode complete = F.objectNode();
            complete.putObject("ref").put("type", "ref/prompt").put("name", "leak_prompt");
            complete.putObject("argument").put("name", "x").put("value", "");

            JsonNode values = McpTestClient.result(client.request("completion/complete", complete));
            JsonNode prompts = McpTestClient.result(client.request("prompts/list", null));

            assertThat(values.at("/completion/values").toString()).isEqualTo("[\"prod\",\"value-[REDACTED]\"]");
            assertThat(prompts.at("/prompts/0/description").asText()).isEqualTo("A prompt that quotes [REDACTED]");
        }
    }

    @Test
    void serverInfoLeavesRedacted() {
        McpEngineOptions options = new McpEngineOptions("ops-" + SECRET, "1.0", null, 50, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 2, 8);
        try (McpEngine engine = engine(options, REDACTOR); McpTestClient client = McpTestClient.inProcess(engine)) {
            JsonNode initialized = client.initialize();

            assertThat(initialized.toString()).doesNotContain(SECRET);
            assertThat(client.received().toString()).contains("ops-[REDACTED]").doesNotContain(SECRET);
        }
    }

    @Test
    void correlationValuesTheClientChoseAreEchoedVerbatim() {
        try (McpEngine engine = engine(); McpTestClient client = McpTestClient.inProcess(engine)) {
            client.onServerRequest(request -> F.objectNode().put("action", "decline"));
            ObjectNode capabilities = F.objectNode();
            capabilities.putObject("elicitation");
            client.initialize(capabilities);

            JsonNode answer = client.sendRawAndAwaitResponse("{\"jsonrpc\":\"2.0\",\"id\":\"id-" + SECRET + "\","
                    + "\"method\":\"tools/call\",\"params\":{\"name\":\"leak_chatty\",\"_meta\":"
                    + "{\"progressToken\":\"p-" + SECRET + "\"}}}");

            assertThat(answer.get("id").asText()).isEqualTo("id-" + SECRET);
            assertThat(client.notifications("notifications/progress")).singleElement().satisfies(progress -> {
                assertThat(progress.at("/params/progressToken").asText()).isEqualTo("p-" + SECRET);
                assertThat(progress.at("/params/message").asText()).isEqualTo("sent [REDACTED]");
            });
        }
    }

    @Test
    void unknownToolNamesLeaveRedactedInEveryCaseAndPartialForm() {
        String publicPart = "PLANTEDPUBLIC0000000001";
        String secretPart = "PLANTEDSECRET000000000000000000000000000000000000000000000000001";
        String token = "vnd1." + publicPart + "." + secretPart;
        SecretRedactor redactor = new SecretRedactor();
        redactor.registerShapes(List.of(new CredentialShape("vendor", "vnd", (text, start) ->
                text.length() >= start + token.length() && text.charAt(start + 4) == '.'
                        ? Optional.of(new CredentialShape.Match(start + token.length(), 5, List.of(
                                new CredentialShape.Part(token.length() - secretPart.length(), token.length()))))
                        : Optional.empty())));
        redactor.registerSecret(token);
        try (McpEngine engine = engine(McpEngineOptions.defaults("test"), redactor);
             McpTestClient client = McpTestClient.inProcess(engine)) {
            client.initialize();
            for (String form : List.of(token, token.toUpperCase(Locale.ROOT), token.toLowerCase(Locale.ROOT),
                    publicPart + "." + secretPart, secretPart, secretPart.toLowerCase(Locale.ROOT))) {
                JsonNode answer = client.request("tools/call", (ObjectNode) F.objectNode().put("name", form));

                assertThat(answer.at("/error/message").asText()).startsWith("Unknown tool: ");
                assertThat(answer.toString()).doesNotContain(secretPart).doesNotContainIgnoringCase(secretPart);
            }
        }
    }
}
