package dev.bastion.core.sanitize;

/**
 * Turns an unexpected failure into a message that is safe to send to a client: no stack trace,
 * no class name, no secret, and an error id that ties the message to the server's log line.
 */
public interface ErrorSanitizer {

    /**
     * Logs {@code failure} in full (redacted) under a fresh error id and returns the client message.
     *
     * @param what a short description of what failed, such as {@code tool dynatrace_managed_list_problems}
     */
    String sanitize(String what, Throwable failure);
}
