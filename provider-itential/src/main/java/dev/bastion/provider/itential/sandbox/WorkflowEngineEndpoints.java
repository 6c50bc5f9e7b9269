package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Workflow Engine's job metrics ({@code GET /workflow_engine/jobs/metrics}), computed from the
 * jobs at the time of the call: one element per workflow name that has jobs, counting its
 * completed jobs and their run time in seconds, overall and per UTC day of completion. Filtered by
 * field pairs ({@code containsField=workflow.name&contains=<text>}), then paged by {@code skip}
 * and {@code limit} (default 25, at most 100); {@code total} is the number of matches.
 */
final class WorkflowEngineEndpoints {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final ItentialSandboxData data;
    private final Supplier<List<SimulatedJob>> jobs;
    private final Clock clock;

    WorkflowEngineEndpoints(ItentialSandboxData data, Supplier<List<SimulatedJob>> jobs, Clock clock) {
        this.data = data;
        this.jobs = jobs;
        this.clock = clock;
    }

    void register(SandboxServer.Builder builder) {
        builder.route("GET", "/workflow_engine/jobs/metrics", this::jobMetrics);
    }

    private SandboxResponse jobMetrics(SandboxRequest request) {
        int limit = integer(request, "limit", OperationsManagerSearch.DEFAULT_LIMIT);
        int skip = integer(request, "skip", 0);
        if (limit < 1 || limit > OperationsManagerSearch.MAX_LIMIT) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "limit",
                    "must be between 1 and " + OperationsManagerSearch.MAX_LIMIT);
        }
        if (skip < 0) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "skip", "must not be negative");
        }
        long now = clock.millis();
        // Per workflow name, per day of completion: [jobs complete, run time in ms].
        Map<String, TreeMap<Long, long[]>> byWorkflow = new TreeMap<>();
        for (SimulatedJob job : jobs.get()) {
            TreeMap<Long, long[]> days = byWorkflow.computeIfAbsent(job.automation().name(), name -> new TreeMap<>());
            if (job.status(now).equals("complete")) {
                long end = job.endMillis(now);
                long[] day = days.computeIfAbsent(Math.floorDiv(end, DAY) * DAY, d -> new long[2]);
                day[0]++;
                day[1] += end - job.startMillis();
            }
        }
        List<ObjectNode> matches = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Long, long[]>> workflow : byWorkflow.entrySet()) {
            ObjectNode item = NODES.objectNode();
            item.put("_id", UUID.nameUUIDFromBytes(("metrics:" + data.serverId + workflow.getKey())
                    .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "").substring(0, 24));
            item.putObject("workflow").put("name", workflow.getKey());
            ArrayNode metrics = item.putArray("metrics");
            long complete = 0;
            long runTime = 0;
            for (Map.Entry<Long, long[]> day : workflow.getValue().entrySet()) {
                metrics.addObject().put("jobsComplete", day.getValue()[0])
                        .put("totalRunTime", day.getValue()[1] / 1000.0)
                        .put("date", SimulatedJob.iso(day.getKey()));
                complete += day.getValue()[0];
                runTime += day.getValue()[1];
            }
            item.put("jobsComplete", complete);
            item.put("totalRunTime", runTime / 1000.0);
            matches.add(item);
        }
        matches = matches.stream().filter(OperationsManagerSearch.fieldPairs(request.query())).toList();
        ObjectNode out = NODES.objectNode();
        ArrayNode results = out.putArray("results");
        matches.subList(Math.min(skip, matches.size()), Math.min(skip + limit, matches.size())).forEach(results::add);
        out.put("total", matches.size());
        return SandboxResponse.json(out);
    }

    private static int integer(SandboxRequest request, String parameter, int fallback) {
        String text = request.queryParameter(parameter).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, parameter, "must be an integer");
        }
    }
}
