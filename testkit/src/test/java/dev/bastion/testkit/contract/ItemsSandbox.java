package dev.bastion.testkit.contract;

import dev.bastion.core.spi.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The tiny backend of the items provider: {@code GET /api/items} and {@code GET /api/health}
 * behind an {@code Authorization: Api-Key <key>} check with a key generated at start, answering
 * 401 in the backend's own shape and 404 for anything else.
 */
final class ItemsSandbox implements Sandbox {

    /** How a sandbox may be broken. */
    enum Defect {
        NONE,
        /** Lets every request through, whatever key it carries. */
        ACCEPTS_ANY_KEY,
        /** Hands out a URL on a port nothing listens on, not its own. */
        ADVERTISES_A_CLOSED_PORT
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final MockWebServer server = new MockWebServer();
    private final String apiKey;
    private final Defect defect;
    private String advertisedUrl;

    private ItemsSandbox(Defect defect) {
        this.defect = defect;
        SecureRandom random = new SecureRandom();
        StringBuilder key = new StringBuilder("itk_");
        for (int i = 0; i < 32; i++) {
            key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        this.apiKey = key.toString();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
    }

    static ItemsSandbox start(Defect defect) {
        ItemsSandbox sandbox = new ItemsSandbox(defect);
        try {
            sandbox.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the items sandbox did not start", e);
        }
        sandbox.advertisedUrl = sandbox.defect == Defect.ADVERTISES_A_CLOSED_PORT ? closedPortUrl()
                : "http://127.0.0.1:" + sandbox.server.getPort();
        return sandbox;
    }

    private MockResponse answer(RecordedRequest request) {
        if (defect != Defect.ACCEPTS_ANY_KEY && !("Api-Key " + apiKey).equals(request.getHeader("Authorization"))) {
            return json(401, "{\"error\":{\"code\":401,\"message\":\"Missing or invalid API key\"}}");
        }
        String path = request.getRequestUrl() == null ? "" : request.getRequestUrl().encodedPath();
        if (!"GET".equals(request.getMethod())) {
            return json(405, "{\"error\":{\"code\":405,\"message\":\"Method not allowed\"}}");
        }
        return switch (path) {
            case "/api/items" -> json(200, "{\"items\":[{\"name\":\"alpha\"},{\"name\":\"beta\"}]}");
            case "/api/health" -> json(200, "{\"status\":\"ok\"}");
            default -> json(404, "{\"error\":{\"code\":404,\"message\":\"No such endpoint\"}}");
        };
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static String closedPortUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    @Override
    public List<Map<String, Object>> instances() {
        return List.of(Map.of("alias", "sandbox", "url", advertisedUrl, "api_key", apiKey, "allow_insecure_loopback", true));
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException("the items sandbox did not stop", e);
        }
    }
}
