package dev.bastion.toolkit.poll;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The context a backend cancel request runs in: the call's principal, caller credential, log and
 * client, but a deadline and cancellation of its own, since the call's own context is already
 * cancelled or out of time (a request sent with it would be cancelled before it left).
 */
final class CleanupContext implements CallContext {

    private final CallContext call;
    private final Instant deadline;
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    CleanupContext(CallContext call, Instant deadline) {
        this.call = requireNonNull(call, "call is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
    }

    @Override
    public Principal principal() {
        return call.principal();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public boolean isCancelled() {
        return cancelled || !Instant.now().isBefore(deadline);
    }

    @Override
    public synchronized void cancel(String reason) {
        if (cancelled) {
            return;
        }
        cancelled = true;
        onCancel.forEach(Runnable::run);
    }

    @Override
    public synchronized void onCancel(Runnable action) {
        if (cancelled) {
            action.run();
        } else {
            onCancel.add(action);
        }
    }

    @Override
    public ProgressReporter progress() {
        // Progress of the cancelled call is over; the client no longer expects any.
        return ProgressReporter.NONE;
    }

    @Override
    public void log(LogLevel level, String message) {
        call.log(level, message);
    }

    @Override
    public ClientRequests client() {
        return call.client();
    }

    @Override
    public Optional<Secret> callerCredential() {
        return call.callerCredential();
    }
}
