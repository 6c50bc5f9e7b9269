package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.ErrorDetail;
import dev.bastion.toolkit.http.JsonBackend;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * One environment's Environment API, {@code {url}/e/{environment_id}/api/v2/}, on the toolkit's
 * JSON backend: what is Dynatrace about it is the URL layout and the error envelope
 * ({@code {"error":{"message":..,"constraintViolations":[..]}}}), and whose token a call uses
 * ({@link CallerTokens}).
 */
public final class DynatraceManagedClient {

    private final JsonBackend backend;
    private final String environment;
    private final CallerTokens callerTokens;

    /** @param http the outbound client, built on first use (see {@code OutboundHttp#lazyClient}) */
    public DynatraceManagedClient(Supplier<OkHttpClient> http, ObjectMapper json, Redactor redactor, ManagedSettings settings) {
        this(http, json, redactor, settings, Clock.systemUTC());
    }

    /** @param clock when cached verdicts on callers' tokens expire */
    DynatraceManagedClient(Supplier<OkHttpClient> http, ObjectMapper json, Redactor redactor, ManagedSettings settings,
                           Clock clock) {
        requireNonNull(settings, "settings is null");
        this.environment = settings.alias();
        this.callerTokens = new CallerTokens(environment, redactor, clock);
        this.backend = JsonBackend.builder("Dynatrace environment " + environment, environmentUrl(settings), http, json,
                        redactor)
                .credential("API token", ManagedSettings.API_TOKEN)
                // A caller's own token (X-Dynatrace-Tokens) replaces api_token on every request of its calls.
                .callCredentials(context -> callerTokens.forCall(context, this))
                .notFoundIn("environment " + environment)
                .errors(DynatraceManagedClient::errorDetail)
                .timeout(settings.backend().timeout(), "narrow the time range or the selector, or try again later.")
                .htmlHint("Check the url (it must point at the cluster, without /e/...) and the proxy settings.")
                .build();
    }

    /** {@code {url}/e/{environment_id}/}, with whatever path prefix the cluster URL has. */
    static HttpUrl environmentUrl(ManagedSettings settings) {
        HttpUrl base = HttpUrl.get(settings.backend().url());
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
        return backend.base().newBuilder().addPathSegment("api").addPathSegment("v2").addPathSegment("").build();
    }

    public ObjectMapper json() {
        return backend.json();
    }

    /** A GET of {@code /api/v2/<segments>}; each segment is encoded, so an id cannot add path levels. */
    public BackendRequest get(String... segments) {
        return backend.get(path("v2", segments));
    }

    /** A GET of {@code /api/v1/<segments>}, for the cluster version. */
    public BackendRequest getV1(String... segments) {
        return backend.get(path("v1", segments));
    }

    /** A POST of a JSON body to {@code /api/v2/<segments>}. */
    public BackendRequest post(JsonNode body, String... segments) {
        return backend.post(body, path("v2", segments));
    }

    private static String[] path(String version, String... segments) {
        String[] all = new String[segments.length + 2];
        all[0] = "api";
        all[1] = version;
        System.arraycopy(segments, 0, all, 2, segments.length);
        return all;
    }

    /** {@code metricSelector (query): must not be empty} for each constraint violation. */
    static ErrorDetail errorDetail(JsonNode body) {
        JsonNode error = body.path("error");
        if (!error.isObject()) {
            return ErrorDetail.GENERIC.read(body);
        }
        return new ErrorDetail(error.path("message").asText(""), ErrorDetail.lines(error.path("constraintViolations"),
                violation -> {
                    String path = violation.path("path").asText("");
                    String location = violation.path("parameterLocation").asText("");
                    String where = path.isEmpty() ? "" : path + (location.isEmpty() ? "" : " ("
                            + location.toLowerCase(Locale.ROOT) + ")") + ": ";
                    return where + violation.path("message").asText("");
                }));
    }
}
