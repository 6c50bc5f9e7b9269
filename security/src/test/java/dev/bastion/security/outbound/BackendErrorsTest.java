package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.security.outbound.PlantedSecrets.SecretRedactor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

class BackendErrorsTest {

    private final SecretRedactor redactor = new SecretRedactor();

    private static Response response(int code, String message, String contentType, String body) {
        return new Response.Builder()
                .request(new Request.Builder().url("https://dt.example.com/api").build())
                .protocol(Protocol.HTTP_1_1).code(code).message(message)
                .body(ResponseBody.create(body, contentType == null ? null : MediaType.get(contentType)))
                .build();
    }

    @Test
    void summarisesDynatraceStyleJsonError() {
        Response response = response(400, "Bad Request", "application/json",
                "{\"error\":{\"code\":400,\"message\":\"Constraints violated.\",\"constraintViolations\":[]}}");

        assertThat(BackendErrors.summarize("dt/prod", response, redactor))
                .isEqualTo("dt/prod answered 400 Bad Request: Constraints violated.");
    }

    @Test
    void recognisesCommonJsonMessageFields() {
        assertThat(BackendErrors.summarize("oci", response(404, "", "application/json",
                "{\"code\":\"NotAuthorizedOrNotFound\",\"message\":\"Authorization failed or not found.\"}"),
                redactor)).isEqualTo("oci answered 404 Not Found: Authorization failed or not found.");
        assertThat(BackendErrors.summarize("sso", response(401, "Unauthorized", "application/json",
                "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}"), redactor))
                .isEqualTo("sso answered 401 Unauthorized: Client authentication failed");
        assertThat(BackendErrors.summarize("platform", response(422, "", "application/problem+json",
                "{\"title\":\"Invalid\",\"detail\":\"field 'query' is required\"}"), redactor))
                .isEqualTo("platform answered 422 Unprocessable Content: field 'query' is required");
    }

    @Test
    void describesHtmlErrorPageInsteadOfDumpingIt() {
        Response response = response(502, "Bad Gateway", "text/html",
                "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1>"
                        + "<script>var x=1;</script></body></html>");

        assertThat(BackendErrors.summarize("dt/prod", response, redactor)).isEqualTo(
                "dt/prod answered 502 Bad Gateway: an HTML error page titled \"502 Bad Gateway\" (probably a proxy"
                        + " or load balancer)");
        assertThat(BackendErrors.summarize("dt/prod", response(503, "", null, "<html><body>down</body></html>"),
                "<html><body>down</body></html>", redactor)).isEqualTo(
                "dt/prod answered 503 Service Unavailable: an HTML error page (probably a proxy or load balancer)");
    }

    @Test
    void redactsAndTrimsTheBackendsMessage() {
        redactor.registerSecret(PlantedSecrets.TOKEN);
        String longMessage = "token " + PlantedSecrets.TOKEN + " rejected; " + "details ".repeat(100);

        String summary = BackendErrors.summarize("dt/prod", response(403, "Forbidden", "text/plain", longMessage),
                redactor);

        assertThat(summary).doesNotContain(PlantedSecrets.TOKEN).startsWith(
                "dt/prod answered 403 Forbidden: token [REDACTED] rejected; details");
        assertThat(summary.substring("dt/prod answered 403 Forbidden: ".length())).hasSize(300).endsWith("…");
    }

    @Test
    void namesRetryAfterForBusyAnswers() {
        Response response = response(429, "Too Many Requests", "application/json",
                "{\"error\":{\"message\":\"Rate limit exceeded\"}}").newBuilder().header("Retry-After", "42").build();

        assertThat(BackendErrors.summarize("dt/prod", response, redactor))
                .isEqualTo("dt/prod answered 429 Too Many Requests: Rate limit exceeded (retry after 42 s)");
    }

    @Test
    void summaryLeavesBodyUnreadForCaller() throws IOException {
        Response response = response(500, "Internal Server Error", "text/plain", "boom");

        BackendErrors.summarize("dt/prod", response, redactor);

        assertThat(response.body().string()).isEqualTo("boom");
    }

    @Test
    void describesNetworkFailuresWithoutClassNames() {
        assertThat(BackendErrors.describe(new SocketTimeoutException("timeout"), "dt/prod"))
                .isEqualTo("dt/prod did not answer in time (timeout); narrow the request or raise the timeout");
        assertThat(BackendErrors.describe(new SocketTimeoutException("Connect timed out"), "dt/prod"))
                .startsWith("Could not connect to dt/prod in time (connect timeout)");
        assertThat(BackendErrors.describe(new InterruptedIOException("timeout"), "dt/prod"))
                .startsWith("dt/prod did not answer in time");
        assertThat(BackendErrors.describe(new ConnectException("Connection refused"), "dt/prod"))
                .startsWith("Could not connect to dt/prod: the connection was refused");
        assertThat(BackendErrors.describe(new UnknownHostException("dt.example.com"), "dt/prod"))
                .isEqualTo("The host name of dt/prod could not be resolved; check the URL and the DNS and proxy"
                        + " settings");
        assertThat(BackendErrors.describe(new IOException("Canceled"), "dt/prod"))
                .isEqualTo("The call to dt/prod was cancelled");
        assertThat(BackendErrors.describe(new IOException("java.lang.IllegalStateException: at Foo.bar"), "dt/prod"))
                .isEqualTo("Could not reach dt/prod (network error); check the URL, the network and the proxy"
                        + " settings");
    }
}
