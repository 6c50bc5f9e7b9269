package dev.bastion.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.ElicitationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's answer to elicitation/create is read exactly as MCP 2025-11-25 defines it. */
class ElicitationAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The approval gate's question: one required boolean. */
    private static final ObjectNode CONFIRM = object("""
            {"type":"object","properties":{"confirm":{"type":"boolean","default":false}},"required":["confirm"]}""");

    private static final ObjectNode FORM = object("""
            {"type":"object","properties":{
              "name":{"type":"string"},
              "age":{"type":"integer"},
              "score":{"type":"number"},
              "status":{"type":"string","enum":["active","inactive"]},
              "tier":{"type":"string","oneOf":[{"const":"gold","title":"Gold"},{"const":"silver","title":"Silver"}]},
              "tags":{"type":"array","items":{"type":"string","enum":["a","b"]}},
              "verified":{"type":"boolean"}},
             "required":["name"]}""");

    @Test
    void specificationAnswersAreRead() throws Exception {
        ElicitationResult accepted = ElicitationAnswer.parse(object("""
                {"action":"accept","content":{"confirm":true}}"""), CONFIRM);
        assertThat(accepted.action()).isEqualTo(ElicitationResult.Action.ACCEPT);
        assertThat(accepted.content().get("confirm").booleanValue()).isTrue();

        assertThat(ElicitationAnswer.parse(object("{\"action\":\"decline\"}"), CONFIRM).action())
                .isEqualTo(ElicitationResult.Action.DECLINE);
        ElicitationResult cancelled = ElicitationAnswer.parse(object("{\"action\":\"cancel\",\"content\":{}}"), CONFIRM);
        assertThat(cancelled.action()).isEqualTo(ElicitationResult.Action.CANCEL);
        assertThat(cancelled.content()).isNull();

        ElicitationResult form = ElicitationAnswer.parse(object("""
                {"action":"accept","content":{"name":"Ada","age":30,"score":95.5,"status":"active","tier":"gold",
                 "tags":["a","b"],"verified":false}}"""), FORM);
        assertThat(form.content().get("tags").size()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"action\":\"ACCEPT\",\"content\":{\"confirm\":true}}",
            "{\"action\":\"Accept\",\"content\":{\"confirm\":true}}",
            "{\"action\":\" accept\",\"content\":{\"confirm\":true}}",
            "{\"action\":\"approve\",\"content\":{\"confirm\":true}}",
            "{\"action\":true,\"content\":{\"confirm\":true}}",
            "{\"action\":[\"accept\"],\"content\":{\"confirm\":true}}",
            "{\"content\":{\"confirm\":true}}",
            "{\"action\":\"DECLINE\"}",
    })
    void anActionOtherThanTheThreeDefinedStringsIsMalformed(String answer) {
        assertThatThrownBy(() -> ElicitationAnswer.parse(object(answer), CONFIRM))
                .isInstanceOf(ClientRequestException.class)
                .hasMessageStartingWith("the client's answer to elicitation/create is malformed: action must be "
                        + "exactly \"accept\", \"decline\" or \"cancel\"");
    }

    @Test
    void aMalformedActionSaysWhatTypeItWas() {
        assertMalformed("{\"action\":true}", CONFIRM,
                "action must be exactly \"accept\", \"decline\" or \"cancel\", got a boolean");
        assertMalformed("{\"content\":{\"confirm\":true}}", CONFIRM,
                "action must be exactly \"accept\", \"decline\" or \"cancel\", got nothing");
    }

    @Test
    void contentThatIsNotAnObjectOfTheRequestedValuesIsMalformed() {
        assertMalformed("{\"action\":\"accept\",\"content\":[true]}", CONFIRM, "content must be an object, got an array");
        assertMalformed("{\"action\":\"accept\",\"content\":true}", CONFIRM, "content must be an object, got a boolean");
        assertMalformed("{\"action\":\"accept\"}", CONFIRM, "an accept must carry content with the requested values");
        assertMalformed("{\"action\":\"accept\",\"content\":{}}", CONFIRM,
                "content lacks the required property 'confirm'");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"confirm\":\"true\"}}", CONFIRM,
                "content property 'confirm' must be a boolean, got a string");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"confirm\":[true]}}", CONFIRM,
                "content property 'confirm' must be a boolean, got an array");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"confirm\":{\"value\":true}}}", CONFIRM,
                "content property 'confirm' must be a boolean, got an object");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"confirm\":null}}", CONFIRM,
                "content property 'confirm' must be a boolean, got null");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"confirm\":true,\"run_as\":\"root\"}}", CONFIRM,
                "content has a property the request did not ask for ('run_as')");
        assertMalformed("{\"action\":\"decline\",\"content\":[1]}", CONFIRM, "content must be an object, got an array");
        assertMalformed("[{\"action\":\"accept\"}]", CONFIRM, "the result must be an object, got an array");

        assertMalformed("{\"action\":\"accept\",\"content\":{\"name\":\"Ada\",\"age\":30.5}}", FORM,
                "content property 'age' must be an integer, got a number");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"name\":\"Ada\",\"status\":\"deleted\"}}", FORM,
                "content property 'status' must be one of the offered strings, got a string");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"name\":\"Ada\",\"tier\":\"platinum\"}}", FORM,
                "content property 'tier' must be one of the offered strings, got a string");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"name\":\"Ada\",\"tags\":[\"a\",1]}}", FORM,
                "content property 'tags' must be an array of the offered strings, got an array");
        assertMalformed("{\"action\":\"accept\",\"content\":{\"name\":7}}", FORM,
                "content property 'name' must be a string, got a number");
    }

    @Test
    void theMessageNeverRepeatsWhatTheClientSent() {
        String planted = "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.SECRETSECRETSECRETSECRET";
        assertThatThrownBy(() -> ElicitationAnswer.parse(object(
                "{\"action\":\"" + planted + "\",\"content\":{\"" + planted + "\":\"" + planted + "\"}}"), CONFIRM))
                .hasMessageNotContaining(planted);
        assertThatThrownBy(() -> ElicitationAnswer.parse(object(
                "{\"action\":\"accept\",\"content\":{\"confirm\":true,\"" + planted + "\":1}}"), CONFIRM))
                .hasMessageNotContaining(planted)
                .hasMessageEndingWith("(an unnamed property)");
    }

    private static void assertMalformed(String answer, ObjectNode schema, String why) {
        assertThatThrownBy(() -> ElicitationAnswer.parse(JSON.readTree(answer), schema))
                .isInstanceOf(ClientRequestException.class)
                .hasMessage("the client's answer to elicitation/create is malformed: " + why);
    }

    private static ObjectNode object(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return (ObjectNode) node;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
