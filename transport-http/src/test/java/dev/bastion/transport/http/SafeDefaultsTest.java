package dev.bastion.transport.http;

import static dev.bastion.transport.http.HttpFixture.INITIALIZE;
import static dev.bastion.transport.http.HttpFixture.body;
import static dev.bastion.transport.http.HttpFixture.raw;
import static dev.bastion.transport.http.HttpFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.mcp.McpEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP transport's defaults: DNS-rebinding protection, request limits, safe error bodies, safe binding. */
class SafeDefaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpEngine engine = HttpFixture.engine();
    private HttpTransport transport;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        engine.close();
    }

    private HttpTransport start(HttpSettings settings) {
        transport = HttpFixture.start(engine, settings);
        return transport;
    }

    private String postRaw(String host, String origin, String body) throws IOException {
        return raw(transport.port(), "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                + body);
    }

    private static void assertSafeJsonRpcError(String rawResponse) throws IOException {
        JsonNode error = JSON.readTree(body(rawResponse));
        assertThat(error.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(error.path("error").path("code").isInt()).isTrue();
        assertThat(error.path("error").path("message").asText()).isNotBlank();
        assertThat(rawResponse).doesNotContain("Exception", "\tat ", "org.eclipse", "dev.bastion", "java.");
    }

    @Test
    void refusesAForeignOriginWith403AndAllowsLoopbackOrigins() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String refused = postRaw("127.0.0.1:" + transport.port(), "http://evil.example.com", INITIALIZE);
        assertThat(status(refused)).isEqualTo(403);
        assertSafeJsonRpcError(refused);
        String allowed = postRaw("localhost:" + transport.port(), "http://localhost:" + transport.port(), INITIALIZE);
        assertThat(status(allowed)).isEqualTo(200);
    }

    @Test
    void refusesARequestWithTwoOriginHeadersEvenWhenTheFirstIsAllowed() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String allowed = "http://localhost:" + transport.port();
        String refused = postRaw("127.0.0.1:" + transport.port(), allowed + "\r\nOrigin: http://evil.example.com",
                INITIALIZE);
        assertThat(status(refused)).isEqualTo(403);
        assertThat(body(refused)).contains("send at most one Origin header");
        assertSafeJsonRpcError(refused);
        String twiceAllowed = postRaw("127.0.0.1:" + transport.port(), allowed + "\r\nOrigin: " + allowed, INITIALIZE);
        assertThat(status(twiceAllowed)).isEqualTo(403);
    }

    @Test
    void refusesAForeignHostAsDnsRebindingWith421() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String refused = postRaw("evil.example.com", null, INITIALIZE);
        assertThat(status(refused)).isEqualTo(421);
        assertSafeJsonRpcError(refused);
    }

    @Test
    void allowsThePublicUrlsHostAndOrigin() throws Exception {
        start(HttpSettings.loopbackDefaults().withPublicUrl(java.net.URI.create("https://mcp.example.com")));
        String allowed = postRaw("mcp.example.com", "https://mcp.example.com", INITIALIZE);
        assertThat(status(allowed)).isEqualTo(200);
        assertThat(status(postRaw("mcp.example.com", "https://other.example.com", INITIALIZE))).isEqualTo(403);
    }

    @Test
    void refusesA2MiBBodyWith413() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
                + "x".repeat(2 * 1024 * 1024) + "\"}}";
        String answer = postRaw("127.0.0.1", null, big);
        assertThat(status(answer)).isEqualTo(413);
        assertSafeJsonRpcError(answer);
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWith413() throws Exception {
        start(HttpSettings.loopbackDefaults());
        StringBuilder request = new StringBuilder("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String chunk = "x".repeat(64 * 1024);
        for (int i = 0; i < 20; i++) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");
        String answer = raw(transport.port(), request.toString());
        assertThat(status(answer)).isEqualTo(413);
    }

    @Test
    void refusesOversizedHeadersWithAJsonRpcError() throws Exception {
        start(HttpSettings.loopbackDefaults());
        String answer = raw(transport.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: "
                + "y".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
        assertThat(status(answer)).isEqualTo(431);
        assertSafeJsonRpcError(answer);
    }

    @Test
    void answersMalformedHttpUnknownPathsAndWrongMethodsWithSafeJsonRpcErrors() throws Exception {
        start(HttpSettings.loopbackDefaults());
        List<String> answers = new ArrayList<>();
        answers.add(raw(transport.port(), "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        answers.add(raw(transport.port(), "PUT /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n"));
        answers.add(raw(transport.port(), "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n"
                + "Connection: close\r\n\r\n"));
        answers.add(postRaw("127.0.0.1", null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}"));
        answers.add(postRaw("127.0.0.1", null, "[[[[[[[[[["));
        assertThat(answers).extracting(HttpFixture::status).containsExactly(404, 405, 400, 400, 400);
        for (String answer : answers) {
            assertSafeJsonRpcError(answer);
        }
    }

    @Test
    void cutsOffASlowlorisClientWithinTheRequestTimeout() throws Exception {
        HttpSettings.Limits limits = new HttpSettings.Limits(1 << 20, 8192, 100, Duration.ofSeconds(30),
                Duration.ofSeconds(1), 50);
        start(HttpSettings.loopbackDefaults().withLimits(limits));
        try (Socket socket = new Socket("127.0.0.1", transport.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] header = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            boolean cutOff = false;
            // One byte every 100 ms: never idle long enough for an idle timeout, so only the request deadline helps.
            for (int i = 0; i < 100 && !cutOff; i++) {
                try {
                    out.write(i < header.length ? header[i] : 'z');
                    out.flush();
                    Thread.sleep(100);
                    if (in.available() > 0) {
                        // The server answered (and closes): drain to the end of the stream.
                        while (in.read() != -1) {
                            continue;
                        }
                        cutOff = true;
                    }
                } catch (SocketException e) {
                    cutOff = true;
                }
            }
            if (!cutOff) {
                cutOff = in.read() == -1;
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(cutOff).isTrue();
            assertThat(elapsedMillis).as("cut off after the 1 s request timeout, well before the 10 s of "
                    + "dribbling").isLessThan(5_000);
        }
    }

    @Test
    void servesNoMoreConnectionsThanTheCapUntilOneCloses() throws Exception {
        HttpSettings.Limits limits = new HttpSettings.Limits(1 << 20, 8192, 2, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 50);
        start(HttpSettings.loopbackDefaults().withLimits(limits));
        Socket first = new Socket("127.0.0.1", transport.port());
        Socket second = new Socket("127.0.0.1", transport.port());
        try (Socket third = new Socket("127.0.0.1", transport.port())) {
            third.setSoTimeout(1000);
            third.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> third.getInputStream().read()).as("the third connection waits")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            first.close();
            third.setSoTimeout(10_000);
            String answer = new String(third.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void refusesToListenOnAllInterfacesWithoutAuthentication() {
        HttpSettings open = HttpSettings.loopbackDefaults().withHost("0.0.0.0");
        HttpTransport unsafe = HttpTransport.builder(engine, open).build();
        assertThatThrownBy(unsafe::start).isInstanceOf(HttpStartupException.class)
                .hasMessageContaining("Refusing to serve MCP on 0.0.0.0 without authentication")
                .hasMessageContaining("--insecure-no-auth");
    }

    @Test
    void listensOnAllInterfacesWithoutAuthenticationOnlyWhenExplicitlyInsecure() throws Exception {
        start(HttpSettings.loopbackDefaults().withHost("0.0.0.0").withInsecureNoAuth(true));
        String answer = postRaw("127.0.0.1", null, INITIALIZE);
        assertThat(status(answer)).isEqualTo(200);
    }
}
