package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaHygieneTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> problems(String schema) throws Exception {
        JsonNode node = JSON.readTree(schema);
        List<String> problems = new ArrayList<>();
        SchemaHygiene.check(node, "t", problems);
        return problems;
    }

    @Test
    void acceptsASchemaThatBoundsEveryArgument() throws Exception {
        assertThat(problems("""
                {"type":"object","additionalProperties":false,"properties":{
                  "name":{"type":"string","maxLength":64},
                  "id":{"type":"string","pattern":"^[A-F0-9]{16}$"},
                  "status":{"type":"string","enum":["OPEN","CLOSED"]},
                  "limit":{"type":"integer","minimum":1,"maximum":50},
                  "keys":{"type":"array","maxItems":10,"items":{"type":"string","maxLength":200}},
                  "tags":{"type":"object","maxProperties":20,"additionalProperties":{"type":"string","maxLength":100}},
                  "flag":{"type":"boolean"}}}
                """)).isEmpty();
    }

    @Test
    void namesEveryUnboundedArgument() throws Exception {
        assertThat(problems("""
                {"type":"object","properties":{
                  "name":{"type":"string"},
                  "query":{"type":"string","pattern":"^[a-z]+$"},
                  "limit":{"type":"integer","minimum":1},
                  "keys":{"type":"array","items":{"type":"string"}},
                  "filter":{"type":"object","properties":{}},
                  "either":{"oneOf":[{"type":"number"},{"type":"string","maxLength":3}]}}}
                """)).containsExactly(
                "t: an object without additionalProperties: false (or, for a map, maxProperties and a schema for "
                        + "the values)",
                "t argument name: a string without maxLength (or an enum, or an anchored pattern of bounded length)",
                "t argument query: a string without maxLength (or an enum, or an anchored pattern of bounded length)",
                "t argument limit: a number without maximum",
                "t argument keys: an array without maxItems",
                "t argument keys items: a string without maxLength (or an enum, or an anchored pattern of bounded "
                        + "length)",
                "t argument filter: an object without additionalProperties: false (or, for a map, maxProperties "
                        + "and a schema for the values)",
                "t argument either oneOf[0]: a number without maximum");
    }
}
