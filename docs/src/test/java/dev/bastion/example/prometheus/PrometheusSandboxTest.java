package dev.bastion.example.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox answers as Prometheus (behind an authenticating proxy) does, on the toolkit's server. */
class PrometheusSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient HTTP = new OkHttpClient();
    private static PrometheusSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = PrometheusSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Response get(String path, String query, String token) throws Exception {
        HttpUrl.Builder url = HttpUrl.get(sandbox.baseUrl() + path).newBuilder();
        if (query != null) {
            url.addQueryParameter("query", query);
        }
        Request.Builder request = new Request.Builder().url(url.build());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.newCall(request.build()).execute();
    }

    @Test
    void theTokenIsFreshAndShapedLikeTheGuideSays() {
        assertThat(sandbox.token()).matches("^sandbox-[0-9a-f]{48}$");
        assertThat(sandbox.baseUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void theHealthPageNeedsNoToken() throws Exception {
        try (Response response = get("/-/healthy", null, null)) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("Prometheus Server is Healthy.\n");
        }
    }

    @Test
    void aMissingOrWrongTokenGetsTheProxysPlain401() throws Exception {
        for (String token : new String[] {null, sandbox.token() + "0"}) {
            try (Response response = get("/api/v1/alerts", null, token)) {
                assertThat(response.code()).isEqualTo(401);
                assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
                assertThat(response.body().string()).isEqualTo("Unauthorized\n");
            }
        }
    }

    @Test
    void aQueryIsEvaluatedAndAnswersInTheApiEnvelope() throws Exception {
        try (Response response = get("/api/v1/query", "up{job=\"api\"} == 1", sandbox.token())) {
            assertThat(response.code()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body().string());
            assertThat(body.path("status").asText()).isEqualTo("success");
            assertThat(body.path("data").path("result")).hasSize(2)
                    .allSatisfy(sample -> assertThat(sample.path("metric").path("job").asText()).isEqualTo("api"));
        }
    }

    @Test
    void promqlTheSandboxCannotEvaluateIsPrometheussOwnBadData() throws Exception {
        try (Response response = get("/api/v1/query", "", sandbox.token())) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(JSON.readTree(response.body().string())).isEqualTo(JSON.readTree("{\"status\":\"error\","
                    + "\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": 1:1: parse error: "
                    + "no expression found in input\"}"));
        }
        try (Response response = get("/api/v1/query", "rate(up[5m])", sandbox.token())) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(JSON.readTree(response.body().string()).path("error").asText())
                    .startsWith("invalid parameter \"query\": the sandbox evaluates only");
        }
    }

    @Test
    void unknownPathsAndMethodsAreAnsweredInPlainTextLikePrometheussRouter() throws Exception {
        try (Response response = get("/api/v1/targets", null, sandbox.token())) {
            assertThat(response.code()).isEqualTo(404);
            assertThat(response.body().string()).isEqualTo("404 page not found\n");
        }
        Request post = new Request.Builder().url(sandbox.baseUrl() + "/api/v1/query")
                .header("Authorization", "Bearer " + sandbox.token())
                .post(RequestBody.create("query=up", MediaType.get("application/x-www-form-urlencoded"))).build();
        try (Response response = HTTP.newCall(post).execute()) {
            assertThat(response.code()).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("GET");
            assertThat(response.body().string()).isEqualTo("Method Not Allowed\n");
        }
    }

    @Test
    void theRequestLogNeverHoldsTheToken() throws Exception {
        try (Response response = get("/api/v1/alerts", null, sandbox.token())) {
            assertThat(response.code()).isEqualTo(200);
        }
        LoggedRequest last = sandbox.requests().get(sandbox.requests().size() - 1);
        assertThat(last.rawPath()).isEqualTo("/api/v1/alerts");
        assertThat(last.header("Authorization")).contains("Bearer " + LoggedRequest.MASK);
        assertThat(sandbox.requests().stream().map(LoggedRequest::headers).toList().toString())
                .doesNotContain(sandbox.token());
    }
}
