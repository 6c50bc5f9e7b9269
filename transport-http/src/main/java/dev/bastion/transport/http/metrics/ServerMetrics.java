package dev.bastion.transport.http.metrics;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.mcp.RequestTelemetry;
import dev.bastion.security.validate.ArgumentValidationInterceptor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The server's metrics in the Prometheus text exposition format (version 0.0.4): HTTP requests and
 * their latency, tool calls by outcome and their latency, rate-limit rejections, refused
 * authentications, refused event streams and sessions, and active sessions and streams. Counters
 * are {@link LongAdder}s, so recording never blocks a request.
 *
 * <p>The number of series is bounded by construction: every label is a {@link MetricLabel} that
 * admits only declared values (HTTP methods, the statuses this server sends, its endpoints, the
 * tools of the registered catalog, the pipeline's outcome codes) and counts anything else as
 * {@code other}. Labels are admitted inside each metric family, so the rule holds for every caller,
 * also those that pass a raw request method.
 *
 * <p>Written here rather than with a metrics library: the handful of series and the text format
 * are smaller than the dependency (and its convergence) would be.
 */
public final class ServerMetrics {

    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** The endpoints {@code BastionHttpHandler} routes to; every other path is {@code other}. */
    public static final Set<String> ENDPOINTS = Set.of("mcp", "metadata", "healthz", "readyz", "metrics");
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "TRACE", "CONNECT");
    /** The statuses this server answers with; anything else is {@code other}. */
    static final Set<String> STATUSES = Set.of("200", "202", "204", "400", "401", "403", "404", "405", "406",
            "408", "413", "414", "415", "421", "429", "431", "500", "503");
    /** Tool call outcomes: success, error, exception, and the codes of the pipeline's denying stages. */
    static final Set<String> OUTCOMES = Set.of("success", "error", "exception", "unauthorized", "rate_limited",
            "too_many_concurrent_calls", "overloaded", ArgumentValidationInterceptor.INVALID_ARGUMENTS,
            ArgumentValidationInterceptor.INVALID_TOOL_SCHEMA, "read_only", "approval_declined", "approval_failed",
            "approval_unavailable", "timeout", "cancelled", "input_required", "request_state_refused");
    /** Why an authentication was refused. */
    public static final Set<String> AUTH_FAILURE_REASONS = Set.of("missing", "invalid", "forbidden", "unavailable",
            "throttled");
    /** The MCP request methods the engine handles; a busy refusal of anything else counts as {@code other}. */
    static final Set<String> MCP_METHODS = Set.of("initialize", "ping", "tools/list", "tools/call", "resources/list",
            "resources/read", "resources/templates/list", "resources/subscribe", "resources/unsubscribe",
            "prompts/list", "prompts/get", "completion/complete", "logging/setLevel", "server/discover",
            "subscriptions/listen");
    /**
     * How an MCP request ended, as OpenTelemetry's {@code error.type}: empty for success,
     * {@code tool_error} for a result with {@code isError}, {@code cancelled}, or a JSON-RPC error code.
     */
    static final Set<String> ERROR_TYPES = Set.of("", "tool_error", "cancelled", "-32700", "-32600", "-32601",
            "-32602", "-32603", "-32002", "-32020", "-32021", "-32022");
    /** Why an event stream or a session was refused. */
    public static final Set<String> REFUSAL_REASONS = Set.of("principal_limit", "server_limit");

    private final ToolNames toolNames = new ToolNames();
    private final CounterFamily httpRequests = new CounterFamily("bastion_http_requests_total",
            "HTTP requests by endpoint, method and status.", MetricLabel.of("endpoint", ENDPOINTS),
            MetricLabel.of("method", METHODS), MetricLabel.of("status", STATUSES));
    private final HistogramFamily httpLatency = new HistogramFamily("bastion_http_request_duration_seconds",
            "HTTP request latency (until the response started for streams).", MetricLabel.of("endpoint", ENDPOINTS));
    private final CounterFamily toolCalls = new CounterFamily("bastion_tool_calls_total",
            "Tool calls by tool and outcome (success, error, or the denying stage's code).",
            new MetricLabel("tool", toolNames), MetricLabel.of("outcome", OUTCOMES));
    private final HistogramFamily toolLatency = new HistogramFamily("bastion_tool_call_duration_seconds",
            "Tool call latency through the whole pipeline.", new MetricLabel("tool", toolNames));
    private final CounterFamily authFailures = new CounterFamily("bastion_auth_failures_total",
            "Refused authentications by reason (throttled: refused unchecked after repeated failures from the "
                    + "client's address).", MetricLabel.of("reason", AUTH_FAILURE_REASONS));
    private final CounterFamily streamRefusals = new CounterFamily("bastion_event_streams_refused_total",
            "GET event streams refused by the per-principal or the server-wide cap.",
            MetricLabel.of("reason", REFUSAL_REASONS));
    private final CounterFamily sessionRefusals = new CounterFamily("bastion_sessions_refused_total",
            "Sessions refused because the server-wide cap is reached and the caller has none to give up.",
            MetricLabel.of("reason", REFUSAL_REASONS));
    private final HistogramFamily mcpOperations = new HistogramFamily("mcp_server_operation_duration_seconds",
            "MCP request duration from receipt to the response, by method, tool and error type (OpenTelemetry's "
                    + "mcp.server.operation.duration; error_type is empty for success).",
            MetricLabel.of("mcp_method_name", MCP_METHODS), new MetricLabel("gen_ai_tool_name", name -> name.isEmpty() || toolNames.test(name)),
            MetricLabel.of("error_type", ERROR_TYPES));
    private final LongAdder rateLimitRejections = new LongAdder();
    private final CounterFamily busyRefusals = new CounterFamily("bastion_busy_refusals_total",
            "Requests refused as \"Server busy\" (every worker taken, queue full) by MCP method.",
            MetricLabel.of("method", MCP_METHODS));
    private volatile IntSupplier activeSessions = () -> 0;
    private volatile IntSupplier activeStreams = () -> 0;

    /**
     * Declares which tool names are counted under their own name: the registered catalog's.
     * Until this is called, and for any name it does not admit, tool calls count as {@code other}.
     */
    public void toolNames(Predicate<String> registered) {
        toolNames.source = requireNonNull(registered, "registered is null");
    }

    /** One finished HTTP request; the method is the raw request method, admitted here. */
    public void httpRequest(String endpoint, String method, int status, long nanos) {
        httpRequests.increment(endpoint, method, Integer.toString(status));
        httpLatency.observe(nanos, endpoint);
    }

    /**
     * One finished tool call.
     *
     * @param outcome {@code success}, {@code error}, or the code of the pipeline stage that denied it
     */
    public void toolCall(String tool, String outcome, long nanos) {
        toolCalls.increment(tool, outcome);
        toolLatency.observe(nanos, tool);
        if ("rate_limited".equals(outcome)) {
            rateLimitRejections.increment();
        }
    }

    /**
     * One finished MCP request, in OpenTelemetry's MCP conventions.
     *
     * @param tool the tool of a {@code tools/call}, or {@code null}
     * @param errorType {@code null} for success, else as {@link #ERROR_TYPES}
     */
    public void mcpOperation(String method, String tool, String errorType, long nanos) {
        mcpOperations.observe(nanos, method, tool == null ? "" : tool, errorType == null ? "" : errorType);
    }

    /** The engine's telemetry port, recording {@link #mcpOperation} for every request. */
    public RequestTelemetry requestTelemetry() {
        return request -> {
            long started = System.nanoTime();
            return new RequestTelemetry.Observation() {
                @Override
                public RequestTelemetry.Current makeCurrent() {
                    return RequestTelemetry.Current.NONE;
                }

                @Override
                public void end(RequestTelemetry.Outcome outcome) {
                    if (!request.stream()) {
                        mcpOperation(request.method(), request.toolName(), outcome.errorType(),
                                System.nanoTime() - started);
                    }
                }
            };
        };
    }

    /**
     * One request refused as "Server busy" before any handler ran.
     *
     * @param method the MCP method; one the engine does not handle counts as {@code other}
     */
    public void busyRefusal(String method) {
        busyRefusals.increment(method);
    }

    /** One refused authentication, by one of {@link #AUTH_FAILURE_REASONS}. */
    public void authFailure(String reason) {
        authFailures.increment(reason);
    }

    /** One refused GET event stream, by one of {@link #REFUSAL_REASONS}. */
    public void streamRefused(String reason) {
        streamRefusals.increment(reason);
    }

    /** One refused session, by one of {@link #REFUSAL_REASONS}. */
    public void sessionRefused(String reason) {
        sessionRefusals.increment(reason);
    }

    public void activeSessions(IntSupplier source) {
        this.activeSessions = requireNonNull(source, "source is null");
    }

    public void activeStreams(IntSupplier source) {
        this.activeStreams = requireNonNull(source, "source is null");
    }

    public long rateLimitRejections() {
        return rateLimitRejections.sum();
    }

    /** The current values in the Prometheus text format. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        httpRequests.write(out);
        httpLatency.write(out);
        toolCalls.write(out);
        toolLatency.write(out);
        out.append("# HELP bastion_rate_limit_rejections_total Tool calls refused by the rate limit.\n")
                .append("# TYPE bastion_rate_limit_rejections_total counter\n")
                .append("bastion_rate_limit_rejections_total ").append(rateLimitRejections.sum()).append('\n');
        authFailures.write(out);
        streamRefusals.write(out);
        sessionRefusals.write(out);
        busyRefusals.write(out);
        mcpOperations.write(out);
        gauge(out, "bastion_sessions_active", "Open MCP sessions.", activeSessions.getAsInt());
        gauge(out, "bastion_event_streams_active", "Open GET event streams.", activeStreams.getAsInt());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, int value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }

    /** The catalog's tool names, set once the engine is known. */
    private static final class ToolNames implements Predicate<String> {
        volatile Predicate<String> source = name -> false;

        @Override
        public boolean test(String name) {
            return source.test(name);
        }
    }

    /** Series keyed by their admitted label values. */
    private abstract static class Family<S> {
        final String name;
        final String help;
        final List<MetricLabel> labels;
        final Map<List<String>, S> series = new ConcurrentHashMap<>();

        Family(String name, String help, MetricLabel... labels) {
            this.name = name;
            this.help = help;
            this.labels = List.of(labels);
        }

        /** The series for these raw values, each admitted by its label first. */
        S series(String... raw) {
            if (raw.length != labels.size()) {
                throw new IllegalArgumentException(name + " has " + labels.size() + " labels, not " + raw.length);
            }
            String[] admitted = new String[raw.length];
            for (int i = 0; i < raw.length; i++) {
                admitted[i] = labels.get(i).admit(raw[i]);
            }
            return series.computeIfAbsent(List.of(admitted), key -> create());
        }

        abstract S create();

        List<Map.Entry<List<String>, S>> sorted() {
            return series.entrySet().stream().sorted(Map.Entry.comparingByKey(Family::compare)).toList();
        }

        String labelText(List<String> values, String le) {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels.get(i).name()).append("=\"").append(escape(values.get(i))).append('"');
            }
            if (le != null) {
                out.append(labels.isEmpty() ? "" : ",").append("le=\"").append(le).append('"');
            }
            return out.append('}').toString();
        }

        void head(StringBuilder out, String type) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        private static int compare(List<String> a, List<String> b) {
            return String.join("\u0000", a).compareTo(String.join("\u0000", b));
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }
    }

    private static final class CounterFamily extends Family<LongAdder> {
        CounterFamily(String name, String help, MetricLabel... labels) {
            super(name, help, labels);
        }

        void increment(String... raw) {
            series(raw).increment();
        }

        @Override
        LongAdder create() {
            return new LongAdder();
        }

        void write(StringBuilder out) {
            head(out, "counter");
            for (Map.Entry<List<String>, LongAdder> entry : sorted()) {
                out.append(name).append(labelText(entry.getKey(), null)).append(' ').append(entry.getValue().sum())
                        .append('\n');
            }
        }
    }

    private static final class HistogramFamily extends Family<Histogram> {
        HistogramFamily(String name, String help, MetricLabel... labels) {
            super(name, help, labels);
        }

        void observe(long nanos, String... raw) {
            series(raw).observe(nanos);
        }

        @Override
        Histogram create() {
            return new Histogram();
        }

        void write(StringBuilder out) {
            head(out, "histogram");
            for (Map.Entry<List<String>, Histogram> entry : sorted()) {
                Histogram histogram = entry.getValue();
                long[] counts = histogram.snapshot();
                long cumulative = 0;
                for (int i = 0; i < BUCKETS.length; i++) {
                    cumulative += counts[i];
                    out.append(name).append("_bucket").append(labelText(entry.getKey(), format(BUCKETS[i])))
                            .append(' ').append(cumulative).append('\n');
                }
                cumulative += counts[BUCKETS.length];
                out.append(name).append("_bucket").append(labelText(entry.getKey(), "+Inf")).append(' ')
                        .append(cumulative).append('\n');
                out.append(name).append("_sum").append(labelText(entry.getKey(), null)).append(' ')
                        .append(histogram.sumSeconds()).append('\n');
                out.append(name).append("_count").append(labelText(entry.getKey(), null)).append(' ')
                        .append(cumulative).append('\n');
            }
        }

        private static String format(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) + ".0" : Double.toString(value);
        }
    }

    /** Fixed buckets; the last slot counts observations above the largest bucket. */
    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        private final LongAdder sumNanos = new LongAdder();

        Histogram() {
            Arrays.setAll(counts, i -> new LongAdder());
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            int index = 0;
            while (index < BUCKETS.length && seconds > BUCKETS[index]) {
                index++;
            }
            counts[index].increment();
            sumNanos.add(nanos);
        }

        long[] snapshot() {
            long[] values = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                values[i] = counts[i].sum();
            }
            return values;
        }

        double sumSeconds() {
            return sumNanos.sum() / 1e9;
        }
    }
}
