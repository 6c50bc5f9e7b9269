package dev.bastion.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.ObservedRequest;
import dev.bastion.core.mcp.RequestTelemetry;
import dev.bastion.core.pipeline.CallDecision;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.testkit.TestCallContext;
import dev.bastion.security.redact.SecretRedactor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    private static final String SECRET = "plantedcapturesecret9d3b7f1a5c";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
            .build();

    @Test
    void isOffUnlessAnExporterIsConfigured() {
        assertThat(Telemetry.enabled(Map.of())).isFalse();
        assertThat(Telemetry.enabled(Map.of("OTEL_SERVICE_NAME", "x"))).isFalse();
        assertThat(Telemetry.enabled(Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
        assertThat(Telemetry.enabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isFalse();
        assertThat(Telemetry.enabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))).isTrue();
        assertThat(Telemetry.enabled(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
        assertThat(Telemetry.enabled(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces"))).isTrue();
        assertThat(Telemetry.enabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318",
                "OTEL_SDK_DISABLED", "true"))).isFalse();
        Telemetry off = Telemetry.configure(Map.of(), new SecretRedactor(), JsonMappers.create(), "stdio", "1");
        assertThat(off.on()).isFalse();
        assertThat(off.requests()).isSameAs(RequestTelemetry.NONE);
        assertThat(off.toolContentCapture()).isEmpty();
    }

    @Test
    void theOtlpHeadersValuesAreSecretsOfTheRedactor() {
        SecretRedactor redactor = new SecretRedactor();
        try (Telemetry on = Telemetry.configure(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9",
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Api-Token%20" + SECRET + ",x-tenant=acme"),
                redactor, JsonMappers.create(), "http", "1")) {
            assertThat(on.on()).isTrue();
            assertThat(redactor.redact("token " + SECRET + " and Api-Token " + SECRET)).doesNotContain(SECRET);
            assertThat(redactor.redact("tenant acme")).contains("acme");
        }
    }

    @Test
    void aBackendUrlKeepsItsQueryNamesButNoValuesAndNoUserInfo() {
        HttpUrl url = HttpUrl.get("https://user:pw@dt.example.com/e/abc/api/v2/problems?from=now-2h&Api-Token="
                + SECRET + "#x");
        assertThat(BackendSpans.withoutQueryValues(url))
                .isEqualTo("https://dt.example.com/e/abc/api/v2/problems?from=REDACTED&Api-Token=REDACTED");
    }

    @Test
    void aToolErrorAndAJsonRpcErrorSetErrorTypeAndTheParentComesFromTheClientsTraceparent() {
        McpSpans spans = new McpSpans(sdk, new SecretRedactor(), "pipe");
        spans.begin(request("tools/call", "get_problem", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .end(RequestTelemetry.Outcome.TOOL_ERROR);
        spans.begin(request("tools/list", null, null)).end(RequestTelemetry.Outcome.error(-32602));
        spans.begin(request("ping", null, "not a traceparent")).end(RequestTelemetry.Outcome.OK);
        List<SpanData> finished = exported.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName).containsExactly("tools/call get_problem", "tools/list",
                "ping");
        SpanData tool = finished.get(0);
        assertThat(tool.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(tool.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("tool_error");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("network.transport"))).isEqualTo("pipe");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("mcp.session.id")))
                .isEqualTo(McpSpans.digest("session-1")).doesNotContain("session-1");
        assertThat(finished.get(1).getAttributes().get(AttributeKey.longKey("rpc.response.status_code")))
                .isEqualTo(-32602L);
        assertThat(finished.get(2).getParentSpanContext().isValid()).as("a malformed traceparent starts a new trace")
                .isFalse();
        assertThat(finished.get(2).getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
    }

    @Test
    void capturedToolContentIsRedactedAndOnlyRecordedWhenOptedIn() throws Exception {
        SecretRedactor redactor = new SecretRedactor();
        redactor.registerSecret(SECRET);
        McpSpans spans = new McpSpans(sdk, redactor, "tcp");
        ToolCallChain chain = ToolCallChain.of(List.of(new ToolContentCapture(redactor, JsonMappers.create())));
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("query", "token " + SECRET);
        RequestTelemetry.Observation observation = spans.begin(request("tools/call", "echo", null));
        try (RequestTelemetry.Current current = observation.makeCurrent()) {
            chain.execute(toolCall(arguments), call -> ToolResult.text("echo " + SECRET));
        }
        observation.end(RequestTelemetry.Outcome.OK);
        SpanData span = exported.getFinishedSpanItems().get(0);
        String recordedArguments = span.getAttributes().get(ToolContentCapture.ARGUMENTS);
        String recordedResult = span.getAttributes().get(ToolContentCapture.RESULT);
        assertThat(recordedArguments).contains("query").doesNotContain(SECRET);
        assertThat(recordedResult).contains("echo").doesNotContain(SECRET);
        assertThat(span.toString()).doesNotContain(SECRET);
    }

    private static ObservedRequest request(String method, String tool, String traceParent) {
        return new ObservedRequest(method, "7", "session-1", "2025-11-25", tool, null, null, traceParent, null);
    }

    private static ToolCall toolCall(ObjectNode arguments) {
        ToolDescriptor echo = ToolDescriptor.builder("echo").description("Echoes its query.")
                .inputSchema(JsonNodeFactory.instance.objectNode().put("type", "object"))
                .annotations(ToolAnnotations.readOnly()).build();
        return new ToolCall(echo, "test", "default", arguments, arguments.toString().length(), "session-1", "client",
                new TestCallContext(), new CallDecision());
    }
}
