package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolFailure;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.OffsetPaging;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Operations Manager jobs: the runs of workflows. */
final class JobTools {

    static final int DEFAULT_MAX = 500;
    static final String JOB_PATTERN = "^[0-9a-fA-F]{24}$";
    private static final Arg<String> STATUS = Arg.enumeration("status", "Only jobs in this status; default all.",
            List.of("running", "complete", "error", "canceled", "incomplete", "paused"));
    private static final Arg<String> NAME = Arg.string("name", "Only jobs whose workflow name contains this text.", 200);
    private static final Arg<String> SINCE = Arg.pattern("since", "Only jobs started at or after this time,"
            + " ISO-8601 such as 2026-06-01T00:00:00Z.", "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}"
            + "(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$", 40);
    private static final Arg<Integer> MAX = Arg.integer("max_results", "Read at most this many jobs (every page is"
            + " followed up to it); default " + DEFAULT_MAX + ".", 1, 5000).withDefault(DEFAULT_MAX);
    static final Arg<String> JOB_ID = Arg.pattern("job_id", "Id of the job (24 hex digits), from itential_list_jobs"
            + " or itential_start_workflow.", JOB_PATTERN, 24).required();

    private final ToolSupport support;

    JobTools(ToolSupport support) {
        this.support = support;
    }

    List<ToolSpec> tools() {
        return List.of(listJobs(), describeJob(), cancelJob(), jobMetrics());
    }

    private ToolSpec cancelJob() {
        return ToolSupport.destructive("cancel_job", "Cancel a job", "POST /operations-manager/jobs/cancel")
                .description("Cancels a running or paused job; its tasks stop where they are, and what they changed"
                        + " stays changed. Returns the job's status afterwards as the platform reports it.")
                .args(JOB_ID)
                .output("""
                        {"type":"object","required":["id","before","status"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"before":{"type":"string"},
                          "status":{"type":"string"}}}""")
                .tags("operations_manager")
                .handler((args, context) -> {
                    String id = args.get(JOB_ID);
                    JsonNode job = job(id, context);
                    String before = job.path("status").asText("unknown");
                    if (!before.equals("running") && !before.equals("paused")) {
                        throw new ToolFailure("Job " + id + " is " + before + "; only running or paused jobs can be"
                                + " cancelled");
                    }
                    ObjectNode body = ToolSupport.object();
                    body.putArray("jobIds").add(id);
                    support.client.send(support.client.post(body, "operations-manager", "jobs", "cancel"), context);
                    ObjectNode out = ToolSupport.object();
                    out.put("id", id);
                    CompactJson.put(out, "name", CompactJson.text(job, "name"));
                    out.put("before", before);
                    out.put("status", job(id, context).path("status").asText("unknown"));
                    return ToolResult.structured(out);
                }).build();
    }

    private JsonNode job(String id, dev.bastion.core.tool.CallContext context) {
        return ToolSupport.data(support.client.send(support.client.get("operations-manager", "jobs", id)
                .notFound("Job " + id), context));
    }

    private static final Arg<String> WORKFLOW = Arg.string("workflow", "Only workflows whose name contains this"
            + " text.", 200);

    private ToolSpec jobMetrics() {
        return ToolSupport.read("get_job_metrics", "Job metrics per workflow", "GET /workflow_engine/jobs/metrics")
                .description("Returns, per workflow, how many of its jobs completed and their total run time, as the"
                        + " workflow engine counts them; filter by workflow name. Every page is read.")
                .args(WORKFLOW)
                .output("""
                        {"type":"object","required":["workflows","count"],"properties":{
                          "workflows":{"type":"array","items":{"type":"object","required":["workflow"],"properties":{
                            "workflow":{"type":"string"},"jobs_complete":{"type":"integer"},
                            "total_run_time_s":{"type":"number"},"average_run_time_s":{"type":"number"}}}},
                          "count":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("workflow_engine").fanOut()
                .handler((args, context) -> {
                    OffsetPaging.Result metrics = OffsetPaging.readAll(ToolSupport.PAGE_LIMIT, MAX_METRICS,
                            (offset, limit) -> {
                                BackendRequest request = support.client.get("workflow_engine", "jobs", "metrics")
                                        .query("limit", limit).query("skip", offset);
                                args.optional(WORKFLOW).ifPresent(name -> request.query("contains", name)
                                        .query("containsField", "workflow.name"));
                                JsonNode page = support.client.send(request, context);
                                return OffsetPaging.Page.of(page.path("results"), ToolSupport.count(page, "total"));
                            });
                    ObjectNode out = ToolSupport.object();
                    ArrayNode list = out.putArray("workflows");
                    for (JsonNode metric : metrics.items()) {
                        ObjectNode item = list.addObject();
                        item.put("workflow", metric.path("workflow").path("name").asText("?"));
                        long complete = metric.path("jobsComplete").asLong(0);
                        double runTime = metric.path("totalRunTime").asDouble(0);
                        item.put("jobs_complete", complete);
                        item.put("total_run_time_s", runTime);
                        if (complete > 0) {
                            item.put("average_run_time_s", Math.round(runTime / complete * 10) / 10.0);
                        }
                    }
                    out.put("count", list.size());
                    if (metrics.truncated()) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    static final int MAX_METRICS = 5000;

    private ToolSpec listJobs() {
        return ToolSupport.read("list_jobs", "List jobs", "GET /operations-manager/jobs")
                .description("Lists workflow jobs, newest first, with their status and start and end times;"
                        + " filter by status, workflow name and start time. Every page is read up to max_results;"
                        + " 'truncated' says when that stopped the reading, and 'total' is the platform's count of"
                        + " all matches.")
                .args(STATUS, NAME, SINCE, MAX)
                .output("""
                        {"type":"object","required":["jobs","count","total"],"properties":{
                          "jobs":{"type":"array","items":{"type":"object","required":["id","status"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"status":{"type":"string"},
                            "started":{"type":"string"},"ended":{"type":"string"}}}},
                          "count":{"type":"integer"},"total":{"type":"integer"},"truncated":{"type":"boolean"},
                          "hint":{"type":"string"}}}""")
                .tags("operations_manager").fanOut()
                .handler((args, context) -> {
                    ToolSupport.Listing listing = support.list(() -> {
                        BackendRequest request = support.client.get("operations-manager", "jobs")
                                .query("sort", "metrics.start_time").query("order", -1);
                        args.optional(STATUS).ifPresent(status -> request.query("equals[status]", status));
                        args.optional(NAME).ifPresent(name -> request.query("contains[name]", name));
                        args.optional(SINCE).ifPresent(since -> request.query("gt[metrics.start_time]",
                                java.time.OffsetDateTime.parse(since).toInstant().toEpochMilli() - 1));
                        return request;
                    }, args.get(MAX), context);
                    ObjectNode out = ToolSupport.object();
                    ArrayNode jobs = out.putArray("jobs");
                    for (JsonNode job : listing.items()) {
                        ObjectNode item = jobs.addObject();
                        item.put("id", job.path("_id").asText());
                        CompactJson.put(item, "name", CompactJson.text(job, "name"));
                        item.put("status", job.path("status").asText("unknown"));
                        CompactJson.put(item, "started", ToolSupport.time(job.path("metrics").path("start_time")));
                        CompactJson.put(item, "ended", ToolSupport.time(job.path("metrics").path("end_time")));
                    }
                    out.put("count", jobs.size());
                    out.put("total", listing.total());
                    if (listing.truncated()) {
                        out.put("truncated", true);
                        out.put("hint", "Stopped at max_results; narrow with status, name or since, or raise"
                                + " max_results.");
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private ToolSpec describeJob() {
        return ToolSupport.read("describe_job", "Describe a job", "GET /operations-manager/jobs/:id")
                .description("Returns one job in detail: its workflow, status, times, each task with its status,"
                        + " the job's variables, and the errors of failed tasks.")
                .args(JOB_ID)
                .output("""
                        {"type":"object","required":["id","status","tasks"],"properties":{
                          "id":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
                          "type":{"type":"string"},"status":{"type":"string"},"started":{"type":"string"},
                          "ended":{"type":"string"},"progress":{"type":"number"},
                          "tasks":{"type":"array","items":{"type":"object","required":["id"],"properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"status":{"type":"string"},
                            "error":{}}}},
                          "variables":{"type":"object"}}}""")
                .tags("operations_manager")
                .handler((args, context) -> {
                    String id = args.get(JOB_ID);
                    JsonNode job = ToolSupport.data(support.client.send(support.client.get("operations-manager",
                            "jobs", id).notFound("Job " + id), context));
                    ObjectNode out = ToolSupport.object();
                    out.put("id", job.path("_id").asText(id));
                    CompactJson.put(out, "name", CompactJson.text(job, "name"));
                    CompactJson.put(out, "description", CompactJson.text(job, "description"));
                    CompactJson.put(out, "type", CompactJson.text(job, "type"));
                    out.put("status", job.path("status").asText("unknown"));
                    JsonNode metrics = job.path("metrics");
                    CompactJson.put(out, "started", ToolSupport.time(metrics.path("start_time")));
                    CompactJson.put(out, "ended", ToolSupport.time(metrics.path("end_time")));
                    if (metrics.path("progress").isNumber()) {
                        out.put("progress", metrics.path("progress").asDouble());
                    }
                    ArrayNode tasks = out.putArray("tasks");
                    Iterator<Map.Entry<String, JsonNode>> fields = job.path("tasks").fields();
                    while (fields.hasNext()) {
                        Map.Entry<String, JsonNode> task = fields.next();
                        if (task.getKey().equals("workflow_start") || task.getKey().equals("workflow_end")) {
                            continue;
                        }
                        ObjectNode item = tasks.addObject();
                        item.put("id", task.getKey());
                        CompactJson.put(item, "name", firstText(task.getValue(), "summary", "name"));
                        CompactJson.put(item, "status", CompactJson.text(task.getValue(), "status"));
                        JsonNode error = task.getValue().path("error");
                        if (!error.isMissingNode() && !error.isNull()) {
                            item.set("error", DeviceSecrets.maskJson(CompactJson.compact(error, 2000)));
                        }
                    }
                    if (job.path("variables").isObject()) {
                        out.set("variables", DeviceSecrets.maskJson(job.path("variables")));
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = CompactJson.text(node, field);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
