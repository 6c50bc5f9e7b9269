package dev.bastion.transport.http.auth;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * One static bearer token: only its SHA-256 is kept.
 *
 * @param name the principal name it maps to
 * @param sha256 the SHA-256 of the token
 * @param scopes the scopes it grants
 */
public record StaticToken(String name, byte[] sha256, Set<String> scopes) {

    public StaticToken {
        requireNonNull(name, "name is null");
        sha256 = requireNonNull(sha256, "sha256 is null").clone();
        scopes = Set.copyOf(requireNonNull(scopes, "scopes is null"));
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public String toString() {
        return "StaticToken[" + name + " " + scopes + "]";
    }
}
