package dev.bastion.telemetry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.ToolResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * The opt-in of the MCP conventions: a tool call's arguments and result as attributes of its span
 * ({@code gen_ai.tool.call.arguments}, {@code gen_ai.tool.call.result}). They are sensitive, so
 * this stage exists only when the operator asks for it
 * ({@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true}, the variable OpenTelemetry's GenAI
 * instrumentations use for the same opt-in),
 * and both pass the redactor first. It runs outermost, so the result it records is the one the
 * client got: redacted and cut to size by the pipeline's own stages.
 */
public final class ToolContentCapture implements ToolCallInterceptor {

    static final AttributeKey<String> ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
    static final AttributeKey<String> RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");

    private final Redactor redactor;
    private final ObjectMapper json;

    public ToolContentCapture(Redactor redactor, ObjectMapper json) {
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.json = requireNonNull(json, "json is null");
    }

    @Override
    public Stage stage() {
        return Stage.TELEMETRY;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        Span span = Span.current();
        if (span.isRecording()) {
            span.setAttribute(ARGUMENTS, redactor.redact(call.arguments().toString()));
        }
        ToolResult result = chain.proceed(call);
        if (span.isRecording()) {
            span.setAttribute(RESULT, redactor.redact(text(result)));
        }
        return result;
    }

    private String text(ToolResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            return "(result not serializable: " + e.getClass().getSimpleName() + ")";
        }
    }
}
