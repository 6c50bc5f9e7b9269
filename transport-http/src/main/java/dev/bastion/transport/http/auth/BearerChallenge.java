package dev.bastion.transport.http.auth;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;

/**
 * The {@code WWW-Authenticate} challenges of this resource server (RFC 6750, RFC 9728): each names
 * the protected resource metadata URL and the scopes, so a client can find the authorization
 * server and ask for the right scopes.
 *
 * @param resourceMetadataUrl the URL of this server's protected resource metadata document
 * @param scopes the scopes to ask for
 */
public record BearerChallenge(String resourceMetadataUrl, List<String> scopes) {

    public BearerChallenge {
        requireNonNull(resourceMetadataUrl, "resourceMetadataUrl is null");
        scopes = List.copyOf(requireNonNull(scopes, "scopes is null"));
    }

    /** No token was sent: {@code Bearer resource_metadata="…", scope="…"}. */
    public String missingToken() {
        return "Bearer resource_metadata=\"" + resourceMetadataUrl + "\"" + scopePart(scopes);
    }

    /** The token is not valid here (expired, wrong audience or issuer, bad signature). */
    public String invalidToken() {
        return "Bearer error=\"invalid_token\", resource_metadata=\"" + resourceMetadataUrl + "\"" + scopePart(scopes);
    }

    /** A valid token that lacks scopes: {@code error="insufficient_scope"} with every scope needed. */
    public String insufficientScope(Collection<String> needed) {
        return "Bearer error=\"insufficient_scope\", scope=\"" + String.join(" ", needed)
                + "\", resource_metadata=\"" + resourceMetadataUrl + "\"";
    }

    private static String scopePart(List<String> scopes) {
        return scopes.isEmpty() ? "" : ", scope=\"" + String.join(" ", scopes) + "\"";
    }
}
