package dev.bastion.toolkit.credentials;

import java.io.IOException;

/**
 * Backend credentials could not be obtained: a token endpoint or login endpoint refused the
 * configured credentials, failed, or answered something that is not a token. The message is one
 * line for the operator or the model: what happened and which setting to check. It never holds a
 * secret, a token or a response body beyond the endpoint's own (redacted) error text, and no cause
 * is attached, because parser and library messages may quote the body they choked on.
 */
public class CredentialException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean refused;

    /** A failure that is not a refusal: the endpoint unreachable, failing (5xx) or answering no token. */
    public CredentialException(String message) {
        this(message, false);
    }

    /** @param refused whether the endpoint refused the credentials (a 4xx answer) */
    public CredentialException(String message, boolean refused) {
        super(message);
        this.refused = refused;
    }

    /** Whether the endpoint refused the configured credentials, as opposed to failing or being out of reach. */
    public boolean refused() {
        return refused;
    }
}
