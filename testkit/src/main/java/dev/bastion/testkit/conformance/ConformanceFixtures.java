package dev.bastion.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.prompt.Prompt;
import dev.bastion.core.prompt.PromptArgument;
import dev.bastion.core.prompt.PromptDescriptor;
import dev.bastion.core.prompt.PromptMessage;
import dev.bastion.core.prompt.PromptResult;
import dev.bastion.core.resource.Resource;
import dev.bastion.core.resource.ResourceDescriptor;
import dev.bastion.core.resource.ResourceTemplate;
import dev.bastion.core.resource.ResourceTemplateDescriptor;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ListChange;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ElicitationResult;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ResourceContents;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The fixtures the official MCP conformance suite ({@code @modelcontextprotocol/conformance}
 * 0.1.16, server scenarios) expects: tools, resources, prompts and completions with the exact
 * names and contents its scenarios check. It is a test provider: it is registered for discovery
 * only in test resources, never in the bundled server.
 */
public final class ConformanceFixtures implements ProviderFactory {

    public static final String ID = "conformance";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** A real 1×1 PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    static final String WAV = Base64.getEncoder().encodeToString(silentWav());

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String toolPrefix() {
        return "test_";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        return new Provider() {
            @Override
            public List<Tool> tools() {
                return ConformanceFixtures.tools(context);
            }

            @Override
            public List<Resource> resources() {
                return List.of(
                        resource("test://static-text", "static-text", "text/plain", uri ->
                                new ResourceContents.Text(uri, "text/plain",
                                        "This is the content of the static text resource.")),
                        resource("test://static-binary", "static-binary", "image/png", uri ->
                                new ResourceContents.Blob(uri, "image/png", PNG)),
                        resource("test://watched-resource", "watched-resource", "text/plain", uri ->
                                new ResourceContents.Text(uri, "text/plain", "Watched resource content")));
            }

            @Override
            public List<ResourceTemplate> resourceTemplates() {
                return List.of(new ResourceTemplate() {
                    @Override
                    public ResourceTemplateDescriptor descriptor() {
                        return new ResourceTemplateDescriptor("test://template/{id}/data", "template-data", null,
                                "Data for the given id", "application/json");
                    }

                    @Override
                    public List<ResourceContents> read(String uri, Map<String, String> variables, CallContext ctx) {
                        ObjectNode data = F.objectNode();
                        data.put("id", variables.get("id"));
                        data.put("templateTest", true);
                        data.put("data", "Data for ID: " + variables.get("id"));
                        return List.of(new ResourceContents.Text(uri, "application/json", data.toString()));
                    }
                });
            }

            @Override
            public List<Prompt> prompts() {
                return ConformanceFixtures.prompts();
            }

            @Override
            public HealthStatus health(CallContext call) {
                return HealthStatus.up("the conformance fixtures need no backend");
            }
        };
    }

    private static Tool tool(String name, String description, ObjectNode schema, Tool.Body body) {
        ToolDescriptor descriptor = ToolDescriptor.builder(name).description(description).inputSchema(schema)
                .annotations(ToolAnnotations.readOnly().closedWorld()).build();
        return Tool.of(descriptor, body);
    }

    private static ObjectNode stringArgument(String name) {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        schema.putObject("properties").putObject(name).put("type", "string");
        schema.putArray("required").add(name);
        return schema;
    }

    /** @param context where the trigger tools announce list changes */
    static List<Tool> tools(ProviderContext context) {
        ObjectNode none = ToolDescriptor.noArguments();
        return List.of(
                tool("test_simple_text", "Returns a fixed text.", none,
                        (a, c) -> ToolResult.text("This is a simple text response for testing.")),
                tool("test_image_content", "Returns a PNG image.", none,
                        (a, c) -> ToolResult.of(new Content.Image(PNG, "image/png", null))),
                tool("test_audio_content", "Returns a WAV clip.", none,
                        (a, c) -> ToolResult.of(new Content.Audio(WAV, "audio/wav", null))),
                tool("test_embedded_resource", "Returns an embedded text resource.", none,
                        (a, c) -> ToolResult.of(new Content.EmbeddedResource(new ResourceContents.Text(
                                "test://embedded-resource", "text/plain", "This is an embedded resource content."),
                                null))),
                tool("test_multiple_content_types", "Returns text, an image and a resource.", none,
                        (a, c) -> ToolResult.of(Content.text("Multiple content types test:"),
                                new Content.Image(PNG, "image/png", null),
                                new Content.EmbeddedResource(new ResourceContents.Text("test://mixed-content-resource",
                                        "application/json", "{\"test\":\"data\",\"value\":123}"), null))),
                tool("test_tool_with_logging", "Sends three log notifications while it runs.", none, (a, c) -> {
                    c.log(LogLevel.INFO, "Tool execution started");
                    Thread.sleep(50);
                    c.log(LogLevel.INFO, "Tool processing data");
                    Thread.sleep(50);
                    c.log(LogLevel.INFO, "Tool execution completed");
                    return ToolResult.text("Tool with logging executed successfully");
                }),
                tool("test_error_handling", "Always fails, to test error results.", none,
                        (a, c) -> ToolResult.error("This tool intentionally returns an error for testing")),
                tool("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100.", none, (a, c) -> {
                    c.progress().report(0, 100.0, "started");
                    Thread.sleep(50);
                    c.progress().report(50, 100.0, "halfway");
                    Thread.sleep(50);
                    c.progress().report(100, 100.0, "done");
                    return ToolResult.text("Progress test completed");
                }),
                tool("test_sampling", "Asks the client's model to answer the prompt.", stringArgument("prompt"),
                        ConformanceFixtures::sample),
                tool("test_elicitation", "Asks the user for a username and email.", stringArgument("message"),
                        (a, c) -> elicit(c, a.path("message").asText(), userSchema())),
                tool("test_elicitation_sep1034_defaults", "Elicitation with default values.", none,
                        (a, c) -> elicit(c, "Please review and update the form fields with defaults", defaultsSchema())),
                tool("test_elicitation_sep1330_enums", "Elicitation with every enum variant.", none,
                        (a, c) -> elicit(c, "Please select options from the enum fields", enumsSchema())),
                // Protocol 2026-07-28 (stateless): diagnostics and input_required results.
                tool("test_missing_capability", "Asks the client's model a question, so it needs the sampling "
                        + "capability; returns Success once answered.", none, (a, c) -> {
                    c.client().createMessage("capability_probe", samplingRequest("Reply with OK.", 10));
                    return ToolResult.text("Success");
                }),
                tool("test_streaming_elicitation", "Streams progress and then its result; it never sends the client "
                        + "a request on the response stream.", none, (a, c) -> {
                    c.progress().report(0, 2.0, "started");
                    Thread.sleep(20);
                    c.progress().report(1, 2.0, "working");
                    Thread.sleep(20);
                    c.progress().report(2, 2.0, "done");
                    return ToolResult.text("Streaming completed without server-to-client requests");
                }),
                tool("test_logging_tool", "Logs two messages, which a client receives only when it asked for a log "
                        + "level.", none, (a, c) -> {
                    c.log(LogLevel.INFO, "logging tool started");
                    c.log(LogLevel.INFO, "logging tool finished");
                    return ToolResult.text("Logging tool executed");
                }),
                tool("test_input_required_result_elicitation", "Asks the user's name (input_required, key "
                        + "user_name) and greets them.", none, (a, c) -> {
                    ElicitationResult name = c.client().elicit("user_name", "What is your name?", nameSchema("name"));
                    return ToolResult.text("Hello, " + name.content().path("name").asText() + "!");
                }),
                tool("test_input_required_result_sampling", "Asks the client's model for the capital of France "
                        + "(input_required, key capital_question).", none, (a, c) -> {
                    JsonNode answer = c.client().createMessage("capital_question",
                            samplingRequest("What is the capital of France?", 100));
                    return ToolResult.text("The model answered: " + answer.path("content").path("text").asText());
                }),
                tool("test_input_required_result_list_roots", "Asks the client for its roots (input_required, key "
                        + "client_roots).", none, (a, c) -> {
                    JsonNode roots = c.client().listRoots("client_roots");
                    return ToolResult.text("The client has " + roots.path("roots").size() + " root(s)");
                }),
                tool("test_input_required_result_request_state", "Asks for a confirmation (key confirm) and "
                        + "answers state-ok from the signed request state.", none, (a, c) -> {
                    ElicitationResult confirmed = c.client().elicit("confirm", "Please confirm", confirmSchema());
                    return ToolResult.text("state-ok: confirmed=" + confirmed.content().path("ok").asBoolean());
                }),
                tool("test_input_required_result_multiple_inputs", "Asks for a name, a greeting from the model and "
                        + "the client's roots in one input_required result.", none, (a, c) -> {
                    Map<String, JsonNode> answers = c.client().askAll(List.of(
                            new ClientRequests.Question("user_name", "elicitation/create",
                                    elicitationRequest("What is your name?", nameSchema("name"))),
                            new ClientRequests.Question("greeting", "sampling/createMessage",
                                    samplingRequest("Generate a greeting", 50)),
                            new ClientRequests.Question("client_roots", "roots/list", F.objectNode())));
                    return ToolResult.text("Received " + answers.size() + " answers: name="
                            + answers.get("user_name").path("content").path("name").asText() + ", roots="
                            + answers.get("client_roots").path("roots").size());
                }),
                tool("test_input_required_result_multi_round", "Asks in two rounds: a name, then a favourite "
                        + "colour.", none, (a, c) -> {
                    ElicitationResult name = c.client().elicit("step1", "Step 1: What is your name?",
                            nameSchema("name"));
                    ElicitationResult color = c.client().elicit("step2", "Step 2: What is your favorite color?",
                            nameSchema("color"));
                    return ToolResult.text(name.content().path("name").asText() + " likes "
                            + color.content().path("color").asText());
                }),
                tool("test_input_required_result_tampered_state", "Asks for a confirmation under a signed request "
                        + "state; a changed state is refused.", none, (a, c) -> {
                    c.client().elicit("confirm", "Please confirm", confirmSchema());
                    return ToolResult.text("confirmed");
                }),
                tool("test_input_required_result_capabilities", "Asks only with the capabilities the client "
                        + "declared: elicitation when it can, else sampling.", none, (a, c) -> {
                    if (c.client().supportsElicitation()) {
                        c.client().elicit("user_name", "What is your name?", nameSchema("name"));
                        return ToolResult.text("capabilities-ok: received user_name");
                    }
                    c.client().createMessage("sampling_only", samplingRequest("Say hello", 20));
                    return ToolResult.text("capabilities-ok: received sampling_only");
                }),
                tool("test_custom_headers", "Echoes its region and query; a 2026-07-28 client mirrors the region "
                        + "into the Mcp-Param-Region header (x-mcp-header).", customHeadersSchema(), (a, c) ->
                        ToolResult.text("region=" + a.path("region").asText() + " query=" + a.path("query").asText())),
                tool("test_trigger_tool_change", "Announces that the tool list changed, to every client that "
                        + "listens.", none, (a, c) -> {
                    context.listChanged(ListChange.TOOLS);
                    return ToolResult.text("Tool list change announced");
                }),
                tool("test_trigger_prompt_change", "Announces that the prompt list changed, to every client that "
                        + "listens.", none, (a, c) -> {
                    context.listChanged(ListChange.PROMPTS);
                    return ToolResult.text("Prompt list change announced");
                }));
    }

    /** A string parameter mirrored into a header, and one that is not. */
    private static ObjectNode customHeadersSchema() {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("region").put("type", "string").put("description", "The region, also sent as the "
                + "Mcp-Param-Region header").put("x-mcp-header", "Region");
        properties.putObject("query").put("type", "string").put("description", "A query, in the body only");
        schema.putArray("required").add("region").add("query");
        return schema;
    }

    private static ObjectNode samplingRequest(String text, int maxTokens) {
        ObjectNode params = F.objectNode();
        ObjectNode message = params.putArray("messages").addObject();
        message.put("role", "user");
        message.putObject("content").put("type", "text").put("text", text);
        params.put("maxTokens", maxTokens);
        return params;
    }

    private static ObjectNode elicitationRequest(String message, ObjectNode schema) {
        ObjectNode params = F.objectNode();
        params.put("message", message);
        params.set("requestedSchema", schema);
        return params;
    }

    /** One required string property. */
    private static ObjectNode nameSchema(String property) {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        schema.putObject("properties").putObject(property).put("type", "string");
        schema.putArray("required").add(property);
        return schema;
    }

    private static ObjectNode confirmSchema() {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        schema.putObject("properties").putObject("ok").put("type", "boolean");
        schema.putArray("required").add("ok");
        return schema;
    }

    private static ToolResult sample(ObjectNode arguments, CallContext context) throws Exception {
        ObjectNode params = F.objectNode();
        ObjectNode message = params.putArray("messages").addObject();
        message.put("role", "user");
        message.putObject("content").put("type", "text").put("text", arguments.path("prompt").asText());
        params.put("maxTokens", 100);
        try {
            JsonNode result = context.client().createMessage(params);
            return ToolResult.text("LLM response: " + result.path("content").path("text").asText());
        } catch (ClientRequestException e) {
            return ToolResult.error(e.getMessage());
        }
    }

    private static ToolResult elicit(CallContext context, String message, ObjectNode schema) throws Exception {
        try {
            ElicitationResult result = context.client().elicit(message, schema);
            return ToolResult.text("Elicitation completed: action=" + result.action().name().toLowerCase(
                    java.util.Locale.ROOT) + ", content=" + (result.content() == null ? "{}" : result.content()));
        } catch (ClientRequestException e) {
            return ToolResult.error(e.getMessage());
        }
    }

    private static ObjectNode userSchema() {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("username").put("type", "string").put("description", "User's response");
        properties.putObject("email").put("type", "string").put("description", "User's email address");
        schema.putArray("required").add("username").add("email");
        return schema;
    }

    private static ObjectNode defaultsSchema() {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        ObjectNode p = schema.putObject("properties");
        p.putObject("name").put("type", "string").put("default", "John Doe");
        p.putObject("age").put("type", "integer").put("default", 30);
        p.putObject("score").put("type", "number").put("default", 95.5);
        ObjectNode status = p.putObject("status");
        status.put("type", "string");
        status.putArray("enum").add("active").add("inactive").add("pending");
        status.put("default", "active");
        p.putObject("verified").put("type", "boolean").put("default", true);
        return schema;
    }

    private static ObjectNode enumsSchema() {
        ObjectNode schema = F.objectNode();
        schema.put("type", "object");
        ObjectNode p = schema.putObject("properties");
        ObjectNode untitledSingle = p.putObject("untitledSingle");
        untitledSingle.put("type", "string");
        untitledSingle.putArray("enum").add("option1").add("option2").add("option3");
        ObjectNode titledSingle = p.putObject("titledSingle");
        titledSingle.put("type", "string");
        var oneOf = titledSingle.putArray("oneOf");
        oneOf.addObject().put("const", "value1").put("title", "First Option");
        oneOf.addObject().put("const", "value2").put("title", "Second Option");
        oneOf.addObject().put("const", "value3").put("title", "Third Option");
        ObjectNode legacy = p.putObject("legacyEnum");
        legacy.put("type", "string");
        legacy.putArray("enum").add("opt1").add("opt2").add("opt3");
        legacy.putArray("enumNames").add("Option One").add("Option Two").add("Option Three");
        ObjectNode untitledMulti = p.putObject("untitledMulti");
        untitledMulti.put("type", "array");
        ObjectNode items = untitledMulti.putObject("items");
        items.put("type", "string");
        items.putArray("enum").add("option1").add("option2").add("option3");
        ObjectNode titledMulti = p.putObject("titledMulti");
        titledMulti.put("type", "array");
        var anyOf = titledMulti.putObject("items").putArray("anyOf");
        anyOf.addObject().put("const", "value1").put("title", "First Choice");
        anyOf.addObject().put("const", "value2").put("title", "Second Choice");
        anyOf.addObject().put("const", "value3").put("title", "Third Choice");
        return schema;
    }

    private interface Reader {
        ResourceContents read(String uri);
    }

    private static Resource resource(String uri, String name, String mimeType, Reader reader) {
        ResourceDescriptor descriptor = new ResourceDescriptor(uri, name, null, "Conformance fixture " + name, mimeType);
        return new Resource() {
            @Override
            public ResourceDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public List<ResourceContents> read(CallContext context) {
                return List.of(reader.read(uri));
            }
        };
    }

    private interface Renderer {
        PromptResult render(Map<String, String> arguments);
    }

    private static Prompt prompt(PromptDescriptor descriptor, Renderer renderer, List<String> completions) {
        return new Prompt() {
            @Override
            public PromptDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public PromptResult get(Map<String, String> arguments, CallContext context) {
                return renderer.render(arguments);
            }

            @Override
            public List<String> complete(String argument, String prefix, Map<String, String> context) {
                return completions.stream().filter(value -> value.startsWith(prefix)).toList();
            }
        };
    }

    static List<Prompt> prompts() {
        return List.of(
                prompt(new PromptDescriptor("test_simple_prompt", null, "A simple prompt without arguments", List.of()),
                        a -> new PromptResult(null, List.of(PromptMessage.user(
                                Content.text("This is a simple prompt for testing.")))), List.of()),
                prompt(new PromptDescriptor("test_prompt_with_arguments", null, "A prompt with two arguments",
                                List.of(new PromptArgument("arg1", null, "First test argument", true),
                                        new PromptArgument("arg2", null, "Second test argument", true))),
                        a -> new PromptResult(null, List.of(PromptMessage.user(Content.text(
                                "Prompt with arguments: arg1='" + a.get("arg1") + "', arg2='" + a.get("arg2") + "'")))),
                        List.of("paris", "park", "party", "london")),
                prompt(new PromptDescriptor("test_prompt_with_embedded_resource", null,
                                "A prompt that embeds a resource",
                                List.of(new PromptArgument("resourceUri", null, "URI of the resource to embed", true))),
                        a -> new PromptResult(null, List.of(
                                PromptMessage.user(new Content.EmbeddedResource(new ResourceContents.Text(
                                        a.get("resourceUri"), "text/plain", "Embedded resource content for testing."),
                                        null)),
                                PromptMessage.user(Content.text("Please process the embedded resource above.")))),
                        List.of()),
                prompt(new PromptDescriptor("test_prompt_with_image", null, "A prompt that includes an image",
                                List.of()),
                        a -> new PromptResult(null, List.of(
                                PromptMessage.user(new Content.Image(PNG, "image/png", null)),
                                PromptMessage.user(Content.text("Please analyze the image above.")))), List.of()),
                new Prompt() {
                    private final PromptDescriptor descriptor = new PromptDescriptor(
                            "test_input_required_result_prompt", null, "A prompt that first asks the user for its "
                            + "context (input_required, key user_context)", List.of());

                    @Override
                    public PromptDescriptor descriptor() {
                        return descriptor;
                    }

                    @Override
                    public PromptResult get(Map<String, String> arguments, CallContext context) throws Exception {
                        ElicitationResult answer = context.client().elicit("user_context",
                                "What context should the prompt use?", nameSchema("context"));
                        return new PromptResult(null, List.of(PromptMessage.user(Content.text(
                                "Use this context: " + answer.content().path("context").asText()))));
                    }

                    @Override
                    public List<String> complete(String argument, String prefix, Map<String, String> context) {
                        return List.of();
                    }
                });
    }

    /** 100 ms of 8 kHz mono 16-bit silence: a small but valid WAV file. */
    private static byte[] silentWav() {
        int samples = 800;
        int dataBytes = samples * 2;
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }
}
