package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The engine's port for tracing and measuring MCP requests: told when each request begins and how
 * it ended. The engine knows nothing of how that is recorded; the application binds an
 * implementation (OpenTelemetry, the Prometheus endpoint's histograms) or {@link #NONE}.
 *
 * <p>Every method is called on the engine's request path and must not throw or block.
 */
public interface RequestTelemetry {

    /** Records nothing. */
    RequestTelemetry NONE = new RequestTelemetry() {
        @Override
        public Observation begin(ObservedRequest request) {
            return Observation.NONE;
        }
    };

    /** Called when a request arrives, before it waits for a worker. */
    Observation begin(ObservedRequest request);

    /** Called when a session ends (an HTTP session closed or expired, a stdio process ending). */
    default void sessionEnded(String protocolVersion, Duration lasted) {
    }

    /**
     * Wraps the executor the engine runs a request's parallel parts on (a fan-out over instances), so
     * the request's trace context travels with them.
     */
    default ExecutorService propagating(ExecutorService executor) {
        return executor;
    }

    /** All of {@code telemetries}, in order; {@link #NONE} for none. */
    static RequestTelemetry of(List<RequestTelemetry> telemetries) {
        List<RequestTelemetry> all = List.copyOf(requireNonNull(telemetries, "telemetries is null"));
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new RequestTelemetry() {
            @Override
            public Observation begin(ObservedRequest request) {
                List<Observation> observations = all.stream().map(t -> t.begin(request)).toList();
                return new Observation() {
                    @Override
                    public Current makeCurrent() {
                        List<Current> scopes = observations.stream().map(Observation::makeCurrent).toList();
                        return () -> {
                            for (int i = scopes.size() - 1; i >= 0; i--) {
                                scopes.get(i).close();
                            }
                        };
                    }

                    @Override
                    public void end(Outcome outcome) {
                        observations.forEach(observation -> observation.end(outcome));
                    }
                };
            }

            @Override
            public void sessionEnded(String protocolVersion, Duration lasted) {
                all.forEach(t -> t.sessionEnded(protocolVersion, lasted));
            }

            @Override
            public ExecutorService propagating(ExecutorService executor) {
                ExecutorService wrapped = executor;
                for (RequestTelemetry telemetry : all) {
                    wrapped = telemetry.propagating(wrapped);
                }
                return wrapped;
            }
        };
    }

    /** {@code observation}, ended at most once whoever ends it (a request cancelled in the queue, say). */
    static Observation once(Observation observation) {
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        return new Observation() {
            @Override
            public Current makeCurrent() {
                return observation.makeCurrent();
            }

            @Override
            public void end(Outcome outcome) {
                if (ended.compareAndSet(false, true)) {
                    observation.end(outcome);
                }
            }
        };
    }

    /** One request in progress. */
    interface Observation {
        Observation NONE = new Observation() {
            @Override
            public Current makeCurrent() {
                return Current.NONE;
            }

            @Override
            public void end(Outcome outcome) {
            }
        };

        /**
         * Makes the request the current context of the calling thread (the worker that handles it),
         * so the backend requests it makes are recorded as its children; close it when done.
         */
        Current makeCurrent();

        /** Called exactly once, when the response was sent or suppressed. */
        void end(Outcome outcome);
    }

    /** A scope that ends without an exception. */
    @FunctionalInterface
    interface Current extends AutoCloseable {
        Current NONE = () -> { };

        @Override
        void close();
    }

    /**
     * How a request ended.
     *
     * @param errorType {@code null} on success; {@code tool_error} for a tool result with
     *     {@code isError}; {@code cancelled}; or the JSON-RPC error code of an error response
     * @param jsonRpcErrorCode the JSON-RPC error code, or {@code null} when the response was a result
     */
    record Outcome(String errorType, Integer jsonRpcErrorCode) {
        public static final Outcome OK = new Outcome(null, null);
        public static final Outcome TOOL_ERROR = new Outcome("tool_error", null);
        public static final Outcome CANCELLED = new Outcome("cancelled", null);

        public static Outcome error(int code) {
            return new Outcome(String.valueOf(code), code);
        }

        public boolean ok() {
            return errorType == null;
        }
    }
}
