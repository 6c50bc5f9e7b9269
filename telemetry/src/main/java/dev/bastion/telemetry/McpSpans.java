package dev.bastion.telemetry;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.mcp.ObservedRequest;
import dev.bastion.core.mcp.RequestTelemetry;
import dev.bastion.core.sanitize.Redactor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * MCP requests as OpenTelemetry server spans and metrics, in the semantic conventions for MCP
 * (span {@code {mcp.method.name} {target}}, {@code mcp.method.name}, {@code jsonrpc.request.id},
 * {@code mcp.protocol.version}, {@code gen_ai.tool.name}, {@code error.type}; the metrics
 * {@code mcp.server.operation.duration} and {@code mcp.server.session.duration}).
 *
 * <p>The parent is the W3C trace context the client put in {@code params._meta}
 * ({@code traceparent}, {@code tracestate}), when it did. No argument or result is recorded here
 * (see {@link ToolContentCapture} for the opt-in). The session id is recorded as a digest, because
 * on the legacy HTTP transport it addresses the session; every text attribute passes the redactor.
 */
public final class McpSpans implements RequestTelemetry {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
    static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("mcp.session.id");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
    static final AttributeKey<String> RESOURCE_URI = AttributeKey.stringKey("mcp.resource.uri");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> PROMPT_NAME = AttributeKey.stringKey("gen_ai.prompt.name");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> NETWORK_TRANSPORT = AttributeKey.stringKey("network.transport");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> RPC_STATUS = AttributeKey.longKey("rpc.response.status_code");

    /** The conventions' advice for MCP durations, in seconds. */
    static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0,
            60.0, 120.0, 300.0);

    private static final TextMapGetter<ObservedRequest> META = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ObservedRequest carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(ObservedRequest carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case "traceparent" -> carrier.traceParent();
                case "tracestate" -> carrier.traceState();
                default -> null;
            };
        }
    };

    private final Tracer tracer;
    private final DoubleHistogram operationDuration;
    private final DoubleHistogram sessionDuration;
    private final Redactor redactor;
    private final String transport;

    /**
     * @param transport {@code pipe} for stdio, {@code tcp} for HTTP ({@code network.transport})
     */
    public McpSpans(OpenTelemetry openTelemetry, Redactor redactor, String transport) {
        requireNonNull(openTelemetry, "openTelemetry is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.tracer = openTelemetry.getTracer(Telemetry.SCOPE);
        Meter meter = openTelemetry.getMeter(Telemetry.SCOPE);
        this.operationDuration = meter.histogramBuilder("mcp.server.operation.duration").setUnit("s")
                .setDescription("MCP request duration as observed on the server, from receipt to the response.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
        this.sessionDuration = meter.histogramBuilder("mcp.server.session.duration").setUnit("s")
                .setDescription("The duration of an MCP session as observed on the server.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    }

    @Override
    public Observation begin(ObservedRequest request) {
        Context parent = request.traceParent() == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), request, META);
        String target = request.target();
        AttributesBuilder common = Attributes.builder()
                .put(METHOD, request.method())
                .put(NETWORK_TRANSPORT, transport);
        if (request.protocolVersion() != null) {
            common.put(PROTOCOL_VERSION, request.protocolVersion());
        }
        if (request.toolName() != null) {
            common.put(TOOL_NAME, request.toolName());
        }
        if (request.promptName() != null) {
            common.put(PROMPT_NAME, request.promptName());
        }
        Attributes measured = common.build();
        var builder = tracer.spanBuilder(target == null ? request.method() : request.method() + " " + target)
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAllAttributes(measured)
                .setAttribute(REQUEST_ID, redactor.redact(request.requestId()));
        if (request.toolName() != null) {
            builder.setAttribute(OPERATION_NAME, "execute_tool");
        }
        if (request.sessionId() != null) {
            builder.setAttribute(SESSION_ID, digest(request.sessionId()));
        }
        if (request.resourceUri() != null) {
            builder.setAttribute(RESOURCE_URI, redactor.redact(request.resourceUri()));
        }
        Span span = builder.startSpan();
        long started = System.nanoTime();
        return new Observation() {
            @Override
            public Current makeCurrent() {
                Scope scope = span.makeCurrent();
                return scope::close;
            }

            @Override
            public void end(Outcome outcome) {
                AttributesBuilder attributes = measured.toBuilder();
                if (!outcome.ok()) {
                    span.setAttribute(ERROR_TYPE, outcome.errorType());
                    attributes.put(ERROR_TYPE, outcome.errorType());
                    if (outcome.jsonRpcErrorCode() != null) {
                        span.setAttribute(RPC_STATUS, outcome.jsonRpcErrorCode().longValue());
                    }
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
                if (!request.stream()) {
                    operationDuration.record((System.nanoTime() - started) / 1e9, attributes.build());
                }
            }
        };
    }

    @Override
    public void sessionEnded(String protocolVersion, Duration lasted) {
        AttributesBuilder attributes = Attributes.builder().put(NETWORK_TRANSPORT, transport);
        if (protocolVersion != null) {
            attributes.put(PROTOCOL_VERSION, protocolVersion);
        }
        sessionDuration.record(lasted.toNanos() / 1e9, attributes.build());
    }

    @Override
    public ExecutorService propagating(ExecutorService executor) {
        return Context.taskWrapping(executor);
    }

    /** The first 16 hex digits of the session id's SHA-256: correlates a session's spans, addresses nothing. */
    static String digest(String sessionId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
