package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A refusal a sandbox handler throws to answer with an error in the backend's own shape (the
 * server's {@link ErrorShape} renders it). It carries no stack trace: it is an answer, not a fault.
 */
public final class SandboxError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Where a rejected parameter was in the request. */
    public enum Location { PATH, QUERY, HEADER, BODY }

    private final int status;
    private final String parameter;
    private final Location location;

    private SandboxError(int status, String message, String parameter, Location location) {
        super(requireNonNull(message, "message is null"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a sandbox error needs a 4xx or 5xx status, not " + status);
        }
        this.status = status;
        this.parameter = parameter;
        this.location = location;
    }

    /** An error with a status and the backend's message. */
    public static SandboxError of(int status, String message) {
        return new SandboxError(status, message, null, null);
    }

    /** A 400 about one request parameter, for backends that name the offending parameter. */
    public static SandboxError badParameter(Location location, String parameter, String message) {
        return new SandboxError(400, message, requireNonNull(parameter, "parameter is null"),
                requireNonNull(location, "location is null"));
    }

    public static SandboxError notFound(String message) {
        return of(404, message);
    }

    public int status() {
        return status;
    }

    /** The rejected parameter, when the error is about one. */
    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }

    /** Where the rejected parameter was, when the error is about one. */
    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }
}
