package dev.bastion.core.tool;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The context of work done outside a client's call, so it takes the same outbound path as tool
 * calls: a deadline, and cancellation of its backend requests when that passes or {@link #cancel}
 * is called. Two kinds:
 * <ul>
 *   <li>{@link #within}: work of the server itself (a health check, a start-up validation). It has
 *       no client: progress and log messages go nowhere and client requests fail.</li>
 *   <li>{@link #after}: clean-up a call leaves behind (cancelling a backend job after the client
 *       cancelled). It acts for the same principal with the same caller credential and logs to the
 *       same client, but has a deadline of its own, since the call's context is already cancelled.</li>
 * </ul>
 */
public final class BackgroundCall implements CallContext {

    private final CallContext call;
    private final Instant deadline;
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    private BackgroundCall(CallContext call, Instant deadline) {
        this.call = call;
        this.deadline = requireNonNull(deadline, "deadline is null");
    }

    /** Background work of the server that must be done within {@code timeout}. */
    public static BackgroundCall within(Duration timeout) {
        return new BackgroundCall(null, Instant.now().plus(timeout));
    }

    /** Clean-up for {@code call}, which must be done within {@code timeout}. */
    public static BackgroundCall after(CallContext call, Duration timeout) {
        return new BackgroundCall(requireNonNull(call, "call is null"), Instant.now().plus(timeout));
    }

    @Override
    public Principal principal() {
        return call == null ? Principal.local() : call.principal();
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
        // Nobody waits for progress: the server's own work has no client, and a cancelled call's is over.
        return ProgressReporter.NONE;
    }

    @Override
    public void log(LogLevel level, String message) {
        if (call != null) {
            call.log(level, message);
        }
    }

    @Override
    public ClientRequests client() {
        return call == null ? ClientRequests.NONE : call.client();
    }

    @Override
    public Optional<Secret> callerCredential() {
        return call == null ? Optional.empty() : call.callerCredential();
    }
}
