package dev.bastion.toolkit.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CompactJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void compactDropsEmptyFieldsAndClipsLongStrings() throws Exception {
        var node = JSON.readTree("""
                {"a":"","b":null,"c":[],"d":{},"e":[{"f":""}],"g":"0123456789","h":0,"i":false,"j":[null,"x"]}""");
        assertThat(CompactJson.compact(node, 5).toString()).isEqualTo("{\"g\":\"0123…\",\"h\":0,\"i\":false,\"j\":[\"x\"]}");
    }

    @Test
    void putLeavesOutNothingButEmptyValues() throws Exception {
        ObjectNode out = JSON.createObjectNode();
        CompactJson.put(out, "empty", "");
        CompactJson.put(out, "missing", JSON.createObjectNode().path("x"));
        CompactJson.put(out, "text", "t");
        CompactJson.put(out, "number", JSON.readTree("3"));
        CompactJson.putNonEmpty(out, "list", JSON.createArrayNode());
        CompactJson.putNumber(out, "not_a_number", JSON.readTree("\"3\""));
        assertThat(out.toString()).isEqualTo("{\"text\":\"t\",\"number\":3}");
        assertThat(CompactJson.clip("abcdef", 4)).isEqualTo("abc…");
        assertThat(CompactJson.clip(null, 4)).isNull();
    }
}
