package dev.bastion.provider.oci.mql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser of the OCI Monitoring Query Language, so that a malformed query is
 * refused with its position before it is sent:
 *
 * <pre>
 * expr      := arith ( ("&amp;&amp;" | "||") arith )*
 * arith     := operand ( ("+" | "-" | "*" | "/") operand )*
 * operand   := number | query | "(" expr ")"
 * query     := metric "[" interval "]" [ "{" dim ("," dim)* "}" ] ( "." groupfn )* "." statistic [ predicate ]
 * interval  := 1m..60m | 1h..24h | 1d
 * dim       := name ("=" | "=~" | "!=") "\"value\""
 * groupfn   := "grouping()" | "groupBy(" name ("," name)* ")"
 * statistic := absent([interval]) | count() | increment() | max() | mean() | min() | rate() | sum()
 *            | percentile(p) with 0 &lt; p &lt; 1 | first() | last()
 * predicate := (">" | ">=" | "==" | "!=" | "&lt;" | "&lt;=") number | ["not"] "in" "(" number "," number ")"
 * </pre>
 */
public final class MqlParser {

    public static final Set<String> STATISTICS = Set.of("absent", "count", "increment", "max", "mean", "min", "rate",
            "sum", "percentile", "first", "last");
    private static final int MAX_LENGTH = 4000;
    private static final int MAX_DEPTH = 20;

    private final String text;
    private int at;
    private int depth;
    private final List<String> metrics = new ArrayList<>();

    private MqlParser(String text) {
        this.text = text;
    }

    /**
     * Parses {@code query}.
     *
     * @return the metric names the query reads, in order
     * @throws MqlSyntaxError naming the position and what was expected
     */
    public static List<String> parse(String query) {
        requireNonNull(query, "query is null");
        if (query.length() > MAX_LENGTH) {
            throw new MqlSyntaxError(MAX_LENGTH + 1, "the query is longer than " + MAX_LENGTH + " characters");
        }
        MqlParser parser = new MqlParser(query);
        parser.space();
        if (parser.end()) {
            throw new MqlSyntaxError(1, "the query is empty; expected a metric such as CpuUtilization[1m].mean()");
        }
        parser.expression();
        parser.space();
        if (!parser.end()) {
            throw parser.error("expected '&&', '||', an arithmetic operator or the end of the query");
        }
        return List.copyOf(parser.metrics);
    }

    private void expression() {
        if (++depth > MAX_DEPTH) {
            throw error("the query nests more than " + MAX_DEPTH + " levels deep");
        }
        arithmetic();
        while (true) {
            space();
            if (take("&&") || take("||")) {
                arithmetic();
            } else {
                break;
            }
        }
        depth--;
    }

    private void arithmetic() {
        operand();
        while (true) {
            space();
            if (peek() == '+' || peek() == '-' || peek() == '*' || peek() == '/') {
                at++;
                operand();
            } else {
                return;
            }
        }
    }

    private void operand() {
        space();
        if (end()) {
            throw error("expected a metric, a number or '(' but the query ends");
        }
        char c = peek();
        if (c == '(') {
            at++;
            expression();
            space();
            expect(")", "to close the parenthesis");
        } else if (Character.isDigit(c) || c == '.') {
            number("a number");
        } else if (Character.isLetter(c)) {
            query();
        } else {
            throw error("expected a metric, a number or '('");
        }
    }

    private void query() {
        int start = at;
        String metric = identifier("a metric name");
        metrics.add(metric);
        space();
        if (peek() != '[') {
            throw error("expected '[' and an interval such as [1m] after the metric " + metric
                    + " (the interval is required)");
        }
        at++;
        space();
        interval();
        space();
        expect("]", "after the interval");
        space();
        if (peek() == '{') {
            at++;
            dimensions();
        }
        // Grouping and statistics may alternate (groupBy(a).mean().grouping().max()); the last must be a statistic.
        boolean statistic = false;
        while (true) {
            space();
            if (peek() != '.') {
                break;
            }
            at++;
            space();
            int nameAt = at;
            String function = identifier("a grouping function or a statistic");
            space();
            expect("(", "after " + function);
            space();
            if (function.equals("grouping")) {
                expect(")", "grouping() takes no arguments");
                statistic = false;
            } else if (function.equals("groupBy")) {
                identifier("a dimension name to group by");
                space();
                while (take(",")) {
                    space();
                    identifier("a dimension name to group by");
                    space();
                }
                expect(")", "to close groupBy(");
                statistic = false;
            } else if (STATISTICS.contains(function)) {
                statisticArguments(function);
                statistic = true;
            } else {
                at = nameAt;
                throw error("unknown function '" + function + "'; expected grouping(), groupBy(..) or one of the"
                        + " statistics " + String.join("(), ", new java.util.TreeSet<>(STATISTICS)) + "()");
            }
        }
        if (!statistic) {
            throw error("expected '.' and a statistic such as .mean() to end the query of " + text.substring(start,
                    Math.min(text.length(), start + metric.length())));
        }
        space();
        predicate();
    }

    private void statisticArguments(String function) {
        if (function.equals("percentile")) {
            int numberAt = at;
            double p = number("the percentile, a number between 0 and 1 such as .9");
            if (!(p > 0 && p < 1)) {
                at = numberAt;
                throw error("the percentile must be between 0 and 1 (exclusive), such as .9 for P90");
            }
            space();
        } else if (function.equals("absent") && peek() != ')') {
            interval();
            space();
        }
        expect(")", function.equals("percentile") || function.equals("absent")
                ? "to close " + function + "(" : function + "() takes no arguments");
    }

    private void dimensions() {
        space();
        dimension();
        space();
        while (take(",")) {
            space();
            dimension();
            space();
        }
        expect("}", "to close the dimensions, or ',' and another dimension");
    }

    private void dimension() {
        identifier("a dimension name");
        space();
        if (!(take("=~") || take("!=") || take("="))) {
            throw error("expected '=', '=~' or '!=' after the dimension name");
        }
        space();
        if (peek() != '"') {
            throw error("expected a double-quoted dimension value");
        }
        int quoteAt = at;
        at++;
        while (!end() && peek() != '"') {
            if (peek() == '\\' && at + 1 < text.length()) {
                at++;
            }
            at++;
        }
        if (end()) {
            at = quoteAt;
            throw error("the dimension value that starts here has no closing '\"'");
        }
        at++;
    }

    private void interval() {
        int intervalAt = at;
        int digits = 0;
        while (!end() && Character.isDigit(peek())) {
            at++;
            digits++;
        }
        if (digits == 0 || digits > 2) {
            at = intervalAt;
            throw error("expected an interval such as 1m, 5m, 1h or 1d");
        }
        int amount = Integer.parseInt(text.substring(intervalAt, at));
        char unit = end() ? ' ' : peek();
        boolean valid = switch (unit) {
            case 'm' -> amount >= 1 && amount <= 60;
            case 'h' -> amount >= 1 && amount <= 24;
            case 'd' -> amount == 1;
            default -> false;
        };
        if (!valid) {
            at = intervalAt;
            throw error("the interval must be 1m to 60m, 1h to 24h, or 1d");
        }
        at++;
    }

    private void predicate() {
        if (take(">=") || take("<=") || take("==") || take("!=") || take(">") || take("<")) {
            space();
            signedNumber();
            return;
        }
        int wordAt = at;
        if (Character.isLetter(peek())) {
            String word = identifier("a predicate");
            space();
            if (word.equals("not")) {
                int inAt = at;
                if (!identifierOrEmpty().equals("in")) {
                    at = inAt;
                    throw error("expected 'in' after 'not'");
                }
                space();
            } else if (!word.equals("in")) {
                at = wordAt;
                throw error("expected a comparison (>, >=, ==, !=, <, <=), 'in (a, b)' or the end of the query");
            }
            expect("(", "after in");
            space();
            signedNumber();
            space();
            expect(",", "between the two bounds of the range");
            space();
            signedNumber();
            space();
            expect(")", "to close the range");
        }
    }

    private void signedNumber() {
        if (peek() == '-') {
            at++;
        }
        number("a number");
    }

    private double number(String what) {
        int numberAt = at;
        while (!end() && (Character.isDigit(peek()) || peek() == '.')) {
            at++;
        }
        try {
            if (at == numberAt) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(text.substring(numberAt, at));
        } catch (NumberFormatException e) {
            at = numberAt;
            throw error("expected " + what);
        }
    }

    private String identifier(String what) {
        String name = identifierOrEmpty();
        if (name.isEmpty()) {
            throw error("expected " + what);
        }
        return name;
    }

    private String identifierOrEmpty() {
        int start = at;
        if (!end() && (Character.isLetter(peek()) || peek() == '_')) {
            at++;
            while (!end() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '.' && isNameAfterDot())) {
                at++;
            }
        }
        return text.substring(start, at);
    }

    /** A dot inside a dimension name (such as a.b) but not the dot before a function. */
    private boolean isNameAfterDot() {
        int next = at + 1;
        int end = next;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        int after = end;
        while (after < text.length() && text.charAt(after) == ' ') {
            after++;
        }
        return end > next && (after >= text.length() || text.charAt(after) != '(');
    }

    private void expect(String token, String why) {
        if (!take(token)) {
            throw error("expected '" + token + "' " + why);
        }
    }

    private boolean take(String token) {
        if (text.startsWith(token, at)) {
            at += token.length();
            return true;
        }
        return false;
    }

    private void space() {
        while (!end() && Character.isWhitespace(peek())) {
            at++;
        }
    }

    private boolean end() {
        return at >= text.length();
    }

    private char peek() {
        return end() ? '\0' : text.charAt(at);
    }

    private MqlSyntaxError error(String expected) {
        String found = end() ? "the end of the query" : "'" + text.substring(at, Math.min(text.length(), at + 12)) + "'";
        return new MqlSyntaxError(at + 1, expected + ", found " + found);
    }
}
