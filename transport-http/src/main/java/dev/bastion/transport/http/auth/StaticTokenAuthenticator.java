package dev.bastion.transport.http.auth;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.AuthRequest;
import dev.bastion.core.auth.AuthResult;
import dev.bastion.core.auth.Authenticator;
import dev.bastion.core.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Static bearer tokens. Only their SHA-256 is kept; a presented token is hashed and compared with
 * every configured hash in constant time, so neither the comparison nor the number of tokens
 * checked tells an attacker how close a guess came.
 */
public final class StaticTokenAuthenticator implements Authenticator {

    private final List<StaticToken> tokens;
    private final BearerChallenge challenge;
    private final Set<String> requiredScopes;

    public StaticTokenAuthenticator(List<StaticToken> tokens, List<String> requiredScopes, BearerChallenge challenge) {
        this.tokens = List.copyOf(requireNonNull(tokens, "tokens is null"));
        this.requiredScopes = Set.copyOf(requireNonNull(requiredScopes, "requiredScopes is null"));
        this.challenge = requireNonNull(challenge, "challenge is null");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("at least one token is required");
        }
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        BearerTokens.Presented presented = BearerTokens.read(request);
        if (presented instanceof BearerTokens.Missing) {
            return new AuthResult.Unauthenticated("Unauthorized: a bearer token is required",
                    challenge.missingToken());
        }
        if (presented instanceof BearerTokens.Malformed malformed) {
            return new AuthResult.Unauthenticated("Unauthorized: " + malformed.why(), challenge.invalidToken());
        }
        byte[] hash = sha256(((BearerTokens.Token) presented).value());
        StaticToken match = null;
        for (StaticToken token : tokens) {
            // Every hash is compared, match or not: the time taken does not depend on which one matched.
            if (MessageDigest.isEqual(hash, token.sha256()) && match == null) {
                match = token;
            }
        }
        if (match == null) {
            return new AuthResult.Unauthenticated("Unauthorized: the bearer token is not valid",
                    challenge.invalidToken());
        }
        Principal principal = new Principal(match.name(), match.scopes());
        List<String> missing = requiredScopes.stream().filter(scope -> !principal.hasScope(scope)).sorted().toList();
        if (!missing.isEmpty()) {
            return new AuthResult.Forbidden("Forbidden: the token lacks the scopes " + String.join(", ", missing),
                    challenge.insufficientScope(requiredScopes.stream().sorted().toList()));
        }
        return new AuthResult.Authenticated(principal);
    }

    /** The SHA-256 of a token's UTF-8 bytes. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
