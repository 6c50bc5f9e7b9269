package dev.bastion.toolkit.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.security.validate.SchemaValidator;
import dev.bastion.testkit.TestCallContext;
import dev.bastion.toolkit.http.BackendFailure;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ToolSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Arg<Integer> LIMIT = Arg.integer("limit", "How many alerts to return.", 1, 50).withDefault(20);
    private static final Arg<String> SEVERITY = Arg.enumeration("severity", "Only alerts of this severity.",
            List.of("critical", "warning"));
    private static final Arg<String> NAME = Arg.pattern("name", "The alert's name, letters and dashes.",
            "^[a-z-]{1,20}$", 20).required();
    private static final Arg<List<String>> LABELS = Arg.strings("labels", "Labels the alerts must carry.", 3, 40, null);

    private final AtomicReference<Arguments> seen = new AtomicReference<>();

    private ToolSpec tool(ToolSpec.Builder builder) {
        return builder.description("Lists the alerts of the test backend with their state and labels; example"
                        + " {\"name\":\"disk-full\"}.")
                .args(NAME, SEVERITY, LIMIT, LABELS)
                .handler((args, context) -> {
                    seen.set(args);
                    return ToolResult.text("ok");
                }).build();
    }

    private ObjectNode args(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void theInputSchemaComesFromTheDeclarationsWithDefaultsBoundsAndRequired() throws Exception {
        ToolSpec spec = tool(ToolSpec.read("test_list_alerts", "List alerts"));
        JsonNode schema = spec.descriptor().inputSchema();

        assertThat(schema).isEqualTo(JSON.readTree("""
                {"type":"object","properties":{
                  "name":{"type":"string","description":"The alert's name, letters and dashes.",
                          "pattern":"^[a-z-]{1,20}$","maxLength":20},
                  "severity":{"type":"string","description":"Only alerts of this severity.","enum":["critical","warning"]},
                  "limit":{"type":"integer","description":"How many alerts to return.","minimum":1,"maximum":50,"default":20},
                  "labels":{"type":"array","description":"Labels the alerts must carry.",
                            "items":{"type":"string","minLength":1,"maxLength":40},"minItems":1,"maxItems":3}},
                 "required":["name"],"additionalProperties":false}"""));
        assertThat(new SchemaValidator(new SecretRedactor()).checkSchema((ObjectNode) schema)).isEmpty();
    }

    @Test
    void defaultsAreAppliedBeforeTheHandlerRuns() throws Exception {
        ToolSpec spec = tool(ToolSpec.read("test_list_alerts", "List alerts"));
        assertThat(spec.call(args("{\"name\":\"disk-full\"}"), new TestCallContext()).isError()).isFalse();

        assertThat(seen.get().get(LIMIT)).isEqualTo(20);
        assertThat(seen.get().has(LIMIT)).isFalse();
        assertThat(seen.get().get(SEVERITY)).isNull();
        assertThat(seen.get().optional(LABELS)).isEmpty();
    }

    @Test
    void aMissingRequiredArgumentOrABadValueIsAnErrorResultNamingTheArgument() throws Exception {
        ToolSpec spec = tool(ToolSpec.read("test_list_alerts", "List alerts"));

        assertThat(spec.call(args("{}"), new TestCallContext()).allText())
                .isEqualTo("Invalid argument name: is required.");
        assertThat(spec.call(args("{\"name\":\"Disk Full\"}"), new TestCallContext()).allText())
                .isEqualTo("Invalid argument name: does not match the pattern ^[a-z-]{1,20}$.");
        assertThat(spec.call(args("{\"name\":\"a\",\"limit\":51}"), new TestCallContext()).allText())
                .isEqualTo("Invalid argument limit: must be between 1 and 50.");
        assertThat(spec.call(args("{\"name\":\"a\",\"severity\":\"info\"}"), new TestCallContext()).allText())
                .isEqualTo("Invalid argument severity: must be one of critical, warning.");
        assertThat(spec.call(args("{\"name\":\"a\",\"labels\":[\"x\",\"y\",\"z\",\"w\"]}"), new TestCallContext())
                .allText()).isEqualTo("Invalid argument labels: must have at most 3 items.");
        assertThat(seen.get()).isNull();
    }

    @Test
    void aToolFailureFromTheHandlerIsTheErrorResultAndA403NamesThePermission() throws Exception {
        ToolSpec failing = ToolSpec.read("test_get", "Get")
                .description("Returns one thing of the test backend by its id; example {}.")
                .permission("the scope things.read")
                .handler((args, context) -> {
                    throw new BackendFailure(BackendFailure.Kind.FORBIDDEN, 403, "Test backend refused access (403).",
                            null, null);
                }).build();
        ToolSpec plain = ToolSpec.read("test_other", "Other")
                .description("Returns another thing of the test backend; example {}.")
                .handler((args, context) -> {
                    throw new ToolFailure("Nothing to show yet; start a job first.");
                }).build();

        ToolResult forbidden = failing.call(args("{}"), new TestCallContext());
        assertThat(forbidden.isError()).isTrue();
        assertThat(forbidden.allText()).isEqualTo("Test backend refused access (403). test_get needs the scope things.read.");
        assertThat(plain.call(args("{}"), new TestCallContext()).allText())
                .isEqualTo("Nothing to show yet; start a job first.");
    }

    @Test
    void theKindSetsTheAnnotationsAndTheTag() {
        ToolSpec read = tool(ToolSpec.read("test_a", "A"));
        ToolSpec write = tool(ToolSpec.write("test_b", "B"));
        ToolSpec destructive = tool(ToolSpec.destructive("test_c", "C").idempotent());

        assertThat(read.descriptor().annotations().readOnlyHint()).isTrue();
        assertThat(read.descriptor().tags()).contains("read");
        assertThat(write.descriptor().annotations().readOnlyHint()).isFalse();
        assertThat(write.descriptor().annotations().destructiveHint()).isFalse();
        assertThat(write.descriptor().annotations().idempotentHint()).isFalse();
        assertThat(write.descriptor().tags()).contains("write");
        assertThat(destructive.descriptor().annotations().destructiveHint()).isTrue();
        assertThat(destructive.descriptor().annotations().idempotentHint()).isTrue();
        assertThat(destructive.kind()).isEqualTo(ToolKind.DESTRUCTIVE);
    }

    @Test
    void declarationMistakesFailWhenTheToolIsBuilt() {
        assertThatThrownBy(() -> ToolSpec.read("test_x", "X").description("Returns x for the test; example {}.")
                .args(LIMIT, LIMIT).handler((a, c) -> null).build())
                .hasMessageContaining("declares argument limit twice");
        assertThatThrownBy(() -> ToolSpec.read("test_x", "X").handler((a, c) -> null).build())
                .hasMessageContaining("has no description");
        assertThatThrownBy(() -> Arg.integer("n", "A number.", 1, 5).withDefault(9))
                .hasMessageContaining("must be between 1 and 5");
        assertThatThrownBy(() -> ToolSpec.read("test_x", "X").output("{not json"))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void aToolReadingAnArgumentItDoesNotDeclareIsAProgrammingError() throws Exception {
        ToolSpec spec = ToolSpec.read("test_y", "Y").description("Returns y for the test; example {}.")
                .handler((args, context) -> ToolResult.text(String.valueOf(args.get(LIMIT)))).build();
        assertThatThrownBy(() -> spec.call(args("{}"), new TestCallContext()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not declare");
    }
}
