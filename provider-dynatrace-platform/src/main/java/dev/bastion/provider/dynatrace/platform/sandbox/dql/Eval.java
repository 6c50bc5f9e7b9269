package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Binary;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Call;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Expr;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Field;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Lit;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Paren;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Unary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates expressions against one record with DQL's null semantics: a missing field is null, comparisons and
 * arithmetic with null give null, {@code and}/{@code or}/{@code not} use three-valued logic.
 */
final class Eval {

    private final Source src;
    private final Instant now;

    Eval(Source src, Instant now) {
        this.src = src;
        this.now = now;
    }

    Source source() {
        return src;
    }

    /** Whether the condition is true for the record (null and false are not). */
    boolean test(Expr condition, ObjectNode record) {
        Object v = eval(condition, record);
        if (v != null && !(v instanceof Boolean)) {
            throw src.error(DqlException.INVALID_ARGUMENT, "The condition `" + Ast.text(condition)
                    + "` must be boolean, but it is " + Values.typeName(v) + ".", condition.pos());
        }
        return Boolean.TRUE.equals(v);
    }

    Object eval(Expr e, ObjectNode record) {
        if (e instanceof Lit l) {
            return l.value();
        }
        if (e instanceof Field f) {
            return Values.fromJson(record.get(f.name()));
        }
        if (e instanceof Paren p) {
            return eval(p.inner(), record);
        }
        if (e instanceof Unary u) {
            return unary(u, record);
        }
        if (e instanceof Binary b) {
            return binary(b, record);
        }
        Call c = (Call) e;
        if (Functions.isAggregation(c.name())) {
            // After summarize, an aggregation's text names its result field: `sort count() desc`.
            return Values.fromJson(record.get(Ast.text(c)));
        }
        List<Object> args = new ArrayList<>();
        for (Expr a : c.args()) {
            args.add(eval(a, record));
        }
        Map<String, Object> named = new LinkedHashMap<>();
        for (Map.Entry<String, Expr> n : c.named().entrySet()) {
            named.put(n.getKey(), eval(n.getValue(), record));
        }
        return Functions.apply(src, c, args, named, now);
    }

    private Object unary(Unary u, ObjectNode record) {
        Object v = eval(u.operand(), record);
        if (v == null) {
            return null;
        }
        if (u.op().equals("not")) {
            if (v instanceof Boolean b) {
                return !b;
            }
            throw operandError(u.pos(), "not", v);
        }
        if (v instanceof Long l) {
            return -l;
        }
        if (v instanceof Double d) {
            return -d;
        }
        if (v instanceof Duration d) {
            return d.negated();
        }
        throw operandError(u.pos(), "-", v);
    }

    private Object binary(Binary b, ObjectNode record) {
        String op = b.op();
        if (op.equals("and") || op.equals("or") || op.equals("xor")) {
            return logic(b, record);
        }
        Object l = eval(b.left(), record);
        Object r = eval(b.right(), record);
        switch (op) {
            case "==", "!=", "<", "<=", ">", ">=": {
                if (l == null || r == null) {
                    return null;
                }
                Integer c = Values.compare(l, r);
                if (c == null) {
                    return op.equals("==") ? Boolean.FALSE : op.equals("!=") ? Boolean.TRUE : null;
                }
                return switch (op) {
                    case "==" -> c == 0;
                    case "!=" -> c != 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            }
            default:
                return arithmetic(b, l, r);
        }
    }

    private Object logic(Binary b, ObjectNode record) {
        Boolean l = bool(b.left(), eval(b.left(), record), b.op());
        if (b.op().equals("and") && Boolean.FALSE.equals(l)) {
            return false;
        }
        if (b.op().equals("or") && Boolean.TRUE.equals(l)) {
            return true;
        }
        Boolean r = bool(b.right(), eval(b.right(), record), b.op());
        return switch (b.op()) {
            case "and" -> Boolean.FALSE.equals(r) ? Boolean.FALSE : l == null || r == null ? null : Boolean.TRUE;
            case "or" -> Boolean.TRUE.equals(r) ? Boolean.TRUE : l == null || r == null ? null : Boolean.FALSE;
            default -> l == null || r == null ? null : l ^ r;
        };
    }

    private Boolean bool(Expr e, Object v, String op) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw operandError(e.pos(), op, v);
    }

    private Object arithmetic(Binary b, Object l, Object r) {
        if (l == null || r == null) {
            return null;
        }
        String op = b.op();
        if (Values.isNumber(l) && Values.isNumber(r)) {
            if (l instanceof Long x && r instanceof Long y && !op.equals("/")) {
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    default -> y == 0 ? null : x % y;
                };
            }
            double x = ((Number) l).doubleValue();
            double y = ((Number) r).doubleValue();
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> y == 0 ? null : x / y;
                default -> y == 0 ? null : x % y;
            };
        }
        Instant lt = l instanceof Instant t ? t : null;
        if (lt != null && r instanceof Duration d && (op.equals("+") || op.equals("-"))) {
            return op.equals("+") ? lt.plus(d) : lt.minus(d);
        }
        if (l instanceof Duration d && r instanceof Instant t && op.equals("+")) {
            return t.plus(d);
        }
        if (lt != null && r instanceof Instant rt && op.equals("-")) {
            return Duration.between(rt, lt);
        }
        if (l instanceof Duration x && r instanceof Duration y && (op.equals("+") || op.equals("-"))) {
            return op.equals("+") ? x.plus(y) : x.minus(y);
        }
        throw src.error(DqlException.INVALID_ARGUMENT, "The operator `" + op + "` can't combine "
                + Values.typeName(l) + " and " + Values.typeName(r) + ".", b.opPos(), op);
    }

    private DqlException operandError(Pos pos, String op, Object v) {
        return src.error(DqlException.INVALID_ARGUMENT, "The operator `" + op + "` can't be applied to "
                + Values.typeName(v) + ".", pos, op);
    }
}
