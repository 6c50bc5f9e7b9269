package dev.bastion.transport.http.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.function.Predicate;

/**
 * One label of a metric and the only values it admits. A value that was not declared is counted as
 * {@value #OTHER}: a request can choose a method, a path or a tool name, but never the number of
 * series the server keeps. Every label of every metric goes through this type, so no caller can add
 * a series by passing a string the metrics code never saw before.
 *
 * @param name the label name
 * @param declared which values are kept as they are
 */
record MetricLabel(String name, Predicate<String> declared) {

    static final String OTHER = "other";

    MetricLabel {
        requireNonNull(name, "name is null");
        requireNonNull(declared, "declared is null");
    }

    /** A label with a fixed set of values. */
    static MetricLabel of(String name, Set<String> values) {
        Set<String> fixed = Set.copyOf(values);
        return new MetricLabel(name, fixed::contains);
    }

    /** The value to record for {@code raw}: itself when declared, {@value #OTHER} otherwise. */
    String admit(String raw) {
        return raw != null && declared.test(raw) ? raw : OTHER;
    }
}
