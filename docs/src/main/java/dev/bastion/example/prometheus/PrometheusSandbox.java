package dev.bastion.example.prometheus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import dev.bastion.toolkit.sandbox.RequestLog;
import dev.bastion.toolkit.sandbox.SandboxAuth;
import dev.bastion.toolkit.sandbox.SandboxCredentials;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 4 of the guide: the sandbox, a loopback simulator of the Prometheus HTTP API endpoints the
 * provider uses, on the toolkit's {@link SandboxServer}. It checks the bearer token like an
 * authenticating proxy does (401 otherwise), answers in the API's envelope ({@code status},
 * {@code data}, {@code errorType}, {@code error}), and evaluates the subset of PromQL it
 * understands: {@code vector(N)}, series selectors with {@code =}/{@code !=} label matchers, and a
 * selector compared with a number. Anything else is refused with Prometheus's own {@code bad_data}
 * error, never answered with made-up data.
 */
final class PrometheusSandbox implements Sandbox, RequestLog {

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

    private final SandboxServer server;
    private final String token;

    private PrometheusSandbox(String token) {
        this.token = token;
        this.server = SandboxServer.builder("Prometheus", PrometheusSandbox::error)
                .auth(SandboxAuth.header("Authorization", "Bearer", token, refusal ->
                        SandboxResponse.text(401, "Unauthorized\n").withHeader("WWW-Authenticate", "Bearer")))
                .secret(token)
                .openRoute("GET", "/-/healthy", request -> SandboxResponse.text(200, "Prometheus Server is Healthy.\n"))
                .route("GET", "/api/v1/query", PrometheusSandbox::query)
                .route("GET", "/api/v1/alerts", request -> SandboxResponse.json(envelope(alerts())))
                .threads(4)
                .start();
    }

    static PrometheusSandbox start() {
        return new PrometheusSandbox("sandbox-" + SandboxCredentials.random(SandboxCredentials.HEX, 48));
    }

    String baseUrl() {
        return server.url().toString();
    }

    String token() {
        return token;
    }

    @Override
    public List<LoggedRequest> requests() {
        return server.requests();
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
        server.close();
    }

    /** Prometheus's router answers unknown paths and methods in plain text, the API itself in its envelope. */
    private static SandboxResponse error(SandboxError error) {
        return switch (error.status()) {
            case 404 -> SandboxResponse.text(404, "404 page not found\n");
            case 405 -> SandboxResponse.text(405, "Method Not Allowed\n");
            default -> SandboxResponse.json(error.status(), errorEnvelope(switch (error.status()) {
                case 400 -> "bad_data";
                case 422 -> "execution";
                case 503 -> "unavailable";
                default -> "internal";
            }, error.getMessage()));
        };
    }

    private static SandboxResponse query(SandboxRequest request) {
        String promql = request.queryParameter("query").orElse(null);
        if (promql == null || promql.isBlank()) {
            throw badQuery("query", "1:1: parse error: no expression found in input");
        }
        String time = request.queryParameter("time").orElse(null);
        double now = time != null ? parseTime(time) : System.currentTimeMillis() / 1000.0;
        if (Double.isNaN(now)) {
            throw badQuery("time", "cannot parse \"" + time + "\" to a valid timestamp");
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
                        throw badQuery("query", "parse error: unexpected label matcher " + part.trim());
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
            throw badQuery("query", "the sandbox evaluates only vector(N), series selectors and a selector"
                    + " compared with a number");
        }
        return SandboxResponse.json(envelope(data));
    }

    /** Prometheus names the parameter inside its message: {@code invalid parameter "query": ...}. */
    private static SandboxError badQuery(String parameter, String problem) {
        return SandboxError.badParameter(SandboxError.Location.QUERY, parameter,
                "invalid parameter \"" + parameter + "\": " + problem);
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

    private static ObjectNode errorEnvelope(String type, String message) {
        ObjectNode envelope = F.objectNode();
        envelope.put("status", "error");
        envelope.put("errorType", type);
        envelope.put("error", message);
        return envelope;
    }
}
