package dev.bastion.core.sanitize;

/**
 * Replaces secrets in text with {@code [REDACTED]}, keeping at most a short non-secret prefix
 * (such as {@code dt0c01.}). Applied to every log event, every error text sent to a client,
 * audit records and tool output.
 */
public interface Redactor {

    String redact(String text);

    /** Registers a configured secret value (and so its derived forms) at startup. */
    void registerSecret(String value);

    /** A redactor that changes nothing, for tests of code that does not handle secrets. */
    Redactor NONE = new Redactor() {
        @Override
        public String redact(String text) {
            return text;
        }

        @Override
        public void registerSecret(String value) {
        }
    };
}
