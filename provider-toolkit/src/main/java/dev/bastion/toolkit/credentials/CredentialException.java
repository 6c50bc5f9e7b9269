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

    public CredentialException(String message) {
        super(message);
    }
}
