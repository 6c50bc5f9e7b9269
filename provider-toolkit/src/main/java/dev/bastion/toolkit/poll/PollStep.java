package dev.bastion.toolkit.poll;

import static java.util.Objects.requireNonNull;

/**
 * What the backend said about a job when it was started or polled: still running (with the handle
 * to poll next and what it said about its progress), or done with a result. A job that failed on
 * the backend is not a step: the start or poll function throws the provider's backend failure.
 *
 * @param <H> the job handle, such as Grail's request token or an Itential job id
 * @param <R> the result
 */
public sealed interface PollStep<H, R> {

    /**
     * The job is still running.
     *
     * @param handle what to poll next (usually the same handle)
     * @param percent the backend's progress from 0 to 100, or {@code null} when it gives none
     * @param message a short status such as {@code "RUNNING"}, or {@code null}
     */
    record Running<H, R>(H handle, Double percent, String message) implements PollStep<H, R> {
        public Running {
            requireNonNull(handle, "handle is null");
            if (percent != null && (percent.isNaN() || percent < 0 || percent > 100)) {
                throw new IllegalArgumentException("percent must be between 0 and 100");
            }
        }
    }

    /** The job is done and this is its result. */
    record Done<H, R>(R result) implements PollStep<H, R> {
        public Done {
            requireNonNull(result, "result is null");
        }
    }

    static <H, R> PollStep<H, R> running(H handle) {
        return new Running<>(handle, null, null);
    }

    static <H, R> PollStep<H, R> running(H handle, Double percent, String message) {
        return new Running<>(handle, percent, message);
    }

    static <H, R> PollStep<H, R> done(R result) {
        return new Done<>(result);
    }
}
