package dev.bastion.toolkit.poll;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How a polled job ended for the caller: finished with a result, out of time, or cancelled. The
 * last two carry a message for the model or the user that says what happened and what to do.
 *
 * @param <R> the result
 */
public sealed interface PollResult<R> {

    /** How many times the job was polled after it was started. */
    int polls();

    /** The time from the start request to the end. */
    Duration elapsed();

    /**
     * What happened to a job that did not finish (timed out, cancelled) and what to do; empty for a
     * finished one.
     */
    default String message() {
        return "";
    }

    /** The result when the job finished. */
    default Optional<R> result() {
        return Optional.empty();
    }

    /** The job finished. */
    record Finished<R>(R value, int polls, Duration elapsed) implements PollResult<R> {
        public Finished {
            requireNonNull(value, "value is null");
            requireNonNull(elapsed, "elapsed is null");
        }

        @Override
        public Optional<R> result() {
            return Optional.of(value);
        }
    }

    /**
     * The call's deadline (or the job's own limit) came before the job finished.
     *
     * @param message what happened and what to do, such as {@code "The DQL query did not finish in 25 s
     *     and was cancelled; narrow the timeframe or add a limit"}
     * @param backendCancelled whether the backend accepted the cancel request
     */
    record TimedOut<R>(String message, boolean backendCancelled, int polls, Duration elapsed)
            implements PollResult<R> {
        public TimedOut {
            requireNonNull(message, "message is null");
            requireNonNull(elapsed, "elapsed is null");
        }
    }

    /**
     * The caller cancelled the call.
     *
     * @param backendCancelled whether the backend accepted the cancel request ({@code false} also
     *     when the job had not been started yet)
     */
    record Cancelled<R>(String message, boolean backendCancelled, int polls, Duration elapsed)
            implements PollResult<R> {
        public Cancelled {
            requireNonNull(message, "message is null");
            requireNonNull(elapsed, "elapsed is null");
        }
    }
}
