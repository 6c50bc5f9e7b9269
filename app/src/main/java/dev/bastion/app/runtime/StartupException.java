package dev.bastion.app.runtime;

/**
 * The server cannot start: bad configuration, a provider that refuses its settings, two providers
 * claiming the same tool. The message is for the operator and is printed as it is (redacted),
 * without a stack trace.
 */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }
}
