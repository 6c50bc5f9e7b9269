package dev.bastion.toolkit.poll;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A call context with a deadline that records progress notifications the way the engine sends
 * them (values that do not increase are dropped) and can be cancelled like the engine does.
 */
final class RecordingCallContext implements CallContext {

    record Notification(double progress, Double total, String message) {
    }

    private final Instant deadline;
    private final List<Notification> progress = new CopyOnWriteArrayList<>();
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private volatile double last = -1;

    RecordingCallContext(Duration timeout) {
        this.deadline = Instant.now().plus(timeout);
    }

    List<Notification> notifications() {
        return List.copyOf(progress);
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
        return cancelled;
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
        return (value, total, message) -> {
            synchronized (this) {
                if (value <= last) {
                    return;
                }
                last = value;
            }
            progress.add(new Notification(value, total, message));
        };
    }

    @Override
    public void log(LogLevel level, String message) {
    }

    @Override
    public ClientRequests client() {
        return ClientRequests.NONE;
    }
}
