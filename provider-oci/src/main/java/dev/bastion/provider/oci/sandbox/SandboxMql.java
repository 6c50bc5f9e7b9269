package dev.bastion.provider.oci.sandbox;

import dev.bastion.toolkit.sandbox.SandboxError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's evaluation of one MQL query of the common form
 * {@code Metric[interval]{dims}.groupBy(..)|grouping().statistic() [predicate]}: dimension match
 * ({@code =} and {@code =~} with {@code *} and {@code |}), grouping, the statistics and a predicate
 * on the values. Joins ({@code &&}, {@code ||}) and arithmetic are answered with 400, as a
 * simplification the sandbox states.
 */
final class SandboxMql {

    private static final Pattern QUERY = Pattern.compile(
            "^\\s*([A-Za-z][A-Za-z0-9_]*)\\s*\\[\\s*([0-9]+)([mhd])\\s*\\]\\s*(\\{([^}]*)\\})?((?:\\s*\\.\\s*[A-Za-z]+\\s*\\([^)]*\\))+)\\s*(.*)$");
    private static final Pattern DIMENSION = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9_.-]*)\\s*(=~|=|!=)\\s*\"([^\"]*)\"\\s*$");
    private static final Pattern CALL = Pattern.compile("\\.\\s*([A-Za-z]+)\\s*\\(([^)]*)\\)");
    private static final Pattern PREDICATE = Pattern.compile(
            "^(>=|<=|==|!=|>|<)\\s*(-?[0-9.]+)$|^(not\\s+in|in)\\s*\\(\\s*(-?[0-9.]+)\\s*,\\s*(-?[0-9.]+)\\s*\\)$");

    record Dimension(String name, String operator, String value) {

        boolean matches(String actual) {
            if (actual == null) {
                return operator.equals("!=");
            }
            return switch (operator) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                default -> Arrays.stream(value.split("\\|")).anyMatch(option -> actual.matches(
                        Arrays.stream(option.split("\\*", -1)).map(Pattern::quote).reduce((a, b) -> a + ".*" + b).orElse("")));
            };
        }
    }

    final String metric;
    final Duration interval;
    final List<Dimension> dimensions;
    /** {@code null} without grouping; empty for {@code grouping()}; else the {@code groupBy} dimensions. */
    final List<String> groupBy;
    final String statistic;
    final double percentile;
    final String predicateOperator;
    final double predicateLow;
    final double predicateHigh;

    private SandboxMql(String metric, Duration interval, List<Dimension> dimensions, List<String> groupBy,
                       String statistic, double percentile, String predicateOperator, double low, double high) {
        this.metric = metric;
        this.interval = interval;
        this.dimensions = dimensions;
        this.groupBy = groupBy;
        this.statistic = statistic;
        this.percentile = percentile;
        this.predicateOperator = predicateOperator;
        this.predicateLow = low;
        this.predicateHigh = high;
    }

    static SandboxMql parse(String query) {
        Matcher matcher = QUERY.matcher(query);
        if (!matcher.matches()) {
            throw invalid("the sandbox evaluates queries of the form Metric[1m]{dim = \"value\"}.statistic()");
        }
        long amount = Long.parseLong(matcher.group(2));
        Duration interval = switch (matcher.group(3)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (interval.isZero() || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw invalid("the interval must be between 1m and 1d");
        }
        List<Dimension> dimensions = new ArrayList<>();
        if (matcher.group(5) != null && !matcher.group(5).isBlank()) {
            for (String part : matcher.group(5).split(",")) {
                Matcher dimension = DIMENSION.matcher(part);
                if (!dimension.matches()) {
                    throw invalid("a dimension must be name = \"value\" or name =~ \"pattern\"");
                }
                dimensions.add(new Dimension(dimension.group(1), dimension.group(2), dimension.group(3)));
            }
        }
        List<String[]> calls = new ArrayList<>();
        Matcher call = CALL.matcher(matcher.group(6));
        while (call.find()) {
            calls.add(new String[] {call.group(1), call.group(2).strip()});
        }
        List<String> groupBy = null;
        for (int i = 0; i < calls.size() - 1; i++) {
            String name = calls.get(i)[0];
            if (name.equals("grouping")) {
                groupBy = List.of();
            } else if (name.equals("groupBy")) {
                groupBy = Arrays.stream(calls.get(i)[1].split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            } else {
                throw invalid("only grouping() and groupBy(..) may come before the statistic");
            }
        }
        String statistic = calls.get(calls.size() - 1)[0];
        double percentile = 0;
        switch (statistic) {
            case "mean", "max", "min", "sum", "count", "rate", "increment", "first", "last" -> { }
            case "percentile" -> {
                try {
                    percentile = Double.parseDouble(calls.get(calls.size() - 1)[1]);
                } catch (NumberFormatException e) {
                    throw invalid("percentile needs a number between 0 and 1");
                }
                if (percentile <= 0 || percentile >= 1) {
                    throw invalid("percentile needs a number between 0 and 1");
                }
            }
            default -> throw invalid("unknown statistic " + statistic + "()");
        }
        String operator = null;
        double low = 0;
        double high = 0;
        String rest = matcher.group(7).strip();
        if (!rest.isEmpty()) {
            Matcher predicate = PREDICATE.matcher(rest);
            if (!predicate.matches()) {
                throw invalid("the sandbox does not evaluate '" + rest + "' after the statistic (joins and arithmetic"
                        + " are not simulated)");
            }
            if (predicate.group(1) != null) {
                operator = predicate.group(1);
                low = Double.parseDouble(predicate.group(2));
            } else {
                operator = predicate.group(3).replaceAll("\\s+", " ");
                low = Double.parseDouble(predicate.group(4));
                high = Double.parseDouble(predicate.group(5));
            }
        }
        return new SandboxMql(matcher.group(1), interval, List.copyOf(dimensions), groupBy, statistic, percentile,
                operator, low, high);
    }

    boolean matches(Map<String, String> resourceDimensions) {
        return dimensions.stream().allMatch(d -> d.matches(resourceDimensions.get(d.name())));
    }

    /** The group key of a series' dimensions: all of them without grouping, the groupBy ones with it. */
    Map<String, String> groupKey(Map<String, String> resourceDimensions) {
        if (groupBy == null) {
            return resourceDimensions;
        }
        Map<String, String> key = new LinkedHashMap<>();
        for (String name : groupBy) {
            if (resourceDimensions.containsKey(name)) {
                key.put(name, resourceDimensions.get(name));
            }
        }
        return key;
    }

    double apply(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double sum = Arrays.stream(sorted).sum();
        double result = switch (statistic) {
            case "mean" -> sum / sorted.length;
            case "max" -> sorted[sorted.length - 1];
            case "min" -> sorted[0];
            case "sum" -> sum;
            case "count" -> sorted.length;
            case "rate" -> sum / Math.max(1, interval.toSeconds());
            case "increment" -> values.get(values.size() - 1) - values.get(0);
            case "first" -> values.get(0);
            case "last" -> values.get(values.size() - 1);
            default -> sorted[(int) Math.min(sorted.length - 1, Math.floor(percentile * sorted.length))];
        };
        return Math.round(result * 1000) / 1000.0;
    }

    boolean keeps(double value) {
        if (predicateOperator == null) {
            return true;
        }
        return switch (predicateOperator) {
            case ">" -> value > predicateLow;
            case ">=" -> value >= predicateLow;
            case "<" -> value < predicateLow;
            case "<=" -> value <= predicateLow;
            case "==" -> value == predicateLow;
            case "!=" -> value != predicateLow;
            case "in" -> value >= predicateLow && value <= predicateHigh;
            default -> value < predicateLow || value > predicateHigh;
        };
    }

    private static SandboxError invalid(String message) {
        return SandboxError.badParameter(SandboxError.Location.BODY, "query", "Invalid query: " + message);
    }
}
