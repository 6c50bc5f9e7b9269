package dev.bastion.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderParametersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schema(String properties) throws Exception {
        return JSON.readTree("{\"type\":\"object\",\"properties\":" + properties + "}");
    }

    @Test
    void aValidDeclarationIsReadAndInvalidOnesAreRefusedWithTheRule() throws Exception {
        assertThat(HeaderParameters.of("t", schema("{\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
                + "\"q\":{\"type\":\"string\"}}"))).containsExactly(Map.entry("Region", "region"));
        assertThatThrownBy(() -> HeaderParameters.of("t", schema("{\"v\":{\"type\":\"string\",\"x-mcp-header\":\"\"}}")))
                .hasMessageContaining("not an HTTP header name");
        assertThatThrownBy(() -> HeaderParameters.of("t", schema(
                "{\"v\":{\"type\":\"string\",\"x-mcp-header\":\"My Region\"}}"))).hasMessageContaining("header name");
        assertThatThrownBy(() -> HeaderParameters.of("t", schema(
                "{\"v\":{\"type\":\"object\",\"x-mcp-header\":\"Data\"}}"))).hasMessageContaining("not a string");
        assertThatThrownBy(() -> HeaderParameters.of("t", schema(
                "{\"v\":{\"type\":\"number\",\"x-mcp-header\":\"Score\"}}"))).hasMessageContaining("not a string");
        assertThatThrownBy(() -> HeaderParameters.of("t", schema("{\"a\":{\"type\":\"string\",\"x-mcp-header\":"
                + "\"MyField\"},\"b\":{\"type\":\"string\",\"x-mcp-header\":\"myfield\"}}")))
                .hasMessageContaining("another property");
        assertThatThrownBy(() -> HeaderParameters.of("t", schema(
                "{\"v\":{\"type\":\"string\",\"x-mcp-header\":\"Région\"}}"))).hasMessageContaining("header name");
    }

    @Test
    void theHeaderMustSayWhatTheBodySaysLiterallyOrInBase64() throws Exception {
        Map<String, String> declared = Map.of("Region", "region");
        JsonNode arguments = JSON.readTree("{\"region\":\"Hello\"}");
        assertThat(HeaderParameters.mismatch(declared, arguments, h -> "Hello")).isEmpty();
        assertThat(HeaderParameters.mismatch(declared, arguments, h -> "=?base64?SGVsbG8=?=")).isEmpty();
        assertThat(HeaderParameters.mismatch(declared, arguments, h -> "=?base64?SGVsbG8?=")).get().asString()
                .contains("not valid Base64");
        assertThat(HeaderParameters.mismatch(declared, arguments, h -> "=?base64?SGVs!!!bG8=?=")).isPresent();
        assertThat(HeaderParameters.mismatch(declared, arguments, h -> null)).get().asString().contains("required");
        assertThat(HeaderParameters.mismatch(declared, arguments, h -> "Bye")).get().asString().contains("differs");
        assertThat(HeaderParameters.mismatch(declared, JSON.readTree("{\"region\":\"=?base64?SGVsbG8=\"}"),
                h -> "=?base64?SGVsbG8=")).as("without the suffix a value is literal").isEmpty();
        assertThat(HeaderParameters.mismatch(Map.of("Priority", "p"), JSON.readTree("{\"p\":3}"), h -> "3")).isEmpty();
        assertThat(HeaderParameters.mismatch(declared, JSON.readTree("{}"), h -> null)).as("no argument, no header")
                .isEmpty();
    }
}
