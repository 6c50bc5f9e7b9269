package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The parsed form of a query: expressions and commands, each with its place in the text. */
final class Ast {

    private Ast() {
    }

    /** An expression. */
    sealed interface Expr permits Lit, Field, Call, Unary, Binary, Paren {
        Pos pos();
    }

    /** A literal: String, Long, Double, Boolean, java.time.Duration or null. */
    record Lit(Object value, String text, Pos pos) implements Expr {
    }

    /** A field reference; {@code name} is the field's key as written (dots are part of the name). */
    record Field(String name, boolean quoted, Pos pos) implements Expr {
    }

    /** A function call with positional and named ({@code name: value}) arguments. */
    record Call(String name, Pos namePos, List<Expr> args, Map<String, Expr> named, Pos pos) implements Expr {
    }

    /** {@code -x} or {@code not x}. */
    record Unary(String op, Expr operand, Pos pos) implements Expr {
    }

    /** {@code l op r} for arithmetic, comparison and {@code and}/{@code or}/{@code xor}. */
    record Binary(String op, Expr left, Expr right, Pos opPos, Pos pos) implements Expr {
    }

    /** {@code (x)}, kept so the expression's name reads as written. */
    record Paren(Expr inner, Pos pos) implements Expr {
    }

    /** {@code name = expr}, or an expression whose name is its canonical text. */
    record Assign(String name, Expr expr) {
    }

    /** One sort key. */
    record SortKey(Expr expr, boolean descending) {
    }

    /** One aggregation of {@code timeseries}. */
    record MetricAgg(String name, String function, String metricKey, Pos metricPos, Expr defaultValue) {
    }

    /** A command of the pipeline. */
    sealed interface Command permits Fetch, Filter, Fields, FieldsAdd, FieldsRemove, Sort, Limit, Summarize, Search,
            Timeseries {
        Pos pos();
    }

    record Fetch(String dataObject, Pos objectPos, Expr from, Expr to, Pos pos) implements Command {
    }

    record Filter(Expr condition, boolean out, Pos pos) implements Command {
    }

    record Fields(List<Assign> fields, Pos pos) implements Command {
    }

    record FieldsAdd(List<Assign> fields, Pos pos) implements Command {
    }

    record FieldsRemove(List<String> names, Pos pos) implements Command {
    }

    record Sort(List<SortKey> keys, Pos pos) implements Command {
    }

    record Limit(long count, Pos pos) implements Command {
    }

    record Summarize(List<Assign> aggregations, List<Assign> by, Pos pos) implements Command {
    }

    record Search(String text, Pos pos) implements Command {
    }

    record Timeseries(List<MetricAgg> aggregations, List<Assign> by, Expr filter, Expr from, Expr to,
                      Duration interval, Long bins, Pos pos) implements Command {
    }

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z0-9_$]+)*");

    /** The canonical text of an expression, which is also the default name of a field computed from it. */
    static String text(Expr e) {
        StringBuilder b = new StringBuilder();
        write(e, b);
        return b.toString();
    }

    static String fieldName(String name) {
        return PLAIN_NAME.matcher(name).matches() ? name : "`" + name.replace("`", "``") + "`";
    }

    private static void write(Expr e, StringBuilder b) {
        if (e instanceof Lit l) {
            if (l.value() instanceof String str) {
                b.append(quote(str));
            } else if (l.value() == null) {
                b.append("null");
            } else {
                b.append(l.text());
            }
        } else if (e instanceof Field f) {
            b.append(f.quoted() ? fieldName(f.name()) : f.name());
        } else if (e instanceof Call c) {
            b.append(c.name()).append('(');
            boolean first = true;
            for (Expr a : c.args()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                write(a, b);
            }
            for (Map.Entry<String, Expr> n : c.named().entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                b.append(n.getKey()).append(": ");
                write(n.getValue(), b);
            }
            b.append(')');
        } else if (e instanceof Unary u) {
            b.append(u.op().equals("not") ? "not " : u.op());
            write(u.operand(), b);
        } else if (e instanceof Binary bin) {
            write(bin.left(), b);
            b.append(' ').append(bin.op()).append(' ');
            write(bin.right(), b);
        } else if (e instanceof Paren p) {
            b.append('(');
            write(p.inner(), b);
            b.append(')');
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
