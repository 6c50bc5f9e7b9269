package dev.bastion.transport.http.metrics;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.mcp.InputRequired;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;

/** The outermost pipeline stage: counts every tool call by outcome and measures it. */
public final class MetricsInterceptor implements ToolCallInterceptor {

    private final ServerMetrics metrics;

    public MetricsInterceptor(ServerMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public Stage stage() {
        return Stage.METRICS;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        long start = System.nanoTime();
        String outcome = "exception";
        try {
            ToolResult result = chain.proceed(call);
            outcome = call.decision().denied() ? call.decision().decision() : result.isError() ? "error" : "success";
            return result;
        } catch (InputRequired asked) {
            outcome = asked.stateRefusal() != null ? "request_state_refused" : "input_required";
            throw asked;
        } finally {
            metrics.toolCall(call.tool().name(), outcome, System.nanoTime() - start);
        }
    }
}
