package dev.bastion.telemetry;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.outbound.BackendTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One OpenTelemetry client span per backend request, in the HTTP client conventions: named by the
 * method, with {@code http.request.method}, {@code url.full} (query values replaced by
 * {@code REDACTED}, no user info, then redacted), {@code server.address}, {@code server.port},
 * {@code http.response.status_code} and {@code error.type}, plus {@code bastion.backend} naming the
 * provider instance. A child of the current MCP request's span.
 *
 * <p>The W3C {@code traceparent} goes to the backend only for instances whose operator turned on
 * {@code propagate_trace_context}; otherwise the request is sent exactly as without tracing.
 */
public final class BackendSpans implements BackendTracing {

    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> BACKEND = AttributeKey.stringKey("bastion.backend");

    private static final TextMapSetter<Request.Builder> HEADERS = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.header(key, value);
        }
    };

    private final Tracer tracer;
    private final Redactor redactor;

    public BackendSpans(OpenTelemetry openTelemetry, Redactor redactor) {
        this.tracer = requireNonNull(openTelemetry, "openTelemetry is null").getTracer(Telemetry.SCOPE);
        this.redactor = requireNonNull(redactor, "redactor is null");
    }

    @Override
    public Interceptor interceptor(String backend, boolean propagateContext) {
        requireNonNull(backend, "backend is null");
        return chain -> {
            Request request = chain.request();
            HttpUrl url = request.url();
            Span span = tracer.spanBuilder(request.method())
                    .setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.current())
                    .setAttribute(HTTP_METHOD, request.method())
                    .setAttribute(URL_FULL, redactor.redact(withoutQueryValues(url)))
                    .setAttribute(SERVER_ADDRESS, url.host())
                    .setAttribute(SERVER_PORT, (long) url.port())
                    .setAttribute(BACKEND, backend)
                    .startSpan();
            try (Scope scope = span.makeCurrent()) {
                Request sent = request;
                if (propagateContext) {
                    Request.Builder headers = request.newBuilder();
                    W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, HEADERS);
                    sent = headers.build();
                }
                Response response = chain.proceed(sent);
                span.setAttribute(HTTP_STATUS, (long) response.code());
                if (response.code() >= 400) {
                    span.setAttribute(McpSpans.ERROR_TYPE, Integer.toString(response.code()));
                    span.setStatus(StatusCode.ERROR);
                }
                return response;
            } catch (IOException | RuntimeException e) {
                // The type only: a message may quote the URL or the backend's words.
                span.setAttribute(McpSpans.ERROR_TYPE, e.getClass().getName());
                span.setStatus(StatusCode.ERROR);
                throw e;
            } finally {
                span.end();
            }
        };
    }

    /** The URL without user info and with every query value replaced by {@code REDACTED}. */
    static String withoutQueryValues(HttpUrl url) {
        HttpUrl.Builder shown = url.newBuilder().username("").password("").query(null).fragment(null);
        for (int i = 0; i < url.querySize(); i++) {
            shown.addQueryParameter(url.queryParameterName(i), url.queryParameterValue(i) == null ? null : "REDACTED");
        }
        return shown.build().toString();
    }
}
