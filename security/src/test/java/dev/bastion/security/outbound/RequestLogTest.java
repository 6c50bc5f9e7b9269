package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.security.outbound.PlantedSecrets.RefreshableToken;
import dev.bastion.security.outbound.PlantedSecrets.SecretRedactor;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RequestLogTest {

    private static final String QUERY_SECRET = "qs-PLANTED-77aa99";

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.bastion.security.outbound");
    private MockWebServer server;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        server = new MockWebServer();
        server.start();
        client = new OutboundHttp(new SecretRedactor(), "1.2.3", Map.of()).client(BackendSpec.builder("dt/prod")
                .credentials(new RefreshableToken(PlantedSecrets.TOKEN, false)).allowInsecureLoopback(true).build());
    }

    @AfterEach
    void stop() throws IOException {
        logger.detachAppender(appender);
        logger.setLevel(null);
        server.shutdown();
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void logsMethodMaskedUrlStatusAndSizeWithoutSecrets() throws IOException {
        server.enqueue(new MockResponse().setBody("{\"totalCount\":0}").setHeader("Set-Cookie", "session=abc"));
        Request request = new Request.Builder()
                .url(server.url("/api/v2/problems?from=now-2h&Api-Token=" + QUERY_SECRET + "&access_token="
                        + PlantedSecrets.TOKEN))
                .header("Cookie", "jsessionid=cookie-PLANTED-secret")
                .header("X-Api-Key", "xkey-PLANTED-secret")
                .build();

        try (Response response = client.newCall(request).execute()) {
            response.body().string();
        }

        List<String> lines = lines();
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .startsWith("dt/prod: GET http://" + server.getHostName() + ":" + server.getPort()
                        + "/api/v2/problems?from=now-2h&Api-Token=[REDACTED]&access_token=[REDACTED] -> 200 in ")
                .endsWith(" ms, 16 bytes"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("headers {").contains("Authorization: [REDACTED]")
                .contains("User-Agent: bastion/1.2.3"));
        assertThat(String.join("\n", lines)).doesNotContain(QUERY_SECRET, PlantedSecrets.TOKEN,
                "cookie-PLANTED-secret", "xkey-PLANTED-secret");
    }

    @Test
    void logsFailuresWithPlainDescription() throws IOException {
        int port = server.getPort();
        server.shutdown();

        try {
            client.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/api?token=" + QUERY_SECRET)
                    .build()).execute().close();
        } catch (IOException expected) {
            // The log line is what this test is about.
        }

        assertThat(lines()).anySatisfy(line -> assertThat(line)
                .startsWith("dt/prod: GET http://127.0.0.1:" + port + "/api?token=[REDACTED] failed after ")
                .contains("Could not connect to dt/prod"));
        assertThat(String.join("\n", lines())).doesNotContain(QUERY_SECRET, PlantedSecrets.TOKEN);
    }

    @Test
    void masksSensitiveQueryParametersAndUserInfo() {
        assertThat(SensitiveValues.maskedUrl(okhttp3.HttpUrl.get(
                "https://user:pw@dt.example.com/api?pageSize=5&clientSecret=s1&password=p&key=k&nextPageKey=n")))
                .isEqualTo("https://dt.example.com/api?pageSize=5&clientSecret=[REDACTED]&password=[REDACTED]"
                        + "&key=[REDACTED]&nextPageKey=n");
    }

    @Test
    void partialAndCaseChangedFormsOfARegisteredTokenStayOutOfTheTraceLog() throws IOException {
        String publicPart = "PLANTEDPUBLIC0000000001";
        String secretPart = "PLANTEDSECRET00000000000000000000000000000000000000000000000001";
        String token = "vnd1." + publicPart + "." + secretPart;
        dev.bastion.security.redact.SecretRedactor redactor = new dev.bastion.security.redact.SecretRedactor();
        redactor.registerShapes(List.of(new CredentialShape("vendor", "vnd", (text, start) ->
                start + token.length() <= text.length() && text.charAt(start + 4) == '.'
                        ? Optional.of(new CredentialShape.Match(start + token.length(), 5, List.of(
                                new CredentialShape.Part(token.length() - secretPart.length(), token.length()))))
                        : Optional.empty())));
        BackendCredentials credentials = new BackendCredentials() {
            @Override
            public Map<String, String> headersFor(OutgoingRequest request) {
                return Map.of("Authorization", "Api-Token " + token);
            }

            @Override
            public List<String> secretValues() {
                return List.of(token);
            }
        };
        OkHttpClient tracing = new OutboundHttp(redactor, "1.2.3", Map.of()).client(BackendSpec.builder("vnd/prod")
                .credentials(credentials).allowInsecureLoopback(true).build());
        server.enqueue(new MockResponse().setBody("{}"));

        try (Response response = tracing.newCall(new Request.Builder()
                .url(server.url("/api/" + secretPart + "?selector=" + publicPart + "." + secretPart
                        + "&echo=" + token.toUpperCase(Locale.ROOT)))
                .header("X-Echo", secretPart.toLowerCase(Locale.ROOT))
                .build()).execute()) {
            response.body().string();
        }

        String log = String.join("\n", lines());
        assertThat(log).contains("vnd/prod: GET").contains("headers {");
        assertThat(log.toUpperCase(Locale.ROOT)).doesNotContain(secretPart);
    }
}
