package dev.bastion.provider.dynatrace.platform;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.CallContext;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.ErrorDetail;
import dev.bastion.toolkit.http.JsonBackend;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** The platform APIs of one environment on the toolkit's JSON backend, with Dynatrace's error shape. */
final class PlatformClient {

    private final JsonBackend backend;
    private final String alias;
    private final GrailBudget budget;

    PlatformClient(Supplier<OkHttpClient> http, ObjectMapper json, Redactor redactor, HttpUrl base, String alias,
                   Duration timeout, boolean oauth, GrailBudget budget) {
        this.alias = requireNonNull(alias, "alias is null");
        this.budget = requireNonNull(budget, "budget is null");
        String label = "Dynatrace environment " + alias;
        this.backend = JsonBackend.builder(label, base, http, json, redactor)
                .credential(oauth ? "OAuth client" : "platform token", oauth
                        ? "oauth_client_id and oauth_client_secret" : "platform_token")
                .notFoundIn(label)
                .errors(PlatformClient::errorDetail)
                .timeout(timeout, "narrow the timeframe, add filters or a limit, or try again later.")
                .htmlHint("Check the url (https://<environment id>.apps.dynatrace.com) and the proxy settings.")
                .build();
    }

    /**
     * {@code {"error":{"code":400,"message":"UNKNOWN_COMMAND","details":{"errorMessage":"There's no command
     * `limt`.","syntaxErrorPosition":{"start":{"line":1,"column":14}}}}}} as
     * {@code There's no command `limt`. (line 1, column 14)}; else the error's message.
     */
    static ErrorDetail errorDetail(JsonNode body) {
        JsonNode error = body.path("error");
        if (!error.isObject()) {
            return ErrorDetail.GENERIC.read(body);
        }
        JsonNode details = error.path("details");
        String message = details.path("errorMessage").asText(error.path("message").asText(""));
        JsonNode start = details.path("syntaxErrorPosition").path("start");
        if (start.path("line").isNumber()) {
            message += " (line " + start.path("line").asInt() + ", column " + start.path("column").asInt() + ")";
        }
        List<String> violations = new java.util.ArrayList<>();
        for (JsonNode violation : details.path("constraintViolations")) {
            violations.add(violation.path("path").asText("?") + ": " + violation.path("message").asText());
        }
        return new ErrorDetail(message.isBlank() ? "HTTP error" : message, violations);
    }

    String alias() {
        return alias;
    }

    /** The environment URL, for people. */
    String baseUrl() {
        return backend.base().toString();
    }

    GrailBudget budget() {
        return budget;
    }

    ObjectMapper json() {
        return backend.json();
    }

    BackendRequest get(String... segments) {
        return backend.get(segments);
    }

    BackendRequest post(JsonNode body, String... segments) {
        return backend.post(body, segments);
    }

    BackendRequest postMultipart(okhttp3.MultipartBody body, String... segments) {
        return backend.postMultipart(body, segments);
    }

    JsonBackend.Reply exchange(BackendRequest request, CallContext context) {
        return request.exchange(context);
    }

    JsonNode send(BackendRequest request, CallContext context) {
        return request.send(context);
    }

    /** A failure of the platform that is not an HTTP status: a FAILED or CANCELLED query, a missing field. */
    static BackendFailure unexpected(String message) {
        return new BackendFailure(BackendFailure.Kind.MALFORMED_RESPONSE, 0, message, null, null);
    }
}
