package dev.bastion.toolkit.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.tool.ToolFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed backend call, with a short actionable message safe to show to a model: never a token, a
 * stack trace or a Java class name. Thrown by {@link JsonBackend}; a tool lets it pass and the
 * engine turns it into the {@code isError} result.
 */
public final class BackendFailure extends ToolFailure {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so callers can add context (a tool adds the permission it needs to a 403). */
    public enum Kind {
        BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, GONE, RATE_LIMITED, SERVER_ERROR, TIMEOUT,
        CANCELLED, UNREACHABLE, TOO_LARGE, MALFORMED_RESPONSE, HTML_RESPONSE, UNEXPECTED_STATUS
    }

    private final Kind kind;
    private final int status;
    private final transient Duration retryAfter;
    private final transient JsonNode errorBody;

    public BackendFailure(Kind kind, int status, String message, Duration retryAfter, JsonNode errorBody) {
        super(requireNonNull(message, "message is null"));
        this.kind = requireNonNull(kind, "kind is null");
        this.status = status;
        this.retryAfter = retryAfter;
        this.errorBody = errorBody;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or {@code 0} when no response arrived. */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The backend's parsed error body, for providers that read more of it than the message (a DQL
     * syntax error's position); not shown to anyone as it is. Empty when the body was not JSON.
     */
    public Optional<JsonNode> errorBody() {
        return Optional.ofNullable(errorBody);
    }

    /** The same failure with {@code hint} appended to its message. */
    public BackendFailure withHint(String hint) {
        String message = getMessage();
        String joined = message.endsWith(".") ? message + " " + hint : message + ". " + hint;
        return new BackendFailure(kind, status, joined, retryAfter, errorBody);
    }
}
