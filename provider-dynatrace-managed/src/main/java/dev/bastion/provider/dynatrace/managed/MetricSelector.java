package dev.bastion.provider.dynatrace.managed;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds a {@code metricSelector} from metric keys and a fixed set of transformations. Metric keys
 * must match the documented key syntax ({@code builtin:host.cpu.usage}, {@code ext:...},
 * {@code func:slo....}); dimension names are quoted and escaped like every selector value.
 */
public final class MetricSelector {

    /** Metric keys: letters, digits and {@code . _ - :}, optionally with a {@code :} prefix such as builtin. */
    public static final Pattern METRIC_KEY = Pattern.compile("^[A-Za-z][A-Za-z0-9_.\\-]*(:[A-Za-z0-9_.\\-]+)*$");

    /** Aggregations a metric query may apply. */
    public static final List<String> AGGREGATIONS = List.of("auto", "avg", "min", "max", "sum", "count",
            "median", "value");

    private MetricSelector() {
    }

    /**
     * @param keys one or more metric keys
     * @param splitBy dimension keys to split by, or empty to merge all series
     * @param aggregation one of {@link #AGGREGATIONS}, or {@code null} for the metric's default
     * @param top when positive, keep only the {@code top} series with the highest value
     */
    public static String build(List<String> keys, List<String> splitBy, String aggregation, int top) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one metric key is needed");
        }
        if (aggregation != null && !AGGREGATIONS.contains(aggregation)) {
            throw new IllegalArgumentException("aggregation must be one of " + AGGREGATIONS);
        }
        StringBuilder transformation = new StringBuilder();
        if (splitBy != null) {
            List<String> dims = new ArrayList<>();
            for (String dimension : splitBy) {
                dims.add(Selector.quote(dimension));
            }
            transformation.append(":splitBy(").append(String.join(",", dims)).append(')');
        }
        if (aggregation != null) {
            transformation.append(':').append(aggregation);
        }
        if (top > 0) {
            String by = aggregation == null || aggregation.equals("auto") || aggregation.equals("value")
                    ? "auto" : aggregation;
            transformation.append(":sort(value(").append(by).append(",descending)):limit(").append(top).append(')');
        }
        List<String> parts = new ArrayList<>();
        for (String key : keys) {
            if (key == null || !METRIC_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("is not a metric key such as builtin:host.cpu.usage");
            }
            parts.add(key + transformation);
        }
        return String.join(",", parts);
    }
}
