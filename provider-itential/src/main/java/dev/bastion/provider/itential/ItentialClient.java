package dev.bastion.provider.itential;

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
import java.util.Locale;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** The REST API of one Itential Platform on the toolkit's JSON backend, with Itential's error shapes. */
final class ItentialClient {

    private final JsonBackend backend;
    private final String alias;

    ItentialClient(Supplier<OkHttpClient> http, ObjectMapper json, Redactor redactor, HttpUrl base, String alias,
                   Duration timeout, boolean oauth) {
        this.alias = requireNonNull(alias, "alias is null");
        String label = "Itential Platform " + alias;
        this.backend = JsonBackend.builder(label, base, http, json, redactor)
                .credential(oauth ? "OAuth client" : "login", oauth ? "client_id and client_secret"
                        : "username and password")
                .notFoundIn(label)
                .errors(ItentialClient::errorDetail)
                .timeout(timeout, "ask for less (a narrower filter or a smaller limit), or try again later.")
                .htmlHint("Check the url (the platform's base URL) and the proxy settings.")
                .build();
    }

    /**
     * Operations Manager's {@code {"message":…,"data":null,"metadata":{}}}, the platform's
     * {@code {"error":…}} and {@code {"message":…}} shapes, as their message.
     */
    static ErrorDetail errorDetail(JsonNode body) {
        for (String field : List.of("message", "error", "msg")) {
            JsonNode value = body.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return new ErrorDetail(value.asText(), List.of());
            }
            if (value.isObject() && value.path("message").isTextual()) {
                return new ErrorDetail(value.path("message").asText(), List.of());
            }
        }
        return ErrorDetail.GENERIC.read(body);
    }

    String alias() {
        return alias;
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

    BackendRequest put(JsonNode body, String... segments) {
        return backend.put(body, segments);
    }

    /** Sends {@code request}; the platform's "500: … not found" for an unknown name is said as not found. */
    JsonNode send(BackendRequest request, CallContext context) {
        try {
            return request.send(context);
        } catch (BackendFailure e) {
            throw explain(e);
        }
    }

    static BackendFailure explain(BackendFailure e) {
        String message = e.getMessage().toLowerCase(Locale.ROOT);
        if (e.kind() == BackendFailure.Kind.SERVER_ERROR && (message.contains("not found")
                || message.contains("does not exist") || message.contains("no such"))) {
            return new BackendFailure(BackendFailure.Kind.NOT_FOUND, e.status(), e.getMessage().replace("; try again"
                    + " later.", ".") + " The platform answers an unknown name with HTTP " + e.status()
                    + ": check the name with the matching list tool.", null, e.errorBody().orElse(null));
        }
        return e;
    }
}
