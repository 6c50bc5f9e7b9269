package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Assign;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Binary;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Call;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Command;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Expr;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Field;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Lit;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.MetricAgg;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Paren;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.SortKey;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Unary;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Token.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Recursive-descent parser from tokens to {@link Ast} commands; every error carries the offending token's place. */
final class Parser {

    private static final Set<String> UNSUPPORTED_COMMANDS = Set.of("data", "parse", "dedup", "makeTimeseries",
            "lookup", "join", "joinNested", "append", "fieldsRename", "fieldsKeep", "fieldsSummary", "fieldsFlatten",
            "expand", "describe", "load", "smartscapeNodes", "smartscapeEdges", "traverse", "metrics");
    private static final Set<String> STARTING = Set.of("fetch", "timeseries");
    private static final Set<String> TIMESERIES_AGGREGATIONS = Set.of("avg", "sum", "min", "max", "count");

    private final Source src;
    private final List<Token> tokens;
    private int p;

    private Parser(Source src) {
        this.src = src;
        this.tokens = Lexer.tokenize(src);
    }

    static List<Command> parse(Source src) {
        return new Parser(src).query();
    }

    // ---------------------------------------------------------------- tokens

    private Token peek() {
        return tokens.get(p);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(p);
        if (t.kind() != Kind.EOF) {
            p++;
        }
        return t;
    }

    private boolean accept(Kind k) {
        if (peek().is(k)) {
            p++;
            return true;
        }
        return false;
    }

    private Token expect(Kind k) {
        if (!peek().is(k)) {
            throw unexpected(peek());
        }
        return next();
    }

    private DqlException unexpected(Token t) {
        return switch (t.kind()) {
            case EOF -> src.error(DqlException.PARSE_ERROR, "The query ends unexpectedly.", Math.max(0, t.start() - 1),
                    t.start());
            case STRING -> src.error(DqlException.PARSE_ERROR, "A string like " + t.text() + " isn't allowed here.",
                    t, t.text());
            default -> src.error(DqlException.PARSE_ERROR, "`" + t.text() + "` isn't allowed here.", t, t.text());
        };
    }

    private boolean atNamedParameter() {
        return peek().is(Kind.IDENT) && !peek().quoted() && peek(1).is(Kind.COLON);
    }

    private boolean atEndOfCommand() {
        return peek().is(Kind.PIPE) || peek().is(Kind.EOF);
    }

    // ---------------------------------------------------------------- commands

    private List<Command> query() {
        if (peek().is(Kind.EOF)) {
            throw src.error(DqlException.PARSE_ERROR, "The query is empty.", 0, 1);
        }
        List<Command> commands = new ArrayList<>();
        do {
            commands.add(command(commands.isEmpty()));
        } while (accept(Kind.PIPE));
        if (!peek().is(Kind.EOF)) {
            throw unexpected(peek());
        }
        return commands;
    }

    private Command command(boolean first) {
        Token t = next();
        if (!t.is(Kind.IDENT) || t.quoted()) {
            throw unexpected(t);
        }
        String name = t.text();
        Pos pos = Pos.of(t);
        boolean known = STARTING.contains(name) || Set.of("filter", "filterOut", "fields", "fieldsAdd",
                "fieldsRemove", "sort", "limit", "summarize", "search").contains(name);
        if (!known) {
            if (UNSUPPORTED_COMMANDS.contains(name)) {
                throw src.error(DqlException.UNSUPPORTED_COMMAND, "The command `" + name
                        + "` isn't supported by this simulator.", t, name);
            }
            throw src.error(DqlException.UNKNOWN_COMMAND, "There's no command `" + name + "`.", t, name);
        }
        if (first && !STARTING.contains(name)) {
            throw src.error(DqlException.PARSE_ERROR, "A query has to start with `fetch` or `timeseries`; `" + name
                    + "` isn't allowed here.", t, name);
        }
        if (!first && STARTING.contains(name)) {
            throw src.error(DqlException.PARSE_ERROR, "`" + name + "` can only start a query; it isn't allowed here.",
                    t, name);
        }
        return switch (name) {
            case "fetch" -> fetch(pos);
            case "timeseries" -> timeseries(pos);
            case "filter" -> new Ast.Filter(singleExpression(), false, pos);
            case "filterOut" -> new Ast.Filter(singleExpression(), true, pos);
            case "fields" -> new Ast.Fields(assignments(t), pos);
            case "fieldsAdd" -> new Ast.FieldsAdd(assignments(t), pos);
            case "fieldsRemove" -> fieldsRemove(t);
            case "sort" -> sort(t);
            case "limit" -> limit(t);
            case "summarize" -> summarize(t);
            case "search" -> search(t);
            default -> throw new IllegalStateException(name);
        };
    }

    private Expr singleExpression() {
        Expr e = expression();
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        return e;
    }

    private void requireArgument(Token command) {
        if (atEndOfCommand()) {
            throw src.error(DqlException.PARSE_ERROR, "The command `" + command.text() + "` needs an argument.",
                    command, command.text());
        }
    }

    private Command fetch(Pos pos) {
        Token object = next();
        if (!object.is(Kind.IDENT)) {
            throw object.is(Kind.EOF) || object.is(Kind.PIPE)
                    ? src.error(DqlException.PARSE_ERROR, "The command `fetch` needs a data object, like `logs`.",
                    pos)
                    : unexpected(object);
        }
        Map<String, Expr> params = namedParameters("fetch", Set.of("from", "to", "samplingRatio", "scanLimitGBytes"));
        return new Ast.Fetch(object.text(), Pos.of(object), params.get("from"), params.get("to"), pos);
    }

    /** {@code , name: value} pairs until the end of the command. */
    private Map<String, Expr> namedParameters(String command, Set<String> allowed) {
        Map<String, Expr> params = new LinkedHashMap<>();
        while (accept(Kind.COMMA)) {
            if (!atNamedParameter()) {
                throw unexpected(peek());
            }
            Token name = next();
            next();
            checkParameter(command, allowed, params, name);
            params.put(name.text(), expression());
        }
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        return params;
    }

    private void checkParameter(String command, Set<String> allowed, Map<String, ?> seen, Token name) {
        if (!allowed.contains(name.text())) {
            throw src.error(DqlException.UNKNOWN_PARAMETER, "The command `" + command + "` has no parameter `"
                    + name.text() + "`.", name, name.text());
        }
        if (seen.containsKey(name.text())) {
            throw src.error(DqlException.PARSE_ERROR, "The parameter `" + name.text() + "` is given twice.", name,
                    name.text());
        }
    }

    private List<Assign> assignments(Token command) {
        requireArgument(command);
        List<Assign> out = new ArrayList<>();
        do {
            out.add(assignment());
        } while (accept(Kind.COMMA));
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        return out;
    }

    /** {@code name = expr} or {@code expr} (named after itself). */
    private Assign assignment() {
        if (peek().is(Kind.IDENT) && peek(1).is(Kind.ASSIGN)) {
            Token name = next();
            next();
            return new Assign(name.text(), expression());
        }
        Expr e = expression();
        return new Assign(e instanceof Field f ? f.name() : Ast.text(e), e);
    }

    private Command fieldsRemove(Token command) {
        requireArgument(command);
        List<String> names = new ArrayList<>();
        do {
            Token t = next();
            if (!t.is(Kind.IDENT) || peek().is(Kind.LPAREN)) {
                throw unexpected(t);
            }
            names.add(t.text());
        } while (accept(Kind.COMMA));
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        return new Ast.FieldsRemove(names, Pos.of(command));
    }

    private Command sort(Token command) {
        requireArgument(command);
        List<SortKey> keys = new ArrayList<>();
        do {
            Expr e = expression();
            boolean desc = false;
            if (peek().isWord("desc")) {
                next();
                desc = true;
            } else if (peek().isWord("asc")) {
                next();
            }
            keys.add(new SortKey(e, desc));
        } while (accept(Kind.COMMA));
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        return new Ast.Sort(keys, Pos.of(command));
    }

    private Command limit(Token command) {
        requireArgument(command);
        Token n = next();
        if (!n.is(Kind.NUMBER) || !(n.value() instanceof Long count)) {
            throw src.error(DqlException.INVALID_ARGUMENT, "The command `limit` needs a non-negative whole number, not `"
                    + n.text() + "`.", n, n.text());
        }
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        return new Ast.Limit(count, Pos.of(command));
    }

    private Command search(Token command) {
        requireArgument(command);
        Token s = next();
        if (!s.is(Kind.STRING)) {
            throw src.error(DqlException.INVALID_ARGUMENT, "The command `search` needs a string literal.", s, s.text());
        }
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        return new Ast.Search((String) s.value(), Pos.of(command));
    }

    private Command summarize(Token command) {
        requireArgument(command);
        List<Assign> aggregations = new ArrayList<>();
        List<Assign> by = null;
        do {
            if (atNamedParameter()) {
                Token name = next();
                next();
                checkParameter("summarize", Set.of("by"), by == null ? Map.of() : Map.of("by", 1), name);
                by = groupList();
            } else {
                Assign a = assignment();
                if (!(a.expr() instanceof Call c && Functions.isAggregation(c.name()))) {
                    throw src.error(DqlException.INVALID_ARGUMENT, "`" + Ast.text(a.expr())
                            + "` isn't an aggregation; summarize needs functions like count(), sum() or avg().",
                            a.expr().pos());
                }
                aggregations.add(a);
            }
        } while (accept(Kind.COMMA));
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        if (aggregations.isEmpty() && by == null) {
            throw src.error(DqlException.PARSE_ERROR, "The command `summarize` needs an aggregation.", command);
        }
        return new Ast.Summarize(aggregations, by == null ? List.of() : by, Pos.of(command));
    }

    /** {@code {a, b = expr}} or a single grouping expression. */
    private List<Assign> groupList() {
        List<Assign> out = new ArrayList<>();
        if (accept(Kind.LBRACE)) {
            if (!peek().is(Kind.RBRACE)) {
                do {
                    out.add(assignment());
                } while (accept(Kind.COMMA));
            }
            expect(Kind.RBRACE);
        } else {
            out.add(assignment());
        }
        return out;
    }

    private Command timeseries(Pos pos) {
        List<MetricAgg> aggregations = new ArrayList<>();
        List<Assign> by = List.of();
        Map<String, Object> params = new LinkedHashMap<>();
        if (atEndOfCommand()) {
            throw src.error(DqlException.PARSE_ERROR, "The command `timeseries` needs an aggregation like "
                    + "avg(dt.host.cpu.usage).", pos);
        }
        do {
            if (atNamedParameter()) {
                Token name = next();
                next();
                checkParameter("timeseries", Set.of("by", "filter", "from", "to", "interval", "bins"), params, name);
                switch (name.text()) {
                    case "by" -> {
                        by = groupList();
                        params.put("by", by);
                    }
                    case "interval" -> {
                        Token d = next();
                        if (!d.is(Kind.DURATION) || ((Duration) d.value()).isZero()) {
                            throw src.error(DqlException.INVALID_ARGUMENT,
                                    "The parameter `interval` needs a positive duration like 5m.", d, d.text());
                        }
                        params.put("interval", d.value());
                    }
                    case "bins" -> {
                        Token n = next();
                        if (!(n.value() instanceof Long bins) || !n.is(Kind.NUMBER) || bins <= 0) {
                            throw src.error(DqlException.INVALID_ARGUMENT,
                                    "The parameter `bins` needs a positive whole number.", n, n.text());
                        }
                        params.put("bins", bins);
                    }
                    default -> params.put(name.text(), expression());
                }
            } else if (accept(Kind.LBRACE)) {
                do {
                    aggregations.add(metricAggregation());
                } while (accept(Kind.COMMA));
                expect(Kind.RBRACE);
            } else {
                aggregations.add(metricAggregation());
            }
        } while (accept(Kind.COMMA));
        if (!atEndOfCommand()) {
            throw unexpected(peek());
        }
        if (aggregations.isEmpty()) {
            throw src.error(DqlException.PARSE_ERROR, "The command `timeseries` needs an aggregation like "
                    + "avg(dt.host.cpu.usage).", pos);
        }
        return new Ast.Timeseries(aggregations, by, (Expr) params.get("filter"), (Expr) params.get("from"),
                (Expr) params.get("to"), (Duration) params.get("interval"), (Long) params.get("bins"), pos);
    }

    private MetricAgg metricAggregation() {
        String alias = null;
        if (peek().is(Kind.IDENT) && peek(1).is(Kind.ASSIGN)) {
            alias = next().text();
            next();
        }
        Token fn = next();
        if (!fn.is(Kind.IDENT) || fn.quoted() || !peek().is(Kind.LPAREN)) {
            throw unexpected(fn);
        }
        if (!TIMESERIES_AGGREGATIONS.contains(fn.text())) {
            if (Functions.SPECS.containsKey(fn.text()) || Functions.UNSUPPORTED.contains(fn.text())) {
                throw src.error(DqlException.INVALID_ARGUMENT, "`" + fn.text()
                        + "` isn't a timeseries aggregation here; use avg, sum, min, max or count.", fn, fn.text());
            }
            throw src.error(DqlException.UNKNOWN_FUNCTION, "There's no function `" + fn.text() + "`.", fn, fn.text());
        }
        expect(Kind.LPAREN);
        Token metric = next();
        if (!metric.is(Kind.IDENT)) {
            throw src.error(DqlException.INVALID_ARGUMENT, "`" + fn.text()
                    + "` needs a metric key like dt.host.cpu.usage.", metric, metric.text());
        }
        Expr defaultValue = null;
        while (accept(Kind.COMMA)) {
            if (!atNamedParameter()) {
                throw unexpected(peek());
            }
            Token name = next();
            next();
            if (!name.text().equals("default")) {
                throw src.error(DqlException.UNKNOWN_PARAMETER, "The function `" + fn.text()
                        + "` has no parameter `" + name.text() + "` here.", name, name.text());
            }
            defaultValue = expression();
            if (!(defaultValue instanceof Lit l && Values.isNumber(l.value()))
                    && !(defaultValue instanceof Unary u && u.operand() instanceof Lit l2 && Values.isNumber(l2.value()))) {
                throw src.error(DqlException.INVALID_ARGUMENT, "The parameter `default` needs a number.",
                        defaultValue.pos());
            }
        }
        Token close = expect(Kind.RPAREN);
        String text = fn.text() + "(" + Ast.fieldName(metric.text())
                + (defaultValue == null ? "" : ", default: " + Ast.text(defaultValue)) + ")";
        return new MetricAgg(alias != null ? alias : text, fn.text(), metric.text(), Pos.of(metric), defaultValue);
    }

    // ---------------------------------------------------------------- expressions

    Expr expression() {
        return or();
    }

    private Expr or() {
        Expr left = xor();
        while (peek().isWord("or")) {
            Token op = next();
            Expr right = xor();
            left = new Binary("or", left, right, Pos.of(op), left.pos().to(right.pos()));
        }
        return left;
    }

    private Expr xor() {
        Expr left = and();
        while (peek().isWord("xor")) {
            Token op = next();
            Expr right = and();
            left = new Binary("xor", left, right, Pos.of(op), left.pos().to(right.pos()));
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isWord("and")) {
            Token op = next();
            Expr right = not();
            left = new Binary("and", left, right, Pos.of(op), left.pos().to(right.pos()));
        }
        return left;
    }

    private Expr not() {
        if (peek().isWord("not")) {
            Token op = next();
            Expr operand = not();
            return new Unary("not", operand, Pos.of(op).to(operand.pos()));
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = additive();
        Kind k = peek().kind();
        if (k == Kind.EQ || k == Kind.NE || k == Kind.LT || k == Kind.LE || k == Kind.GT || k == Kind.GE) {
            Token op = next();
            Expr right = additive();
            Expr cmp = new Binary(op.text(), left, right, Pos.of(op), left.pos().to(right.pos()));
            Kind again = peek().kind();
            if (again == Kind.EQ || again == Kind.NE || again == Kind.LT || again == Kind.LE || again == Kind.GT
                    || again == Kind.GE) {
                throw unexpected(peek());
            }
            return cmp;
        }
        if (k == Kind.ASSIGN) {
            throw src.error(DqlException.PARSE_ERROR, "`=` isn't allowed here; compare with `==`.", peek(), "=");
        }
        return left;
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peek().is(Kind.PLUS) || peek().is(Kind.MINUS)) {
            Token op = next();
            Expr right = multiplicative();
            left = new Binary(op.text(), left, right, Pos.of(op), left.pos().to(right.pos()));
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peek().is(Kind.STAR) || peek().is(Kind.SLASH) || peek().is(Kind.PERCENT)) {
            Token op = next();
            Expr right = unary();
            left = new Binary(op.text(), left, right, Pos.of(op), left.pos().to(right.pos()));
        }
        return left;
    }

    private Expr unary() {
        if (peek().is(Kind.MINUS)) {
            Token op = next();
            Expr operand = unary();
            return new Unary("-", operand, Pos.of(op).to(operand.pos()));
        }
        return primary();
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case STRING, NUMBER, DURATION:
                return new Lit(t.value(), t.text(), Pos.of(t));
            case LPAREN: {
                Expr inner = expression();
                Token close = expect(Kind.RPAREN);
                return new Paren(inner, Pos.of(t).to(Pos.of(close)));
            }
            case IDENT:
                if (!t.quoted() && peek().is(Kind.LPAREN)) {
                    return call(t);
                }
                if (!t.quoted()) {
                    if (t.isWord("true")) {
                        return new Lit(Boolean.TRUE, "true", Pos.of(t));
                    }
                    if (t.isWord("false")) {
                        return new Lit(Boolean.FALSE, "false", Pos.of(t));
                    }
                    if (t.isWord("null")) {
                        return new Lit(null, "null", Pos.of(t));
                    }
                    if (t.isWord("and") || t.isWord("or") || t.isWord("xor") || t.isWord("not")) {
                        throw unexpected(t);
                    }
                }
                return new Field(t.text(), t.quoted(), Pos.of(t));
            default:
                throw unexpected(t);
        }
    }

    private Expr call(Token name) {
        expect(Kind.LPAREN);
        List<Expr> args = new ArrayList<>();
        Map<String, Expr> named = new LinkedHashMap<>();
        if (!peek().is(Kind.RPAREN)) {
            do {
                if (atNamedParameter()) {
                    Token param = next();
                    next();
                    if (named.containsKey(param.text())) {
                        throw src.error(DqlException.PARSE_ERROR, "The parameter `" + param.text()
                                + "` is given twice.", param, param.text());
                    }
                    named.put(param.text(), expression());
                } else {
                    if (!named.isEmpty()) {
                        throw unexpected(peek());
                    }
                    args.add(expression());
                }
            } while (accept(Kind.COMMA));
        }
        Token close = expect(Kind.RPAREN);
        Call c = new Call(name.text(), Pos.of(name), args, named, Pos.of(name).to(Pos.of(close)));
        Functions.check(c, src);
        return c;
    }
}
