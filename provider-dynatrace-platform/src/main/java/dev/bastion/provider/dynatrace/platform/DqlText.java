package dev.bastion.provider.dynatrace.platform;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DQL written from tool arguments, never by pasting them in: a value becomes one string literal
 * with every quote, backslash and control character escaped, a field name must be one the tool
 * allows, a number is a number. A hostile value can therefore never add a command, a pipe or a
 * condition. {@code execute_dql} is the one tool that sends DQL as the caller wrote it.
 */
final class DqlText {

    private static final Pattern FIELD = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$");
    private static final Pattern DURATION = Pattern.compile("^[0-9]{1,5}[smhdw]$");

    private final List<String> commands = new ArrayList<>();

    private DqlText(String first) {
        commands.add(first);
    }

    /** {@code fetch <table>} over {@code from} (a duration back from now, such as {@code 2h}). */
    static DqlText fetch(String table, String from) {
        requireNonNull(table, "table is null");
        if (!FIELD.matcher(table).matches()) {
            throw new IllegalArgumentException("not a data object: " + table);
        }
        return new DqlText("fetch " + table + ", from: " + relative(from));
    }

    /** A DQL string literal of {@code value}: {@code "..."} with {@code \ " } and control characters escaped. */
    static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x2028 && c <= 0x2029)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code name} checked against the fields the tool allows. */
    static String field(String name, Set<String> allowed) {
        if (!allowed.contains(name) || !FIELD.matcher(name).matches()) {
            throw new IllegalArgumentException("field " + name + " is not allowed here");
        }
        return name;
    }

    /**
     * {@code now()-<duration>}: {@code duration} must be a number and one of s, m, h, d, w; weeks are
     * written as days, because DQL has no week unit.
     */
    static String relative(String duration) {
        if (!DURATION.matcher(duration).matches()) {
            throw new IllegalArgumentException("not a duration: " + duration);
        }
        if (duration.endsWith("w")) {
            return "now()-" + Long.parseLong(duration.substring(0, duration.length() - 1)) * 7 + "d";
        }
        return "now()-" + duration;
    }

    /** Appends {@code | filter <condition>}; the condition is built by the methods of this class. */
    DqlText filter(String condition) {
        commands.add("filter " + condition);
        return this;
    }

    /** {@code | fields a, b} from allowed names. */
    DqlText fields(List<String> names, Set<String> allowed) {
        List<String> checked = new ArrayList<>();
        names.forEach(name -> checked.add(field(name, allowed)));
        commands.add("fields " + String.join(", ", checked));
        return this;
    }

    DqlText sort(String field, boolean descending) {
        commands.add("sort " + field + (descending ? " desc" : " asc"));
        return this;
    }

    DqlText limit(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        commands.add("limit " + count);
        return this;
    }

    /** {@code field == "value"} */
    static String equalTo(String field, String value) {
        return field + " == " + literal(value);
    }

    /** {@code contains(field, "value", caseSensitive: false)}: DQL's matching is case-sensitive unless told. */
    static String contains(String field, String value) {
        return "contains(" + field + ", " + literal(value) + ", caseSensitive: false)";
    }

    /** {@code in("value", field)}: the array field holds the value. */
    static String holds(String arrayField, String value) {
        return "in(" + literal(value) + ", " + arrayField + ")";
    }

    static String and(List<String> conditions) {
        return conditions.size() == 1 ? conditions.get(0) : "(" + String.join(") and (", conditions) + ")";
    }

    String text() {
        return String.join("\n| ", commands);
    }

    @Override
    public String toString() {
        return text();
    }
}
