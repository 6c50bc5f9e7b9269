package dev.bastion.core.auth;

import java.util.Map;

/**
 * Outbound credentials port: what a provider's backend needs on each request, applied centrally by
 * the outbound HTTP client (an API token header, a fetched OAuth bearer token, a request
 * signature). Providers never set authentication headers themselves.
 */
public interface BackendCredentials {

    /** Headers to add to {@code request}, such as {@code Authorization}. */
    Map<String, String> headersFor(OutgoingRequest request) throws java.io.IOException;

    /**
     * Called when the backend answered 401 to a request that carried these credentials. Returns
     * {@code true} when fresh credentials may now be had (a cached OAuth token was dropped), so
     * the request is retried once; static credentials return {@code false}.
     */
    default boolean invalidate() {
        return false;
    }

    /** The secret values these credentials send, so the redactor can hide every form of them. */
    default java.util.List<String> secretValues() {
        return java.util.List.of();
    }

    BackendCredentials NONE = request -> Map.of();
}
