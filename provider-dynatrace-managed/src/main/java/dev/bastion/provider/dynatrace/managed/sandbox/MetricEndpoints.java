package dev.bastion.provider.dynatrace.managed.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /metrics}: the catalogue, one metric's descriptor, and data queries. */
final class MetricEndpoints {

    private static final Pattern RESOLUTION = Pattern.compile("^([0-9]{1,4})([smhdwMyq]?)$");

    private MetricEndpoints() {
    }

    static void register(ApiRoutes routes) {
        routes.get("v2/metrics", MetricEndpoints::list)
                .get("v2/metrics/query", MetricEndpoints::query)
                .get("v2/metrics/{metricKey}", MetricEndpoints::details);
    }

    private static JsonNode list(ApiCall call) {
        call.requireScope("metrics.read");
        int size = call.pageSize("pageSize", 100, 500);
        String text = call.query("text");
        String keys = call.query("metricSelector");
        Predicate<String> keyMatch = keys == null ? k -> true : wildcard(keys).asMatchPredicate();
        Set<String> fields = call.fields();
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode metric : call.data.metrics) {
            String key = metric.path("metricId").asText();
            if (!keyMatch.test(key)) {
                continue;
            }
            if (text != null && !SandboxSelector.containsIgnoreCase(key + " " + metric.path("displayName").asText()
                    + " " + metric.path("description").asText(), text)) {
                continue;
            }
            ObjectNode view = call.json.createObjectNode();
            view.put("metricId", key);
            for (String field : List.of("displayName", "description", "unit")) {
                if (fields.isEmpty() || fields.contains(field)) {
                    view.set(field, metric.path(field).deepCopy());
                }
            }
            matching.add(view);
        }
        return call.page(matching, "metrics", size, "nextPageKey");
    }

    /** {@code builtin:host.*} as a pattern: only {@code *} is special, everything else is literal. */
    private static Pattern wildcard(String keys) {
        StringBuilder regex = new StringBuilder();
        for (String part : keys.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static JsonNode details(ApiCall call) {
        call.requireScope("metrics.read");
        String key = call.path("metricKey");
        return ApiCall.find(call.data.metrics, "metricId", key, "Metric " + key + " not found").deepCopy();
    }

    private static JsonNode query(ApiCall call) {
        call.requireScope("metrics.read");
        String selectorText = call.query("metricSelector");
        if (selectorText == null || selectorText.isBlank()) {
            throw ApiCall.badQuery("metricSelector", "must not be null");
        }
        long[] frame = call.timeframe("now-2h");
        SandboxSelector entitySelector = call.selector("entitySelector");
        call.checkEntitySelector(entitySelector, false);
        String resolution = call.query("resolution", "120");
        long step = resolutionMillis(resolution, frame);
        ObjectNode out = call.json.createObjectNode();
        out.put("totalCount", 0);
        out.putNull("nextPageKey");
        out.put("resolution", resolution.equals("Inf") ? "Inf" : (step / 60_000) + "m");
        ArrayNode results = out.putArray("result");
        int total = 0;
        for (String part : SandboxMetrics.splitTopLevel(selectorText)) {
            SandboxMetrics.Query query;
            try {
                query = SandboxMetrics.Query.parse(part);
            } catch (IllegalArgumentException e) {
                throw ApiCall.badQuery("metricSelector", e.getMessage());
            }
            ObjectNode metric = null;
            for (ObjectNode candidate : call.data.metrics) {
                if (candidate.path("metricId").asText().equals(query.key())) {
                    metric = candidate;
                }
            }
            if (metric == null) {
                throw SandboxError.notFound("Metric selector: the metric " + query.key() + " does not exist");
            }
            String entityType = metric.path("entityType").get(0).asText();
            String dimension = metric.path("dimensionDefinitions").get(0).path("key").asText();
            List<ObjectNode> sources = new ArrayList<>();
            for (ObjectNode entity : call.data.entities) {
                if (entity.path("type").asText().equals(entityType)
                        && (call.query("entitySelector") == null || SandboxData.matches(entitySelector, entity))) {
                    sources.add(entity);
                }
            }
            ObjectNode result = results.addObject();
            ArrayNode series = result.putArray("data");
            List<ObjectNode> generated = SandboxMetrics.series(call.json, query, dimension, sources, frame, step,
                    resolution.equals("Inf"));
            generated.forEach(series::add);
            total += generated.size();
            result.put("dataPointCountRatio", 0.0000216);
            result.put("dimensionCountRatio", 0.00018);
            result.put("metricId", part);
        }
        out.put("totalCount", total);
        return out;
    }

    private static long resolutionMillis(String resolution, long[] frame) {
        long span = Math.max(60_000L, frame[1] - frame[0]);
        if (resolution.equals("Inf")) {
            return span;
        }
        Matcher m = RESOLUTION.matcher(resolution);
        if (!m.matches()) {
            throw ApiCall.badQuery("resolution", "is not a valid resolution");
        }
        long n = Long.parseLong(m.group(1));
        long step = switch (m.group(2)) {
            case "" -> Math.max(60_000L, span / Math.max(1, n) / 60_000L * 60_000L);
            case "s", "m" -> Math.max(60_000L, n * 60_000L);
            case "h" -> n * 3_600_000L;
            case "d" -> n * 86_400_000L;
            default -> n * 7 * 86_400_000L;
        };
        if (step <= 0) {
            throw ApiCall.badQuery("resolution", "is not a valid resolution");
        }
        if (span / step > 10_080) {
            throw ApiCall.badQuery("resolution", "gives more than 10080 data points");
        }
        return step;
    }
}
