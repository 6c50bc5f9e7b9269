package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Assign;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Call;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Command;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Expr;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.SortKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Runs a parsed pipeline over {@link DqlData}: the starting command reads records, the others transform them. */
final class Pipeline {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Eval eval;
    private final Instant now;
    private final Instant defaultFrom;
    private final Instant defaultTo;
    private long scannedRecords;
    private long scannedBytes;

    Pipeline(Source src, Instant now, Instant defaultFrom, Instant defaultTo) {
        this.eval = new Eval(src, now);
        this.now = now;
        this.defaultTo = defaultTo != null ? defaultTo : now;
        this.defaultFrom = defaultFrom != null ? defaultFrom : this.defaultTo.minus(Duration.ofHours(2));
    }

    DqlResult run(List<Command> commands, DqlData data, int maxRecords) {
        List<ObjectNode> records = List.of();
        for (Command c : commands) {
            records = apply(c, records, data);
        }
        boolean truncated = maxRecords > 0 && records.size() > maxRecords;
        if (truncated) {
            records = records.subList(0, maxRecords);
        }
        return new DqlResult(records, scannedRecords, scannedBytes, truncated);
    }

    private List<ObjectNode> apply(Command c, List<ObjectNode> in, DqlData data) {
        if (c instanceof Ast.Fetch f) {
            return fetch(f, data);
        }
        if (c instanceof Ast.Timeseries t) {
            Instant[] frame = timeframe(t.from(), t.to());
            return new Timeseries(eval, t, frame[0], frame[1]).run(data);
        }
        if (c instanceof Ast.Filter f) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode r : in) {
                if (f.out() ? !eval.test(f.condition(), r) : eval.test(f.condition(), r)) {
                    out.add(r);
                }
            }
            return out;
        }
        if (c instanceof Ast.Fields f) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode r : in) {
                ObjectNode o = JSON.objectNode();
                for (Assign a : f.fields()) {
                    o.set(a.name(), Values.toJson(eval.eval(a.expr(), r)));
                }
                out.add(o);
            }
            return out;
        }
        if (c instanceof Ast.FieldsAdd f) {
            for (ObjectNode r : in) {
                Map<String, JsonNode> computed = new LinkedHashMap<>();
                for (Assign a : f.fields()) {
                    computed.put(a.name(), Values.toJson(eval.eval(a.expr(), r)));
                }
                r.setAll(computed);
            }
            return in;
        }
        if (c instanceof Ast.FieldsRemove f) {
            for (ObjectNode r : in) {
                r.remove(f.names());
            }
            return in;
        }
        if (c instanceof Ast.Sort s) {
            return sort(s, in);
        }
        if (c instanceof Ast.Limit l) {
            return l.count() >= in.size() ? in : new ArrayList<>(in.subList(0, (int) l.count()));
        }
        if (c instanceof Ast.Summarize s) {
            return summarize(s, in);
        }
        Ast.Search s = (Ast.Search) c;
        String needle = s.text().toLowerCase(Locale.ROOT);
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode r : in) {
            if (anyStringContains(r, needle)) {
                out.add(r);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- fetch

    private List<ObjectNode> fetch(Ast.Fetch f, DqlData data) {
        List<ObjectNode> table = data.table(f.dataObject()).orElseThrow(() -> eval.source().error(
                DqlException.UNKNOWN_DATA_OBJECT, "There's no data object `" + f.dataObject() + "`.", f.objectPos(),
                f.dataObject()));
        Instant[] frame = timeframe(f.from(), f.to());
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode r : table) {
            JsonNode ts = r.get("timestamp");
            if (ts != null && !ts.isNull()) {
                Instant t = ts.isTextual() ? Values.parseInstant(ts.textValue()) : null;
                if (t == null || t.isBefore(frame[0]) || !t.isBefore(frame[1])) {
                    continue;
                }
            }
            scannedRecords++;
            try {
                scannedBytes += MAPPER.writeValueAsBytes(r).length;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.add(r.deepCopy());
        }
        // Grail returns the newest records first; records without a timestamp keep their order at the end.
        out.sort(Comparator.comparing((ObjectNode r) -> {
            JsonNode ts = r.get("timestamp");
            return ts == null || ts.isNull() ? Instant.MIN : Values.parseInstant(ts.textValue());
        }).reversed());
        return out;
    }

    /** [from, to) from the command's from:/to: (a missing one takes the request's default). */
    Instant[] timeframe(Expr from, Expr to) {
        Instant f = from == null ? defaultFrom : time(from);
        Instant t = to == null ? defaultTo : time(to);
        if (t.isBefore(f)) {
            Expr at = to != null ? to : from;
            throw eval.source().error(DqlException.INVALID_ARGUMENT, "The timeframe ends before it starts.", at.pos());
        }
        return new Instant[] {f, t};
    }

    private Instant time(Expr e) {
        Object v = eval.eval(e, JSON.objectNode());
        if (v instanceof Duration d) {
            return now.plus(d);
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof String s && Values.parseInstant(s) != null) {
            return Values.parseInstant(s);
        }
        throw eval.source().error(DqlException.INVALID_ARGUMENT, "`" + Ast.text(e)
                + "` isn't a time; use now()-2h, -2h or an ISO-8601 timestamp like \"2025-06-01T00:00:00Z\".",
                e.pos());
    }

    // ---------------------------------------------------------------- sort

    private List<ObjectNode> sort(Ast.Sort s, List<ObjectNode> in) {
        record Row(ObjectNode record, Object[] keys) {
        }
        List<Row> rows = new ArrayList<>();
        for (ObjectNode r : in) {
            Object[] keys = new Object[s.keys().size()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = eval.eval(s.keys().get(i).expr(), r);
            }
            rows.add(new Row(r, keys));
        }
        rows.sort((a, b) -> {
            for (int i = 0; i < s.keys().size(); i++) {
                SortKey key = s.keys().get(i);
                Object x = a.keys()[i];
                Object y = b.keys()[i];
                if (x == null || y == null) {
                    if (x != y) {
                        return x == null ? 1 : -1; // nulls last, either direction
                    }
                    continue;
                }
                Integer c = Values.compare(x, y);
                int cmp = c != null ? c : Values.typeName(x).compareTo(Values.typeName(y));
                if (cmp != 0) {
                    return key.descending() ? -cmp : cmp;
                }
            }
            return 0;
        });
        List<ObjectNode> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r.record());
        }
        return out;
    }

    // ---------------------------------------------------------------- summarize

    private List<ObjectNode> summarize(Ast.Summarize s, List<ObjectNode> in) {
        Map<String, Object[]> keys = new LinkedHashMap<>();
        Map<String, List<Aggregator>> groups = new LinkedHashMap<>();
        if (s.by().isEmpty()) {
            keys.put("", new Object[0]);
            groups.put("", aggregators(s));
        }
        for (ObjectNode r : in) {
            Object[] by = new Object[s.by().size()];
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < by.length; i++) {
                by[i] = eval.eval(s.by().get(i).expr(), r);
                key.append(Values.typeName(by[i])).append(':').append(Values.toJson(by[i])).append('\u0000');
            }
            String k = key.toString();
            keys.putIfAbsent(k, by);
            List<Aggregator> aggs = groups.computeIfAbsent(k, x -> aggregators(s));
            for (Aggregator a : aggs) {
                a.add(r);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<String, List<Aggregator>> g : groups.entrySet()) {
            ObjectNode o = JSON.objectNode();
            Object[] by = keys.get(g.getKey());
            for (int i = 0; i < by.length; i++) {
                o.set(s.by().get(i).name(), Values.toJson(by[i]));
            }
            for (int i = 0; i < s.aggregations().size(); i++) {
                o.set(s.aggregations().get(i).name(), Values.toJson(g.getValue().get(i).result()));
            }
            out.add(o);
        }
        return out;
    }

    private List<Aggregator> aggregators(Ast.Summarize s) {
        List<Aggregator> out = new ArrayList<>();
        for (Assign a : s.aggregations()) {
            out.add(new Aggregator((Call) a.expr()));
        }
        return out;
    }

    /** One aggregation's running state for one group. */
    private final class Aggregator {
        private final Call call;
        private long count;
        private double sum;
        private boolean allLong = true;
        private long longSum;
        private Object best;
        private final Set<String> distinct = new HashSet<>();

        Aggregator(Call call) {
            this.call = call;
        }

        void add(ObjectNode r) {
            switch (call.name()) {
                case "count" -> count++;
                case "countIf" -> {
                    if (eval.test(call.args().get(0), r)) {
                        count++;
                    }
                }
                default -> {
                    Expr arg = call.args().get(0);
                    Object v = eval.eval(arg, r);
                    if (v == null) {
                        return;
                    }
                    switch (call.name()) {
                        case "countDistinct" -> distinct.add(Values.typeName(v) + ":" + Values.toJson(v));
                        case "min", "max" -> {
                            Integer c = best == null ? Integer.valueOf(0) : Values.compare(v, best);
                            if (c == null) {
                                throw eval.source().error(DqlException.INVALID_ARGUMENT, "`" + call.name()
                                        + "` can't compare " + Values.typeName(v) + " with "
                                        + Values.typeName(best) + ".", arg.pos(), call.name());
                            }
                            if (best == null || (call.name().equals("min") ? c < 0 : c > 0)) {
                                best = v;
                            }
                        }
                        default -> { // sum, avg
                            if (!Values.isNumber(v)) {
                                throw eval.source().error(DqlException.INVALID_ARGUMENT, "The function `"
                                        + call.name() + "` needs numbers, but `" + Ast.text(arg) + "` is "
                                        + Values.typeName(v) + ".", arg.pos(), call.name());
                            }
                            count++;
                            sum += ((Number) v).doubleValue();
                            if (v instanceof Long l) {
                                longSum += l;
                            } else {
                                allLong = false;
                            }
                        }
                    }
                }
            }
        }

        Object result() {
            return switch (call.name()) {
                case "count", "countIf" -> count;
                case "countDistinct" -> (long) distinct.size();
                case "min", "max" -> best;
                case "sum" -> count == 0 ? null : allLong ? (Object) longSum : (Object) sum;
                default -> count == 0 ? null : sum / count;
            };
        }
    }

    // ---------------------------------------------------------------- search

    private static boolean anyStringContains(JsonNode n, String needle) {
        if (n.isTextual()) {
            return n.textValue().toLowerCase(Locale.ROOT).contains(needle);
        }
        if (n.isContainerNode()) {
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                if (anyStringContains(it.next(), needle)) {
                    return true;
                }
            }
        }
        return false;
    }
}
