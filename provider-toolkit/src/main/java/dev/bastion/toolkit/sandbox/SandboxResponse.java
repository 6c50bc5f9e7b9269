package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of a sandbox: status, content type, body and extra headers.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body the body bytes (may be empty)
 * @param headers further response headers, in order
 */
public record SandboxResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SandboxResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        requireNonNull(contentType, "contentType is null");
        body = requireNonNull(body, "body is null").clone();
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    /** 200 with a JSON body. */
    public static SandboxResponse json(JsonNode body) {
        return json(200, body);
    }

    public static SandboxResponse json(int status, JsonNode body) {
        try {
            return new SandboxResponse(status, "application/json;charset=utf-8", JSON.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body cannot be written as JSON", e);
        }
    }

    /** A plain-text body, for backends (and the proxies in front of them) that answer in text. */
    public static SandboxResponse text(int status, String body) {
        return new SandboxResponse(status, "text/plain;charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A copy with one more header (replacing one of the same name). */
    public SandboxResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return new SandboxResponse(status, contentType, body, more);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
