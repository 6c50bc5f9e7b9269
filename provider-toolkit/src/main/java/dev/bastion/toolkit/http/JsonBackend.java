package dev.bastion.toolkit.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.CallContext;
import dev.bastion.security.outbound.BackendErrors;
import dev.bastion.security.outbound.ClientRateLimitException;
import dev.bastion.security.outbound.Idempotent;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.outbound.ResponseTooLargeException;
import dev.bastion.security.outbound.RequestCredentials;
import dev.bastion.toolkit.credentials.CredentialException;
import dev.bastion.toolkit.http.BackendFailure.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The JSON client every provider reaches its backend with, on top of the hardened outbound client
 * ({@link OutboundHttp#execute}: cancellation and the call's deadline) and one error mapping for
 * every backend. URLs are built from typed path segments, each one encoded, and query parameters,
 * never by concatenation; authentication is the outbound client's credentials, never a header a
 * tool sets: the configured ones, or a call's own {@link CallCredentials} (a caller's token).
 *
 * <p>Every failure becomes a {@link BackendFailure} with a message a model can act on: 400 with the
 * backend's own violation messages (at most {@value #MAX_VIOLATIONS}, the rest counted), 401 and 403
 * naming the setting that holds the credential (never its value), 404 naming the subject, 409, 410,
 * 429 with the wait, 5xx, timeouts, cancellation, unreachable hosts and TLS failures, HTML pages,
 * oversized and malformed bodies. Backend text in messages is redacted, one line and bounded.
 */
public final class JsonBackend {

    static final int MAX_DETAIL_CHARS = 300;
    static final int MAX_VIOLATIONS = 10;
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}+");

    private final String label;
    private final String notFoundIn;
    private final HttpUrl base;
    private final Supplier<OkHttpClient> http;
    private final ObjectMapper json;
    private final Redactor redactor;
    private final String credentialName;
    private final String credentialSetting;
    private final ErrorDetail.Reader errors;
    private final CallCredentials.Resolver callCredentials;
    private final Duration timeout;
    private final String timeoutHint;
    private final String htmlHint;
    private final String requestIdHeader;
    private static final int MAX_REQUEST_ID_CHARS = 200;
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:/+=-]+");

    private JsonBackend(Builder builder) {
        this.label = builder.label;
        this.notFoundIn = builder.notFoundIn == null ? builder.label : builder.notFoundIn;
        this.base = builder.base;
        this.http = builder.http;
        this.json = builder.json;
        this.redactor = builder.redactor;
        this.credentialName = builder.credentialName;
        this.credentialSetting = builder.credentialSetting;
        this.errors = builder.errors;
        this.callCredentials = builder.callCredentials;
        this.timeout = builder.timeout;
        this.timeoutHint = builder.timeoutHint;
        this.htmlHint = builder.htmlHint;
        this.requestIdHeader = builder.requestIdHeader;
    }

    /**
     * @param label how messages name the backend instance, such as {@code Dynatrace environment prod}
     * @param base the URL path segments are appended to
     * @param http the outbound client, usually {@link OutboundHttp#lazyClient} so TLS set-up waits for the first call
     */
    public static Builder builder(String label, HttpUrl base, Supplier<OkHttpClient> http, ObjectMapper json,
                                  Redactor redactor) {
        return new Builder(label, base, http, json, redactor);
    }

    public String label() {
        return label;
    }

    public HttpUrl base() {
        return base;
    }

    public ObjectMapper json() {
        return json;
    }

    public BackendRequest get(String... segments) {
        return new BackendRequest(this, "GET", url(segments), null);
    }

    public BackendRequest delete(String... segments) {
        return new BackendRequest(this, "DELETE", url(segments), null);
    }

    public BackendRequest post(JsonNode body, String... segments) {
        return new BackendRequest(this, "POST", url(segments), requireNonNull(body, "body is null"));
    }

    /**
     * A {@code multipart/form-data} POST (an upload such as Dynatrace's document API takes), whose
     * answer is JSON like every other.
     */
    public BackendRequest postMultipart(okhttp3.MultipartBody body, String... segments) {
        return new BackendRequest(this, "POST", url(segments), requireNonNull(body, "body is null"));
    }

    public BackendRequest put(JsonNode body, String... segments) {
        return new BackendRequest(this, "PUT", url(segments), requireNonNull(body, "body is null"));
    }

    public BackendRequest patch(JsonNode body, String... segments) {
        return new BackendRequest(this, "PATCH", url(segments), requireNonNull(body, "body is null"));
    }

    private HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder builder = base.newBuilder();
        List<String> existing = base.pathSegments();
        if (!existing.isEmpty() && existing.get(existing.size() - 1).isEmpty()) {
            builder.removePathSegment(existing.size() - 1);
        }
        for (String segment : segments) {
            if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("a path segment must not be empty, '.' or '..'");
            }
            builder.addPathSegment(segment);
        }
        return builder;
    }

    /** A backend's answer: status, headers (lower-case names) and the parsed JSON body. */
    public record Reply(int status, Map<String, String> headers, JsonNode body) {
        public Reply {
            headers = Map.copyOf(headers);
        }

        /** A header by its name in any case. */
        public java.util.Optional<String> header(String name) {
            return java.util.Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    Reply exchange(String method, HttpUrl url, Object body, Map<String, String> headers, boolean idempotent,
                   String subject, CallCredentials explicit, CallContext context) {
        CallCredentials own = explicit != null ? explicit : callCredentials.forCall(context).orElse(null);
        Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json");
        if (own != null) {
            RequestCredentials.use(request, own.credentials());
        }
        headers.forEach(request::header);
        if (body instanceof RequestBody raw) {
            request.method(method, raw);
        } else if (body != null) {
            try {
                request.method(method, RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("request body is not serialisable", e);
            }
        } else {
            request.method(method, null);
        }
        if (idempotent) {
            Idempotent.mark(request);
        }
        try (Response response = OutboundHttp.execute(http.get(), request.build(), context)) {
            return read(response, subject, own);
        } catch (IOException e) {
            throw failure(e, context);
        }
    }

    private BackendFailure failure(IOException e, CallContext context) {
        if (context.isCancelled()) {
            if (context.remaining().isZero()) {
                return timedOut();
            }
            return new BackendFailure(Kind.CANCELLED, 0, "The call to " + label + " was cancelled.", null, null);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CredentialException credentials) {
                // The token endpoint or login refused the credentials, or failed; its message names what to check.
                return new BackendFailure(credentials.refused() ? Kind.UNAUTHORIZED : Kind.UNREACHABLE, 0,
                        detail(cause.getMessage(), 2 * MAX_DETAIL_CHARS), null, null);
            }
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            // OkHttp reports its call timeout as an InterruptedIOException and cancels the call.
            return timedOut();
        }
        if (e instanceof UnknownHostException) {
            return new BackendFailure(Kind.UNREACHABLE, 0, "Cannot reach " + label
                    + ": its host name does not resolve; check the url setting.", null, null);
        }
        if (e instanceof ConnectException) {
            return new BackendFailure(Kind.UNREACHABLE, 0, "Cannot reach " + label
                    + ": the connection was refused; check the url and proxy settings.", null, null);
        }
        String described = BackendErrors.describe(e, label);
        Kind kind = e instanceof ResponseTooLargeException ? Kind.TOO_LARGE
                : e instanceof ClientRateLimitException ? Kind.RATE_LIMITED : Kind.UNREACHABLE;
        return new BackendFailure(kind, 0, detail(described, 2 * MAX_DETAIL_CHARS) + ".", null, null);
    }

    private BackendFailure timedOut() {
        return new BackendFailure(Kind.TIMEOUT, 0, label + " did not answer within " + Math.max(1,
                timeout.toSeconds()) + " s (timeout); " + timeoutHint, null, null);
    }

    private Reply read(Response response, String subject, CallCredentials own) throws IOException {
        ResponseBody responseBody = response.body();
        byte[] bytes = responseBody == null ? new byte[0] : responseBody.bytes();
        String contentType = response.header("Content-Type", "");
        int status = response.code();
        boolean html = looksLikeHtml(contentType, bytes);
        Map<String, String> headers = new TreeMap<>();
        response.headers().names().forEach(name -> headers.put(name.toLowerCase(Locale.ROOT), response.header(name)));
        if (response.isSuccessful()) {
            if (html) {
                throw htmlPage(status);
            }
            if (bytes.length == 0) {
                return new Reply(status, headers, json.createObjectNode());
            }
            try {
                return new Reply(status, headers, json.readTree(bytes));
            } catch (JsonProcessingException e) {
                throw new BackendFailure(Kind.MALFORMED_RESPONSE, status, label + " answered HTTP " + status
                        + " with a body that is not valid JSON; a proxy may be rewriting responses.", null, null);
            }
        }
        if (html) {
            throw withRequestId(htmlPage(status), response);
        }
        JsonNode errorBody = parse(bytes);
        ErrorDetail error = errorBody == null ? plainText(bytes) : errors.read(errorBody);
        String message = error.message().isBlank() ? "" : detail(error.message(), MAX_DETAIL_CHARS);
        Duration retryAfter = BackendErrors.retryAfter(response).orElse(null);
        throw withRequestId(switch (status) {
            case 400, 422 -> new BackendFailure(Kind.BAD_REQUEST, status, label + " rejected the request (" + status
                    + "): " + violations(error, message) + ".", null, errorBody);
            case 401 -> new BackendFailure(Kind.UNAUTHORIZED, status, label + " rejected the " + credentialName
                    + " (401" + (message.isEmpty() ? "" : ": " + message) + "); it is missing, invalid, expired or"
                    + " revoked. Check " + (own == null ? "the " + credentialSetting + " setting" : own.source())
                    + ".", null, errorBody);
            case 403 -> new BackendFailure(Kind.FORBIDDEN, status, label + " refused access (403"
                    + (message.isEmpty() ? "" : ": " + message) + "); the " + credentialName + " in "
                    + (own == null ? credentialSetting : own.source()) + " lacks a permission.", null, errorBody);
            case 404 -> new BackendFailure(Kind.NOT_FOUND, status, (subject == null ? "The requested object" : subject)
                    + " not found in " + notFoundIn + (subject == null && !message.isEmpty() ? " (" + message + ")" : "")
                    + ".", null, errorBody);
            case 409 -> new BackendFailure(Kind.CONFLICT, status, label + " refused the change because it conflicts"
                    + " with the current state (409" + (message.isEmpty() ? "" : ": " + message)
                    + "); read the current state and try again.", null, errorBody);
            case 410 -> new BackendFailure(Kind.GONE, status, label + " no longer has what was asked for (410"
                    + (message.isEmpty() ? "" : ": " + message) + "); start again.", null, errorBody);
            case 413 -> new BackendFailure(Kind.BAD_REQUEST, status, label + " refused the request as too large"
                    + " (413); send less at once.", null, errorBody);
            case 429 -> new BackendFailure(Kind.RATE_LIMITED, status, label + " is rate limiting requests (429); "
                    + (retryAfter == null ? "wait a little and retry." : "retry after " + retryAfter.toSeconds()
                    + " s."), retryAfter, errorBody);
            default -> status >= 500
                    ? new BackendFailure(Kind.SERVER_ERROR, status, label + " failed with HTTP " + status
                            + (message.isEmpty() ? "" : " (" + message + ")") + "; try again later.", retryAfter,
                            errorBody)
                    : new BackendFailure(Kind.UNEXPECTED_STATUS, status, label + " answered HTTP " + status
                            + (message.isEmpty() ? "" : ": " + message) + ".", null, errorBody);
        }, response);
    }

    /** {@code failure} naming the backend's request id, which its support asks for, when it sent one. */
    private BackendFailure withRequestId(BackendFailure failure, Response response) {
        String id = requestIdHeader == null ? null : response.header(requestIdHeader);
        if (id == null || id.length() > MAX_REQUEST_ID_CHARS || !REQUEST_ID.matcher(id).matches()) {
            return failure;
        }
        return failure.withHint(requestIdHeader + ": " + id + ".");
    }

    private BackendFailure htmlPage(int status) {
        return new BackendFailure(Kind.HTML_RESPONSE, status, label + " answered HTTP " + status
                + " with an HTML page instead of API JSON: a proxy, load balancer or login page answered. "
                + htmlHint, null, null);
    }

    private static boolean looksLikeHtml(String contentType, byte[] bytes) {
        if (contentType.toLowerCase(Locale.ROOT).contains("html")) {
            return true;
        }
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i < bytes.length && bytes[i] == '<';
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode root = json.readTree(bytes);
            return root == null || root.isMissingNode() ? null : root;
        } catch (IOException e) {
            return null;
        }
    }

    private static ErrorDetail plainText(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 4 * MAX_DETAIL_CHARS),
                java.nio.charset.StandardCharsets.UTF_8);
        return new ErrorDetail(text.strip(), List.of());
    }

    /** "a: must not be empty; b: invalid; and 3 more" or the plain message when there are no violations. */
    private String violations(ErrorDetail error, String message) {
        List<String> all = error.violations();
        if (all.isEmpty()) {
            return message.isEmpty() ? "the request is invalid" : message;
        }
        StringBuilder out = new StringBuilder();
        int shown = Math.min(all.size(), MAX_VIOLATIONS);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                out.append("; ");
            }
            out.append(detail(all.get(i), MAX_DETAIL_CHARS));
        }
        if (all.size() > shown) {
            out.append("; and ").append(all.size() - shown).append(" more");
        }
        return out.toString();
    }

    /** Backend text made safe: redacted, one line, bounded. */
    private String detail(String text, int max) {
        if (text == null || text.isBlank()) {
            return "no detail";
        }
        String clean = CONTROL.matcher(redactor.redact(text)).replaceAll(" ").strip();
        return clean.length() > max ? clean.substring(0, max) + "..." : clean;
    }

    public static final class Builder {
        private final String label;
        private final HttpUrl base;
        private final Supplier<OkHttpClient> http;
        private final ObjectMapper json;
        private final Redactor redactor;
        private String notFoundIn;
        private String credentialName = "credential";
        private String credentialSetting = "credential";
        private ErrorDetail.Reader errors = ErrorDetail.GENERIC;
        private CallCredentials.Resolver callCredentials = CallCredentials.Resolver.CONFIGURED;
        private Duration timeout = Duration.ofSeconds(30);
        private String timeoutHint = "narrow the request or try again later.";
        private String htmlHint = "Check the url and proxy settings.";
        private String requestIdHeader;

        private Builder(String label, HttpUrl base, Supplier<OkHttpClient> http, ObjectMapper json, Redactor redactor) {
            this.label = requireNonNull(label, "label is null");
            this.base = requireNonNull(base, "base is null");
            this.http = requireNonNull(http, "http is null");
            this.json = requireNonNull(json, "json is null");
            this.redactor = requireNonNull(redactor, "redactor is null");
        }

        /**
         * How 401 and 403 messages name the credential and the setting that holds it, such as
         * {@code API token} and {@code api_token}.
         */
        public Builder credential(String name, String setting) {
            this.credentialName = requireNonNull(name, "name is null");
            this.credentialSetting = requireNonNull(setting, "setting is null");
            return this;
        }

        /** Where a 404 says the subject was looked for, such as {@code environment prod}; default the label. */
        public Builder notFoundIn(String value) {
            this.notFoundIn = requireNonNull(value, "value is null");
            return this;
        }

        /** How to read the backend's error envelope; default {@link ErrorDetail#GENERIC}. */
        public Builder errors(ErrorDetail.Reader value) {
            this.errors = requireNonNull(value, "value is null");
            return this;
        }

        /**
         * Which credentials a call's requests carry when the request names none itself
         * ({@link BackendRequest#credentials}); default the configured ones for every call. A provider
         * that takes caller credentials maps {@link CallContext#callerCredential()} here, once for all
         * its tools.
         */
        public Builder callCredentials(CallCredentials.Resolver value) {
            this.callCredentials = requireNonNull(value, "value is null");
            return this;
        }

        /** The backend's configured timeout, named by timeout messages, and what to do about a timeout. */
        public Builder timeout(Duration value, String hint) {
            this.timeout = requireNonNull(value, "value is null");
            this.timeoutHint = requireNonNull(hint, "hint is null");
            return this;
        }

        /**
         * The response header with the backend's request id (such as OCI's {@code opc-request-id}),
         * named in every failure so that the backend's support can find the request.
         */
        public Builder requestIdHeader(String name) {
            this.requestIdHeader = requireNonNull(name, "name is null");
            return this;
        }

        /** What to check when an HTML page answers, such as the URL's form. */
        public Builder htmlHint(String value) {
            this.htmlHint = requireNonNull(value, "value is null");
            return this;
        }

        public JsonBackend build() {
            return new JsonBackend(this);
        }
    }
}
