package dev.bastion.security.errors;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.sanitize.ErrorSanitizer;
import dev.bastion.core.sanitize.Redactor;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into messages that are safe for a client: a short error id, what failed, and a
 * pointer to the server log, where the same id stands next to the full (redacted) message and
 * stack trace. No class name, stack frame or secret reaches the client.
 */
public final class SafeErrors implements ErrorSanitizer {

    private static final Logger LOG = LoggerFactory.getLogger(SafeErrors.class);

    /** A one-line summary never grows beyond this, whatever a library put into its message. */
    private static final int MAX_SUMMARY = 200;

    private final Redactor redactor;
    private final RandomGenerator random;

    public SafeErrors(Redactor redactor) {
        this(redactor, StrongRandom.LAZY);
    }

    /**
     * A {@link SecureRandom}, created with the first error id: seeding one at start-up costs time
     * that most runs, which never fail, do not need to spend.
     */
    private static final class StrongRandom {
        static final RandomGenerator LAZY = new RandomGenerator() {
            @Override
            public long nextLong() {
                return Instance.RANDOM.nextLong();
            }

            @Override
            public void nextBytes(byte[] bytes) {
                Instance.RANDOM.nextBytes(bytes);
            }
        };

        private static final class Instance {
            static final SecureRandom RANDOM = new SecureRandom();
        }
    }

    /** @param random the source of error ids; tests pass a seeded one */
    public SafeErrors(Redactor redactor, RandomGenerator random) {
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public String sanitize(String what, Throwable failure) {
        requireNonNull(what, "what is null");
        requireNonNull(failure, "failure is null");
        String id = newErrorId();
        String safeWhat = redactor.redact(what);
        // The throwable is rendered and redacted here rather than handed to the logger, which would
        // print exception messages (a URL with a token in it, say) verbatim.
        LOG.error("Internal error in {} (error id {}): {}\n{}", safeWhat, id, redactor.redact(oneLine(failure)),
                redactor.redact(stackTrace(failure)));
        return "Internal error in " + safeWhat + " (error id " + id + "); the server log has details.";
    }

    /**
     * A safe one-line summary of an expected failure, for messages such as {@code backend prod:
     * timed out}: {@code timed out}, {@code could not connect}, {@code host not found (h)},
     * {@code TLS handshake failed}, {@code cancelled}, the redacted message of other I/O
     * failures, and {@code unexpected failure} for everything else (whose message may be a
     * programming detail).
     */
    public String describe(Throwable failure) {
        requireNonNull(failure, "failure is null");
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String known = knownKind(cause);
            if (known != null) {
                return known;
            }
        }
        if (failure instanceof java.io.IOException && failure.getMessage() != null) {
            return truncate(redactor.redact(firstLine(failure.getMessage())));
        }
        return "unexpected failure";
    }

    private String knownKind(Throwable failure) {
        if (failure instanceof SocketTimeoutException || failure instanceof HttpTimeoutException
                || failure instanceof TimeoutException) {
            return "timed out";
        }
        if (failure instanceof InterruptedIOException && failure.getMessage() != null
                && failure.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
            // OkHttp reports an exceeded call timeout as InterruptedIOException("timeout").
            return "timed out";
        }
        if (failure instanceof ConnectException) {
            return "could not connect";
        }
        if (failure instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (failure instanceof UnknownHostException) {
            return failure.getMessage() == null || failure.getMessage().isBlank()
                    ? "host not found"
                    : "host not found (" + truncate(redactor.redact(firstLine(failure.getMessage()))) + ")";
        }
        if (failure instanceof SSLException) {
            return "TLS handshake failed";
        }
        if (failure instanceof CancellationException) {
            return "cancelled";
        }
        if (failure instanceof NoSuchFileException) {
            return "file not found";
        }
        if (failure instanceof AccessDeniedException) {
            return "access denied";
        }
        return null;
    }

    private String newErrorId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String oneLine(Throwable failure) {
        return failure.getMessage() == null ? "(no message)" : firstLine(failure.getMessage());
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY) + "...";
    }

    /** The stack trace as text, causes and suppressed exceptions included, guarding against cycles. */
    static String stackTrace(Throwable failure) {
        StringBuilder out = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        append(out, failure, "", seen);
        return out.toString();
    }

    private static void append(StringBuilder out, Throwable failure, String caption, Set<Throwable> seen) {
        if (!seen.add(failure)) {
            out.append(caption).append("[circular reference]\n");
            return;
        }
        out.append(caption).append(failure.getClass().getName());
        if (failure.getMessage() != null) {
            out.append(": ").append(failure.getMessage());
        }
        out.append('\n');
        for (StackTraceElement frame : failure.getStackTrace()) {
            out.append("\tat ").append(frame).append('\n');
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            append(out, suppressed, "Suppressed: ", seen);
        }
        if (failure.getCause() != null) {
            append(out, failure.getCause(), "Caused by: ", seen);
        }
    }
}
