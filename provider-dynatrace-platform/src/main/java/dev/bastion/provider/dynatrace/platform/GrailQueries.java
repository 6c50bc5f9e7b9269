package dev.bastion.provider.dynatrace.platform;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.toolkit.http.JsonBackend;
import dev.bastion.toolkit.poll.PollResult;
import dev.bastion.toolkit.poll.PollStep;
import dev.bastion.toolkit.poll.Polling;
import dev.bastion.toolkit.tool.CompactTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs DQL on Grail: {@code query:execute}, then {@code query:poll} until the query is done (the
 * toolkit's polling: the call's deadline, progress, and {@code query:cancel} when the call is
 * cancelled or out of time), counting each result's scanned bytes against the budget.
 */
final class GrailQueries {

    /** The most JSON characters of a records table, so the whole tool result stays under the server's limit. */
    static final int MAX_TABLE_CHARS = 115_000;
    private static final Pattern NANOS = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\.(\\d{1,9})(Z|[+-]\\d{2}:\\d{2})$");

    static final String[] QUERY = {"platform", "storage", "query", "v1"};
    /** How long execute and each poll may wait on the server before it answers RUNNING. */
    static final int SERVER_WAIT_MILLIS = 3000;

    private final PlatformClient client;
    private final Polling<String, JsonNode> polling;

    GrailQueries(PlatformClient client) {
        this.client = requireNonNull(client, "client is null");
        this.polling = Polling.<String, JsonNode>builder("DQL query",
                        (token, context) -> step(client.exchange(client.get(path("query:poll"))
                                .query("request-token", token)
                                .query("request-timeout-milliseconds", SERVER_WAIT_MILLIS), context), token),
                        (token, cleanup) -> client.exchange(client.post(client.json().createObjectNode(),
                                path("query:cancel")).query("request-token", token).idempotent(), cleanup))
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .timeoutHint("narrow the timeframe, add filters or a limit")
                .build();
    }

    GrailBudget budget() {
        return client.budget();
    }

    static String[] path(String operation) {
        String[] all = new String[QUERY.length + 1];
        System.arraycopy(QUERY, 0, all, 0, QUERY.length);
        all[QUERY.length] = operation;
        return all;
    }

    /**
     * A finished query.
     *
     * @param records the records
     * @param types Grail's type buckets
     * @param grail {@code metadata.grail}
     * @param budgetWarning the budget threshold this query crossed, or {@code null}
     */
    record Answer(JsonNode records, JsonNode types, JsonNode grail, String budgetWarning) {
    }

    /** Runs {@code dql} to its end within the call. */
    Answer run(String dql, int maxRecords, Long maxBytes, CallContext context) throws java.io.IOException {
        client.budget().checkBeforeQuery();
        ObjectNode body = client.json().createObjectNode();
        body.put("query", dql);
        body.put("maxResultRecords", maxRecords);
        if (maxBytes != null) {
            body.put("maxResultBytes", maxBytes);
        }
        body.put("requestTimeoutMilliseconds", SERVER_WAIT_MILLIS);
        body.put("fetchTimeoutSeconds", 60);
        // A query only reads: its POST may be retried like a GET.
        PollResult<JsonNode> result = polling.run(context, ctx -> step(client.exchange(
                client.post(body, path("query:execute")).idempotent(), ctx), null));
        if (result instanceof PollResult.Finished<JsonNode> finished) {
            JsonNode answer = finished.value();
            JsonNode grail = answer.path("metadata").path("grail");
            long scanned = number(grail.path("scannedBytes"));
            String warning = client.budget().record(scanned);
            return new Answer(answer.path("records"), answer.path("types"), grail, warning);
        }
        throw new ToolFailure(result.message());
    }

    private static PollStep<String, JsonNode> step(JsonBackend.Reply reply, String token) {
        JsonNode body = reply.body();
        String state = body.path("state").asText("");
        switch (state) {
            case "SUCCEEDED":
                return PollStep.done(body.path("result"));
            case "RUNNING":
            case "NOT_STARTED":
                String next = body.path("requestToken").asText(token == null ? "" : token);
                if (next.isEmpty()) {
                    throw PlatformClient.unexpected("Grail answered " + state + " without a request token to poll");
                }
                Double progress = body.path("progress").isNumber() ? body.path("progress").asDouble() : null;
                return PollStep.running(next, progress, state);
            case "FAILED":
                throw new ToolFailure("The DQL query FAILED on Grail" + detail(body));
            case "CANCELLED":
                throw new ToolFailure("The DQL query was CANCELLED on Grail" + detail(body));
            case "RESULT_GONE":
                throw new ToolFailure("Grail no longer holds the query's result (RESULT_GONE); run it again");
            default:
                throw PlatformClient.unexpected("Grail answered the query with state '" + state + "'");
        }
    }

    private static String detail(JsonNode body) {
        String message = body.path("error").path("details").path("errorMessage").asText(
                body.path("error").path("message").asText(""));
        return message.isEmpty() ? "" : ": " + message;
    }

    /** DQL longs arrive as strings; anything not a number counts as 0. */
    static long number(JsonNode value) {
        if (value.isNumber()) {
            return value.asLong();
        }
        try {
            return Long.parseLong(value.asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The records as a table ({@link CompactTable}): each column's name and type once, then one row
     * per record in column order; {@code long} values stay the exact strings Grail sends, and a
     * timestamp loses only the trailing zeros of its nanoseconds.
     */
    static ObjectNode table(Answer answer, CompactTable.Layout layout, ObjectNode out) {
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode bucket : answer.types()) {
            bucket.path("mappings").fields().forEachRemaining(field -> types.putIfAbsent(field.getKey(),
                    field.getValue().path("type").asText("unknown")));
        }
        for (JsonNode record : answer.records()) {
            record.fieldNames().forEachRemaining(name -> types.putIfAbsent(name, "unknown"));
        }
        List<CompactTable.Column> columns = new ArrayList<>();
        types.forEach((name, type) -> columns.add(new CompactTable.Column(name, type)));
        List<List<JsonNode>> rows = new ArrayList<>(answer.records().size());
        for (JsonNode record : answer.records()) {
            List<JsonNode> row = new ArrayList<>(columns.size());
            for (CompactTable.Column column : columns) {
                JsonNode value = record.get(column.name());
                row.add(column.type().equals("timestamp") && value != null && value.isTextual()
                        ? ToolSupport.NODES.textNode(trimNanos(value.asText())) : value);
            }
            rows.add(row);
        }
        // A tool result has a size limit (its text repeats the JSON): keep the first rows that fit, and say so.
        int shown = rows.size();
        ObjectNode table = CompactTable.write(columns, rows, layout, ToolSupport.object());
        while (table.toString().length() > MAX_TABLE_CHARS && shown > 1) {
            shown = Math.max(1, (int) (shown * 0.9 * MAX_TABLE_CHARS / table.toString().length()));
            table = CompactTable.write(columns, rows.subList(0, shown), layout, ToolSupport.object());
        }
        out.setAll(table);
        out.put("record_count", shown);
        if (shown < rows.size()) {
            out.put("truncated", true);
            out.put("records_received", rows.size());
        }
        return out;
    }

    /** {@code 2026-12-04T20:14:52.598000000Z} as {@code 2026-12-04T20:14:52.598Z}; other text as it is. */
    static String trimNanos(String timestamp) {
        Matcher matcher = NANOS.matcher(timestamp);
        if (!matcher.matches()) {
            return timestamp;
        }
        String fraction = matcher.group(2).replaceAll("0+$", "");
        return matcher.group(1) + (fraction.isEmpty() ? "" : "." + fraction) + matcher.group(3);
    }

    /** Scanned bytes and records, the budget left, and the notifications and budget warning of a query. */
    static void metadata(Answer answer, GrailBudget budget, ObjectNode out) {
        out.put("scanned_bytes", number(answer.grail().path("scannedBytes")));
        out.put("scanned_records", number(answer.grail().path("scannedRecords")));
        if (budget.limit() >= 0) {
            out.put("budget_left_gb", Math.max(0, budget.limit() - budget.used()) / 1e9);
        }
        ArrayNode notes = ToolSupport.NODES.arrayNode();
        for (JsonNode notification : answer.grail().path("notifications")) {
            // Grail names its own request field; the tool's argument is max_records.
            notes.add(notification.path("message").asText(notification.path("notificationType").asText(""))
                    .replace("maxResultRecords", "max_records"));
        }
        if (out.path("truncated").asBoolean()) {
            notes.add("Only the first " + out.path("record_count").asInt() + " of " + out.path("records_received")
                    .asInt() + " records fit in one tool result; add filters or fields, or lower max_records.");
        }
        if (answer.budgetWarning() != null) {
            notes.add(answer.budgetWarning());
        }
        if (!notes.isEmpty()) {
            out.set("notifications", notes);
        }
    }
}
