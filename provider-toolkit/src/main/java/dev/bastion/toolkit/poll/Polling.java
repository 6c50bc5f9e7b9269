package dev.bastion.toolkit.poll;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.CallContext;
import dev.bastion.security.outbound.BackendErrors;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a backend job to its end within a tool call: start it, poll it with a bounded exponential
 * backoff until it is done, report progress through {@link CallContext#progress()}, and when the
 * call is cancelled or its deadline comes first, cancel the job on the backend (best effort) and
 * say so in the {@link PollResult}. Build one per kind of job and share it; it holds no state.
 *
 * <pre>{@code
 * Polling<String, JsonNode> grail = Polling.<String, JsonNode>builder("DQL query",
 *         (token, ctx) -> step(client.get("query:poll", Map.of("request-token", token), ctx)),
 *         (token, ctx) -> client.post("query:cancel", Map.of("request-token", token), ctx))
 *     .timeoutHint("narrow the timeframe or add a limit")
 *     .build();
 * PollResult<JsonNode> result = grail.run(context, ctx -> step(client.post("query:execute", body, ctx)));
 * }</pre>
 *
 * <p>Stopping early: the poll loop stops a reserve before the call's deadline (1 s, or a fifth of
 * the call's time when that is less), so the cancel request and the answer still fit in the call.
 * A start or poll that throws while the call is cancelled counts as the cancellation (the
 * outbound client cancels requests in flight); one that throws otherwise is rethrown, after the job
 * is cancelled, so no failed poll leaves a job running.
 *
 * @param <H> the job handle, such as Grail's request token or an Itential job id
 * @param <R> the job's result
 */
public final class Polling<H, R> {

    private static final Logger LOG = LoggerFactory.getLogger(Polling.class);
    private static final int MAX_STATUS_CHARS = 120;

    /** Starts the job; the job may already be done ({@link PollStep#done}). */
    @FunctionalInterface
    public interface Start<H, R> {
        PollStep<H, R> start(CallContext context) throws IOException;
    }

    /** Asks the backend about the job once. */
    @FunctionalInterface
    public interface Poll<H, R> {
        PollStep<H, R> poll(H handle, CallContext context) throws IOException;
    }

    /**
     * Asks the backend to cancel the job. It gets a context of its own with a short deadline of its
     * own, because the call's context is already cancelled or out of time when this runs.
     */
    @FunctionalInterface
    public interface Cancel<H> {
        void cancel(H handle, CallContext cleanup) throws IOException;

        /** For a job the backend offers no way to stop (an adapter restart): the messages say it goes on. */
        static <H> Cancel<H> impossible() {
            @SuppressWarnings("unchecked")
            Cancel<H> none = (Cancel<H>) IMPOSSIBLE;
            return none;
        }
    }

    /** The one {@link Cancel#impossible()}, recognised by identity. */
    private static final Cancel<Object> IMPOSSIBLE = (handle, cleanup) -> {
        throw new IllegalStateException("never called");
    };

    private final String jobName;
    private final Poll<H, R> poll;
    private final Cancel<H> cancel;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration maxWait;
    private final Duration reserve;
    private final Duration cancelBudget;
    private final String timeoutHint;

    private Polling(Builder<H, R> builder) {
        this.jobName = builder.jobName;
        this.poll = builder.poll;
        this.cancel = builder.cancel;
        this.initialDelay = builder.initialDelay;
        this.maxDelay = builder.maxDelay;
        this.maxWait = builder.maxWait;
        this.reserve = builder.reserve;
        this.cancelBudget = builder.cancelBudget;
        this.timeoutHint = builder.timeoutHint;
    }

    /**
     * @param jobName what the job is, for messages: {@code "DQL query"}, {@code "Itential job"}
     */
    public static <H, R> Builder<H, R> builder(String jobName, Poll<H, R> poll, Cancel<H> cancel) {
        return new Builder<>(jobName, poll, cancel);
    }

    /**
     * Starts the job with {@code start} and polls it to its end.
     *
     * @throws IOException what {@code start} or a poll threw while the call was not cancelled
     */
    public PollResult<R> run(CallContext context, Start<H, R> start) throws IOException {
        requireNonNull(context, "context is null");
        requireNonNull(start, "start is null");
        Instant begun = Instant.now();
        Instant stopAt = stopAt(context, begun);
        CountDownLatch cancelled = new CountDownLatch(1);
        context.onCancel(cancelled::countDown);
        if (context.isCancelled()) {
            return ended(context, null, 0, begun);
        }
        if (!begun.isBefore(stopAt)) {
            // No time left to wait for anything: starting a job now would only leave it running.
            return timedOut(context, null, 0, begun);
        }
        PollStep<H, R> step;
        try {
            step = start.start(context);
        } catch (IOException | CancellationException e) {
            if (endedByCall(context)) {
                return ended(context, null, 0, begun);
            }
            throw e;
        }
        requireNonNull(step, "start returned no step");
        int polls = 0;
        Duration delay = initialDelay;
        Progress progress = new Progress();
        while (true) {
            if (step instanceof PollStep.Done<H, R> done) {
                progress.finished(context);
                return new PollResult.Finished<>(done.result(), polls, Duration.between(begun, Instant.now()));
            }
            PollStep.Running<H, R> running = (PollStep.Running<H, R>) step;
            H handle = running.handle();
            progress.report(context, running, polls, begun);
            Duration wait = shorter(delay, Duration.between(Instant.now(), stopAt));
            if (!wait.isNegative() && !wait.isZero()) {
                await(cancelled, wait);
            }
            if (context.isCancelled()) {
                return ended(context, handle, polls, begun);
            }
            if (!Instant.now().isBefore(stopAt)) {
                return timedOut(context, handle, polls, begun);
            }
            delay = shorter(delay.multipliedBy(2), maxDelay);
            try {
                step = poll.poll(handle, context);
                polls++;
            } catch (IOException | CancellationException e) {
                if (endedByCall(context)) {
                    return ended(context, handle, polls + 1, begun);
                }
                cancelAfterFailure(context, handle);
                throw e;
            } catch (RuntimeException | Error e) {
                cancelAfterFailure(context, handle);
                throw e;
            }
            requireNonNull(step, "poll returned no step");
        }
    }

    /**
     * Whether a failed request failed because the call ended: cancelled, or out of time. The
     * outbound client times a request out at the call's deadline, which can be a moment before the
     * engine marks the call cancelled, so the deadline counts even while the context says "running".
     */
    private static boolean endedByCall(CallContext context) {
        return context.isCancelled() || !Instant.now().isBefore(context.deadline());
    }

    private Instant stopAt(CallContext context, Instant begun) {
        Instant deadline = context.deadline();
        Duration total = Duration.between(begun, deadline);
        Duration keep = total.isNegative() ? Duration.ZERO : shorter(reserve, total.dividedBy(5));
        Instant stop = deadline.minus(keep);
        if (maxWait != null && begun.plus(maxWait).isBefore(stop)) {
            stop = begun.plus(maxWait);
        }
        return stop;
    }

    private static void await(CountDownLatch cancelled, Duration wait) {
        try {
            cancelled.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // An interrupted tool thread is being stopped: stop waiting and let the caller end the job.
            Thread.currentThread().interrupt();
        }
    }

    /** The call was cancelled: by its deadline (timed out) or by the client. */
    private PollResult<R> ended(CallContext context, H handle, int polls, Instant begun) {
        if (!Instant.now().isBefore(context.deadline())) {
            return timedOut(context, handle, polls, begun);
        }
        boolean backendCancelled = handle != null && cancelOnBackend(context, handle);
        String message = "The " + jobName + " was cancelled" + (handle == null ? ""
                : backendCancelled ? " and stopped on the backend"
                : cancel == IMPOSSIBLE ? "; the backend cannot stop it, so it goes on there"
                : "; stopping it on the backend failed, so it may still run there until the backend's own limit");
        return new PollResult.Cancelled<>(message, backendCancelled, polls, Duration.between(begun, Instant.now()));
    }

    private PollResult<R> timedOut(CallContext context, H handle, int polls, Instant begun) {
        Duration elapsed = Duration.between(begun, Instant.now());
        boolean backendCancelled = handle != null && cancelOnBackend(context, handle);
        String what = handle == null ? "" : backendCancelled ? " and was cancelled"
                : cancel == IMPOSSIBLE ? "; the backend cannot stop it, so it goes on there"
                : "; cancelling it on the backend failed, so it may still run there";
        String message = "The " + jobName + " did not finish within " + seconds(elapsed) + what + "; " + timeoutHint;
        return new PollResult.TimedOut<>(message, backendCancelled, polls, elapsed);
    }

    private void cancelAfterFailure(CallContext context, H handle) {
        cancelOnBackend(context, handle);
    }

    private boolean cancelOnBackend(CallContext context, H handle) {
        if (cancel == IMPOSSIBLE) {
            return false;
        }
        BackgroundCall cleanup = BackgroundCall.after(context, cancelBudget);
        try {
            cancel.cancel(handle, cleanup);
            LOG.debug("cancelled the {} on the backend", jobName);
            return true;
        } catch (IOException e) {
            LOG.info("cancelling the {} on the backend failed: {}", jobName, BackendErrors.describe(e, "the backend"));
        } catch (RuntimeException e) {
            LOG.info("cancelling the {} on the backend failed ({})", jobName, e.getClass().getSimpleName());
        } finally {
            cleanup.cancel("the cancel request is over");
        }
        return false;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A backend's status word is meant to be short; a long one is cut so progress stays one line. */
    private static String clip(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_STATUS_CHARS ? line : line.substring(0, MAX_STATUS_CHARS - 1) + "…";
    }

    private static String seconds(Duration elapsed) {
        long millis = elapsed.toMillis();
        return millis < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0)
                : (millis / 1000) + " s";
    }

    /** Progress as the backend's percentage when it gives one, else as the number of polls so far. */
    private final class Progress {
        private boolean percentages;

        void report(CallContext context, PollStep.Running<H, R> running, int polls, Instant begun) {
            String status = running.message() == null ? "running" : clip(running.message());
            String message = jobName + ": " + status + " (" + seconds(Duration.between(begun, Instant.now())) + ")";
            if (running.percent() != null) {
                percentages = true;
                context.progress().report(running.percent(), 100.0, message);
            } else if (!percentages) {
                context.progress().report(polls, null, message);
            }
        }

        void finished(CallContext context) {
            if (percentages) {
                context.progress().report(100, 100.0, jobName + ": finished");
            }
        }
    }

    /** Configures a {@link Polling}. */
    public static final class Builder<H, R> {
        private final String jobName;
        private final Poll<H, R> poll;
        private final Cancel<H> cancel;
        private Duration initialDelay = Duration.ofMillis(250);
        private Duration maxDelay = Duration.ofSeconds(5);
        private Duration maxWait;
        private Duration reserve = Duration.ofSeconds(1);
        private Duration cancelBudget = Duration.ofSeconds(5);
        private String timeoutHint = "try a smaller request, or raise the call's timeout";

        private Builder(String jobName, Poll<H, R> poll, Cancel<H> cancel) {
            this.jobName = requireNonNull(jobName, "jobName is null");
            this.poll = requireNonNull(poll, "poll is null");
            this.cancel = requireNonNull(cancel, "cancel is null");
            if (jobName.isBlank()) {
                throw new IllegalArgumentException("jobName is blank");
            }
        }

        /** The first wait between polls (250 ms by default), doubled each time up to {@code max} (5 s). */
        public Builder<H, R> backoff(Duration initial, Duration max) {
            requirePositive(initial, "the initial backoff");
            requirePositive(max, "the longest backoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("the longest backoff must not be shorter than the initial one");
            }
            this.initialDelay = initial;
            this.maxDelay = max;
            return this;
        }

        /** A limit of the job's own, when it is shorter than the call's deadline (none by default). */
        public Builder<H, R> maxWait(Duration value) {
            requirePositive(value, "maxWait");
            this.maxWait = value;
            return this;
        }

        /** The time kept before the deadline for the cancel request and the answer (1 s by default). */
        public Builder<H, R> reserve(Duration value) {
            requireNonNull(value, "reserve is null");
            if (value.isNegative()) {
                throw new IllegalArgumentException("the reserve must not be negative");
            }
            this.reserve = value;
            return this;
        }

        /** The deadline of the cancel request (5 s by default). */
        public Builder<H, R> cancelBudget(Duration value) {
            requirePositive(value, "the cancel budget");
            this.cancelBudget = value;
            return this;
        }

        /** What the timeout message tells the model to do, such as {@code "narrow the timeframe"}. */
        public Builder<H, R> timeoutHint(String value) {
            requireNonNull(value, "timeoutHint is null");
            if (value.isBlank()) {
                throw new IllegalArgumentException("the timeout hint is blank");
            }
            this.timeoutHint = value;
            return this;
        }

        public Polling<H, R> build() {
            return new Polling<>(this);
        }

        private static void requirePositive(Duration value, String what) {
            requireNonNull(value, what + " is null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
        }
    }
}
