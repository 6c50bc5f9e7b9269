package dev.bastion.security.limits;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the rest of the call by its deadline ({@code security.call_timeout}, set by the engine).
 * The tool runs on the calling thread; a timer watches the deadline. When it passes, the call
 * context is cancelled (so the tool's HTTP requests and loops stop) and the tool is interrupted;
 * the tool's late result is discarded and the client gets an error result that says what to do.
 *
 * <p>A tool that ignores both keeps the calling thread. So that the client is answered anyway, the
 * call is abandoned ({@link dev.bastion.core.pipeline.CallDecision#abandon}) a grace period after
 * the deadline: the engine sends the timeout result and replaces the thread the tool holds, and
 * the audit records the call. So that such tools cannot pile up without bound, a semaphore caps
 * the calls in this stage, abandoned ones included: a permit is released only when the tool has
 * really returned. When all permits are taken, new calls are refused at once as "overloaded".
 *
 * <p>Running the tool on the calling thread rather than handing it to another one saves two
 * thread hand-offs per call, which was a third of the HTTP transport's time per call.
 */
public final class DeadlineInterceptor implements ToolCallInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineInterceptor.class);

    /** Enough for many clients at {@code max_concurrent_calls} each, small enough to bound threads. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    /** How long a cancelled and interrupted tool gets to return before its call is abandoned. */
    public static final Duration DEFAULT_GRACE = Duration.ofMillis(500);

    private final ScheduledExecutorService timer;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Duration grace;

    /**
     * @param timer watches the deadlines; see {@link #timer()}
     * @param maxInFlight the most calls in this stage at once, abandoned ones included
     * @param grace how long a tool may take to return once cancelled before its call is abandoned
     */
    public DeadlineInterceptor(ScheduledExecutorService timer, int maxInFlight, Duration grace) {
        this.timer = requireNonNull(timer, "timer is null");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive");
        }
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.grace = requireNonNull(grace, "grace is null");
    }

    public DeadlineInterceptor(ScheduledExecutorService timer) {
        this(timer, DEFAULT_MAX_IN_FLIGHT, DEFAULT_GRACE);
    }

    /** A timer for deadlines: one daemon thread named {@code bastion-deadlines}. */
    public static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "bastion-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // Nearly every call finishes before its deadline; its cancelled watch should not linger.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Override
    public Stage stage() {
        return Stage.DEADLINE;
    }

    /** Calls currently holding a permit, abandoned ones included; for tests and metrics. */
    public int tasksInFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        long started = System.nanoTime();
        Duration remaining = call.context().remaining();
        String tool = call.tool().name();
        if (remaining.isZero()) {
            return timedOut(call, started);
        }
        if (!inFlight.tryAcquire()) {
            LOG.warn("refused tool {}: {} tool calls are still running", tool, maxInFlight);
            return call.deny("overloaded", "The server is running too many tool calls (" + maxInFlight
                    + ") and cannot start " + tool + " now; retry in a moment.");
        }
        // A FutureTask run on this thread: its cancel(true) interrupts this thread only while the
        // tool runs, and run() returns only after such an interrupt has been delivered.
        FutureTask<ToolResult> task = new FutureTask<>(() -> chain.proceed(call));
        AtomicBoolean expired = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        ScheduledFuture<?> watch = timer.schedule(() -> expire(call, task, started, expired, returned),
                remaining.toNanos(), TimeUnit.NANOSECONDS);
        call.context().onCancel(() -> task.cancel(true));
        try {
            task.run();
        } finally {
            returned.set(true);
            watch.cancel(false);
            if (task.isCancelled()) {
                // The interrupt was ours (deadline or cancellation); it must not reach the caller.
                Thread.interrupted();
            }
            inFlight.release();
        }
        if (expired.get()) {
            return timedOut(call, started);
        }
        try {
            return task.get();
        } catch (CancellationException e) {
            return call.deny("cancelled", "Tool " + tool + " was cancelled before it finished.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The deadline passed: stop the tool, and abandon the call if the tool does not stop in time. */
    private void expire(ToolCall call, FutureTask<ToolResult> task, long started, AtomicBoolean expired,
                        AtomicBoolean returned) {
        if (task.isDone()) {
            return;
        }
        long expiredAt = System.nanoTime();
        expired.set(true);
        call.context().cancel("deadline exceeded");
        task.cancel(true);
        timer.schedule(() -> {
            if (!returned.get()) {
                LOG.warn("tool {} ignored its deadline; answering its call without it", call.tool().name());
                call.decision().abandon(timedOut(call, started, expiredAt));
            }
        }, grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static ToolResult timedOut(ToolCall call, long startedNanos) {
        return timedOut(call, startedNanos, System.nanoTime());
    }

    private static ToolResult timedOut(ToolCall call, long startedNanos, long endedNanos) {
        call.context().cancel("deadline exceeded");
        String waited = describe(Duration.ofNanos(endedNanos - startedNanos));
        return call.deny("timeout", "Tool " + call.tool().name() + " timed out after " + waited
                + "; narrow the query or raise security.call_timeout.");
    }

    /** Whole seconds from one second up (what an operator configured), milliseconds below. */
    static String describe(Duration waited) {
        if (waited.compareTo(Duration.ofSeconds(1)) < 0) {
            return waited.toMillis() + " ms";
        }
        return Math.round(waited.toMillis() / 1000.0) + " s";
    }
}
