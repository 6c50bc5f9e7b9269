package dev.bastion.security.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bastion.security.outbound.PlantedSecrets.RefreshableToken;
import dev.bastion.security.outbound.PlantedSecrets.SecretRedactor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

/** Plants a token in the credentials and in the URL query, then makes every kind of failure happen. */
class SecretLeakTest {

    private static final String QUERY_TOKEN = "qtok-PLANTED-5150";

    private final SecretRedactor redactor = new SecretRedactor();
    private final OutboundHttp outbound = new OutboundHttp(redactor, "1.2.3", Map.of());

    private OkHttpClient client(boolean allowLoopback, Duration readTimeout) {
        return outbound.client(BackendSpec.builder("dt/prod")
                .credentials(new RefreshableToken(PlantedSecrets.TOKEN, true))
                .allowInsecureLoopback(allowLoopback).readTimeout(readTimeout).maxResponseBytes(64).build());
    }

    private static Request request(String base) {
        return new Request.Builder().url(base + "api/v2/metrics?api-token=" + QUERY_TOKEN).build();
    }

    private static IOException failure(OkHttpClient client, Request request) {
        return catchThrowableOfType(IOException.class, () -> {
            try (Response response = client.newCall(request).execute()) {
                response.body().string();
            }
        });
    }

    @Test
    void noFailureMessageOrDescriptionContainsAPlantedSecret() throws IOException {
        List<String> texts = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setBody("x".repeat(65)));
            server.enqueue(new MockResponse().setChunkedBody("y".repeat(500), 10));
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
            server.start();
            String base = server.url("/").toString();
            List<IOException> failures = new ArrayList<>();
            failures.add(failure(client(false, Duration.ofSeconds(5)), request(base)));
            failures.add(failure(client(true, Duration.ofSeconds(5)), request(base)));
            failures.add(failure(client(true, Duration.ofSeconds(5)), request(base)));
            failures.add(failure(client(true, Duration.ofMillis(300)), request(base)));
            failures.add(failure(client(true, Duration.ofSeconds(5)), request(base)));
            int port = server.getPort();
            server.shutdown();
            failures.add(failure(client(true, Duration.ofSeconds(5)), request("http://127.0.0.1:" + port + "/")));
            failures.add(failure(client(true, Duration.ofSeconds(5)), request("http://api.example.com/")));

            assertThat(failures).doesNotContainNull();
            for (IOException failure : failures) {
                for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                    texts.add(String.valueOf(cause.getMessage()));
                }
                texts.add(BackendErrors.describe(failure, "dt/prod"));
            }
        }

        assertThat(texts).noneSatisfy(text -> assertThat(text).containsAnyOf(PlantedSecrets.TOKEN, QUERY_TOKEN));
        assertThat(texts).noneSatisfy(text -> assertThat(text).containsAnyOf("Exception", "java.", "okhttp3."));
    }
}
