package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run state of the platform's adapters (or of its applications), which {@code PUT
 * /adapters/{name}/start|stop|restart} change asynchronously: the component is {@code STARTING}
 * or {@code STOPPING} for {@link #TRANSITION} of the sandbox's clock, then {@code RUNNING} or
 * {@code STOPPED}. A restart shows {@code STARTING} for the same time, from either state.
 */
final class SimulatedComponents {

    /** How long a component is starting or stopping, by the sandbox's clock. */
    static final Duration TRANSITION = Duration.ofMillis(1500);

    /** What a lifecycle call asks for, and the past tense its answer uses. */
    enum Action {
        START("started"), STOP("stopped"), RESTART("restarted");

        final String done;

        Action(String done) {
            this.done = done;
        }
    }

    /** Where a component is headed ({@code running}), until when it is in transition, since when it runs. */
    private record Phase(boolean running, long transitionUntil, long startedMillis) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final boolean adapters;
    private final Map<String, ItentialSandboxData.Component> components = new LinkedHashMap<>();
    private final Map<String, Phase> phases = new LinkedHashMap<>();

    SimulatedComponents(List<ItentialSandboxData.Component> components, boolean adapters) {
        this.adapters = adapters;
        for (ItentialSandboxData.Component component : components) {
            this.components.put(component.id(), component);
            phases.put(component.id(), new Phase(component.running(), Long.MIN_VALUE, component.startedMillis()));
        }
    }

    /** "Adapter" or "Application", as the answers name the kind. */
    String kind() {
        return adapters ? "Adapter" : "Application";
    }

    boolean exists(String id) {
        return components.containsKey(id);
    }

    /**
     * Applies {@code action} to component {@code id} at {@code now}: starting one that is running
     * (or starting) and stopping one that is stopped (or stopping) change nothing.
     */
    synchronized void apply(String id, Action action, long now) {
        Phase phase = phases.get(id);
        if (phase == null) {
            throw new IllegalArgumentException("no component " + id);
        }
        long until = now + TRANSITION.toMillis();
        switch (action) {
            case START -> {
                if (!phase.running()) {
                    phases.put(id, new Phase(true, until, until));
                }
            }
            case STOP -> {
                if (phase.running()) {
                    phases.put(id, new Phase(false, until, phase.startedMillis()));
                }
            }
            case RESTART -> phases.put(id, new Phase(true, until, until));
        }
    }

    /** {@code RUNNING}, {@code STOPPED}, {@code STARTING} or {@code STOPPING} at {@code now}. */
    synchronized String state(String id, long now) {
        Phase phase = phases.get(id);
        if (now < phase.transitionUntil()) {
            return phase.running() ? "STARTING" : "STOPPING";
        }
        return phase.running() ? "RUNNING" : "STOPPED";
    }

    /** Whether every component is {@code RUNNING} at {@code now}. */
    boolean allRunning(long now) {
        return components.keySet().stream().allMatch(id -> state(id, now).equals("RUNNING"));
    }

    /** The component's health document at {@code now}. */
    Optional<ObjectNode> render(String id, long now) {
        ItentialSandboxData.Component component = components.get(id);
        if (component == null) {
            return Optional.empty();
        }
        String state = state(id, now);
        boolean running = state.equals("RUNNING");
        long started;
        synchronized (this) {
            started = phases.get(id).startedMillis();
        }
        ObjectNode item = NODES.objectNode();
        item.put("id", component.id());
        item.put("package_id", component.packageId());
        item.put("version", component.version());
        item.put("type", kind());
        item.put("state", state);
        if (adapters) {
            item.putObject("connection").put("state", running ? "ONLINE" : "OFFLINE");
        } else {
            item.putNull("connection");
        }
        item.put("uptime", running ? (now - started) / 1000.0 : 0);
        long heap = component.heapUsed() > 0 ? component.heapUsed() : 64_000_000L;
        item.set("memoryUsage", PlatformEndpoints.memory(running ? heap : 0));
        return Optional.of(item);
    }

    /** Every component's health document at {@code now}, in the platform's order. */
    List<ObjectNode> renderAll(long now) {
        return components.keySet().stream().map(id -> render(id, now).orElseThrow()).toList();
    }
}
