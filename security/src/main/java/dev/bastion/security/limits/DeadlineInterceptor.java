package dev.bastion.security.limits;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the rest of the call by its deadline ({@code security.call_timeout}, set by the engine).
 * The tool runs on the given executor while the calling thread waits until the deadline; when it
 * passes, the call context is cancelled (so the tool's HTTP requests and loops stop), the task is
 * interrupted, and the client gets an error result that says what to do.
 *
 * <p>A tool that ignores interruption keeps its thread after the call has been answered. So that
 * such tools cannot exhaust the executor or grow threads without bound, a semaphore caps the tasks
 * in flight, abandoned ones included: a permit is released only when the task has really ended.
 * When all permits are taken, new calls are refused at once as "overloaded" instead of queueing.
 */
public final class DeadlineInterceptor implements ToolCallInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineInterceptor.class);

    /** Enough for many clients at {@code max_concurrent_calls} each, small enough to bound threads. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    private final Executor executor;
    private final Semaphore inFlight;
    private final int maxInFlight;

    /**
     * @param executor runs the tools; with {@link #toolExecutor()} each task gets its own daemon thread
     * @param maxInFlight the most tool tasks running at once, abandoned ones included
     */
    public DeadlineInterceptor(Executor executor, int maxInFlight) {
        this.executor = requireNonNull(executor, "executor is null");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive");
        }
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    public DeadlineInterceptor(Executor executor) {
        this(executor, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * An executor for tool calls: a cached pool of daemon threads named {@code bastion-tool-N}. It
     * needs no bound of its own because this interceptor admits at most {@code maxInFlight} tasks.
     */
    public static ExecutorService toolExecutor() {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "bastion-tool-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newCachedThreadPool(threads);
    }

    @Override
    public Stage stage() {
        return Stage.DEADLINE;
    }

    /** Tasks currently holding a permit; for tests and metrics. */
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
        FutureTask<ToolResult> task = new FutureTask<>(() -> chain.proceed(call));
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } finally {
                    inFlight.release();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.release();
            return call.deny("overloaded", "The server cannot start " + tool + " now; retry in a moment.");
        }
        call.context().onCancel(() -> task.cancel(true));
        try {
            return task.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.context().cancel("deadline exceeded");
            task.cancel(true);
            return timedOut(call, started);
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
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        }
    }

    private static ToolResult timedOut(ToolCall call, long startedNanos) {
        call.context().cancel("deadline exceeded");
        String waited = describe(Duration.ofNanos(System.nanoTime() - startedNanos));
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
