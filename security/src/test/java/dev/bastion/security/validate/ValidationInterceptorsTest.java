package dev.bastion.security.validate;

import static dev.bastion.security.validate.TestCalls.call;
import static dev.bastion.security.validate.TestCalls.json;
import static dev.bastion.security.validate.TestCalls.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.redact.SecretRedactor;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ValidationInterceptorsTest {

    private static final String INPUT = """
            {"type":"object","required":["query"],"properties":{
              "query":{"type":"string","maxLength":20},"limit":{"type":"integer","maximum":500}}}""";
    private static final String OUTPUT = """
            {"type":"object","required":["count"],"properties":{"count":{"type":"integer"}}}""";

    private final SchemaValidator validator = new SchemaValidator(new SecretRedactor());
    private final ToolDescriptor tool = tool("test_search", INPUT, OUTPUT);
    private final AtomicInteger toolRuns = new AtomicInteger();

    private final ToolCallChain chain = ToolCallChain.of(List.of(
            new ArgumentValidationInterceptor(validator, new StructuralLimits(10_000, 4, 100, 10, 10)),
            new OutputValidationInterceptor(validator)));

    @Test
    void runsInTheirStages() {
        assertThat(chain.stages()).containsExactly(Stage.VALIDATE_ARGUMENTS, Stage.VALIDATE_OUTPUT);
    }

    @Test
    void passesValidCallsThrough() throws Exception {
        ToolResult result = chain.execute(call(tool, "{\"query\":\"q\",\"limit\":5}"), this::goodTool);

        assertThat(result.isError()).isFalse();
        assertThat(toolRuns).hasValue(1);
    }

    @Test
    void deniesInvalidArgumentsWithEveryViolationAndNeverRunsTheTool() throws Exception {
        String planted = "Planted-Secret-Value-0123456789";
        ToolCall call = call(tool, "{\"query\":\"" + planted + "\",\"limit\":900}");

        ToolResult result = chain.execute(call, this::goodTool);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Invalid arguments for test_search: "
                + "/limit: must be at most 500; /query: must be at most 20 characters long");
        assertThat(result.allText()).doesNotContain(planted);
        assertThat(call.decision().decision()).isEqualTo("invalid_arguments");
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void checksStructuralLimitsBeforeTheSchema() throws Exception {
        ToolCall call = call(tool, "{\"query\":\"q\",\"deep\":{\"a\":{\"b\":{\"c\":{}}}}}");

        ToolResult result = chain.execute(call, this::goodTool);

        assertThat(result.allText())
                .isEqualTo("Invalid arguments for test_search: /deep/a/b/c: nested deeper than 4 levels");
    }

    @Test
    void deniesCallsToToolsWithRemoteSchemaReferences() throws Exception {
        ToolDescriptor remote = tool("test_remote",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"https://example.invalid/s.json\"}}}", null);
        ToolCall call = call(remote, "{\"a\":1}");

        ToolResult result = chain.execute(call, this::goodTool);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).startsWith("The input schema of tool test_remote refers to a schema outside");
        assertThat(call.decision().decision()).isEqualTo("invalid_tool_schema");
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void turnsOutputThatBreaksTheSchemaIntoAnError() throws Exception {
        ToolResult result = chain.execute(call(tool, "{\"query\":\"q\"}"),
                c -> ToolResult.structured(json("{\"count\":\"many\"}"), "{\"count\":\"many\"}"));

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Tool test_search produced output that does not match its declared "
                + "output schema; the server log has details.");
    }

    @Test
    void treatsMissingStructuredContentAsAMismatch() throws Exception {
        ToolResult result = chain.execute(call(tool, "{\"query\":\"q\"}"), c -> ToolResult.text("3"));

        assertThat(result.isError()).isTrue();
    }

    @Test
    void leavesToolErrorsAndToolsWithoutOutputSchemaAlone() throws Exception {
        ToolResult error = ToolResult.error("backend down");
        assertThat(chain.execute(call(tool, "{\"query\":\"q\"}"), c -> error)).isSameAs(error);

        ToolDescriptor noOutput = tool("test_plain", INPUT, null);
        ToolResult text = ToolResult.text("fine");
        assertThat(chain.execute(call(noOutput, "{\"query\":\"q\"}"), c -> text)).isSameAs(text);
    }

    private ToolResult goodTool(ToolCall call) {
        toolRuns.incrementAndGet();
        return ToolResult.structured(json("{\"count\":3}"), "{\"count\":3}");
    }
}
