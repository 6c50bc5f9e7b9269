package dev.bastion.transport.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bastion.core.pipeline.CallDecision;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.testkit.TestCallContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    private final ServerMetrics metrics = new ServerMetrics();

    private ToolCall call(String tool) {
        ToolDescriptor descriptor = ToolDescriptor.builder(tool).description("t")
                .inputSchema(ToolDescriptor.noArguments()).annotations(ToolAnnotations.readOnly()).build();
        return new ToolCall(descriptor, "p", "default", JsonNodeFactory.instance.objectNode(), 10, "s", "c",
                new TestCallContext(),
                new CallDecision());
    }

    @Test
    void writesPrometheusTextWithCumulativeBuckets() {
        metrics.httpRequest("mcp", "POST", 200, 3_000_000);
        metrics.httpRequest("mcp", "POST", 200, 700_000_000);
        metrics.activeSessions(() -> 7);
        String text = metrics.scrape();
        assertThat(text).contains("# TYPE bastion_http_requests_total counter\n")
                .contains("bastion_http_requests_total{endpoint=\"mcp\",method=\"POST\",status=\"200\"} 2\n")
                .contains("bastion_http_request_duration_seconds_bucket{endpoint=\"mcp\",le=\"0.001\"} 0\n")
                .contains("bastion_http_request_duration_seconds_bucket{endpoint=\"mcp\",le=\"0.005\"} 1\n")
                .contains("bastion_http_request_duration_seconds_bucket{endpoint=\"mcp\",le=\"1.0\"} 2\n")
                .contains("bastion_http_request_duration_seconds_bucket{endpoint=\"mcp\",le=\"+Inf\"} 2\n")
                .contains("bastion_http_request_duration_seconds_count{endpoint=\"mcp\"} 2\n")
                .contains("bastion_sessions_active 7\n");
    }

    @Test
    void theMetricsStageCountsOutcomesIncludingDenialsAndRateLimitRejections() throws Exception {
        MetricsInterceptor stage = new MetricsInterceptor(metrics);
        ToolCallChain chain = ToolCallChain.of(List.of(stage));
        chain.execute(call("ok_tool"), c -> ToolResult.text("fine"));
        chain.execute(call("bad_tool"), c -> ToolResult.error("backend said no"));
        chain.execute(call("busy_tool"), c -> c.deny("rate_limited", "Rate limit exceeded"));
        String text = metrics.scrape();
        assertThat(text).contains("bastion_tool_calls_total{tool=\"ok_tool\",outcome=\"success\"} 1\n")
                .contains("bastion_tool_calls_total{tool=\"bad_tool\",outcome=\"error\"} 1\n")
                .contains("bastion_tool_calls_total{tool=\"busy_tool\",outcome=\"rate_limited\"} 1\n")
                .contains("bastion_rate_limit_rejections_total 1\n");
        assertThat(metrics.rateLimitRejections()).isEqualTo(1);
    }

    @Test
    void escapesLabelValues() {
        metrics.toolCall("we\"ird\\tool\n", "success", 1);
        assertThat(metrics.scrape()).contains("tool=\"we\\\"ird\\\\tool\\n\"");
    }
}
