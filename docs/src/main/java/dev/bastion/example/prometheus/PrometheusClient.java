package dev.bastion.example.prometheus;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.http.ErrorDetail;
import dev.bastion.toolkit.http.JsonBackend;
import java.util.List;

/**
 * Step 2 of the guide: the backend client. Only what is Prometheus's own is here: its endpoints, its
 * {@code status}/{@code data} envelope and its error shape. Encoding, credentials, timeouts and the
 * mapping of every HTTP failure to a message are the toolkit's {@link JsonBackend}.
 */
final class PrometheusClient {

    /** Prometheus's error envelope: {@code {"status":"error","errorType":"bad_data","error":"..."}}. */
    static final ErrorDetail.Reader ERRORS = body -> body.path("error").isTextual()
            ? new ErrorDetail(body.path("errorType").asText("error") + ": " + body.path("error").asText(), List.of())
            : ErrorDetail.GENERIC.read(body);

    private final JsonBackend backend;

    PrometheusClient(JsonBackend backend) {
        this.backend = requireNonNull(backend, "backend is null");
    }

    /** {@code GET /api/v1/query}: the {@code data} object of an instant query at {@code time} (now when null). */
    JsonNode query(String promql, String time, CallContext context) {
        return data(backend.get("api", "v1", "query").query("query", promql).query("time", time).send(context));
    }

    /** {@code GET /api/v1/alerts}: the {@code data} object with the active alerts. */
    JsonNode alerts(CallContext context) {
        return data(backend.get("api", "v1", "alerts").send(context));
    }

    private JsonNode data(JsonNode envelope) {
        if (!"success".equals(envelope.path("status").asText())) {
            throw new BackendFailure(BackendFailure.Kind.MALFORMED_RESPONSE, 200, backend.label()
                    + " answered JSON that is not the Prometheus API's; check that url points at the Prometheus"
                    + " server.", null, null);
        }
        return envelope.path("data");
    }
}
