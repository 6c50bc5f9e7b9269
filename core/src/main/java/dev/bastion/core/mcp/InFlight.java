package dev.bastion.core.mcp;

import java.util.concurrent.Future;

/**
 * One request being handled: what {@code notifications/cancelled} needs to stop it, and the
 * channel its handler uses for server-to-client requests.
 */
final class InFlight {

    private final EngineCallContext.ClientRequestSender sender;
    private volatile EngineCallContext context;
    private volatile Future<?> future;
    private volatile String cancelReason;

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
}
