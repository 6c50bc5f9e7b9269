package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Call;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Expr;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Lit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The DQL functions this evaluator knows: their signatures (checked when parsing) and the scalar ones' semantics.
 *
 * <p>String matching follows DQL: {@code contains}, {@code startsWith} and {@code endsWith} are case-sensitive unless
 * {@code caseSensitive: false}; {@code matchesPhrase} and {@code matchesValue} are case-insensitive unless
 * {@code caseSensitive: true}. A null input yields null (which a filter treats as not matching).
 */
final class Functions {

    /** A function's shape: positional argument count and named parameters. */
    record Spec(int minArgs, int maxArgs, Set<String> params, boolean aggregation) {
    }

    static final int MANY = Integer.MAX_VALUE;

    static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry("in", new Spec(2, MANY, Set.of(), false)),
            Map.entry("contains", new Spec(2, 2, Set.of("caseSensitive"), false)),
            Map.entry("startsWith", new Spec(2, 2, Set.of("caseSensitive"), false)),
            Map.entry("endsWith", new Spec(2, 2, Set.of("caseSensitive"), false)),
            Map.entry("matchesPhrase", new Spec(2, 2, Set.of("caseSensitive"), false)),
            Map.entry("matchesValue", new Spec(2, 2, Set.of("caseSensitive"), false)),
            Map.entry("isNull", new Spec(1, 1, Set.of(), false)),
            Map.entry("isNotNull", new Spec(1, 1, Set.of(), false)),
            Map.entry("isTrue", new Spec(1, 1, Set.of(), false)),
            Map.entry("isFalse", new Spec(1, 1, Set.of(), false)),
            Map.entry("concat", new Spec(1, MANY, Set.of("delimiter"), false)),
            Map.entry("lower", new Spec(1, 1, Set.of(), false)),
            Map.entry("upper", new Spec(1, 1, Set.of(), false)),
            Map.entry("stringLength", new Spec(1, 1, Set.of(), false)),
            Map.entry("toString", new Spec(1, 1, Set.of(), false)),
            Map.entry("coalesce", new Spec(1, MANY, Set.of(), false)),
            Map.entry("now", new Spec(0, 0, Set.of(), false)),
            Map.entry("count", new Spec(0, 0, Set.of(), true)),
            Map.entry("countIf", new Spec(1, 1, Set.of(), true)),
            Map.entry("sum", new Spec(1, 1, Set.of(), true)),
            Map.entry("avg", new Spec(1, 1, Set.of(), true)),
            Map.entry("min", new Spec(1, 1, Set.of(), true)),
            Map.entry("max", new Spec(1, 1, Set.of(), true)),
            Map.entry("countDistinct", new Spec(1, 1, Set.of(), true)));

    /** Real DQL functions this simulator does not evaluate (reported as such, not as unknown). */
    static final Set<String> UNSUPPORTED = Set.of("if", "toLong", "toDouble", "toBoolean", "toTimestamp", "toDuration",
            "round", "abs", "ceil", "floor", "bin", "substring", "indexOf", "lastIndexOf", "replaceString", "splitString",
            "trim", "like", "matchesPattern", "parse", "timestamp", "duration", "timeframe", "record", "array",
            "arrayConcat", "arraySize", "collectArray", "collectDistinct", "percentile", "median", "stddev",
            "takeFirst", "takeLast", "takeAny", "takeMin", "takeMax", "getStart", "getEnd", "formatTimestamp",
            "hashMd5", "ip", "exists", "type", "entityName", "entityAttr", "classicEntitySelector");

    private Functions() {
    }

    static boolean isAggregation(String name) {
        Spec s = SPECS.get(name);
        return s != null && s.aggregation();
    }

    /** Checks the name, argument count, named parameters and literal argument types of a call. */
    static void check(Call c, Source src) {
        Spec spec = SPECS.get(c.name());
        if (spec == null) {
            if (UNSUPPORTED.contains(c.name())) {
                throw src.error(DqlException.UNKNOWN_FUNCTION, "The function `" + c.name()
                        + "` isn't supported by this simulator.", c.namePos(), c.name());
            }
            throw src.error(DqlException.UNKNOWN_FUNCTION, "There's no function `" + c.name() + "`.", c.namePos(),
                    c.name());
        }
        int n = c.args().size();
        if (n < spec.minArgs() || n > spec.maxArgs()) {
            String want = spec.minArgs() == spec.maxArgs() ? Integer.toString(spec.minArgs())
                    : spec.maxArgs() == MANY ? "at least " + spec.minArgs() : spec.minArgs() + " to " + spec.maxArgs();
            throw src.error(DqlException.INVALID_ARGUMENT, "The function `" + c.name() + "` takes " + want
                    + " argument" + ("1".equals(want) ? "" : "s") + ", not " + n + ".", c.pos(), c.name());
        }
        for (Map.Entry<String, Expr> e : c.named().entrySet()) {
            if (!spec.params().contains(e.getKey())) {
                throw src.error(DqlException.UNKNOWN_PARAMETER, "The function `" + c.name()
                        + "` has no parameter `" + e.getKey() + "`.", e.getValue().pos(), e.getKey());
            }
        }
        Expr cs = c.named().get("caseSensitive");
        if (cs != null && !(cs instanceof Lit l && l.value() instanceof Boolean)) {
            throw typeError(src, cs, "caseSensitive", "a boolean literal");
        }
        Expr delimiter = c.named().get("delimiter");
        if (delimiter != null && !(delimiter instanceof Lit l && l.value() instanceof String)) {
            throw typeError(src, delimiter, "delimiter", "a string literal");
        }
        switch (c.name()) {
            case "contains", "startsWith", "endsWith", "matchesPhrase", "matchesValue" -> {
                requireStringLike(src, c, c.args().get(0), "first");
                requireStringLike(src, c, c.args().get(1), "second");
            }
            case "lower", "upper", "stringLength" -> requireStringLike(src, c, c.args().get(0), "first");
            case "sum", "avg" -> {
                Expr a = c.args().get(0);
                if (a instanceof Lit l && !(l.value() instanceof Long || l.value() instanceof Double)) {
                    throw src.error(DqlException.INVALID_ARGUMENT, "The function `" + c.name()
                            + "` needs a numeric argument, not " + Values.typeName(l.value()) + ".", a.pos());
                }
            }
            default -> {
            }
        }
    }

    private static void requireStringLike(Source src, Call c, Expr a, String which) {
        if (a instanceof Lit l && l.value() != null && !(l.value() instanceof String)) {
            throw src.error(DqlException.INVALID_ARGUMENT, "The " + which + " argument of `" + c.name()
                    + "` must be a string, not " + Values.typeName(l.value()) + ".", a.pos(), c.name());
        }
    }

    private static DqlException typeError(Source src, Expr e, String param, String want) {
        return src.error(DqlException.INVALID_ARGUMENT, "The parameter `" + param + "` must be " + want + ".",
                e.pos(), param);
    }

    /** Applies a scalar function to evaluated arguments. */
    static Object apply(Source src, Call c, List<Object> args, Map<String, Object> named, Instant now) {
        String name = c.name();
        switch (name) {
            case "now":
                return now;
            case "isNull":
                return args.get(0) == null;
            case "isNotNull":
                return args.get(0) != null;
            case "isTrue":
                return Boolean.TRUE.equals(args.get(0));
            case "isFalse":
                return Boolean.FALSE.equals(args.get(0));
            case "coalesce":
                return args.stream().filter(a -> a != null).findFirst().orElse(null);
            case "in": {
                Object x = args.get(0);
                if (x == null) {
                    return null;
                }
                for (Object candidate : args.subList(1, args.size())) {
                    if (candidate instanceof JsonNode arr && arr.isArray()) {
                        for (JsonNode el : arr) {
                            if (Values.same(x, Values.fromJson(el))) {
                                return true;
                            }
                        }
                    } else if (Values.same(x, candidate)) {
                        return true;
                    }
                }
                return false;
            }
            case "concat": {
                String delimiter = (String) named.getOrDefault("delimiter", "");
                List<String> parts = new ArrayList<>();
                for (Object a : args) {
                    parts.add(Values.asText(a));
                }
                return String.join(delimiter, parts);
            }
            case "toString":
                return args.get(0) == null ? null : Values.asText(args.get(0));
            case "lower":
            case "upper":
            case "stringLength": {
                String s = string(src, c, 0, args.get(0));
                if (s == null) {
                    return null;
                }
                if (name.equals("stringLength")) {
                    return (long) s.codePointCount(0, s.length());
                }
                return name.equals("lower") ? s.toLowerCase(Locale.ROOT) : s.toUpperCase(Locale.ROOT);
            }
            default:
                return match(src, c, args, named);
        }
    }

    private static Object match(Source src, Call c, List<Object> args, Map<String, Object> named) {
        String name = c.name();
        boolean insensitiveByDefault = name.equals("matchesPhrase") || name.equals("matchesValue");
        Object flag = named.get("caseSensitive");
        boolean caseSensitive = flag == null ? !insensitiveByDefault : (Boolean) flag;
        String needle = string(src, c, 1, args.get(1));
        Object subject = args.get(0);
        if (needle == null || subject == null) {
            return null;
        }
        if (subject instanceof JsonNode arr && arr.isArray()) {
            boolean sawValue = false;
            for (JsonNode el : arr) {
                Object v = Values.fromJson(el);
                if (v instanceof String s) {
                    sawValue = true;
                    if (matchOne(name, s, needle, caseSensitive)) {
                        return true;
                    }
                }
            }
            return sawValue ? false : null;
        }
        String s = string(src, c, 0, subject);
        return matchOne(name, s, needle, caseSensitive);
    }

    private static boolean matchOne(String name, String s, String needle, boolean caseSensitive) {
        String a = caseSensitive ? s : s.toLowerCase(Locale.ROOT);
        String b = caseSensitive ? needle : needle.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "contains" -> a.contains(b);
            case "startsWith" -> a.startsWith(b);
            case "endsWith" -> a.endsWith(b);
            case "matchesPhrase" -> phrase(a, b);
            case "matchesValue" -> wildcard(b).matcher(a).matches();
            default -> throw new IllegalStateException(name);
        };
    }

    /** The words of {@code phrase} appear consecutively, each a whole word, in {@code text}. */
    static boolean phrase(String text, String phrase) {
        List<String> words = words(text);
        List<String> want = words(phrase);
        if (want.isEmpty()) {
            return true;
        }
        outer:
        for (int i = 0; i + want.size() <= words.size(); i++) {
            for (int j = 0; j < want.size(); j++) {
                if (!words.get(i + j).equals(want.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && !Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** The whole value matches, {@code *} standing for any run of characters. */
    private static Pattern wildcard(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String part : pattern.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts), Pattern.DOTALL);
    }

    private static String string(Source src, Call c, int index, Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        Expr arg = c.args().get(index);
        throw src.error(DqlException.INVALID_ARGUMENT, "The function `" + c.name() + "` needs a string as argument "
                + (index + 1) + ", but `" + Ast.text(arg) + "` is " + Values.typeName(v) + ".", arg.pos(), c.name());
    }

    /** A duration from a literal (for interval:). */
    static Duration asDuration(Object v) {
        return v instanceof Duration d ? d : null;
    }
}
