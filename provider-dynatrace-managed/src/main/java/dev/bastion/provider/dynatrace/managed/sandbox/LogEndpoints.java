package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** {@code /logs/search}: log records, paged in slices as the API does. */
final class LogEndpoints {

    private LogEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/logs/search", LogEndpoints::search);
    }

    private static JsonNode search(ApiCall call) {
        call.requireScope("logs.read");
        long[] frame = call.timeframe("now-2h");
        int limit = call.pageSize("limit", 1000, 10_000);
        Predicate<JsonNode> filter = SandboxLogQuery.parse(call.query("query"));
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode record : call.data.logs) {
            long time = record.path("timestamp").asLong();
            if (time >= frame[0] && time <= frame[1] && filter.test(record)) {
                matching.add(record.deepCopy());
            }
        }
        String sort = call.query("sort", "-timestamp");
        if (!sort.equals("-timestamp") && !sort.equals("timestamp")) {
            throw ApiCall.badQuery("sort", "must be timestamp or -timestamp");
        }
        Comparator<ObjectNode> byTime = Comparator.comparingLong(r -> r.path("timestamp").asLong());
        matching.sort(sort.equals("timestamp") ? byTime : byTime.reversed());
        ObjectNode page = call.page(matching, "results", limit, "nextSliceKey");
        ObjectNode out = call.json.createObjectNode();
        out.set("nextSliceKey", page.get("nextSliceKey"));
        out.set("results", page.get("results"));
        out.set("sliceSize", page.get("sliceSize"));
        return out;
    }
}
