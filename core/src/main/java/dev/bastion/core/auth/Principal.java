package dev.bastion.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Who is calling. On HTTP it comes from the verified token; on stdio it is the local process
 * owner, who holds every scope.
 *
 * @param name a stable identifier (token subject, configured token name, or {@code local:<user>})
 * @param scopes the granted scopes; {@link #ALL_SCOPES} grants everything
 */
public record Principal(String name, Set<String> scopes) {

    public static final String ALL_SCOPES = "*";

    public Principal {
        requireNonNull(name, "name is null");
        scopes = Set.copyOf(requireNonNull(scopes, "scopes is null"));
    }

    /** The owner of a local stdio process. */
    public static Principal local() {
        return new Principal("local:" + System.getProperty("user.name", "user"), Set.of(ALL_SCOPES));
    }

    public boolean hasScope(String scope) {
        return scopes.contains(ALL_SCOPES) || scopes.contains(scope);
    }
}
