package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * A failed call to the Environment API. The message is short, actionable and safe to show to a
 * model: it never contains the token, a stack trace or a Java class name.
 */
public final class DynatraceApiException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so callers can add context (a tool adds the scope it needs to a 403). */
    public enum Kind {
        BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, SERVER_ERROR, TIMEOUT, UNREACHABLE,
        MALFORMED_RESPONSE, HTML_RESPONSE, UNEXPECTED_STATUS
    }

    private final Kind kind;
    private final int status;
    private final transient Long retryAfterSeconds;

    public DynatraceApiException(Kind kind, int status, String message, Long retryAfterSeconds) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.kind = requireNonNull(kind, "kind is null");
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or {@code 0} when no response arrived. */
    public int status() {
        return status;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
