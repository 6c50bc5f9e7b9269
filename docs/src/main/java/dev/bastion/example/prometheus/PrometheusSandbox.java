package dev.bastion.example.prometheus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bastion.core.spi.Sandbox;
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
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 4 of the guide: the sandbox, a loopback simulator of the Prometheus HTTP API endpoints the
 * provider uses. It checks the bearer token like an authenticating proxy does (401 otherwise),
 * answers in the API's envelope ({@code status}, {@code data}, {@code errorType}, {@code error}), and
 * evaluates the subset of PromQL it understands: {@code vector(N)}, series selectors with
 * {@code =}/{@code !=} label matchers, and a selector compared with a number. Anything else is
 * refused with Prometheus's own {@code bad_data} error, never answered with made-up data.
 */
final class PrometheusSandbox implements Sandbox {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern VECTOR = Pattern.compile("^vector\\((-?\\d+(?:\\.\\d+)?)\\)$");
    private static final Pattern SELECTOR = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?(?:\\s*(==|!=|>=|<=|>|<)\\s*(-?\\d+(?:\\.\\d+)?))?$");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=|!=)\\s*\"([^\"]*)\"\\s*");

    /** One simulated series: its labels and how its value moves with time. */
    private record Series(Map<String, String> labels, double base, double swing) {
        double valueAt(double seconds) {
            return Math.round((base + swing * Math.sin(seconds / 300.0)) * 1000.0) / 1000.0;
        }
    }

    private static final List<Series> SERIES = List.of(
            series("up", 1, 0, "job", "api", "instance", "api-1:9100"),
            series("up", 1, 0, "job", "api", "instance", "api-2:9100"),
            series("up", 0, 0, "job", "db", "instance", "db-1:9187"),
            series("node_load1", 0.8, 0.4, "job", "node", "instance", "api-1:9100"),
            series("node_load1", 2.5, 1.0, "job", "node", "instance", "db-1:9100"),
            series("http_requests_total", 152_340, 0, "job", "api", "code", "200", "method", "GET"),
            series("http_requests_total", 1_273, 0, "job", "api", "code", "500", "method", "GET"));

    private final HttpServer server;
    private final String token;

    private PrometheusSandbox(HttpServer server, String token) {
        this.server = server;
        this.token = token;
    }

    static PrometheusSandbox start() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = "sandbox-" + HexFormat.of().formatHex(random);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            PrometheusSandbox sandbox = new PrometheusSandbox(server, token);
            server.createContext("/", sandbox::handle);
            server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "prometheus-sandbox");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("the Prometheus sandbox could not bind a loopback port", e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String token() {
        return token;
    }

    @Override
    public List<Map<String, Object>> instances() {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("alias", "sandbox");
        instance.put(PrometheusProviderFactory.URL, baseUrl());
        instance.put(PrometheusProviderFactory.BEARER_TOKEN, token);
        instance.put(PrometheusProviderFactory.ALLOW_INSECURE_LOOPBACK, true);
        return List.of(instance);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/-/healthy")) {
                send(exchange, 200, "text/plain", "Prometheus Server is Healthy.\n");
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + token).equals(authorization)) {
                send(exchange, 401, "text/plain", "Unauthorized\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain", "Method Not Allowed\n");
                return;
            }
            switch (path) {
                case "/api/v1/query" -> query(exchange);
                case "/api/v1/alerts" -> send(exchange, 200, "application/json", envelope(alerts()).toString());
                default -> send(exchange, 404, "text/plain", "404 page not found\n");
            }
        }
    }

    private void query(HttpExchange exchange) throws IOException {
        Map<String, String> params = queryParameters(exchange.getRequestURI().getRawQuery());
        String promql = params.get("query");
        if (promql == null || promql.isBlank()) {
            send(exchange, 400, "application/json", error("bad_data", "invalid parameter \"query\": "
                    + "1:1: parse error: no expression found in input").toString());
            return;
        }
        double now = params.containsKey("time") ? parseTime(params.get("time")) : System.currentTimeMillis() / 1000.0;
        if (Double.isNaN(now)) {
            send(exchange, 400, "application/json", error("bad_data", "invalid parameter \"time\": cannot parse \""
                    + params.get("time") + "\" to a valid timestamp").toString());
            return;
        }
        ObjectNode data = F.objectNode();
        data.put("resultType", "vector");
        ArrayNode result = data.putArray("result");
        Matcher vector = VECTOR.matcher(promql.trim());
        Matcher selector = SELECTOR.matcher(promql.trim());
        if (vector.matches()) {
            ObjectNode sample = result.addObject();
            sample.putObject("metric");
            sample.putArray("value").add(now).add(vector.group(1));
        } else if (selector.matches()) {
            Map<String, String[]> matchers = new LinkedHashMap<>();
            if (selector.group(2) != null && !selector.group(2).isBlank()) {
                for (String part : selector.group(2).split(",")) {
                    Matcher m = MATCHER.matcher(part);
                    if (!m.matches()) {
                        send(exchange, 400, "application/json", error("bad_data", "invalid parameter \"query\": "
                                + "parse error: unexpected label matcher " + part.trim()).toString());
                        return;
                    }
                    matchers.put(m.group(1), new String[] {m.group(2), m.group(3)});
                }
            }
            for (Series series : SERIES) {
                if (!series.labels().get("__name__").equals(selector.group(1)) || !matches(series, matchers)) {
                    continue;
                }
                double value = series.valueAt(now);
                if (selector.group(3) != null && !compare(value, selector.group(3),
                        Double.parseDouble(selector.group(4)))) {
                    continue;
                }
                ObjectNode sample = result.addObject();
                ObjectNode metric = sample.putObject("metric");
                series.labels().forEach(metric::put);
                sample.putArray("value").add(now).add(format(value));
            }
        } else {
            send(exchange, 400, "application/json", error("bad_data", "invalid parameter \"query\": the sandbox "
                    + "evaluates only vector(N), series selectors and a selector compared with a number").toString());
            return;
        }
        send(exchange, 200, "application/json", envelope(data).toString());
    }

    private static boolean matches(Series series, Map<String, String[]> matchers) {
        for (Map.Entry<String, String[]> matcher : matchers.entrySet()) {
            String actual = series.labels().getOrDefault(matcher.getKey(), "");
            boolean equal = actual.equals(matcher.getValue()[1]);
            if (matcher.getValue()[0].equals("=") != equal) {
                return false;
            }
        }
        return true;
    }

    private static boolean compare(double value, String operator, double operand) {
        return switch (operator) {
            case "==" -> value == operand;
            case "!=" -> value != operand;
            case ">" -> value > operand;
            case "<" -> value < operand;
            case ">=" -> value >= operand;
            default -> value <= operand;
        };
    }

    private static ObjectNode alerts() {
        ObjectNode data = F.objectNode();
        ArrayNode alerts = data.putArray("alerts");
        alerts.add(alert("TargetDown", "critical", "firing", "db-1:9187 has been down for more than 5 minutes",
                "job", "db", "instance", "db-1:9187"));
        alerts.add(alert("HighErrorRate", "warning", "firing", "api is answering 0.8% of GETs with 500",
                "job", "api"));
        alerts.add(alert("HighLoad", "warning", "pending", "db-1 load is above 2 for 10 minutes",
                "job", "node", "instance", "db-1:9100"));
        return data;
    }

    private static ObjectNode alert(String name, String severity, String state, String summary, String... labels) {
        ObjectNode alert = F.objectNode();
        ObjectNode labelNode = alert.putObject("labels");
        labelNode.put("alertname", name);
        labelNode.put("severity", severity);
        for (int i = 0; i < labels.length; i += 2) {
            labelNode.put(labels[i], labels[i + 1]);
        }
        alert.putObject("annotations").put("summary", summary);
        alert.put("state", state);
        alert.put("activeAt", "2026-11-22T01:00:00Z");
        alert.put("value", "1e+00");
        return alert;
    }

    private static Series series(String name, double base, double swing, String... labels) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("__name__", name);
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return new Series(Map.copyOf(map), base, swing);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static double parseTime(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            try {
                return java.time.Instant.parse(text).toEpochMilli() / 1000.0;
            } catch (java.time.format.DateTimeParseException notIso) {
                return Double.NaN;
            }
        }
    }

    private static ObjectNode envelope(ObjectNode data) {
        ObjectNode envelope = F.objectNode();
        envelope.put("status", "success");
        envelope.set("data", data);
        return envelope;
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode envelope = F.objectNode();
        envelope.put("status", "error");
        envelope.put("errorType", type);
        envelope.put("error", message);
        return envelope;
    }

    private static Map<String, String> queryParameters(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
