package com.example.acmestatus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.toolkit.http.BackendSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback simulator of the Acme Status API endpoints the provider uses, answering in the API's
 * own shapes: an {@code X-Api-Key} check (401 otherwise), {@code nextPageKey} paging, 404 and 405
 * with the API's error envelope {@code {"error":{"code":..,"message":..}}}.
 */
final class AcmeStatusSandbox implements Sandbox {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern COMPONENT = Pattern.compile("^/api/v1/components/([a-z0-9-]{1,40})$");
    private static final Pattern PAGE_KEY = Pattern.compile("^o(\\d{1,4})s(\\d{1,2})$");

    private static final List<ObjectNode> COMPONENTS = List.of(
            component("api-gateway", "API gateway", "operational", "edge", 99.98),
            component("web", "Web front end", "operational", "edge", 99.95),
            component("payments", "Payments", "degraded", "core", 99.41),
            component("search", "Search", "operational", "core", 99.90),
            component("db-primary", "Primary database", "operational", "data", 99.99),
            component("queue", "Message queue", "outage", "data", 98.70));

    private final HttpServer server;
    private final ExecutorService executor;
    private final String apiKey;

    private AcmeStatusSandbox(HttpServer server, ExecutorService executor, String apiKey) {
        this.server = server;
        this.executor = executor;
        this.apiKey = apiKey;
    }

    static AcmeStatusSandbox start() {
        byte[] random = new byte[20];
        new SecureRandom().nextBytes(random);
        String key = "acme_" + HexFormat.of().formatHex(random);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "acme-status-sandbox");
                thread.setDaemon(true);
                return thread;
            });
            AcmeStatusSandbox sandbox = new AcmeStatusSandbox(server, executor, key);
            server.createContext("/", sandbox::handle);
            server.setExecutor(executor);
            server.start();
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("the Acme Status sandbox could not bind a loopback port", e);
        }
    }

    @Override
    public List<Map<String, Object>> instances() {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("alias", "sandbox");
        instance.put(BackendSettings.URL, "http://127.0.0.1:" + server.getAddress().getPort());
        instance.put(AcmeStatusProviderFactory.API_KEY, apiKey);
        instance.put(BackendSettings.ALLOW_INSECURE_LOOPBACK, true);
        return List.of(instance);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!apiKey.equals(exchange.getRequestHeaders().getFirst(ApiKeyCredentials.HEADER))) {
                send(exchange, 401, error(401, "Missing or invalid API key"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, error(405, "Method not allowed"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Matcher component = COMPONENT.matcher(path);
            if (path.equals("/api/v1/components")) {
                components(exchange, query);
            } else if (component.matches()) {
                ObjectNode found = COMPONENTS.stream().filter(c -> c.path("id").asText().equals(component.group(1)))
                        .findFirst().orElse(null);
                send(exchange, found == null ? 404 : 200, found == null
                        ? error(404, "Component " + component.group(1) + " does not exist") : found);
            } else if (path.equals("/api/v1/incidents")) {
                incidents(exchange, query.getOrDefault("status", "open"));
            } else {
                send(exchange, 404, error(404, "No such endpoint"));
            }
        }
    }

    private static void components(HttpExchange exchange, Map<String, String> query) throws IOException {
        int offset = 0;
        int size;
        if (query.containsKey("page_key")) {
            Matcher key = PAGE_KEY.matcher(query.get("page_key"));
            if (!key.matches() || query.containsKey("page_size")) {
                send(exchange, 400, error(400, "page_key is invalid, or sent with page_size"));
                return;
            }
            offset = Integer.parseInt(key.group(1));
            size = Integer.parseInt(key.group(2));
        } else {
            size = parseSize(query.getOrDefault("page_size", "20"));
        }
        if (size < 1 || size > 50 || offset > COMPONENTS.size()) {
            send(exchange, 400, error(400, "page_size must be between 1 and 50"));
            return;
        }
        ObjectNode page = F.objectNode();
        ArrayNode items = page.putArray("components");
        COMPONENTS.stream().skip(offset).limit(size).forEach(items::add);
        if (offset + size < COMPONENTS.size()) {
            page.put("nextPageKey", "o" + (offset + size) + "s" + size);
        }
        send(exchange, 200, page);
    }

    private static void incidents(HttpExchange exchange, String status) throws IOException {
        if (!List.of("open", "resolved", "all").contains(status)) {
            send(exchange, 400, error(400, "status must be open, resolved or all"));
            return;
        }
        ObjectNode page = F.objectNode();
        ArrayNode items = page.putArray("incidents");
        if (!status.equals("resolved")) {
            items.add(incident("inc-1042", "Message queue unavailable", "open", "major", "queue",
                    "2026-12-04T02:10:00Z", null));
            items.add(incident("inc-1041", "Slow card payments", "open", "minor", "payments",
                    "2026-12-04T01:35:00Z", null));
        }
        if (!status.equals("open")) {
            items.add(incident("inc-1038", "Search results delayed", "resolved", "minor", "search",
                    "2026-12-02T09:00:00Z", "2026-12-02T09:47:00Z"));
        }
        send(exchange, 200, page);
    }

    private static int parseSize(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ObjectNode component(String id, String name, String status, String group, double uptime) {
        ObjectNode node = F.objectNode();
        node.put("id", id).put("name", name).put("status", status).put("group", group)
                .put("description", name + " of the Acme platform").put("uptime30d", uptime);
        return node;
    }

    private static ObjectNode incident(String id, String title, String status, String impact, String component,
                                       String started, String resolved) {
        ObjectNode node = F.objectNode();
        node.put("id", id).put("title", title).put("status", status).put("impact", impact).put("started", started);
        node.putArray("components").add(component);
        if (resolved != null) {
            node.put("resolved", resolved);
        }
        return node;
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode node = F.objectNode();
        node.putObject("error").put("code", code).put("message", message);
        return node;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                params.putIfAbsent(key, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
