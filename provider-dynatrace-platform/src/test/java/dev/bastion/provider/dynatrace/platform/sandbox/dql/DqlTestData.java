package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small fixed Grail: logs, events, host entities and one CPU metric, around NOW = 2025-06-01T12:00:00Z. */
final class DqlTestData implements DqlData {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Instant FROM = Instant.parse("2025-06-01T10:00:00Z");

    private final Map<String, List<ObjectNode>> tables = Map.of(
            "logs", records(
                    "{\"timestamp\":\"2025-06-01T11:50:00.000000000Z\",\"content\":\"GET /api/orders 500 Internal Server Error\","
                            + "\"loglevel\":\"ERROR\",\"dt.entity.host\":\"HOST-A\",\"status\":500,\"duration\":120}",
                    "{\"timestamp\":\"2025-06-01T11:40:00Z\",\"content\":\"Connection timed out after 30s\","
                            + "\"loglevel\":\"WARN\",\"dt.entity.host\":\"HOST-B\",\"status\":504,\"duration\":30000}",
                    "{\"timestamp\":\"2025-06-01T11:30:00Z\",\"content\":\"GET /api/health 200 OK\","
                            + "\"loglevel\":\"INFO\",\"dt.entity.host\":\"HOST-A\",\"status\":200,\"duration\":5}",
                    "{\"timestamp\":\"2025-06-01T11:20:00Z\",\"content\":\"x\\\" or true or \\\"y\","
                            + "\"loglevel\":\"INFO\",\"dt.entity.host\":\"HOST-C\",\"status\":200,\"duration\":7}",
                    "{\"timestamp\":\"2025-06-01T11:10:00Z\",\"content\":\"Payment failed: card declined\","
                            + "\"loglevel\":\"ERROR\",\"dt.entity.host\":\"HOST-B\",\"status\":402,\"duration\":300.5}",
                    "{\"timestamp\":\"2025-06-01T11:05:00Z\",\"content\":\"line1\\nline2 | fetch logs\","
                            + "\"loglevel\":\"DEBUG\",\"dt.entity.host\":\"HOST-C\",\"my field\":\"spaced\"}",
                    "{\"timestamp\":\"2025-06-01T10:30:00Z\",\"content\":\"path C:\\\\temp\\\\ cleaned\","
                            + "\"loglevel\":\"INFO\",\"dt.entity.host\":\"HOST-A\",\"status\":200,\"duration\":1}",
                    "{\"timestamp\":\"2025-05-31T12:00:00Z\",\"content\":\"old error from yesterday\","
                            + "\"loglevel\":\"ERROR\",\"dt.entity.host\":\"HOST-A\",\"status\":500,\"duration\":9}"),
            "events", records(
                    "{\"timestamp\":\"2025-06-01T11:55:00Z\",\"event.type\":\"DEPLOYMENT\",\"event.name\":\"Deploy orders v2\"}",
                    "{\"timestamp\":\"2025-06-01T11:00:00Z\",\"event.type\":\"CUSTOM_ALERT\",\"event.name\":\"Queue full\"}",
                    "{\"timestamp\":\"2025-06-01T10:10:00Z\",\"event.type\":\"DEPLOYMENT\",\"event.name\":\"Deploy billing v7\"}"),
            "dt.entity.host", records(
                    "{\"id\":\"HOST-A\",\"entity.name\":\"web-1\",\"osType\":\"LINUX\",\"cpuCores\":8}",
                    "{\"id\":\"HOST-B\",\"entity.name\":\"db-1\",\"osType\":\"LINUX\",\"cpuCores\":16}",
                    "{\"id\":\"HOST-C\",\"entity.name\":\"win-1\",\"osType\":\"WINDOWS\",\"cpuCores\":4}"));

    private final Map<String, List<ObjectNode>> metrics = Map.of(
            "dt.host.cpu.usage", records(
                    point("2025-06-01T10:15:00Z", 10, "HOST-A"),
                    point("2025-06-01T10:45:00Z", 20, "HOST-A"),
                    point("2025-06-01T11:30:00Z", 30, "HOST-A"),
                    point("2025-06-01T10:30:00Z", 90, "HOST-B"),
                    point("2025-06-01T09:30:00Z", 99, "HOST-B")));

    private static String point(String ts, double value, String host) {
        return "{\"timestamp\":\"" + ts + "\",\"value\":" + value + ",\"dimensions\":{\"dt.entity.host\":\"" + host
                + "\"}}";
    }

    private static List<ObjectNode> records(String... json) {
        List<ObjectNode> out = new ArrayList<>();
        for (String j : json) {
            try {
                out.add((ObjectNode) MAPPER.readTree(j));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public Optional<List<ObjectNode>> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    @Override
    public Optional<List<ObjectNode>> metric(String key) {
        return Optional.ofNullable(metrics.get(key));
    }
}
