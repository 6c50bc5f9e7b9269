package dev.bastion.security.limits;

import static dev.bastion.security.pipelinesupport.Calls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.pipelinesupport.TestCallContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultSizeInterceptorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 262_144;

    private static ToolDescriptor tool(boolean withOutputSchema) {
        ToolDescriptor.Builder builder = ToolDescriptor.builder("dynatrace_managed_list_problems").description("lists")
                .annotations(ToolAnnotations.readOnly());
        if (withOutputSchema) {
            builder.outputSchema(JSON.createObjectNode().put("type", "object"));
        }
        return builder.build();
    }

    private static ToolResult run(ToolResult produced, boolean withOutputSchema) throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new ResultSizeInterceptor(JSON, LIMIT)));
        return chain.execute(call(tool(withOutputSchema), TestCallContext.of(Principal.local(), Instant.now().plusSeconds(5))),
                c -> produced);
    }

    private static int size(ToolResult result) throws Exception {
        return JSON.writeValueAsBytes(result).length;
    }

    @Test
    void leavesSmallResultsUntouched() throws Exception {
        ToolResult small = ToolResult.text("small");

        assertThat(run(small, false)).isSameAs(small);
    }

    @Test
    void recordsTheMeasuredSizeForTheAudit() throws Exception {
        ToolResult result = ToolResult.text("measured once");
        var call = call(tool(false), TestCallContext.of(Principal.local(), Instant.now().plusSeconds(5)));

        ToolCallChain.of(List.of(new ResultSizeInterceptor(JSON, LIMIT))).execute(call, c -> result);

        assertThat(call.decision().measuredBytes(result)).hasValue(size(result));
        assertThat(call.decision().measuredBytes(ToolResult.text("measured once"))).as("another instance").isEmpty();
    }

    @Test
    void cutsALargeTextResultWithAnExplicitMarker() throws Exception {
        String text = "x".repeat(1_048_576);
        ToolResult big = ToolResult.text(text);
        int original = size(big);

        ToolResult cut = run(big, false);

        assertThat(size(cut)).isLessThanOrEqualTo(LIMIT);
        assertThat(cut.content()).hasSize(2);
        String kept = ((Content.Text) cut.content().get(0)).text();
        assertThat(text).startsWith(kept);
        assertThat(kept.length()).isGreaterThan(LIMIT - 1024);
        assertThat(((Content.Text) cut.content().get(1)).text()).isEqualTo("[truncated: result was " + original
                + " bytes, limit 262144; narrow the query (smaller limit, shorter time range, fields)]");
        assertThat(cut.isError()).isFalse();
    }

    @Test
    void cutsTextAtACharacterBoundary() throws Exception {
        String text = "€😀".repeat(200_000);

        ToolResult cut = run(ToolResult.text(text), false);

        String kept = ((Content.Text) cut.content().get(0)).text();
        assertThat(text).startsWith(kept);
        assertThat(kept).doesNotContain("\uFFFD");
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
        assertThat(size(cut)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void escapedCharactersStillFitTheLimit() throws Exception {
        ToolResult cut = run(ToolResult.text("\"\\\n\u0001".repeat(200_000)), false);

        assertThat(size(cut)).isLessThanOrEqualTo(LIMIT);
        assertThat(cut.allText()).contains("[truncated: result was");
    }

    @Test
    void dropsStructuredContentThatAloneExceedsTheLimitAndSaysSo() throws Exception {
        ArrayNode rows = JSON.createArrayNode();
        for (int i = 0; i < 20_000; i++) {
            rows.addObject().put("id", "P-" + i).put("title", "CPU saturation on host-" + i);
        }
        ObjectNode structured = JSON.createObjectNode().set("problems", rows);
        ToolResult big = ToolResult.structured(structured, structured.toString());

        ToolResult cut = run(big, true);

        assertThat(cut.structuredContent()).isNull();
        assertThat(cut.allText()).contains("structuredContent (").contains("was left out because it alone exceeds the limit");
        assertThat(cut.isError()).as("a tool with an outputSchema cannot succeed without structuredContent").isTrue();
        assertThat(size(cut)).isLessThanOrEqualTo(LIMIT);
        assertThat(run(big, false).isError()).isFalse();
    }

    @Test
    void keepsStructuredContentThatFitsAndCutsItsTextCopy() throws Exception {
        ArrayNode rows = JSON.createArrayNode();
        for (int i = 0; i < 4_000; i++) {
            rows.addObject().put("id", "P-" + i).put("title", "CPU saturation on host-" + i);
        }
        ObjectNode structured = JSON.createObjectNode().set("problems", rows);
        ToolResult big = ToolResult.structured(structured, structured.toString());
        assertThat(JSON.writeValueAsBytes(structured).length).isLessThan(LIMIT - 1024);
        assertThat(size(big)).isGreaterThan(LIMIT);

        ToolResult cut = run(big, true);

        assertThat(cut.structuredContent()).isEqualTo(structured);
        assertThat(cut.isError()).isFalse();
        assertThat(cut.content().get(cut.content().size() - 1)).isInstanceOf(Content.Text.class);
        assertThat(cut.allText()).contains("[truncated: result was");
        assertThat(size(cut)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void leavesOutLaterBlocksAndCountsThem() throws Exception {
        String chunk = "y".repeat(100_000);
        ToolResult many = new ToolResult(List.of(Content.text(chunk), Content.text(chunk), Content.text(chunk),
                new Content.Image("aGVsbG8=".repeat(10_000), "image/png", null), Content.text("tail")), null, false);

        ToolResult cut = run(many, false);

        // two blocks whole, the third cut, the image and the tail left out, then the marker
        assertThat(cut.content()).hasSize(4);
        assertThat(((Content.Text) cut.content().get(2)).text()).isNotEmpty().hasSizeLessThan(100_000);
        assertThat(cut.allText()).contains("2 content blocks were left out");
        assertThat(size(cut)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void readsLimitsConfig() {
        assertThat(LimitsConfig.from(new ProviderConfig("security", "default", Map.of())))
                .isEqualTo(new LimitsConfig(Duration.ofSeconds(30), 8, 262_144));
        assertThat(LimitsConfig.from(new ProviderConfig("security", "default", Map.of(
                "call_timeout", Duration.ofSeconds(90), "max_concurrent_calls", 2, "max_result_bytes", 65_536))))
                .isEqualTo(new LimitsConfig(Duration.ofSeconds(90), 2, 65_536));
        assertThatThrownBy(() -> new LimitsConfig(Duration.ofSeconds(1), 1, 10))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("security.max_result_bytes must be at least 1024, not 10");
        assertThat(LimitsConfig.settings()).extracting(s -> s.key())
                .containsExactly("call_timeout", "max_concurrent_calls", "max_result_bytes");
        assertThat(LimitsConfig.settings().get(0).envNames()).containsExactly("BASTION_CALL_TIMEOUT");
    }
}
