package dev.bastion.transport.http.auth;

import dev.bastion.core.auth.AuthRequest;
import dev.bastion.core.auth.AuthResult;
import dev.bastion.core.auth.Authenticator;
import dev.bastion.core.auth.Principal;
import java.util.Set;

/**
 * No authentication: every caller is {@code anonymous} with every scope, like a local stdio user.
 * Only allowed on loopback (or with {@code --insecure-no-auth}); the transport checks that.
 */
public final class NoAuthentication implements Authenticator {

    private static final Principal ANONYMOUS = new Principal("anonymous", Set.of(Principal.ALL_SCOPES));
    private static final AuthResult RESULT = new AuthResult.Authenticated(ANONYMOUS);

    public Principal principal() {
        return ANONYMOUS;
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        return RESULT;
    }
}
