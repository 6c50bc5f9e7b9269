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
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    private final ServerMetrics metrics = new ServerMetrics();

    {
        metrics.toolNames(Set.of("ok_tool", "bad_tool", "busy_tool", "we\"ird\\tool\n")::contains);
    }

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

    @Test
    void everyLabelAdmitsOnlyDeclaredValuesAndCountsTheRestAsOther() {
        for (int i = 0; i < 1000; i++) {
            metrics.httpRequest("endpoint-" + i, "M" + i, 600 + i, 1);
            metrics.toolCall("unregistered_" + i, "outcome_" + i, 1);
            metrics.authFailure("reason-" + i);
            metrics.streamRefused("reason-" + i);
            metrics.sessionRefused("reason-" + i);
        }
        String text = metrics.scrape();
        assertThat(text).contains("bastion_http_requests_total{endpoint=\"other\",method=\"other\",status=\"other\"} 1000\n")
                .contains("bastion_http_request_duration_seconds_count{endpoint=\"other\"} 1000\n")
                .contains("bastion_tool_calls_total{tool=\"other\",outcome=\"other\"} 1000\n")
                .contains("bastion_tool_call_duration_seconds_count{tool=\"other\"} 1000\n")
                .contains("bastion_auth_failures_total{reason=\"other\"} 1000\n")
                .contains("bastion_event_streams_refused_total{reason=\"other\"} 1000\n")
                .contains("bastion_sessions_refused_total{reason=\"other\"} 1000\n")
                .doesNotContain("M999", "unregistered_", "outcome_", "reason-", "endpoint-");
        assertThat(text.lines().count()).isLessThan(100);
    }

    @Test
    void declaredValuesKeepTheirOwnSeries() {
        metrics.httpRequest("mcp", "DELETE", 404, 1);
        metrics.toolCall("ok_tool", "invalid_arguments", 1);
        metrics.authFailure("throttled");
        metrics.streamRefused("principal_limit");
        assertThat(metrics.scrape())
                .contains("bastion_http_requests_total{endpoint=\"mcp\",method=\"DELETE\",status=\"404\"} 1\n")
                .contains("bastion_tool_calls_total{tool=\"ok_tool\",outcome=\"invalid_arguments\"} 1\n")
                .contains("bastion_auth_failures_total{reason=\"throttled\"} 1\n")
                .contains("bastion_event_streams_refused_total{reason=\"principal_limit\"} 1\n");
    }

    @Test
    void toolNamesAreCountedOnlyOnceTheCatalogIsDeclared() {
        ServerMetrics fresh = new ServerMetrics();
        fresh.toolCall("ok_tool", "success", 1);
        assertThat(fresh.scrape()).contains("bastion_tool_calls_total{tool=\"other\",outcome=\"success\"} 1\n")
                .doesNotContain("ok_tool");
    }

    @Test
    void mcpRequestDurationsAreOneHistogramByMethodToolAndErrorTypeWithBoundedLabels() {
        dev.bastion.core.mcp.RequestTelemetry telemetry = metrics.requestTelemetry();
        telemetry.begin(new dev.bastion.core.mcp.ObservedRequest("tools/call", "1", null, "2025-11-25", "ok_tool",
                null, null, null, null)).end(dev.bastion.core.mcp.RequestTelemetry.Outcome.TOOL_ERROR);
        telemetry.begin(new dev.bastion.core.mcp.ObservedRequest("tools/list", "2", null, null, null, null, null,
                null, null)).end(dev.bastion.core.mcp.RequestTelemetry.Outcome.OK);
        telemetry.begin(new dev.bastion.core.mcp.ObservedRequest("x/unknown", "3", null, null, "not_a_tool", null,
                null, null, null)).end(dev.bastion.core.mcp.RequestTelemetry.Outcome.error(-31999));
        String text = metrics.scrape();
        assertThat(text).contains("# TYPE mcp_server_operation_duration_seconds histogram")
                .contains("mcp_server_operation_duration_seconds_count{mcp_method_name=\"tools/call\","
                        + "gen_ai_tool_name=\"ok_tool\",error_type=\"tool_error\"} 1")
                .contains("mcp_server_operation_duration_seconds_count{mcp_method_name=\"tools/list\","
                        + "gen_ai_tool_name=\"\",error_type=\"\"} 1")
                .contains("mcp_server_operation_duration_seconds_count{mcp_method_name=\"other\","
                        + "gen_ai_tool_name=\"other\",error_type=\"other\"} 1")
                .doesNotContain("not_a_tool").doesNotContain("x/unknown").doesNotContain("-31999");
    }
}
