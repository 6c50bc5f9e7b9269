package dev.bastion.example.prometheus;

/** A Prometheus request failed; the message is short, actionable and free of secrets. */
final class PrometheusException extends Exception {
    private static final long serialVersionUID = 1L;

    PrometheusException(String message) {
        super(message, null, false, false);
    }
}
