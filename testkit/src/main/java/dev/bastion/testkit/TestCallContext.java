package dev.bastion.testkit;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link CallContext} for calling a tool directly in a test: the local principal, a 30 s
 * deadline, recorded log and progress messages, a client that declared no capabilities, and no
 * caller credential unless one is given with {@link #callerCredential(Secret)}.
 */
public final class TestCallContext implements CallContext {

    private final Instant deadline;
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private volatile Secret callerCredential;

    public TestCallContext() {
        this(Duration.ofSeconds(30));
    }

    public TestCallContext(Duration timeout) {
        this.deadline = Instant.now().plus(timeout);
    }

    /**
     * Makes this call carry {@code value} as the caller's own backend credential, as the HTTP transport
     * passes the provider's {@code callerCredentialHeader()}; returns this context.
     */
    public TestCallContext callerCredential(Secret value) {
        this.callerCredential = java.util.Objects.requireNonNull(value, "value is null");
        return this;
    }

    @Override
    public Optional<Secret> callerCredential() {
        return Optional.ofNullable(callerCredential);
    }

    /** Every {@link #log} message, as {@code level: message}. */
    public List<String> logs() {
        return List.copyOf(logs);
    }

    /** Every progress report, as {@code progress/total: message} ({@code total} and message may be null). */
    public List<String> progressReports() {
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
        return (value, total, message) -> progress.add(value + "/" + total + ": " + message);
    }

    @Override
    public void log(LogLevel level, String message) {
        logs.add(level.wireName() + ": " + message);
    }

    @Override
    public ClientRequests client() {
        return ClientRequests.NONE;
    }
}
