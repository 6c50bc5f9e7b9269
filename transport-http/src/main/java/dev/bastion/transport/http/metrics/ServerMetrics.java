package dev.bastion.transport.http.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's metrics in the Prometheus text exposition format (version 0.0.4): HTTP requests and
 * their latency, tool calls by outcome and their latency, rate-limit rejections and active
 * sessions. Counters are {@link LongAdder}s, so recording never blocks a request. The set of label
 * values is bounded: endpoints are fixed, methods and statuses are few, tools are the catalog's.
 *
 * <p>Written here rather than with a metrics library: the handful of series and the text format
 * are smaller than the dependency (and its convergence) would be.
 */
public final class ServerMetrics {

    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final Map<List<String>, LongAdder> httpRequests = new ConcurrentHashMap<>();
    private final Map<List<String>, Histogram> httpLatency = new ConcurrentHashMap<>();
    private final Map<List<String>, LongAdder> toolCalls = new ConcurrentHashMap<>();
    private final Map<List<String>, Histogram> toolLatency = new ConcurrentHashMap<>();
    private final Map<List<String>, LongAdder> authFailures = new ConcurrentHashMap<>();
    private final LongAdder rateLimitRejections = new LongAdder();
    private final Map<List<String>, LongAdder> busyRefusals = new ConcurrentHashMap<>();
    private volatile IntSupplier activeSessions = () -> 0;

    /** One finished HTTP request. */
    public void httpRequest(String endpoint, String method, int status, long nanos) {
        httpRequests.computeIfAbsent(List.of(endpoint, method, Integer.toString(status)), k -> new LongAdder())
                .increment();
        httpLatency.computeIfAbsent(List.of(endpoint), k -> new Histogram()).observe(nanos);
    }

    /**
     * One finished tool call.
     *
     * @param outcome {@code success}, {@code error}, or the code of the pipeline stage that denied it
     */
    public void toolCall(String tool, String outcome, long nanos) {
        toolCalls.computeIfAbsent(List.of(tool, outcome), k -> new LongAdder()).increment();
        toolLatency.computeIfAbsent(List.of(tool), k -> new Histogram()).observe(nanos);
        if ("rate_limited".equals(outcome)) {
            rateLimitRejections.increment();
        }
    }

    /**
     * One request refused as "Server busy" before any handler ran.
     *
     * @param method a method the engine handles (the engine refuses unknown ones earlier), so the label is bounded
     */
    public void busyRefusal(String method) {
        busyRefusals.computeIfAbsent(List.of(method), k -> new LongAdder()).increment();
    }

    public long busyRefusals() {
        return busyRefusals.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** One refused authentication: {@code missing}, {@code invalid}, {@code forbidden} or {@code unavailable}. */
    public void authFailure(String reason) {
        authFailures.computeIfAbsent(List.of(reason), k -> new LongAdder()).increment();
    }

    public void activeSessions(IntSupplier source) {
        this.activeSessions = source;
    }

    public long rateLimitRejections() {
        return rateLimitRejections.sum();
    }

    /** The current values in the Prometheus text format. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        counter(out, "bastion_http_requests_total", "HTTP requests by endpoint, method and status.",
                List.of("endpoint", "method", "status"), httpRequests);
        histogram(out, "bastion_http_request_duration_seconds", "HTTP request latency (until the response "
                + "started for streams).", List.of("endpoint"), httpLatency);
        counter(out, "bastion_tool_calls_total", "Tool calls by tool and outcome (success, error, or the denying "
                + "stage's code).", List.of("tool", "outcome"), toolCalls);
        histogram(out, "bastion_tool_call_duration_seconds", "Tool call latency through the whole pipeline.",
                List.of("tool"), toolLatency);
        out.append("# HELP bastion_rate_limit_rejections_total Tool calls refused by the rate limit.\n")
                .append("# TYPE bastion_rate_limit_rejections_total counter\n")
                .append("bastion_rate_limit_rejections_total ").append(rateLimitRejections.sum()).append('\n');
        counter(out, "bastion_auth_failures_total", "Refused authentications by reason.", List.of("reason"),
                authFailures);
        counter(out, "bastion_busy_refusals_total", "Requests refused as \"Server busy\" (every worker taken, "
                + "queue full) by MCP method.", List.of("method"), busyRefusals);
        out.append("# HELP bastion_sessions_active Open MCP sessions.\n")
                .append("# TYPE bastion_sessions_active gauge\n")
                .append("bastion_sessions_active ").append(activeSessions.getAsInt()).append('\n');
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, List<String> labels,
                                Map<List<String>, LongAdder> series) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        series.entrySet().stream().sorted(Map.Entry.comparingByKey(ServerMetrics::compare))
                .forEach(entry -> out.append(name).append(labels(labels, entry.getKey(), null)).append(' ')
                        .append(entry.getValue().sum()).append('\n'));
    }

    private static void histogram(StringBuilder out, String name, String help, List<String> labels,
                                  Map<List<String>, Histogram> series) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        series.entrySet().stream().sorted(Map.Entry.comparingByKey(ServerMetrics::compare)).forEach(entry -> {
            Histogram histogram = entry.getValue();
            long[] counts = histogram.snapshot();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i];
                out.append(name).append("_bucket").append(labels(labels, entry.getKey(), format(BUCKETS[i])))
                        .append(' ').append(cumulative).append('\n');
            }
            cumulative += counts[BUCKETS.length];
            out.append(name).append("_bucket").append(labels(labels, entry.getKey(), "+Inf")).append(' ')
                    .append(cumulative).append('\n');
            out.append(name).append("_sum").append(labels(labels, entry.getKey(), null)).append(' ')
                    .append(histogram.sumSeconds()).append('\n');
            out.append(name).append("_count").append(labels(labels, entry.getKey(), null)).append(' ')
                    .append(cumulative).append('\n');
        });
    }

    private static int compare(List<String> a, List<String> b) {
        return String.join("\u0000", a).compareTo(String.join("\u0000", b));
    }

    private static String labels(List<String> names, List<String> values, String le) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(names.get(i)).append("=\"").append(escape(values.get(i))).append('"');
        }
        if (le != null) {
            out.append(names.isEmpty() ? "" : ",").append("le=\"").append(le).append('"');
        }
        return out.append('}').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) + ".0" : Double.toString(value);
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
