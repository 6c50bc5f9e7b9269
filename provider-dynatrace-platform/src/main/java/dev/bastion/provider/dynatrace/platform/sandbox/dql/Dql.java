package dev.bastion.provider.dynatrace.platform.sandbox.dql;

/**
 * Entry point of the DQL subset evaluator behind the loopback Grail simulator.
 *
 * <p>Supported commands: {@code fetch} (from:, to:), {@code timeseries} (avg/sum/min/max/count, by:, filter:, from:,
 * to:, interval:, bins:), {@code filter}, {@code filterOut}, {@code fields}, {@code fieldsAdd}, {@code fieldsRemove},
 * {@code sort}, {@code limit}, {@code summarize} (count, countIf, sum, avg, min, max, countDistinct; by:) and
 * {@code search}. Scalar functions: in, contains, startsWith, endsWith, matchesPhrase, matchesValue, isNull, isNotNull,
 * isTrue, isFalse, concat, lower, upper, stringLength, toString, coalesce, now.
 */
public final class Dql {

    private Dql() {
    }

    /** Parses; throws DqlException with a 1-based line and column and the real API's kind of message. */
    public static DqlQuery parse(String query) {
        Source source = new Source(query == null ? "" : query);
        return new DqlQuery(source, Parser.parse(source));
    }
}
