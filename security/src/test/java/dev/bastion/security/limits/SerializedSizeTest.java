package dev.bastion.security.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ToolResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerializedSizeTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void countsExactlyTheBytesTheMapperWouldProduce() throws Exception {
        ToolResult result = new ToolResult(List.of(Content.text("quotes \" and \\ backslashes, tab\t, umlaut \u00e4,"
                        + " emoji \ud83d\ude00, control \u0001"), Content.text("x".repeat(20_000))),
                JsonNodeFactory.instance.objectNode().put("total", 3).put("name", "caf\u00e9"), false);

        assertThat(SerializedSize.of(json, result)).isEqualTo(json.writeValueAsBytes(result).length);
    }

    @Test
    void countsAnEmptyResult() throws Exception {
        ToolResult empty = new ToolResult(List.of(), null, true);

        assertThat(SerializedSize.of(json, empty)).isEqualTo(json.writeValueAsBytes(empty).length);
    }
}
