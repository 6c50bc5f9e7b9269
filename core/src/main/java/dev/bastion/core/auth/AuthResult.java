package dev.bastion.core.auth;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of authenticating a request. Ordinary denial is a value, not an exception: only the
 * transport turns it into a status code (401, 403).
 */
public sealed interface AuthResult
        permits AuthResult.Authenticated, AuthResult.Unauthenticated, AuthResult.Forbidden, AuthResult.Failed {

    /** The caller is known. */
    record Authenticated(Principal principal) implements AuthResult {
        public Authenticated {
            requireNonNull(principal, "principal is null");
        }
    }

    /**
     * No usable credentials (missing, malformed, expired, wrong audience): HTTP 401.
     *
     * @param message safe to send to the client; names the rule, never the token
     * @param wwwAuthenticate the {@code WWW-Authenticate} challenge to send
     */
    record Unauthenticated(String message, String wwwAuthenticate) implements AuthResult {
        public Unauthenticated {
            requireNonNull(message, "message is null");
            requireNonNull(wwwAuthenticate, "wwwAuthenticate is null");
        }
    }

    /** Valid credentials that lack a required scope: HTTP 403 with {@code error="insufficient_scope"}. */
    record Forbidden(String message, String wwwAuthenticate) implements AuthResult {
        public Forbidden {
            requireNonNull(message, "message is null");
            requireNonNull(wwwAuthenticate, "wwwAuthenticate is null");
        }
    }

    /** Authentication could not be decided (the key set could not be fetched): HTTP 503. */
    record Failed(String message) implements AuthResult {
        public Failed {
            requireNonNull(message, "message is null");
        }
    }
}
