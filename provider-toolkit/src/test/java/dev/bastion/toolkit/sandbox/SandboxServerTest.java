package dev.bastion.toolkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SandboxServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient HTTP = new OkHttpClient();
    private static final String TOKEN = "tk_" + SandboxCredentials.random(SandboxCredentials.ALPHANUMERIC, 32);

    /** A backend whose errors look like {"fault":{"status":N,"text":"...","field":"..."}}. */
    private static final ErrorShape SHAPE = error -> {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode fault = root.putObject("fault");
        fault.put("status", error.status());
        fault.put("text", error.getMessage());
        error.parameter().ifPresent(p -> fault.put("field", p));
        error.location().ifPresent(l -> fault.put("in", l.name()));
        return SandboxResponse.json(error.status(), root);
    };

    private static final SandboxAuth AUTH = SandboxAuth.header("Authorization", "Token", TOKEN,
            refusal -> SandboxResponse.json(401, JSON.createObjectNode().put("refused", refusal.name()))
                    .withHeader("WWW-Authenticate", "Token realm=\"test\""));

    private final List<SandboxServer> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(SandboxServer::close);
    }

    private SandboxServer start(SandboxServer.Builder builder) {
        SandboxServer server = builder.start();
        started.add(server);
        return server;
    }

    private static SandboxServer.Builder items() {
        return SandboxServer.builder("Test Backend", SHAPE).auth(AUTH).secret(TOKEN)
                .route("GET", "/api/items", request -> SandboxResponse.json(JSON.createObjectNode()
                        .put("query", request.queryParameter("q").orElse(""))))
                .route("GET", "/api/items/{itemId}", request -> SandboxResponse.json(JSON.createObjectNode()
                        .put("id", request.pathParameter("itemId"))))
                .route("GET", "/api/items/special", request -> SandboxResponse.json(JSON.createObjectNode()
                        .put("special", true)))
                .route("POST", "/api/items", request -> SandboxResponse.json(201, JSON.createObjectNode()
                        .set("created", request.json())))
                .route("GET", "/api/broken", request -> {
                    throw new IndexOutOfBoundsException("Index -5 out of bounds for length 60");
                })
                .route("GET", "/api/refuse", request -> {
                    throw SandboxError.badParameter(SandboxError.Location.QUERY, "size", "must be at most 10");
                })
                .openRoute("GET", "/health", request -> SandboxResponse.text(200, "ok\n"));
    }

    private static Response get(SandboxServer server, String pathAndQuery, String authorization) throws Exception {
        Request.Builder request = new Request.Builder().url(server.url() + pathAndQuery);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.newCall(request.build()).execute();
    }

    private static JsonNode body(Response response) throws Exception {
        return JSON.readTree(response.body().string());
    }

    @Test
    void bindsLoopbackOnAFreePortPerServer() {
        SandboxServer one = start(items());
        SandboxServer two = start(items());
        assertThat(one.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(one.url().getPort()).isPositive().isNotEqualTo(two.url().getPort());
    }

    @Test
    void refusesAMissingAndAWrongCredentialWithTheBackendsOwnAnswer() throws Exception {
        SandboxServer server = start(items());
        try (Response missing = get(server, "/api/items", null)) {
            assertThat(missing.code()).isEqualTo(401);
            assertThat(missing.header("WWW-Authenticate")).isEqualTo("Token realm=\"test\"");
            assertThat(body(missing).path("refused").asText()).isEqualTo("MISSING");
        }
        try (Response wrong = get(server, "/api/items", "Token " + TOKEN + "x")) {
            assertThat(wrong.code()).isEqualTo(401);
            assertThat(body(wrong).path("refused").asText()).isEqualTo("WRONG");
        }
        try (Response otherScheme = get(server, "/api/items", "Bearer " + TOKEN)) {
            assertThat(otherScheme.code()).isEqualTo(401);
        }
        try (Response unknownPath = get(server, "/api/nothing-here", null)) {
            assertThat(unknownPath.code()).as("an anonymous caller learns nothing about paths").isEqualTo(401);
        }
        try (Response ok = get(server, "/api/items?q=a%20b", "Token " + TOKEN)) {
            assertThat(ok.code()).isEqualTo(200);
            assertThat(body(ok).path("query").asText()).isEqualTo("a b");
        }
    }

    @Test
    void routesByMethodAndPathWithDecodedParametersAndLiteralsFirst() throws Exception {
        SandboxServer server = start(items());
        try (Response item = get(server, "/api/items/caf%C3%A9+1", "Token " + TOKEN)) {
            assertThat(body(item).path("id").asText()).isEqualTo("café+1");
        }
        try (Response special = get(server, "/api/items/special", "Token " + TOKEN)) {
            assertThat(body(special).path("special").asBoolean()).isTrue();
        }
        Request post = new Request.Builder().url(server.url() + "/api/items").header("Authorization", "Token " + TOKEN)
                .post(RequestBody.create("{\"name\":\"x\"}", MediaType.get("application/json"))).build();
        try (Response created = HTTP.newCall(post).execute()) {
            assertThat(created.code()).isEqualTo(201);
            assertThat(body(created).path("created").path("name").asText()).isEqualTo("x");
        }
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllowInTheBackendsShape() throws Exception {
        SandboxServer server = start(items());
        try (Response missing = get(server, "/api/items/1/parts", "Token " + TOKEN)) {
            assertThat(missing.code()).isEqualTo(404);
            assertThat(body(missing).path("fault").path("status").asInt()).isEqualTo(404);
        }
        Request delete = new Request.Builder().url(server.url() + "/api/items").header("Authorization", "Token " + TOKEN)
                .delete().build();
        try (Response wrongMethod = HTTP.newCall(delete).execute()) {
            assertThat(wrongMethod.code()).isEqualTo(405);
            assertThat(wrongMethod.header("Allow")).isEqualTo("GET, POST");
            assertThat(body(wrongMethod).path("fault").path("text").asText()).isEqualTo("Method DELETE not allowed");
        }
    }

    @Test
    void aBodyAboveTheCapIs413() throws Exception {
        SandboxServer server = start(items().maxRequestBytes(1024));
        Request post = new Request.Builder().url(server.url() + "/api/items").header("Authorization", "Token " + TOKEN)
                .post(RequestBody.create("{\"a\":\"" + "x".repeat(2000) + "\"}", MediaType.get("application/json")))
                .build();
        try (Response response = HTTP.newCall(post).execute()) {
            assertThat(response.code()).isEqualTo(413);
            assertThat(body(response).path("fault").path("text").asText())
                    .isEqualTo("Payload too large: the limit is 1 KB");
        }
    }

    @Test
    void malformedJsonAndPercentEncodingAre400AboutTheRightParameter() throws Exception {
        SandboxServer server = start(items());
        Request post = new Request.Builder().url(server.url() + "/api/items").header("Authorization", "Token " + TOKEN)
                .post(RequestBody.create("{not json", MediaType.get("application/json"))).build();
        try (Response response = HTTP.newCall(post).execute()) {
            assertThat(response.code()).isEqualTo(400);
            JsonNode fault = body(response).path("fault");
            assertThat(fault.path("field").asText()).isEqualTo("body");
            assertThat(fault.path("in").asText()).isEqualTo("BODY");
        }
        // The JDK server refuses a malformed percent-encoding itself, before any route: a 400, never a 500.
        for (String malformed : List.of("/api/items?q=%zz", "/api/items/%E0%A4%A")) {
            try (Response response = get(server, malformed, "Token " + TOKEN)) {
                assertThat(response.code()).as(malformed).isEqualTo(400);
            }
        }
    }

    @Test
    void aHandlerRefusalIsRenderedInTheBackendsShape() throws Exception {
        SandboxServer server = start(items());
        try (Response response = get(server, "/api/refuse", "Token " + TOKEN)) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(body(response)).isEqualTo(JSON.readTree(
                    "{\"fault\":{\"status\":400,\"text\":\"must be at most 10\",\"field\":\"size\",\"in\":\"QUERY\"}}"));
        }
    }

    @Test
    void aFailingHandlerIs500InTheBackendsShapeWithoutItsStackTraceAndIsLoggedOnce() throws Exception {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(SandboxServer.class);
        appender.start();
        logger.addAppender(appender);
        try {
            SandboxServer server = start(items());
            try (Response response = get(server, "/api/broken?key=" + TOKEN, "Token " + TOKEN)) {
                assertThat(response.code()).isEqualTo(500);
                String text = response.body().string();
                assertThat(JSON.readTree(text)).isEqualTo(JSON.readTree(
                        "{\"fault\":{\"status\":500,\"text\":\"Internal sandbox error\"}}"));
                assertThat(text).doesNotContain("IndexOutOfBounds").doesNotContain("Index -5").doesNotContain("at dev.");
            }
            try (Response after = get(server, "/api/items", "Token " + TOKEN)) {
                assertThat(after.code()).as("the server keeps serving").isEqualTo(200);
            }
            List<ILoggingEvent> errors = appender.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).getFormattedMessage()).contains("GET /api/broken").doesNotContain(TOKEN);
            assertThat(errors.get(0).getThrowableProxy().getClassName()).endsWith("IndexOutOfBoundsException");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void openRoutesNeedNoCredential() throws Exception {
        SandboxServer server = start(items());
        try (Response response = get(server, "/health", null)) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("ok\n");
        }
    }

    @Test
    void theRequestLogRecordsEachRequestWithItsCredentialMasked() throws Exception {
        SandboxServer server = start(items().credentialHeader("X-Backend-Tokens"));
        Request request = new Request.Builder().url(server.url() + "/api/items?q=" + TOKEN + "&size=2")
                .header("Authorization", "Token " + TOKEN).header("X-Backend-Tokens", "prod=abcdefgh")
                .header("X-Trace", "t-" + TOKEN).build();
        try (Response response = HTTP.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        try (Response response = get(server, "/api/items", "Tokenless-secret-value")) {
            assertThat(response.code()).isEqualTo(401);
        }
        List<LoggedRequest> log = server.requests();
        assertThat(log).hasSize(2);
        LoggedRequest first = log.get(0);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.rawPath()).isEqualTo("/api/items");
        assertThat(first.rawQuery()).isEqualTo("q=****&size=2");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("authorization")).contains("Token ****");
        assertThat(first.header("X-Backend-Tokens")).contains("****");
        assertThat(first.header("x-trace")).contains("t-****");
        assertThat(log.get(1).header("Authorization")).contains("****");
        assertThat(log.get(1).status()).isEqualTo(401);
        assertThat(log.toString()).doesNotContain(TOKEN).doesNotContain("abcdefgh").doesNotContain("secret-value");
    }

    @Test
    void theRequestLogKeepsOnlyTheLatestEntries() throws Exception {
        SandboxServer server = start(items().requestLogLimit(3));
        for (int i = 0; i < 5; i++) {
            try (Response response = get(server, "/api/items?q=" + i, "Token " + TOKEN)) {
                assertThat(response.code()).isEqualTo(200);
            }
        }
        assertThat(server.requests()).extracting(LoggedRequest::rawQuery).containsExactly("q=2", "q=3", "q=4");
    }

    @Test
    void holdReleasesRequestsOnlyWhenEnoughAreInFlightTogether() throws Exception {
        SandboxServer server = start(items().holdUntilInFlight(3, Duration.ofSeconds(10)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                codes.add(pool.submit(() -> {
                    try (Response response = get(server, "/api/items", "Token " + TOKEN)) {
                        return response.code();
                    }
                }));
            }
            for (Future<Integer> code : codes) {
                assertThat(code.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHeldRequestThatWaitsAloneIs503InTheBackendsShape() throws Exception {
        SandboxServer server = start(items().holdUntilInFlight(2, Duration.ofMillis(200)));
        try (Response alone = get(server, "/api/items", "Token " + TOKEN)) {
            assertThat(alone.code()).isEqualTo(503);
            assertThat(body(alone).path("fault").path("text").asText()).contains("fewer requests than expected");
        }
    }

    @Test
    void aServerWithoutACredentialCheckDoesNotStart() {
        assertThatThrownBy(() -> SandboxServer.builder("Lax", SHAPE).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SandboxAuth.none()");
    }

    @Test
    void ambiguousOrMalformedRoutesAreRefusedWhenDeclared() {
        SandboxServer.Builder builder = SandboxServer.builder("Routes", SHAPE).auth(SandboxAuth.none())
                .route("GET", "/a/{id}", request -> SandboxResponse.text(200, ""));
        assertThatThrownBy(() -> builder.route("GET", "/a/{other}", request -> SandboxResponse.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two routes for GET /a/{other}");
        assertThatThrownBy(() -> builder.route("GET", "/b/{x}/{x}", request -> SandboxResponse.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeated parameter");
        assertThatThrownBy(() -> builder.route("get", "/c", request -> SandboxResponse.text(200, "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an HTTP method");
    }

    @Test
    void generatedCredentialsHaveTheRequestedShapeAndDiffer() {
        String one = "dt0c01." + SandboxCredentials.random(SandboxCredentials.BASE32, 24);
        String two = "dt0c01." + SandboxCredentials.random(SandboxCredentials.BASE32, 24);
        assertThat(one).matches("^dt0c01\\.[A-Z2-7]{24}$").isNotEqualTo(two);
        assertThat(SandboxCredentials.random(SandboxCredentials.HEX, 48)).matches("^[0-9a-f]{48}$");
    }
}
