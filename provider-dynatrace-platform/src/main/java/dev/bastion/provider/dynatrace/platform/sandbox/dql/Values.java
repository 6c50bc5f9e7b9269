package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * DQL values while a query runs: null, Boolean, Long, Double, String, Instant (timestamp), Duration, or a JsonNode for
 * records and arrays. Record fields are read into these and written back as JSON.
 */
final class Values {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter NANOS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Values() {
    }

    static Object fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n;
    }

    static JsonNode toJson(Object v) {
        if (v == null) {
            return JSON.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof String s) {
            return JSON.textNode(s);
        }
        if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (v instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? JSON.nullNode() : JSON.numberNode(d);
        }
        if (v instanceof Instant t) {
            return JSON.textNode(format(t));
        }
        if (v instanceof Duration d) {
            return JSON.numberNode(nanos(d));
        }
        return JSON.textNode(v.toString());
    }

    /** An instant as the real API prints timestamps: UTC with nine fraction digits. */
    static String format(Instant t) {
        return NANOS.format(t);
    }

    static long nanos(Duration d) {
        return d.getSeconds() * 1_000_000_000L + d.getNano();
    }

    /** An ISO-8601 instant ("2025-06-01T10:00:00Z", with fractions or an offset), or null when the text is not one. */
    static Instant parseInstant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double;
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Long) {
            return "long";
        }
        if (v instanceof Double) {
            return "double";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Instant) {
            return "timestamp";
        }
        if (v instanceof Duration) {
            return "duration";
        }
        if (v instanceof JsonNode n) {
            return n.isArray() ? "array" : "record";
        }
        return "unknown";
    }

    /**
     * Orders two non-null values of comparable types: numbers with numbers, strings with strings, booleans, durations,
     * and timestamps with timestamps or ISO strings. Null when the types don't compare (DQL then yields null).
     */
    static Integer compare(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Long x && b instanceof Long y) {
                return Long.compare(x, y);
            }
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        if (a instanceof Instant || b instanceof Instant) {
            Instant x = asInstant(a);
            Instant y = asInstant(b);
            return x == null || y == null ? null : x.compareTo(y);
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof Duration x && b instanceof Duration y) {
            return x.compareTo(y);
        }
        if (a instanceof JsonNode x && b instanceof JsonNode y) {
            return x.equals(y) ? 0 : null;
        }
        return null;
    }

    static Instant asInstant(Object v) {
        if (v instanceof Instant t) {
            return t;
        }
        if (v instanceof String s) {
            return parseInstant(s);
        }
        return null;
    }

    /** Equality for grouping and {@code in()}: numbers by value, other values by type and content. */
    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        Integer c = compare(a, b);
        return c != null ? c == 0 : Objects.equals(a, b);
    }

    /** A value as concat() and search see it. */
    static String asText(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Instant t) {
            return format(t);
        }
        if (v instanceof Duration d) {
            return Long.toString(nanos(d));
        }
        if (v instanceof JsonNode n) {
            return n.toString();
        }
        return v.toString();
    }
}
