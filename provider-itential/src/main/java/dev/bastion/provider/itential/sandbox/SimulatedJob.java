package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One Operations Manager job, whose state is a function of the time it is looked at: its tasks run
 * one after another for their durations from {@code startMillis}, and the job ends as its outcome
 * says at task {@code stopAt} (or after the last task when it completes). A job still inside its
 * tasks is {@code running}; a paused or incomplete job stops at its task and never ends.
 */
final class SimulatedJob {

    /** How the job ends. */
    enum Outcome {
        COMPLETE("complete"), ERROR("error"), CANCELED("canceled"), INCOMPLETE("incomplete"), PAUSED("paused");

        final String status;

        Outcome(String status) {
            this.status = status;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String id;
    private final ItentialSandboxData.Automation automation;
    private final long startMillis;
    private final List<Long> durations;
    private final Outcome outcome;
    private final int stopAt;
    private final ObjectNode variables;
    private final String initiator;
    private final String serverId;
    private volatile long canceledAt = -1;

    SimulatedJob(String id, ItentialSandboxData.Automation automation, long startMillis, List<Long> durations,
                 Outcome outcome, int stopAt, ObjectNode variables, String initiator, String serverId) {
        if (durations.size() != automation.tasks().size()) {
            throw new IllegalArgumentException("a job needs one duration per task");
        }
        this.id = id;
        this.automation = automation;
        this.startMillis = startMillis;
        this.durations = List.copyOf(durations);
        this.outcome = outcome;
        this.stopAt = outcome == Outcome.COMPLETE ? durations.size() : stopAt;
        this.variables = variables.deepCopy();
        this.variables.put("_id", id);
        this.variables.put("initiator", initiator);
        this.initiator = initiator;
        this.serverId = serverId;
    }

    String id() {
        return id;
    }

    ItentialSandboxData.Automation automation() {
        return automation;
    }

    long startMillis() {
        return startMillis;
    }

    /** When the job ended by {@code now}, or -1 while it has not. */
    long endMillis(long now) {
        return state(now).endMillis();
    }

    /**
     * Cancels the job at {@code now}: from then on it is {@code canceled}, stopped in the task it
     * was in. The caller checks first that the job has not ended.
     */
    synchronized void cancel(long now) {
        if (canceledAt < 0) {
            canceledAt = now;
        }
    }

    static String iso(long epochMillis) {
        return ISO.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Where the job is at {@code now}: how many tasks finished, the status, and the end time (or -1). */
    private record State(int finished, String status, long endMillis, long lastUpdated) {
    }

    private State state(long now) {
        long canceled = canceledAt;
        if (canceled >= 0 && now >= canceled) {
            State then = progress(canceled);
            return new State(then.finished(), Outcome.CANCELED.status, canceled, canceled);
        }
        return progress(now);
    }

    private State progress(long now) {
        long t = startMillis;
        for (int i = 0; i < durations.size(); i++) {
            if (now < t) {
                return new State(i, "running", -1, t);
            }
            if (i == stopAt && (outcome == Outcome.PAUSED || outcome == Outcome.INCOMPLETE)) {
                return new State(i, outcome.status, -1, t);
            }
            long end = t + durations.get(i);
            if (now < end) {
                return new State(i, "running", -1, t);
            }
            if (i == stopAt) {
                return new State(i, outcome.status, end, end);
            }
            t = end;
        }
        return new State(durations.size(), "complete", t, t);
    }

    /** The job's status at {@code now}. */
    String status(long now) {
        return state(now).status();
    }

    /** The job document at {@code now}, shaped like {@code GET /operations-manager/jobs/{id}}'s {@code data}. */
    ObjectNode render(long now) {
        State state = state(now);
        ObjectNode job = NODES.objectNode();
        job.put("_id", id);
        job.put("name", automation.name());
        ObjectNode tasks = job.putObject("tasks");
        ObjectNode transitions = NODES.objectNode();
        List<ItentialSandboxData.TaskSpec> specs = automation.tasks();
        ObjectNode start = tasks.putObject("workflow_start");
        start.put("name", "workflow_start");
        start.putArray("groups");
        start.put("status", "complete");
        ObjectNode startMetrics = start.putObject("metrics");
        startMetrics.put("start_time", startMillis);
        startMetrics.put("user", initiator);
        startMetrics.put("finish_state", "success");
        start.put("taskId", "workflow_start");
        start.putArray("iterations");
        start.putObject("transitions").putArray("success").addObject().put("task", specs.get(0).taskId())
                .put("type", "standard");
        transitions.putObject("workflow_start").putObject(specs.get(0).taskId()).put("state", "success")
                .put("type", "standard");
        long t = startMillis;
        for (int i = 0; i < specs.size(); i++) {
            ItentialSandboxData.TaskSpec spec = specs.get(i);
            String next = i + 1 < specs.size() ? specs.get(i + 1).taskId() : "workflow_end";
            ObjectNode task = tasks.putObject(spec.taskId());
            task.put("name", spec.name());
            task.put("canvasName", spec.name());
            task.put("summary", spec.summary());
            task.put("location", "Application");
            task.put("app", spec.app());
            task.put("type", spec.type());
            task.put("actor", "Pronghorn");
            task.putArray("groups");
            task.put("taskId", spec.taskId());
            task.putObject("transitions").putArray("success").addObject().put("task", next).put("type", "standard");
            transitions.putObject(spec.taskId()).putObject(next).put("state", "success").put("type", "standard");
            if (i < state.finished()) {
                task.put("status", "complete");
                task.put("serverId", serverId);
                task.put("start_time", iso(t));
                task.put("end_time", t + durations.get(i));
                task.put("finish_state", "success");
            } else if (i == state.finished() && !state.status().equals("complete")) {
                task.put("status", state.status());
                task.put("serverId", serverId);
                task.put("start_time", iso(t));
                if (state.endMillis() >= 0) {
                    task.put("end_time", state.endMillis());
                    task.put("finish_state", state.status());
                }
            } else {
                task.put("status", "incomplete");
            }
            t += durations.get(i);
        }
        ObjectNode end = tasks.putObject("workflow_end");
        end.put("name", "workflow_end");
        end.putArray("groups");
        end.put("status", state.status().equals("complete") ? "complete" : "incomplete");
        end.put("taskId", "workflow_end");
        end.putArray("iterations");
        end.putObject("transitions");
        if (state.status().equals("complete")) {
            end.putObject("metrics").put("end_time", state.endMillis()).put("run_time", state.endMillis() - startMillis);
        }
        transitions.putObject("workflow_end");
        job.set("transitions", transitions);
        job.put("canvasVersion", 3);
        job.put("type", "automation");
        job.put("font_size", 12);
        job.putNull("errorHandler");
        job.put("preAutomationTime", 0);
        job.put("sla", 0);
        job.putArray("groups").add("default");
        job.put("last_updated", iso(state.lastUpdated()));
        job.put("lastUpdatedVersion", ItentialSandboxData.PLATFORM_VERSION);
        job.put("created", iso(startMillis));
        job.put("created_by", initiator);
        job.put("createdVersion", ItentialSandboxData.PLATFORM_VERSION);
        job.put("encodingVersion", 1);
        job.put("last_updated_by", initiator);
        job.put("description", automation.description());
        job.put("status", state.status());
        job.set("variables", variables.deepCopy());
        job.putArray("watchers");
        job.putArray("ancestors").add(id);
        job.putArray("decorators");
        ObjectNode metrics = job.putObject("metrics");
        metrics.put("start_time", startMillis);
        metrics.put("user", initiator);
        metrics.put("progress", (double) state.finished() / specs.size());
        if (state.endMillis() >= 0) {
            metrics.put("end_time", state.endMillis());
        }
        return job;
    }
}
