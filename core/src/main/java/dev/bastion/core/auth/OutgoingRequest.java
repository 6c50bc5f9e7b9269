package dev.bastion.core.auth;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * An outbound backend request as credentials see it, independent of the HTTP library.
 *
 * @param method the HTTP method
 * @param uri the full request URI
 * @param headers the headers already set (for signature schemes that sign them)
 * @param body the body bytes, empty when there is none
 */
public record OutgoingRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    public OutgoingRequest {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        body = requireNonNull(body, "body is null").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
