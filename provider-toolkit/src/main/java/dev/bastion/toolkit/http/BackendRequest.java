package dev.bastion.toolkit.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.tool.CallContext;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;

/** One request to a {@link JsonBackend} being prepared; query values are encoded, never concatenated. */
public final class BackendRequest {

    private final JsonBackend backend;
    private final String method;
    private final HttpUrl.Builder url;
    /** A JSON body ({@link JsonNode}), a raw one ({@link okhttp3.RequestBody}), or {@code null}. */
    private final Object body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean idempotent;
    private String subject;
    private CallCredentials credentials;

    BackendRequest(JsonBackend backend, String method, HttpUrl.Builder url, Object body) {
        this.backend = backend;
        this.method = method;
        this.url = url;
        this.body = body;
    }

    /** Adds a query parameter; {@code null} values are left out. */
    public BackendRequest query(String name, Object value) {
        if (value != null) {
            url.addQueryParameter(requireNonNull(name, "name is null"), value.toString());
        }
        return this;
    }

    /**
     * Adds a request header that is part of the API (a content negotiation, a version); never a
     * credential, which is the outbound client's job.
     */
    public BackendRequest header(String name, String value) {
        headers.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return this;
    }

    /** Marks a POST that only reads (a query API), so retries and the read-only checks treat it as a read. */
    public BackendRequest idempotent() {
        this.idempotent = true;
        return this;
    }

    /** What a 404 means, such as {@code Problem P-1234}: the message then reads "Problem P-1234 not found in …". */
    public BackendRequest notFound(String what) {
        this.subject = requireNonNull(what, "what is null");
        return this;
    }

    /**
     * Sends this request with {@code value} instead of the configured credentials or the call's
     * ({@link JsonBackend.Builder#callCredentials}), such as when checking a caller's token with
     * itself. Register its secrets with the redactor first.
     */
    public BackendRequest credentials(CallCredentials value) {
        this.credentials = requireNonNull(value, "value is null");
        return this;
    }

    /** The URL as it will be sent; for tests and logs (it carries no secret). */
    public HttpUrl url() {
        return url.build();
    }

    /**
     * Sends the request as part of {@code context}'s call (cancelled with it, never outliving its
     * deadline) and returns the parsed JSON body; an empty body is an empty object.
     *
     * @throws BackendFailure for every failure, with a message for the model
     */
    public JsonNode send(CallContext context) {
        return exchange(context).body();
    }

    /** As {@link #send}, with the status and headers (a page token in a header, say). */
    public JsonBackend.Reply exchange(CallContext context) {
        requireNonNull(context, "context is null");
        return backend.exchange(method, url.build(), body, headers, idempotent, subject, credentials, context);
    }
}
