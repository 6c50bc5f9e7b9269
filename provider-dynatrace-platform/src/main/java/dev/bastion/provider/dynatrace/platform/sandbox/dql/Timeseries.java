package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.MetricAgg;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code timeseries} command: metric points bucketed into equal intervals over the timeframe, one record per group
 * of {@code by:} dimensions, shaped like the real answer: {@code timeframe {start, end}}, {@code interval} (nanoseconds
 * as a string), the by-dimensions, and per aggregation an array with one value per interval (null where no point fell).
 *
 * <p>The timeframe is widened to whole intervals (start rounded down, end rounded up, from the epoch). Without
 * {@code interval:} the smallest of 1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d, 2d, 7d, 30d giving at most 120
 * intervals (or {@code bins:}) is taken. Points of all series in a group are aggregated together.
 */
final class Timeseries {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long[] STEPS_MINUTES = {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200};
    private static final long DEFAULT_BINS = 120;

    private final Eval eval;
    private final Ast.Timeseries command;
    private final Instant start;
    private final Duration interval;
    private final int buckets;

    Timeseries(Eval eval, Ast.Timeseries command, Instant from, Instant to) {
        this.eval = eval;
        this.command = command;
        Duration span = Duration.between(from, to);
        this.interval = command.interval() != null ? command.interval()
                : pick(span, command.bins() != null ? command.bins() : DEFAULT_BINS);
        long iv = Values.nanos(interval);
        long fromNs = epochNanos(from);
        long toNs = epochNanos(to);
        long startNs = Math.floorDiv(fromNs, iv) * iv;
        long endNs = Math.max(startNs + iv, -Math.floorDiv(-toNs, iv) * iv);
        long n = (endNs - startNs) / iv;
        if (n > 100_000) {
            throw eval.source().error(DqlException.INVALID_ARGUMENT, "The interval is too small for the timeframe ("
                    + n + " intervals).", command.pos());
        }
        this.start = Instant.ofEpochSecond(0, startNs);
        this.buckets = (int) n;
    }

    private static Duration pick(Duration span, long bins) {
        for (long m : STEPS_MINUTES) {
            long iv = m * 60_000_000_000L;
            if (-Math.floorDiv(-Values.nanos(span), iv) <= bins) {
                return Duration.ofMinutes(m);
            }
        }
        return Duration.ofMinutes(STEPS_MINUTES[STEPS_MINUTES.length - 1]);
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Per group: by-values and, per aggregation, count/sum/min/max of each interval. */
    private final class Group {
        final Object[] by;
        final long[][] counts;
        final double[][] sums;
        final double[][] mins;
        final double[][] maxs;

        Group(Object[] by) {
            this.by = by;
            int a = command.aggregations().size();
            counts = new long[a][buckets];
            sums = new double[a][buckets];
            mins = new double[a][buckets];
            maxs = new double[a][buckets];
        }

        void add(int agg, int bucket, double v) {
            if (counts[agg][bucket] == 0) {
                mins[agg][bucket] = v;
                maxs[agg][bucket] = v;
            } else {
                mins[agg][bucket] = Math.min(mins[agg][bucket], v);
                maxs[agg][bucket] = Math.max(maxs[agg][bucket], v);
            }
            counts[agg][bucket]++;
            sums[agg][bucket] += v;
        }
    }

    List<ObjectNode> run(DqlData data) {
        Map<String, Group> groups = new LinkedHashMap<>();
        long iv = Values.nanos(interval);
        long startNs = epochNanos(start);
        for (int a = 0; a < command.aggregations().size(); a++) {
            MetricAgg agg = command.aggregations().get(a);
            for (ObjectNode point : data.metric(agg.metricKey()).orElse(List.of())) {
                JsonNode ts = point.get("timestamp");
                Instant t = ts != null && ts.isTextual() ? Values.parseInstant(ts.textValue()) : null;
                JsonNode value = point.get("value");
                if (t == null || value == null || !value.isNumber()) {
                    continue;
                }
                long offset = epochNanos(t) - startNs;
                if (offset < 0 || offset >= iv * buckets) {
                    continue;
                }
                JsonNode dims = point.get("dimensions");
                ObjectNode dimensions = dims instanceof ObjectNode o ? o : JSON.objectNode();
                if (command.filter() != null && !eval.test(command.filter(), dimensions)) {
                    continue;
                }
                Object[] by = new Object[command.by().size()];
                StringBuilder key = new StringBuilder();
                for (int i = 0; i < by.length; i++) {
                    by[i] = eval.eval(command.by().get(i).expr(), dimensions);
                    key.append(Values.typeName(by[i])).append(':').append(Values.toJson(by[i])).append('\u0000');
                }
                groups.computeIfAbsent(key.toString(), k -> new Group(by)).add(a, (int) (offset / iv),
                        value.doubleValue());
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Group g : groups.values()) {
            ObjectNode r = JSON.objectNode();
            ObjectNode timeframe = r.putObject("timeframe");
            timeframe.put("start", Values.format(start));
            timeframe.put("end", Values.format(start.plus(interval.multipliedBy(buckets))));
            r.put("interval", Long.toString(iv));
            for (int i = 0; i < g.by.length; i++) {
                r.set(command.by().get(i).name(), Values.toJson(g.by[i]));
            }
            for (int a = 0; a < command.aggregations().size(); a++) {
                MetricAgg agg = command.aggregations().get(a);
                Object fill = agg.defaultValue() == null ? null : eval.eval(agg.defaultValue(), JSON.objectNode());
                ArrayNode values = r.putArray(agg.name());
                for (int b = 0; b < buckets; b++) {
                    long n = g.counts[a][b];
                    if (n == 0) {
                        values.add(fill == null ? JSON.nullNode() : Values.toJson(fill));
                        continue;
                    }
                    switch (agg.function()) {
                        case "sum" -> values.add(g.sums[a][b]);
                        case "min" -> values.add(g.mins[a][b]);
                        case "max" -> values.add(g.maxs[a][b]);
                        case "count" -> values.add(n);
                        default -> values.add(g.sums[a][b] / n);
                    }
                }
            }
            out.add(r);
        }
        return out;
    }
}
