package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import dev.bastion.provider.dynatrace.platform.sandbox.dql.Ast.Command;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed DQL query, ready to run over any {@link DqlData}. Immutable and safe to evaluate many times; evaluation never
 * changes the data's records (it works on copies).
 */
public final class DqlQuery {

    private final Source source;
    private final List<Command> commands;

    DqlQuery(Source source, List<Command> commands) {
        this.source = source;
        this.commands = List.copyOf(commands);
    }

    /**
     * Runs the query over data; "now" anchors relative times; defaultFrom/defaultTo are the default timeframe.
     *
     * <p>A {@code from:} or {@code to:} in the query replaces the matching default; a null defaultTo means now and a
     * null defaultFrom two hours before the end. {@code maxRecords} of 0 or less means no cut.
     *
     * @throws DqlException for an unknown data object or a value of the wrong type, positioned in the query text
     */
    public DqlResult evaluate(DqlData data, Instant now, Instant defaultFrom, Instant defaultTo, int maxRecords) {
        return new Pipeline(source, now, defaultFrom, defaultTo).run(commands, data, maxRecords);
    }

    /**
     * The data objects fetched (for scope checks: "logs" needs storage:logs:read, etc.). A {@code timeseries} query
     * reads "metrics" (storage:metrics:read).
     */
    public List<String> dataObjects() {
        List<String> out = new ArrayList<>();
        for (Command c : commands) {
            if (c instanceof Ast.Fetch f && !out.contains(f.dataObject())) {
                out.add(f.dataObject());
            } else if (c instanceof Ast.Timeseries && !out.contains("metrics")) {
                out.add("metrics");
            }
        }
        return List.copyOf(out);
    }

    /** The query text as given. */
    @Override
    public String toString() {
        return source.text();
    }
}
