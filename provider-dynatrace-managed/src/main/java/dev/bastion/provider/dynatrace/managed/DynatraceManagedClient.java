package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.provider.dynatrace.managed.DynatraceApiException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A client for one environment's Environment API: {@code {url}/e/{environment_id}/api/v2/}. It
 * builds URLs with {@link HttpUrl} (path segments and query values are encoded, never
 * concatenated), leaves authentication to the credentials of the outbound client, and turns every
 * failure into a {@link DynatraceApiException} with a message a model can act on.
 */
public final class DynatraceManagedClient {

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_DETAIL_CHARS = 300;

    private final Supplier<OkHttpClient> http;
    private final ObjectMapper json;
    private final Redactor redactor;
    private final String environment;
    private final HttpUrl environmentUrl;
    private final Duration timeout;

    /** @param http the outbound client, built on first use (see {@code OutboundHttp#lazyClient}) */
    public DynatraceManagedClient(Supplier<OkHttpClient> http, ObjectMapper json, Redactor redactor, ManagedSettings settings) {
        this.http = requireNonNull(http, "http is null");
        this.json = requireNonNull(json, "json is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        requireNonNull(settings, "settings is null");
        this.environment = settings.alias();
        this.timeout = settings.timeout();
        this.environmentUrl = environmentUrl(settings);
    }

    /** {@code {url}/e/{environment_id}/}, with whatever path prefix the cluster URL has. */
    static HttpUrl environmentUrl(ManagedSettings settings) {
        HttpUrl base = HttpUrl.get(settings.url());
        HttpUrl.Builder builder = base.newBuilder();
        // A trailing slash leaves an empty last segment; drop it so "e" follows the real prefix.
        List<String> segments = base.pathSegments();
        if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            builder.removePathSegment(segments.size() - 1);
        }
        return builder.addPathSegment("e").addPathSegment(settings.environmentId()).build();
    }

    /** The environment's alias, as messages name it. */
    public String environment() {
        return environment;
    }

    /** The Environment API v2 base URL, {@code .../e/{id}/api/v2/}. */
    public HttpUrl apiV2() {
        return environmentUrl.newBuilder().addPathSegment("api").addPathSegment("v2").addPathSegment("").build();
    }

    public ObjectMapper json() {
        return json;
    }

    /** A GET of {@code /api/v2/<segments>}; each segment is encoded, so an id cannot add path levels. */
    public ApiRequest get(String... segments) {
        return new ApiRequest("GET", url("v2", segments), null);
    }

    /** A GET of {@code /api/v1/<segments>}, for the cluster version. */
    public ApiRequest getV1(String... segments) {
        return new ApiRequest("GET", url("v1", segments), null);
    }

    /** A POST of a JSON body to {@code /api/v2/<segments>}. */
    public ApiRequest post(JsonNode body, String... segments) {
        return new ApiRequest("POST", url("v2", segments), requireNonNull(body, "body is null"));
    }

    private HttpUrl.Builder url(String version, String... segments) {
        HttpUrl.Builder builder = environmentUrl.newBuilder().addPathSegment("api").addPathSegment(version);
        for (String segment : segments) {
            if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("an id must not be empty, '.' or '..'");
            }
            builder.addPathSegment(segment);
        }
        return builder;
    }

    /** One request being prepared. */
    public final class ApiRequest {
        private final String method;
        private final HttpUrl.Builder url;
        private final JsonNode body;
        private String subject;

        private ApiRequest(String method, HttpUrl.Builder url, JsonNode body) {
            this.method = method;
            this.url = url;
            this.body = body;
        }

        /** Adds a query parameter; {@code null} values are left out. */
        public ApiRequest query(String name, Object value) {
            if (value != null) {
                url.addQueryParameter(name, value.toString());
            }
            return this;
        }

        /** What a 404 means, such as {@code Problem P-1234}: the message then reads "Problem P-1234 not found in environment prod". */
        public ApiRequest notFound(String what) {
            this.subject = what;
            return this;
        }

        /** The URL as it will be sent; for tests and logs (it carries no secret). */
        public HttpUrl url() {
            return url.build();
        }

        /** Sends the request and returns the parsed JSON body (an empty object for an empty body). */
        public JsonNode execute() throws DynatraceApiException {
            Request.Builder request = new Request.Builder().url(url.build()).header("Accept", "application/json");
            if (body != null) {
                try {
                    request.method(method, RequestBody.create(json.writeValueAsBytes(body), JSON));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("request body is not serialisable", e);
                }
            } else {
                request.method(method, null);
            }
            Call call = http.get().newCall(request.build());
            CallCancellation.register(call);
            try (Response response = call.execute()) {
                return read(response, subject);
            } catch (DynatraceApiException e) {
                throw e;
            } catch (IOException e) {
                throw failure(e);
            }
        }
    }

    private DynatraceApiException failure(IOException e) {
        if (CallCancellation.cancelled() || Thread.currentThread().isInterrupted()) {
            return new DynatraceApiException(Kind.TIMEOUT, 0, "The call to Dynatrace environment " + environment
                    + " was cancelled.", null);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            // OkHttp reports its call timeout as an InterruptedIOException, and cancels the call.
            return timedOut();
        }
        if (e instanceof UnknownHostException) {
            return new DynatraceApiException(Kind.UNREACHABLE, 0, "Cannot reach Dynatrace environment "
                    + environment + ": its host name does not resolve; check the url setting.", null);
        }
        if (e instanceof ConnectException) {
            return new DynatraceApiException(Kind.UNREACHABLE, 0, "Cannot reach Dynatrace environment "
                    + environment + ": the connection was refused; check the url and proxy settings.", null);
        }
        if (e instanceof SSLException) {
            return new DynatraceApiException(Kind.UNREACHABLE, 0, "Cannot reach Dynatrace environment "
                    + environment + ": the TLS handshake failed (" + detail(e.getMessage())
                    + "); check ca_file when the cluster uses a private CA.", null);
        }
        return new DynatraceApiException(Kind.UNREACHABLE, 0, "The call to Dynatrace environment " + environment
                + " failed: " + detail(e.getMessage()) + ".", null);
    }

    private DynatraceApiException timedOut() {
        return new DynatraceApiException(Kind.TIMEOUT, 0, "Dynatrace environment " + environment
                + " did not answer within " + timeout.toSeconds()
                + " s (timeout); narrow the time range or the selector, or try again later.", null);
    }

    private JsonNode read(Response response, String subject) throws IOException, DynatraceApiException {
        ResponseBody responseBody = response.body();
        byte[] bytes = responseBody == null ? new byte[0] : responseBody.bytes();
        String contentType = response.header("Content-Type", "");
        int status = response.code();
        boolean html = looksLikeHtml(contentType, bytes);
        if (response.isSuccessful()) {
            if (html) {
                throw htmlPage(status);
            }
            if (bytes.length == 0) {
                return json.createObjectNode();
            }
            try {
                return json.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw new DynatraceApiException(Kind.MALFORMED_RESPONSE, status, "Dynatrace environment "
                        + environment + " answered HTTP " + status
                        + " with a body that is not valid JSON; a proxy may be rewriting responses.", null);
            }
        }
        if (html) {
            throw htmlPage(status);
        }
        JsonNode error = parseEnvelope(bytes);
        String message = error == null ? "" : detail(error.path("message").asText(""));
        switch (status) {
            case 400 -> throw new DynatraceApiException(Kind.BAD_REQUEST, status, "Dynatrace environment "
                    + environment + " rejected the request (400): " + violations(error, message) + ".", null);
            case 401 -> throw new DynatraceApiException(Kind.UNAUTHORIZED, status, "Dynatrace environment "
                    + environment + " rejected the API token (401"
                    + (message.isEmpty() ? "" : ": " + message)
                    + "); it is missing, invalid, expired or revoked. Check the api_token setting.", null);
            case 403 -> throw new DynatraceApiException(Kind.FORBIDDEN, status, "Dynatrace environment "
                    + environment + " refused access (403" + (message.isEmpty() ? "" : ": " + message) + ")",
                    null);
            case 404 -> throw new DynatraceApiException(Kind.NOT_FOUND, status,
                    (subject == null ? "The requested object" : subject) + " not found in environment "
                            + environment + (subject == null && !message.isEmpty() ? " (" + message + ")" : "")
                            + ".", null);
            case 429 -> {
                Long retryAfter = retryAfterSeconds(response.header("Retry-After"));
                throw new DynatraceApiException(Kind.RATE_LIMITED, status, "Dynatrace environment " + environment
                        + " is rate limiting requests (429); "
                        + (retryAfter == null ? "wait a little and retry." : "retry after " + retryAfter + " s."),
                        retryAfter);
            }
            default -> {
                if (status >= 500) {
                    throw new DynatraceApiException(Kind.SERVER_ERROR, status, "Dynatrace environment "
                            + environment + " failed with HTTP " + status
                            + (message.isEmpty() ? "" : " (" + message + ")") + "; try again later.", null);
                }
                throw new DynatraceApiException(Kind.UNEXPECTED_STATUS, status, "Dynatrace environment "
                        + environment + " answered HTTP " + status + (message.isEmpty() ? "" : ": " + message)
                        + ".", null);
            }
        }
    }

    private DynatraceApiException htmlPage(int status) {
        return new DynatraceApiException(Kind.HTML_RESPONSE, status, "Dynatrace environment " + environment
                + " answered HTTP " + status + " with an HTML page instead of API JSON: a proxy, load balancer"
                + " or login page answered. Check the url (it must point at the cluster, without /e/...) and the"
                + " proxy settings.", null);
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

    private JsonNode parseEnvelope(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode root = json.readTree(bytes);
            if (root != null && root.path("error").isObject()) {
                return root.path("error");
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** "metricSelector: must not be empty; from: invalid" or the plain message when there are no violations. */
    private String violations(JsonNode error, String message) {
        List<String> parts = new ArrayList<>();
        if (error != null) {
            for (JsonNode violation : error.path("constraintViolations")) {
                String path = violation.path("path").asText("");
                String text = violation.path("message").asText("");
                String location = violation.path("parameterLocation").asText("");
                String where = path.isEmpty() ? "" : path + (location.isEmpty() ? "" : " (" + location.toLowerCase(
                        Locale.ROOT) + ")") + ": ";
                parts.add(detail(where + text));
            }
        }
        if (parts.isEmpty()) {
            return message.isEmpty() ? "the request is invalid" : message;
        }
        return String.join("; ", parts);
    }

    /** Backend text made safe: redacted, one line, bounded. */
    private String detail(String text) {
        if (text == null || text.isBlank()) {
            return "no detail";
        }
        String clean = redactor.redact(text).replaceAll("[\\p{Cntrl}]+", " ").trim();
        return clean.length() > MAX_DETAIL_CHARS ? clean.substring(0, MAX_DETAIL_CHARS) + "..." : clean;
    }

    static Long retryAfterSeconds(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : seconds;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(Instant.now(), when.toInstant()).toSeconds());
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
