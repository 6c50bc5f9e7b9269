package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request as a sandbox handler sees it: decoded path segments and parameters, query, headers
 * and the body (already read, within the server's cap).
 */
public final class SandboxRequest {

    private final String method;
    private final String rawPath;
    private final List<String> segments;
    private final Map<String, String> pathParameters;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final ObjectMapper json;

    SandboxRequest(String method, String rawPath, List<String> segments, Map<String, String> pathParameters,
                   Map<String, List<String>> query, Map<String, List<String>> headers, byte[] body, ObjectMapper json) {
        this.method = requireNonNull(method, "method is null");
        this.rawPath = requireNonNull(rawPath, "rawPath is null");
        this.segments = List.copyOf(segments);
        this.pathParameters = Map.copyOf(pathParameters);
        this.query = query;
        this.headers = headers;
        this.body = requireNonNull(body, "body is null");
        this.json = requireNonNull(json, "json is null");
    }

    SandboxRequest withRoute(Map<String, String> parameters, byte[] readBody) {
        return new SandboxRequest(method, rawPath, segments, parameters, query, headers, readBody, json);
    }

    public String method() {
        return method;
    }

    /** The path as sent, still percent-encoded. */
    public String rawPath() {
        return rawPath;
    }

    /** The decoded, non-empty path segments. */
    public List<String> segments() {
        return segments;
    }

    /** A decoded path parameter of the matched route ({@code {name}} in its pattern). */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path parameter " + name);
        }
        return value;
    }

    /** Every query parameter with its decoded values, in the order sent. */
    public Map<String, List<String>> query() {
        return query;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body bytes; empty before routing (the auth check never sees the body). */
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as JSON: a {@link MissingNode} when there is none, a 400 (about the {@code body}) when
     * it is not JSON.
     */
    public JsonNode json() {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = json.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "body", "Could not parse the JSON body");
        }
    }
}
