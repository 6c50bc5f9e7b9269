package dev.bastion.core.mcp;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request being handled: what {@code notifications/cancelled} needs to stop it, and the
 * channel its handler uses for server-to-client requests.
 */
final class InFlight {

    private final EngineCallContext.ClientRequestSender sender;
    private volatile EngineCallContext context;
    private volatile Future<?> future;
    private volatile String cancelReason;
    private final AtomicBoolean answered = new AtomicBoolean();
    /** {@link #RUNNING}, {@link #ABANDONED} or {@link #ENDED}: whether the handler's thread was given up. */
    private final AtomicInteger work = new AtomicInteger(RUNNING);
    private static final int RUNNING = 0;
    private static final int ABANDONED = 1;
    private static final int ENDED = 2;

    InFlight(EngineCallContext.ClientRequestSender sender) {
        this.sender = sender;
    }

    EngineCallContext.ClientRequestSender sender() {
        return sender;
    }

    synchronized void attach(EngineCallContext callContext) {
        this.context = callContext;
        if (cancelReason != null) {
            callContext.cancel(cancelReason);
        }
    }

    synchronized void running(Future<?> work) {
        this.future = work;
        if (cancelReason != null) {
            work.cancel(true);
        }
    }

    void cancel(String reason) {
        EngineCallContext callContext;
        Future<?> work;
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = reason;
            callContext = context;
            work = future;
        }
        if (callContext != null) {
            callContext.cancel(reason);
        }
        if (work != null) {
            work.cancel(true);
        }
    }

    boolean cancelled() {
        return cancelReason != null;
    }

    /** Claims the right to send this request's response; true for the first caller only. */
    boolean claimAnswer() {
        return answered.compareAndSet(false, true);
    }

    /**
     * Gives up waiting for the handler's thread (its answer went out without it).
     *
     * @return false when the handler had already ended
     */
    boolean abandonWork() {
        return work.compareAndSet(RUNNING, ABANDONED);
    }

    /** The handler's thread is done with this request; true when it had been given up on. */
    boolean endWork() {
        return work.getAndSet(ENDED) == ABANDONED;
    }
}
