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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Operations Manager: the triggers, running an API-endpoint trigger (which spawns a job that runs
 * its tasks by the sandbox's clock), and searching and reading jobs. Every answer, errors
 * included, is in the {@code {message, data, metadata}} envelope.
 */
final class OperationsManagerEndpoints {

    /** How long each task of a job a trigger started takes, by the sandbox's clock. */
    static final Duration SPAWNED_TASK_DURATION = Duration.ofSeconds(2);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PREFIX = "/operations-manager";

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
    }

    /** Answers a handler's refusal in the envelope, with {@code data: null}. */
    private static SandboxHandler enveloped(SandboxHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (SandboxError e) {
                return SandboxResponse.json(e.status(), envelope(e.getMessage(), NODES.nullNode()));
            }
        };
    }

    private static ObjectNode envelope(String message, JsonNode data) {
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
        long now = clock.millis();
        ItentialSandboxData.Automation automation = trigger.automation();
        SimulatedJob job = new SimulatedJob(data.objectId(now), automation, now,
                Collections.nCopies(automation.tasks().size(), SPAWNED_TASK_DURATION.toMillis()),
                SimulatedJob.Outcome.COMPLETE, automation.tasks().size(), (ObjectNode) input, initiator, data.serverId);
        jobs.add(job);
        return SandboxResponse.json(envelope("Successfully started job", job.render(now)));
    }

    /** The minimal JSON Schema check of a trigger's input: required properties and property types. */
    private static void validate(ObjectNode schema, JsonNode input) {
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
}
