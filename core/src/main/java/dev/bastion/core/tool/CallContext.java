package dev.bastion.core.tool;

import dev.bastion.core.auth.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;

/**
 * Everything a running call may need besides its arguments. It is built per request from the
 * request and the negotiated session, never read from mutable session state, so the same tool
 * code serves stateful and stateless protocol versions.
 */
public interface CallContext {

    Principal principal();

    /** When the call must have finished; work still running then is cancelled. */
    Instant deadline();

    default Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Whether the client cancelled the call or its deadline passed. */
    boolean isCancelled();

    /** Throws {@link CancellationException} when the call was cancelled; long loops call it. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("the call was cancelled");
        }
    }

    /**
     * Cancels the call: used by the deadline stage and by {@code notifications/cancelled}. Tools
     * do not call it.
     */
    void cancel(String reason);

    /** Runs {@code action} once when the call is cancelled (at once if it already was). */
    void onCancel(Runnable action);

    ProgressReporter progress();

    /** Sends a {@code notifications/message} to the client when its log level lets it through. */
    void log(LogLevel level, String message);

    /** Requests to the client: elicitation, sampling, roots. */
    ClientRequests client();

    /**
     * The backend credential the caller sent with this request for this tool's provider, when the
     * provider declares {@link dev.bastion.core.spi.ProviderFactory#callerCredentialHeader()} and the
     * transport carries headers (HTTP). Validate it once and cache the outcome (the security
     * module's {@code CallerCredentialCache}); never log it and never forward the caller's inbound
     * MCP token instead.
     */
    default java.util.Optional<dev.bastion.core.spi.Secret> callerCredential() {
        return java.util.Optional.empty();
    }
}
