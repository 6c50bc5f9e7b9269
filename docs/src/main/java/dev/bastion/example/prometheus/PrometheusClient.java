package dev.bastion.example.prometheus;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.outbound.BackendErrors;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Step 2 of the guide: the backend client. It uses only the hardened OkHttp client it was given,
 * builds every URL with {@link HttpUrl.Builder} (arguments are encoded as query parameters, never
 * concatenated), and turns every failure into a short {@link PrometheusException}.
 */
final class PrometheusClient {

    private final OkHttpClient http;
    private final HttpUrl base;
    private final ObjectMapper json;
    private final Redactor redactor;

    PrometheusClient(OkHttpClient http, URI baseUrl, ObjectMapper json, Redactor redactor) {
        this.http = requireNonNull(http, "http is null");
        this.base = requireNonNull(HttpUrl.get(baseUrl), "baseUrl is null");
        this.json = requireNonNull(json, "json is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
    }

    /** {@code GET /api/v1/query}: the {@code data} object of an instant query. */
    JsonNode query(String promql, Optional<String> time) throws PrometheusException {
        HttpUrl.Builder url = base.newBuilder().addPathSegments("api/v1/query").addQueryParameter("query", promql);
        time.ifPresent(t -> url.addQueryParameter("time", t));
        return get(url.build());
    }

    /** {@code GET /api/v1/alerts}: the {@code data} object with the active alerts. */
    JsonNode alerts() throws PrometheusException {
        return get(base.newBuilder().addPathSegments("api/v1/alerts").build());
    }

    /** {@code GET /-/healthy}: whether the server answers. */
    boolean healthy() throws PrometheusException {
        Request request = new Request.Builder().url(base.newBuilder().addPathSegments("-/healthy").build()).get().build();
        try (Response response = http.newCall(request).execute()) {
            return response.isSuccessful();
        } catch (IOException e) {
            throw new PrometheusException(BackendErrors.describe(e, "Prometheus"));
        }
    }

    private JsonNode get(HttpUrl url) throws PrometheusException {
        Request request = new Request.Builder().url(url).get().header("Accept", "application/json").build();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            String text = body == null ? "" : body.string();
            JsonNode parsed = parse(text);
            if (!response.isSuccessful()) {
                if (parsed != null && parsed.hasNonNull("error")) {
                    throw new PrometheusException("Prometheus rejected the request (" + response.code() + " "
                            + parsed.path("errorType").asText("error") + "): "
                            + redactor.redact(parsed.get("error").asText()));
                }
                if (response.code() == 401 || response.code() == 403) {
                    throw new PrometheusException("Prometheus refused the credentials (" + response.code()
                            + "); check bearer_token");
                }
                throw new PrometheusException(BackendErrors.summarize("Prometheus", response, text, redactor));
            }
            if (parsed == null || !"success".equals(parsed.path("status").asText())) {
                throw new PrometheusException("Prometheus answered with something that is not its API's JSON; "
                        + "check that url points at the Prometheus server");
            }
            return parsed.path("data");
        } catch (IOException e) {
            throw new PrometheusException(BackendErrors.describe(e, "Prometheus"));
        }
    }

    private JsonNode parse(String text) {
        try {
            return text.isBlank() ? null : json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
