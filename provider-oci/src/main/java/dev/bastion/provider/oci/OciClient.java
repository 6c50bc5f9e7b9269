package dev.bastion.provider.oci;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.CallContext;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.toolkit.http.BackendRequest;
import dev.bastion.toolkit.http.ErrorDetail;
import dev.bastion.toolkit.http.JsonBackend;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The Identity ({@code /20160918}) and Monitoring ({@code /20180401}) APIs of one instance, on the
 * toolkit's JSON backend. It sends only GETs and the two read-only action POSTs
 * ({@code metrics/actions/listMetrics}, {@code metrics/actions/summarizeMetricsData}); there is no
 * method here that could send anything else.
 */
final class OciClient {

    /** The body type JsonBackend sends; set as a header too, so the signer signs the value that goes out. */
    static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

    private final JsonBackend identity;
    private final JsonBackend monitoring;
    private final Tenancy tenancy;
    private final String defaultCompartment;
    private final String alias;
    private final CredentialCheck credentialCheck;

    /** The tenancy OCID; an instance principal learns it from its certificate on the first request. */
    @FunctionalInterface
    interface Tenancy {
        String id() throws java.io.IOException;
    }

    /**
     * Why the credentials cannot sign now (an expired session token), checked before each request:
     * the outbound client reports a failure inside the signer only as a network error, which would
     * hide the command that renews the session.
     */
    @FunctionalInterface
    interface CredentialCheck {
        /** The problem, or {@code null} when the credentials can sign. */
        String problem();

        CredentialCheck NONE = () -> null;
    }

    OciClient(Supplier<OkHttpClient> identityHttp, Supplier<OkHttpClient> monitoringHttp, ObjectMapper json,
              Redactor redactor, HttpUrl identityUrl, HttpUrl monitoringUrl, Tenancy tenancy, String defaultCompartment,
              String alias, java.time.Duration timeout, CredentialCheck credentialCheck) {
        this.credentialCheck = requireNonNull(credentialCheck, "credentialCheck is null");
        this.tenancy = requireNonNull(tenancy, "tenancy is null");
        this.defaultCompartment = defaultCompartment;
        this.alias = requireNonNull(alias, "alias is null");
        this.identity = backend("OCI Identity (profile " + alias + ")", identityUrl, identityHttp, json, redactor, timeout);
        this.monitoring = backend("OCI Monitoring (profile " + alias + ")", monitoringUrl, monitoringHttp, json, redactor,
                timeout);
    }

    private static JsonBackend backend(String label, HttpUrl url, Supplier<OkHttpClient> http, ObjectMapper json,
                                       Redactor redactor, java.time.Duration timeout) {
        return JsonBackend.builder(label, url, http, json, redactor)
                .credential("API key signature", "config_file and profile")
                .notFoundIn(label + ", or an IAM policy does not allow it")
                .errors(OciClient::errorDetail)
                .timeout(timeout, "narrow the time range or the compartment, or try again later.")
                .htmlHint("Check the endpoint settings and the proxy.")
                .requestIdHeader("opc-request-id")
                .build();
    }

    /** OCI's {@code {"code":"InvalidParameter","message":"..."}} as {@code InvalidParameter: ...}. */
    static ErrorDetail errorDetail(JsonNode body) {
        String code = body.path("code").asText("");
        String message = body.path("message").asText("");
        if (code.isEmpty() && message.isEmpty()) {
            return ErrorDetail.GENERIC.read(body);
        }
        return new ErrorDetail(code.isEmpty() ? message : code + ": " + message, java.util.List.of());
    }

    /** The tenancy; a failure to learn it is the call's failure, with the reason. */
    String tenancyId() {
        try {
            return tenancy.id();
        } catch (java.io.IOException e) {
            throw new BackendFailure(BackendFailure.Kind.UNAUTHORIZED, 0, e.getMessage() + ".", null, null);
        }
    }

    String defaultCompartment() {
        return defaultCompartment != null ? defaultCompartment : tenancyId();
    }

    String alias() {
        return alias;
    }

    ObjectMapper json() {
        return monitoring.json();
    }

    BackendRequest identityGet(String... segments) {
        return identity.get(path("20160918", segments));
    }

    BackendRequest monitoringGet(String... segments) {
        return monitoring.get(path("20180401", segments));
    }

    /** One of the two read-only Monitoring actions; a POST by the API's design, tagged idempotent. */
    BackendRequest monitoringAction(ReadAction action, JsonNode body) {
        return monitoring.post(body, "20180401", "metrics", "actions", action.path)
                .header("Content-Type", JSON_CONTENT_TYPE).idempotent();
    }

    /** The POSTs that only read. */
    enum ReadAction {
        LIST_METRICS("listMetrics"), SUMMARIZE_METRICS_DATA("summarizeMetricsData");

        final String path;

        ReadAction(String path) {
            this.path = path;
        }
    }

    private static String[] path(String version, String... segments) {
        String[] all = new String[segments.length + 1];
        all[0] = version;
        System.arraycopy(segments, 0, all, 1, segments.length);
        return all;
    }

    /** Sends {@code request}, turning OCI's refusals into messages that say what to check. */
    JsonBackend.Reply send(BackendRequest request, CallContext context, String policy) {
        String problem = credentialCheck.problem();
        if (problem != null) {
            throw new BackendFailure(BackendFailure.Kind.UNAUTHORIZED, 0, problem + ".", null, null);
        }
        try {
            return request.exchange(context);
        } catch (BackendFailure e) {
            throw explain(e, policy);
        }
    }

    static BackendFailure explain(BackendFailure e, String policy) {
        String text = e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (e.kind() == BackendFailure.Kind.UNAUTHORIZED && (text.contains("skew") || text.contains("clock")
                || text.contains("date header") || text.contains("x-date"))) {
            return e.withHint("OCI refused the request's date: this machine's clock is off by more than the 5 minutes"
                    + " OCI allows; correct it (NTP) and try again.");
        }
        return switch (e.kind()) {
            case UNAUTHORIZED -> e.withHint("OCI did not accept the request signature (NotAuthenticated): the key or"
                    + " fingerprint may not belong to the user, the public key may not be uploaded, or this machine's"
                    + " clock may be more than 5 minutes off (compare date -u with the real time). Check the profile"
                    + " in the config_file.");
            case NOT_FOUND, FORBIDDEN -> e.withHint("OCI answers NotAuthorizedOrNotFound both when the resource does"
                    + " not exist and when no IAM policy allows the call; this tool needs a policy such as: allow group"
                    + " <your group> to " + policy + ".");
            default -> e;
        };
    }
}
