package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code /auditlogs}: who changed what. */
final class AuditLogEndpoints {

    private AuditLogEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/auditlogs", AuditLogEndpoints::list);
    }

    private static JsonNode list(ApiCall call) {
        call.requireScope("auditLogs.read");
        long[] frame = call.timeframe("now-2w");
        SandboxSelector filter = call.selector("filter");
        int size = call.pageSize("pageSize", 1000, 5000);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode entry : call.data.auditLogs) {
            long time = entry.path("timestamp").asLong();
            if (time < frame[0] || time > frame[1]
                    || !filter.matchesAny("user", entry.path("user").asText())
                    || !filter.matchesAny("eventType", entry.path("eventType").asText())
                    || !filter.matchesAny("category", entry.path("category").asText())
                    || !filter.matchesAny("entityId", entry.path("entityId").asText())) {
                continue;
            }
            matching.add(entry.deepCopy());
        }
        Comparator<ObjectNode> byTime = Comparator.comparingLong(e -> e.path("timestamp").asLong());
        matching.sort(call.query("sort", "-timestamp").equals("timestamp") ? byTime : byTime.reversed());
        return call.page(matching, "auditLogs", size, "nextPageKey");
    }
}
