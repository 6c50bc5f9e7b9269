package dev.bastion.core.auth;

/**
 * Inbound authentication port. Implementations never throw for an ordinary denial; they return
 * {@link AuthResult.Unauthenticated} or {@link AuthResult.Forbidden}.
 */
@FunctionalInterface
public interface Authenticator {
    AuthResult authenticate(AuthRequest request);
}
