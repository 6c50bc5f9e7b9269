package dev.bastion.security.validate;

import static dev.bastion.security.validate.TestCalls.call;
import static dev.bastion.security.validate.TestCalls.tool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.redact.SecretRedactor;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Clients that send arrays, objects, numbers and booleans as JSON strings (itential-mcp#378, #348). */
class ArgumentCoercionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = """
            {"type":"object","additionalProperties":false,"properties":{
              "devices":{"type":"array","items":{"type":"string"},"maxItems":5},
              "variables":{"type":"object"},
              "limit":{"type":"integer","maximum":500},
              "ratio":{"type":"number"},
              "dry_run":{"type":"boolean"},
              "name":{"type":"string","maxLength":50}}}""";

    private final ToolDescriptor tool = tool("test_coerce", INPUT, null);
    private final AtomicReference<ObjectNode> seen = new AtomicReference<>();
    private final ToolCallChain chain = ToolCallChain.of(List.of(new ArgumentValidationInterceptor(
            new SchemaValidator(new SecretRedactor()), new StructuralLimits(100_000, 16, 1000, 100, 100))));

    private ToolResult run(String arguments) throws Exception {
        return chain.execute(call(tool, arguments), (ToolCall call) -> {
            seen.set(call.arguments());
            return ToolResult.text("ok");
        });
    }

    @Test
    void stringsHoldingTheDeclaredTypeAreParsedBeforeValidation() throws Exception {
        ToolResult result = run("""
                {"devices":"[\\"ios-1\\",\\"nxos-2\\"]","variables":"{\\"vlan\\":10}","limit":"10",
                 "ratio":" 0.5 ","dry_run":"true"}""");

        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(seen.get()).isEqualTo(JSON.readTree("""
                {"devices":["ios-1","nxos-2"],"variables":{"vlan":10},"limit":10,"ratio":0.5,"dry_run":true}"""));
    }

    @Test
    void declaredStringsAreNeverTouched() throws Exception {
        run("{\"name\":\"[1,2]\"}");
        assertThat(seen.get().path("name").isTextual()).isTrue();
        run("{\"name\":\"10\"}");
        assertThat(seen.get().path("name").asText()).isEqualTo("10");
    }

    @Test
    void stringsOfAnotherTypeStillFailValidation() throws Exception {
        assertThat(run("{\"limit\":\"[1]\"}").allText()).contains("/limit");
        assertThat(run("{\"limit\":\"1.5\"}").allText()).contains("/limit");
        assertThat(run("{\"devices\":\"{\\\"a\\\":1}\"}").allText()).contains("/devices");
        assertThat(run("{\"dry_run\":\"yes\"}").allText()).contains("/dry_run");
        assertThat(run("{\"variables\":\"not json\"}").allText()).contains("/variables");
    }

    @Test
    void coercedValuesAreValidatedLikeAnyOther() throws Exception {
        assertThat(run("{\"limit\":\"900\"}").allText()).contains("/limit: must be at most 500");
        assertThat(run("{\"devices\":\"[\\\"a\\\",\\\"b\\\",\\\"c\\\",\\\"d\\\",\\\"e\\\",\\\"f\\\"]\"}").allText())
                .contains("/devices");
    }
}
