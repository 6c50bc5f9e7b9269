package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxHandler;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Operations Manager: the automations and their triggers, running an API-endpoint trigger (which
 * spawns a job that runs its tasks by the sandbox's clock), searching and reading jobs, and
 * cancelling running or paused jobs in bulk ({@code POST /operations-manager/jobs/cancel}, all or
 * nothing: one unknown or finished job refuses the whole call). Every answer, errors included, is
 * in the {@code {message, data, metadata}} envelope.
 */
final class OperationsManagerEndpoints {

    /** How long each task of a job a trigger started takes, by the sandbox's clock. */
    static final Duration SPAWNED_TASK_DURATION = Duration.ofSeconds(2);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> FINISHED = Set.of("complete", "error", "canceled");
    private static final String PREFIX = "/operations-manager";
    /** At most this many job ids per bulk call, as the platform's transaction limit. */
    static final int MAX_BULK_JOBS = 100;

    private final ItentialSandboxData data;
    private final SandboxSessions sessions;
    private final Clock clock;
    private final List<SimulatedJob> jobs;

    OperationsManagerEndpoints(ItentialSandboxData data, SandboxSessions sessions, Clock clock) {
        this.data = data;
        this.sessions = sessions;
        this.clock = clock;
        this.jobs = new CopyOnWriteArrayList<>(data.historicalJobs);
    }

    void register(SandboxServer.Builder builder) {
        builder.route("GET", PREFIX + "/triggers", enveloped(this::triggers));
        builder.route("POST", PREFIX + "/triggers/endpoint/{routeName}", enveloped(this::runEndpointTrigger));
        builder.route("GET", PREFIX + "/jobs", enveloped(this::searchJobs));
        builder.route("GET", PREFIX + "/jobs/{id}", enveloped(this::job));
        builder.route("POST", PREFIX + "/jobs/cancel", enveloped(this::cancelJobs));
        builder.route("GET", PREFIX + "/automations", enveloped(this::automations));
        builder.route("GET", PREFIX + "/automations/{id}", enveloped(this::automation));
    }

    /** Every job, the historical ones first, then those started since, oldest first. */
    List<SimulatedJob> jobs() {
        return List.copyOf(jobs);
    }

    /** Starts a job of {@code automation} now, its tasks taking {@code durations}; it completes. */
    SimulatedJob spawn(ItentialSandboxData.Automation automation, List<Long> durations, ObjectNode variables,
                       String initiator) {
        long now = clock.millis();
        SimulatedJob job = new SimulatedJob(data.objectId(now), automation, now, durations,
                SimulatedJob.Outcome.COMPLETE, automation.tasks().size(), variables, initiator, data.serverId);
        jobs.add(job);
        return job;
    }

    /** Answers a handler's refusal in the envelope, with {@code data: null}. */
    static SandboxHandler enveloped(SandboxHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (SandboxError e) {
                return SandboxResponse.json(e.status(), envelope(e.getMessage(), NODES.nullNode()));
            }
        };
    }

    static ObjectNode envelope(String message, JsonNode data) {
        ObjectNode out = NODES.objectNode();
        out.put("message", message);
        out.set("data", data);
        out.putObject("metadata");
        return out;
    }

    private SandboxResponse triggers(SandboxRequest request) {
        List<ObjectNode> items = data.triggers.stream().map(this::render).toList();
        return SandboxResponse.json(OperationsManagerSearch.search(request, items,
                OperationsManagerSearch.Style.FIELD_PAIRS));
    }

    private ObjectNode render(ItentialSandboxData.Trigger trigger) {
        ObjectNode out = NODES.objectNode();
        out.put("_id", trigger.id());
        out.put("name", trigger.name());
        out.put("type", trigger.type());
        out.put("enabled", trigger.enabled());
        out.put("description", trigger.description());
        out.put("actionType", "automations");
        out.put("actionId", trigger.automation().id());
        switch (trigger.type()) {
            case "endpoint" -> {
                out.put("verb", "POST");
                out.put("routeName", trigger.routeName());
                if (trigger.schema() != null) {
                    out.set("schema", trigger.schema().deepCopy());
                }
            }
            case "schedule" -> {
                out.put("firstRunAt", trigger.created() + Duration.ofDays(1).toMillis());
                out.put("repeatUnit", trigger.name().startsWith("Weekly") ? "week" : "day");
                out.put("repeatFrequency", 1);
                out.put("processMissedRuns", "none");
            }
            default -> out.putNull("formId");
        }
        out.put("created", SimulatedJob.iso(trigger.created()));
        out.put("createdBy", data.userId);
        out.put("lastUpdated", SimulatedJob.iso(trigger.created()));
        out.put("lastUpdatedBy", data.userId);
        return out;
    }

    private SandboxResponse runEndpointTrigger(SandboxRequest request) {
        String route = request.pathParameter("routeName");
        ItentialSandboxData.Trigger trigger = data.triggers.stream()
                .filter(t -> t.type().equals("endpoint") && t.routeName().equals(route)).findFirst()
                .orElseThrow(() -> SandboxError.notFound("Endpoint trigger with route " + route + " not found"));
        if (!trigger.enabled()) {
            throw SandboxError.of(400, "Trigger " + trigger.name() + " is disabled");
        }
        JsonNode input = request.json();
        if (input.isMissingNode()) {
            input = NODES.objectNode();
        }
        if (!input.isObject()) {
            throw SandboxError.of(400, "The request body must be a JSON object");
        }
        if (trigger.schema() != null) {
            validate(trigger.schema(), input);
        }
        String initiator = sessions.principal(request).map(SandboxSessions.Principal::username).orElse("Pronghorn");
        ItentialSandboxData.Automation automation = trigger.automation();
        SimulatedJob job = spawn(automation, Collections.nCopies(automation.tasks().size(),
                SPAWNED_TASK_DURATION.toMillis()), (ObjectNode) input, initiator);
        return SandboxResponse.json(envelope("Successfully started job", job.render(clock.millis())));
    }

    /** The minimal JSON Schema check of a trigger's input: required properties and property types. */
    static void validate(ObjectNode schema, JsonNode input) {
        for (JsonNode required : schema.path("required")) {
            if (!input.has(required.asText())) {
                throw SandboxError.of(400, "Input validation failed: must have required property '"
                        + required.asText() + "'");
            }
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode value = input.get(property.getKey());
            String type = property.getValue().path("type").asText("");
            if (value != null && !hasType(value, type)) {
                throw SandboxError.of(400, "Input validation failed: /" + property.getKey() + " must be " + type);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            default -> true;
        };
    }

    private SandboxResponse searchJobs(SandboxRequest request) {
        long now = clock.millis();
        List<ObjectNode> items = new ArrayList<>();
        for (SimulatedJob job : jobs) {
            items.add(job.render(now));
        }
        return SandboxResponse.json(OperationsManagerSearch.search(request, items));
    }

    private SandboxResponse job(SandboxRequest request) {
        String id = request.pathParameter("id");
        SimulatedJob job = jobs.stream().filter(j -> j.id().equals(id)).findFirst()
                .orElseThrow(() -> SandboxError.notFound("Job " + id + " not found"));
        return SandboxResponse.json(envelope("Successfully retrieved item", job.render(clock.millis())));
    }

    private SandboxResponse cancelJobs(SandboxRequest request) {
        JsonNode ids = request.json().path("jobIds");
        if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_BULK_JOBS) {
            throw SandboxError.of(400, "The body must be {\"jobIds\":[...]} with 1 to " + MAX_BULK_JOBS + " job ids");
        }
        List<SimulatedJob> chosen = new ArrayList<>();
        synchronized (jobs) {
            long now = clock.millis();
            for (JsonNode id : ids) {
                if (!id.isTextual()) {
                    throw SandboxError.of(400, "Every job id must be a string");
                }
                SimulatedJob job = jobs.stream().filter(j -> j.id().equals(id.asText())).findFirst()
                        .orElseThrow(() -> SandboxError.notFound("Job " + id.asText() + " not found"));
                String status = job.status(now);
                if (FINISHED.contains(status)) {
                    throw SandboxError.of(400, "Job " + job.id() + " is already " + status);
                }
                if (!chosen.contains(job)) {
                    chosen.add(job);
                }
            }
            chosen.forEach(job -> job.cancel(now));
            var out = NODES.arrayNode();
            chosen.forEach(job -> out.addObject().put("_id", job.id()).put("status", job.status(now)));
            return SandboxResponse.json(envelope("Jobs canceled", out));
        }
    }

    private SandboxResponse automations(SandboxRequest request) {
        List<ObjectNode> items = data.automations.stream().map(this::render).toList();
        ObjectNode out = OperationsManagerSearch.search(request, items, OperationsManagerSearch.Style.FIELD_PAIRS);
        out.put("message", "Successfully retrieved automations");
        return SandboxResponse.json(out);
    }

    private SandboxResponse automation(SandboxRequest request) {
        String id = request.pathParameter("id");
        ItentialSandboxData.Automation automation = data.automations.stream().filter(a -> a.id().equals(id))
                .findFirst().orElseThrow(() -> SandboxError.notFound("Automation " + id + " not found"));
        return SandboxResponse.json(envelope("Successfully retrieved automation", render(automation)));
    }

    private ObjectNode render(ItentialSandboxData.Automation automation) {
        ObjectNode out = NODES.objectNode();
        out.put("_id", automation.id());
        out.put("name", automation.name());
        out.put("description", automation.description());
        out.put("componentName", automation.name());
        out.put("componentType", "workflows");
        out.put("componentId", automation.workflowId());
        ObjectNode gbac = out.putObject("gbac");
        gbac.putArray("read");
        gbac.putArray("write");
        out.put("created", SimulatedJob.iso(automation.created()));
        out.put("createdBy", data.userId);
        out.put("lastUpdated", SimulatedJob.iso(automation.lastUpdated()));
        out.put("lastUpdatedBy", data.userId);
        return out;
    }
}
