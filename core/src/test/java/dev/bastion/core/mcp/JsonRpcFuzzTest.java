package dev.bastion.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the JSON-RPC parser and envelope validation: whatever bytes arrive
 * (before or after {@code initialize}, one message or several, a batch in 2025-03-26), the session
 * answers each with a well-formed JSON-RPC result or error, or stays silent for a notification;
 * nothing escapes as an exception and no answer carries a stack trace or a Java class name.
 *
 * <p>In a normal build the fuzz test replays its corpus ({@code JsonRpcFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz.sh).
 */
class JsonRpcFuzzTest {

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final String[] VERSIONS = {null, ProtocolVersions.LATEST, "2025-03-26", "2024-11-05"};
    private static final McpEngine ENGINE = engine();
    /** What a stack trace or a Java exception's text would bring into an answer. */
    private static final List<String> LEAK_MARKERS = List.of("Exception", "java.", "com.fasterxml",
            "dev.bastion", "Caused by", "StreamReadFeature", "DeserializationFeature", "Source:");
    /** A stack frame ({@code at dev.bastion.Foo.bar(Foo.java:1)}), wherever a message has one. */
    private static final java.util.regex.Pattern STACK_FRAME =
            java.util.regex.Pattern.compile("at [\\w$]+(\\.[\\w$<>]+)+\\(");

    @AfterAll
    static void stop() {
        ENGINE.close();
    }

    @FuzzTest
    void everyMessageGetsAResultOrAnErrorNeverAnException(FuzzedDataProvider data) throws Exception {
        String version = VERSIONS[data.consumeInt(0, VERSIONS.length - 1)];
        int messages = data.consumeInt(1, 3);
        List<JsonNode> sent = new CopyOnWriteArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        McpSession session = ENGINE.openSession("fuzz", Principal.local(), sent::add);
        try {
            if (version != null) {
                session.handleRaw(("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{}}}")
                        .getBytes(StandardCharsets.UTF_8), sent::add).get(5, TimeUnit.SECONDS);
                assertThat(sent).singleElement().satisfies(answer -> assertThat(answer.has("result")).isTrue());
                sent.clear();
            }
            List<CompletableFuture<Void>> answered = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                byte[] bytes = i == messages - 1 ? data.consumeRemainingAsBytes()
                        : data.consumeBytes(data.consumeInt(0, 4096));
                inputs.add(bytes);
                answered.add(session.handleRaw(bytes, sent::add));
            }
            for (CompletableFuture<Void> done : answered) {
                done.get(10, TimeUnit.SECONDS);
            }
        } finally {
            session.close();
        }
        String quotable = quotable(inputs);
        for (JsonNode message : sent) {
            if (message.isArray()) {
                assertThat(message).isNotEmpty();
                message.forEach(element -> checkResponse(element, quotable));
            } else {
                checkResponse(message, quotable);
            }
        }
    }

    private static void checkResponse(JsonNode message, String quotable) {
        String text = message.toString();
        assertThat(message.isObject()).as("an answer is an object: %s", text).isTrue();
        assertThat(message.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(message.has("id")).as("an answer has an id: %s", text).isTrue();
        JsonNode id = message.get("id");
        assertThat(id.isNull() || id.isTextual() || id.isNumber()).as("id of %s", text).isTrue();
        assertThat(message.has("result") ^ message.has("error")).as("result or error: %s", text).isTrue();
        if (message.has("error")) {
            JsonNode error = message.get("error");
            assertThat(error.path("code").isInt()).as("error code of %s", text).isTrue();
            assertThat(error.path("message").isTextual()).as("error message of %s", text).isTrue();
            String errorText = error.path("message").asText();
            assertThat(errorText).isNotBlank();
            for (String marker : LEAK_MARKERS) {
                if (errorText.contains(marker)) {
                    assertThat(quotable).as("%s in %s names Java internals the client never sent", marker, text)
                            .contains(marker);
                }
            }
            java.util.regex.Matcher frame = STACK_FRAME.matcher(errorText);
            while (frame.find()) {
                assertThat(quotable).as("a stack frame in %s", text).contains(frame.group());
            }
        }
    }

    /** Found by this fuzz test (corpus entry trailing-tokens): Jackson's text named its classes and features. */
    @Test
    void aSecondValueAfterTheMessageIsAParseErrorThatNamesNoJacksonInternals() {
        assertThatThrownBy(() -> ENGINE.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} {\"x\":1}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(JsonRpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(JsonRpcException.PARSE_ERROR);
                    assertThat(e.getMessage()).isEqualTo("Parse error: invalid JSON at line 1 column 42: "
                            + "more than one JSON value; send exactly one message");
                });
    }

    /** Found by this fuzz test (corpus entry unterminated-object): the start marker named a Jackson feature flag. */
    @Test
    void anUnterminatedObjectIsAParseErrorWithoutTheParsersSourceMarker() {
        assertThatThrownBy(() -> ENGINE.parse("{\"jsonrpc\":\"2.0\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.getMessage())
                        .startsWith("Parse error: invalid JSON at line 1 column ")
                        .endsWith(": Unexpected end-of-input: expected close marker for Object")
                        .doesNotContain("Source", "StreamReadFeature", "REDACTED"));
    }

    @Test
    void aFailingToolIsAnsweredWithTheSanitizedMessage() throws Exception {
        List<JsonNode> sent = new CopyOnWriteArrayList<>();
        McpSession session = ENGINE.openSession("fuzz", Principal.local(), sent::add);
        session.handleRaw(("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + ProtocolVersions.LATEST + "\"}}").getBytes(StandardCharsets.UTF_8), sent::add).get(5, TimeUnit.SECONDS);
        session.handleRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"fuzz_fail\"}}"
                .getBytes(StandardCharsets.UTF_8), sent::add).get(5, TimeUnit.SECONDS);
        session.close();

        assertThat(sent).hasSize(2);
        JsonNode result = sent.get(1).get("result");
        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.toString()).contains("Internal error in tool fuzz_fail").doesNotContain("IllegalState");
    }

    private static McpEngine engine() {
        Tool echo = Tool.of(ToolDescriptor.builder("fuzz_echo").description("Echoes its arguments.")
                .annotations(ToolAnnotations.readOnly()).build(),
                (arguments, context) -> ToolResult.text(arguments.toString()));
        Tool fail = Tool.of(ToolDescriptor.builder("fuzz_fail").description("Always fails.")
                .annotations(ToolAnnotations.readOnly()).build(),
                (arguments, context) -> {
                    throw new IllegalStateException("java.lang.IllegalStateException: boom\n\tat fuzz.Tool(Tool.java:1)");
                });
        Provider provider = new Provider() {
            @Override
            public List<Tool> tools() {
                return List.of(echo, fail);
            }

            @Override
            public HealthStatus health(dev.bastion.core.tool.CallContext call) {
                return HealthStatus.up("fuzz");
            }
        };
        McpEngineOptions options = new McpEngineOptions("bastion", "fuzz", null, 2, Duration.ofSeconds(5),
                Duration.ofMillis(50), 2, 64);
        return new McpEngine(options, JSON, () -> List.of(new ProviderInstance("fuzz", "fuzz_", "default",
                Optional.empty(), provider)), ToolCallChain.of(List.of()), ToolVisibility.ALL,
                (what, failure) -> "Internal error in " + what + " (error id fuzz-1)", Redactor.NONE);
    }

    /**
     * The text a client sent, raw and with JSON escapes resolved: an error message may quote it
     * (an unknown method name, say), so a marker that came from there is no leak.
     */
    private static String quotable(List<byte[]> inputs) {
        StringBuilder text = new StringBuilder();
        for (byte[] bytes : inputs) {
            text.append(new String(bytes, StandardCharsets.UTF_8)).append('\n');
            try {
                collectText(JSON.readTree(bytes), text);
            } catch (java.io.IOException | RuntimeException e) {
                // not JSON: the raw text is all a message can quote
            }
        }
        return text.toString();
    }

    private static void collectText(JsonNode node, StringBuilder text) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            text.append(node.textValue()).append('\n');
        }
        node.properties().forEach(field -> {
            text.append(field.getKey()).append('\n');
            collectText(field.getValue(), text);
        });
        if (node.isArray()) {
            node.forEach(element -> collectText(element, text));
        }
    }
}
