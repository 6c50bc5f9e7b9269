package dev.bastion.security.validate;

import static dev.bastion.security.validate.TestCalls.json;
import static dev.bastion.security.validate.TestCalls.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.security.redact.SecretRedactor;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    private static final String SCHEMA = """
            {"type":"object","required":["query"],"additionalProperties":false,"properties":{
              "query":{"type":"string"},
              "limit":{"type":"integer","minimum":1,"maximum":500},
              "environment":{"enum":["prod","lab"]},
              "name":{"type":"string","pattern":"^[a-z]+$","maxLength":8},
              "tags":{"type":"array","items":{"type":"string"},"maxItems":2,"uniqueItems":true},
              "from":{"type":"string","format":"date-time"},
              "id":{"anyOf":[{"type":"string","minLength":3},{"type":"integer"}]},
              "mode":{"oneOf":[{"const":"fast"},{"const":"slow"}]}}}""";

    private static final String PLANTED = "Pl4nted-S3cret-Value-dt0c01";

    private final SecretRedactor redactor = new SecretRedactor();
    private final SchemaValidator validator = new SchemaValidator(redactor);
    private final ToolDescriptor tool = tool("test_search", SCHEMA, null);

    @Test
    void acceptsValidArguments() {
        assertThat(validator.validateArguments(tool, json("""
                {"query":"fetch logs","limit":10,"environment":"prod","name":"abc","tags":["a","b"],
                 "from":"2026-01-01T00:00:00Z","id":7,"mode":"fast"}"""))).isEmpty();
    }

    @Test
    void namesPathAndRuleOfEachViolation() {
        List<String> violations = validator.validateArguments(tool, json("""
                {"limit":900,"environment":"staging","tags":["a","a","b"],"id":true,"mode":"medium"}"""));

        assertThat(violations).containsExactlyInAnyOrder(
                "(root): missing required property 'query'",
                "/limit: must be at most 500",
                "/environment: must be one of [prod, lab]",
                "/tags: must have at most 2 items",
                "/tags: must not contain duplicate items",
                "/id: must match at least one of the allowed schemas",
                "/mode: must match exactly one of the allowed schemas");
    }

    @Test
    void reportsTypeMinimumAndUnknownProperty() {
        assertThat(validator.validateArguments(tool, json("{\"query\":5,\"limit\":0,\"other\":1}")))
                .containsExactlyInAnyOrder(
                        "/query: must be of type string",
                        "/limit: must be at least 1",
                        "(root): unknown property 'other'");
    }

    @Test
    void neverEchoesTheOffendingValue() {
        List<String> violations = validator.validateArguments(tool, json("{\"query\":\"q\",\"name\":\"" + PLANTED
                + "\",\"environment\":\"" + PLANTED + "\",\"from\":\"" + PLANTED + "\",\"mode\":\"" + PLANTED + "\"}"));

        assertThat(violations).containsExactlyInAnyOrder(
                "/name: must match the pattern ^[a-z]+$",
                "/name: must be at most 8 characters long",
                "/environment: must be one of [prod, lab]",
                "/from: must be a valid date-time",
                "/mode: must match exactly one of the allowed schemas");
        assertThat(String.join("\n", violations)).doesNotContain(PLANTED, "Pl4nted");
    }

    @Test
    void redactsSecretLookingUnknownPropertyNames() {
        String token = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

        List<String> violations = validator.validateArguments(tool, json("{\"query\":\"q\",\"" + token + "\":1}"));

        assertThat(violations).singleElement().asString()
                .startsWith("(root): unknown property").doesNotContain("G3DFPBEJ");
    }

    @Test
    void validatesStructuredContentAgainstOutputSchema() {
        ToolDescriptor withOutput = tool("test_out", "{\"type\":\"object\"}",
                "{\"type\":\"object\",\"required\":[\"count\"],\"properties\":{\"count\":{\"type\":\"integer\"}}}");

        assertThat(validator.validateOutput(withOutput, json("{\"count\":3}"))).isEmpty();
        assertThat(validator.validateOutput(withOutput, json("{\"count\":\"three\"}")))
                .containsExactly("/count: must be of type integer");
        assertThat(validator.validateOutput(withOutput, null)).singleElement().asString()
                .contains("structured content is missing");
        assertThat(validator.validateOutput(tool, json("{\"anything\":true}"))).isEmpty();
    }

    @Test
    void neverFetchesRemoteReferences() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setBody("{\"type\":\"string\"}"));
            server.start();
            String remote = "http://127.0.0.1:" + server.getPort() + "/x";
            ToolDescriptor remoteTool = tool("test_remote",
                    "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + remote + "\"}}}", null);

            assertThatThrownBy(() -> validator.validateArguments(remoteTool, json("{\"a\":1}")))
                    .isInstanceOf(InvalidToolSchemaException.class)
                    .hasMessage("The input schema of tool test_remote refers to a schema outside itself; "
                            + "remote and file references ($ref) are never loaded");
            assertThat(validator.checkSchema(remoteTool.inputSchema())).singleElement().asString()
                    .contains("refers to a schema outside itself");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    @Test
    void neverReadsFileReferences() {
        ToolDescriptor fileTool = tool("test_file",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"file:///etc/passwd\"}}}", null);

        assertThatThrownBy(() -> validator.validateArguments(fileTool, json("{\"a\":1}")))
                .isInstanceOf(InvalidToolSchemaException.class)
                .hasMessageContaining("refers to a schema outside itself");
    }

    @Test
    void resolvesLocalReferences() {
        ToolDescriptor local = tool("test_local", """
                {"type":"object","$defs":{"env":{"enum":["prod","lab"]}},
                 "properties":{"environment":{"$ref":"#/$defs/env"}}}""", null);

        assertThat(validator.validateArguments(local, json("{\"environment\":\"prod\"}"))).isEmpty();
        assertThat(validator.validateArguments(local, json("{\"environment\":\"x\"}")))
                .containsExactly("/environment: must be one of [prod, lab]");
    }

    @Test
    void resolvesLocalReferencesInOutputSchemas() {
        ToolDescriptor local = tool("test_local_output", "{\"type\":\"object\"}", """
                {"type":"object","$defs":{"problem":{"type":"object","required":["id"],"properties":{
                  "id":{"type":"string"},"status":{"enum":["ACTIVE","CLOSED"]}}}},
                 "properties":{"problems":{"type":"array","items":{"$ref":"#/$defs/problem"}}}}""");

        assertThat(validator.validateOutput(local, json("{\"problems\":[{\"id\":\"P-1\",\"status\":\"ACTIVE\"}]}")))
                .isEmpty();
        assertThat(validator.validateOutput(local, json("{\"problems\":[{\"status\":\"OPEN\"}]}")))
                .containsExactlyInAnyOrder("/problems/0: missing required property 'id'",
                        "/problems/0/status: must be one of [ACTIVE, CLOSED]");
    }

    @Test
    void reusesCompiledSchemaUntilTheToolsSchemaObjectChanges() {
        assertThat(validator.validateArguments(tool, json("{}"))).isNotEmpty();
        ToolDescriptor replaced = tool("test_search", "{\"type\":\"object\"}", null);

        assertThat(validator.validateArguments(replaced, json("{}"))).isEmpty();
        assertThat(validator.validateArguments(tool, json("{}")))
                .containsExactly("(root): missing required property 'query'");
    }

    @Test
    void checksSchemasAgainstTheMetaSchema() {
        assertThat(validator.checkSchema(json(SCHEMA))).isEmpty();
        assertThat(validator.checkSchema(json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strin\"}}}")))
                .isNotEmpty();
        assertThat(validator.checkSchema(json("{\"type\":\"object\",\"required\":\"query\"}")))
                .contains("/required: must be of type array");
        assertThat(validator.checkSchema(json("{\"minLength\":-1}"))).contains("/minLength: must be at least 0");
    }
}
