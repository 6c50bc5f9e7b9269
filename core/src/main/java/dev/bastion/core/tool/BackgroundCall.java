package dev.bastion.core.tool;

import dev.bastion.core.auth.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The context of work a provider does outside any client's call (a health check, a start-up
 * validation), so that work takes the same outbound path as tool calls: a deadline, and
 * cancellation of its backend requests when that passes or {@link #cancel} is called. It has no
 * client: progress and log messages go nowhere, and client requests fail.
 */
public final class BackgroundCall implements CallContext {

    private final Instant deadline;
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    private BackgroundCall(Instant deadline) {
        this.deadline = deadline;
    }

    /** Background work that must be done within {@code timeout}. */
    public static BackgroundCall within(Duration timeout) {
        return new BackgroundCall(Instant.now().plus(timeout));
    }

    @Override
    public Principal principal() {
        return Principal.local();
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
    public void cancel(String reason) {
        cancelled = true;
        onCancel.forEach(Runnable::run);
    }

    @Override
    public void onCancel(Runnable action) {
        if (cancelled) {
            action.run();
        } else {
            onCancel.add(action);
        }
    }

    @Override
    public ProgressReporter progress() {
        return ProgressReporter.NONE;
    }

    @Override
    public void log(LogLevel level, String message) {
        // Nobody listens: background work reports through its result.
    }

    @Override
    public ClientRequests client() {
        return ClientRequests.NONE;
    }
}
