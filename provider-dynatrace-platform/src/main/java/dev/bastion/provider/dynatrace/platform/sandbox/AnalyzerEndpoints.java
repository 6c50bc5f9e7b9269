package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.Dql;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlException;
import dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlResult;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Davis analyzers ({@code /platform/davis/analyzers/v1/analyzers}): a list of three with their input
 * schemas, and execute/poll/cancel. An execution runs the input's {@code timeSeriesData} DQL
 * ({@code timeseries ...}) through the sandbox's engine and computes, from the first series, a
 * linear forecast with a 95 % band, the largest change point, or the points beyond a static
 * threshold. It answers RUNNING with a request token and is COMPLETED after 1 s of the clock.
 */
final class AnalyzerEndpoints {

    static final Duration RUNTIME = Duration.ofSeconds(1);
    static final String FORECAST = "dt.statistics.GenericForecastAnalyzer";
    static final String CHANGE_POINT = "dt.statistics.ChangePointAnalyzer";
    static final String THRESHOLD = "dt.statistics.ai.StaticThresholdAnomalyDetectionAnalyzer";

    private record Parameter(String key, String type, boolean required, String description, Object defaultValue) {
    }

    private record Definition(String name, String displayName, String description, String category,
                              List<Parameter> input) {
    }

    private record Execution(String environmentId, String analyzer, Instant ready, ObjectNode input, String resultId) {
    }

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition(FORECAST, "Generic forecast analysis",
                    "Forecasts the next points of a time series with a prediction band.", "Forecast",
                    List.of(new Parameter("timeSeriesData", "DQL", true, "A timeseries query", null),
                            new Parameter("forecastHorizon", "INTEGER", false, "How many points to forecast (1-600)", 100),
                            new Parameter("generalParameters", "OBJECT", false, "Timeframe and log level", null))),
            new Definition(CHANGE_POINT, "Change point analysis",
                    "Finds the point where a time series changes its level the most.", "Change detection",
                    List.of(new Parameter("timeSeriesData", "DQL", true, "A timeseries query", null),
                            new Parameter("generalParameters", "OBJECT", false, "Timeframe and log level", null))),
            new Definition(THRESHOLD, "Static threshold anomaly detection",
                    "Raises an anomaly for the points of a time series beyond a fixed threshold.", "Anomaly detection",
                    List.of(new Parameter("timeSeriesData", "DQL", true, "A timeseries query", null),
                            new Parameter("threshold", "DOUBLE", true, "The threshold", null),
                            new Parameter("alertCondition", "ENUM", false, "ABOVE or BELOW", "ABOVE"),
                            new Parameter("generalParameters", "OBJECT", false, "Timeframe and log level", null))));

    private final Clock clock;
    private final Map<String, GrailData> data;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();

    AnalyzerEndpoints(Clock clock, Map<String, GrailData> data) {
        this.clock = clock;
        this.data = data;
    }

    SandboxResponse list(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        principal.require("davis:analyzers:read");
        ObjectNode body = NODES.objectNode();
        ArrayNode analyzers = body.putArray("analyzers");
        for (Definition definition : DEFINITIONS) {
            ObjectNode one = analyzers.addObject();
            one.put("name", definition.name());
            one.put("displayName", definition.displayName());
            one.put("description", definition.description());
            one.putObject("category").put("displayName", definition.category());
            one.put("type", "BASE_ANALYZER");
            one.putArray("labels").add("timeseries");
        }
        body.put("totalCount", DEFINITIONS.size());
        body.putNull("nextPageKey");
        return SandboxResponse.json(body);
    }

    /** {@code GET /{name}}, or an action on it ({@code /{name}:execute}, {@code :poll}, {@code :cancel}). */
    SandboxResponse get(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        String segment = request.pathParameter("analyzer");
        if (segment.endsWith(":poll")) {
            principal.require("davis:analyzers:execute");
            return poll(environmentId, definition(segment.substring(0, segment.length() - 5)), request, false);
        }
        principal.require("davis:analyzers:read");
        Definition definition = definition(segment);
        ObjectNode body = NODES.objectNode();
        body.put("name", definition.name());
        body.put("displayName", definition.displayName());
        body.put("description", definition.description());
        body.putObject("category").put("displayName", definition.category());
        body.put("type", "BASE_ANALYZER");
        ArrayNode input = body.putArray("input");
        for (Parameter parameter : definition.input()) {
            ObjectNode p = input.addObject();
            p.put("key", parameter.key());
            p.put("type", parameter.type());
            p.put("required", parameter.required());
            p.put("description", parameter.description());
            if (parameter.defaultValue() != null) {
                p.putPOJO("defaultValue", parameter.defaultValue());
            }
        }
        body.putArray("output").addObject().put("key", "output").put("type", "OBJECT");
        return SandboxResponse.json(body);
    }

    SandboxResponse post(String environmentId, PlatformAuth.Principal principal, SandboxRequest request) {
        String segment = request.pathParameter("analyzer");
        principal.require("davis:analyzers:execute");
        if (segment.endsWith(":execute")) {
            return execute(environmentId, definition(segment.substring(0, segment.length() - 8)), request);
        }
        if (segment.endsWith(":cancel")) {
            return poll(environmentId, definition(segment.substring(0, segment.length() - 7)), request, true);
        }
        throw SandboxError.notFound("Unknown analyzer action " + segment);
    }

    private SandboxResponse execute(String environmentId, Definition definition, SandboxRequest request) {
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw PlatformErrors.badBody("body", "must be the analyzer input object");
        }
        ObjectNode input = body.has("input") && body.path("input").isObject() && !body.has("timeSeriesData")
                ? (ObjectNode) body.path("input").deepCopy() : (ObjectNode) body.deepCopy();
        for (Parameter parameter : definition.input()) {
            if (parameter.required() && (input.path(parameter.key()).isMissingNode() || input.path(parameter.key()).isNull())) {
                throw PlatformErrors.badBody(parameter.key(), "is required");
            }
        }
        try {
            Dql.parse(input.path("timeSeriesData").asText());
        } catch (DqlException e) {
            throw PlatformErrors.badBody("timeSeriesData", "is not valid DQL: " + e.getMessage());
        }
        if (definition.name().equals(FORECAST) && input.has("forecastHorizon")
                && (!input.path("forecastHorizon").canConvertToInt() || input.path("forecastHorizon").asInt() < 1
                || input.path("forecastHorizon").asInt() > 600)) {
            throw PlatformErrors.badBody("forecastHorizon", "must be an integer from 1 to 600");
        }
        String token = QueryEndpoints.Base64Token.next();
        Execution execution = new Execution(environmentId, definition.name(), clock.instant().plus(RUNTIME), input,
                UUID.randomUUID().toString());
        executions.put(token, execution);
        ObjectNode answer = NODES.objectNode();
        answer.put("requestToken", token);
        answer.put("ttlInSeconds", 60);
        answer.set("result", result(execution, "RUNNING", NODES.arrayNode(), NODES.arrayNode()));
        return SandboxResponse.json(202, answer);
    }

    private SandboxResponse poll(String environmentId, Definition definition, SandboxRequest request, boolean cancel) {
        String token = request.queryParameter("request-token")
                .orElseThrow(() -> PlatformErrors.badQuery("request-token", "must be given"));
        Execution execution = executions.get(token);
        if (execution == null || !execution.environmentId().equals(environmentId)
                || !execution.analyzer().equals(definition.name())) {
            throw SandboxError.of(410, "The analyzer execution is gone: unknown, finished or expired request token");
        }
        ObjectNode answer = NODES.objectNode();
        if (cancel) {
            executions.remove(token);
            answer.set("result", result(execution, "ABORTED", NODES.arrayNode(), NODES.arrayNode()));
            return SandboxResponse.json(answer);
        }
        if (clock.instant().isBefore(execution.ready())) {
            answer.put("requestToken", token);
            answer.put("ttlInSeconds", 60);
            answer.set("result", result(execution, "RUNNING", NODES.arrayNode(), NODES.arrayNode()));
            return SandboxResponse.json(answer);
        }
        executions.remove(token);
        ArrayNode logs = NODES.arrayNode();
        ArrayNode output = NODES.arrayNode();
        ObjectNode result;
        try {
            output.add(analyze(execution, logs));
            result = result(execution, "COMPLETED", logs, output);
        } catch (DqlException e) {
            logs.addObject().put("level", "SEVERE").put("message", "The time series query failed: " + e.getMessage())
                    .put("path", "timeSeriesData");
            result = result(execution, "COMPLETED", logs, NODES.arrayNode());
            result.put("resultStatus", "FAILED");
        }
        answer.set("result", result);
        return SandboxResponse.json(answer);
    }

    private ObjectNode analyze(Execution execution, ArrayNode logs) {
        Instant now = clock.instant();
        JsonNode timeframe = execution.input().path("generalParameters").path("timeframe");
        Instant from = relative(timeframe.path("startTime").asText("now-2h"), now);
        Instant to = relative(timeframe.path("endTime").asText("now"), now);
        DqlResult result = Dql.parse(execution.input().path("timeSeriesData").asText())
                .evaluate(QueryEndpoints.view(data.get(execution.environmentId())), now, from, to, 1000);
        ObjectNode output = NODES.objectNode();
        if (result.records().isEmpty()) {
            logs.addObject().put("level", "WARNING").put("message", "The time series query returned no records")
                    .put("path", "timeSeriesData");
            output.put("analysisStatus", "NO_DATA");
            return output;
        }
        ObjectNode record = result.records().get(0).deepCopy();
        String field = null;
        for (Map.Entry<String, JsonNode> e : record.properties()) {
            if (e.getValue().isArray() && !e.getValue().isEmpty() && e.getValue().get(0).isNumber()) {
                field = e.getKey();
                break;
            }
        }
        if (field == null) {
            output.put("analysisStatus", "NO_DATA");
            logs.addObject().put("level", "WARNING").put("message", "The first record holds no numeric series")
                    .put("path", "timeSeriesData");
            return output;
        }
        List<Double> values = new ArrayList<>();
        record.path(field).forEach(v -> {
            if (v.isNumber()) {
                values.add(v.asDouble());
            }
        });
        logs.addObject().put("level", "INFO").put("message", "Analyzed " + values.size() + " points of " + field)
                .put("path", "timeSeriesData");
        output.put("analysisStatus", "OK");
        switch (execution.analyzer()) {
            case FORECAST -> {
                int horizon = execution.input().path("forecastHorizon").asInt(100);
                forecast(record, values, horizon);
                output.put("forecastQualityAssessment", values.size() >= 10 ? "VALID" : "UNKNOWN");
                ObjectNode series = output.putObject("timeSeriesDataWithPredictions");
                series.putArray("records").add(QueryEndpoints.stringifyLongs(record));
            }
            case CHANGE_POINT -> {
                int best = -1;
                double bestShift = 0;
                for (int i = 2; i < values.size() - 2; i++) {
                    double shift = Math.abs(mean(values.subList(i, values.size())) - mean(values.subList(0, i)));
                    if (shift > bestShift) {
                        bestShift = shift;
                        best = i;
                    }
                }
                ArrayNode points = output.putArray("changePoints");
                if (best >= 0) {
                    points.addObject().put("index", best).put("before", round(mean(values.subList(0, best))))
                            .put("after", round(mean(values.subList(best, values.size()))));
                }
            }
            default -> {
                double threshold = execution.input().path("threshold").asDouble();
                boolean above = !"BELOW".equals(execution.input().path("alertCondition").asText("ABOVE"));
                ArrayNode violations = output.putArray("violations");
                for (int i = 0; i < values.size(); i++) {
                    if (above ? values.get(i) > threshold : values.get(i) < threshold) {
                        violations.addObject().put("index", i).put("value", values.get(i));
                    }
                }
                output.put("raisedAlert", !violations.isEmpty());
            }
        }
        return output;
    }

    private static void forecast(ObjectNode record, List<Double> values, int horizon) {
        int n = values.size();
        double meanX = (n - 1) / 2.0;
        double meanY = mean(values);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - meanX) * (values.get(i) - meanY);
            sxx += (i - meanX) * (i - meanX);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        double residual = 0;
        for (int i = 0; i < n; i++) {
            double error = values.get(i) - (meanY + slope * (i - meanX));
            residual += error * error;
        }
        double band = 1.96 * Math.sqrt(residual / Math.max(1, n - 2));
        ArrayNode point = record.putArray("dt.davis.forecast:point");
        ArrayNode lower = record.putArray("dt.davis.forecast:lower");
        ArrayNode upper = record.putArray("dt.davis.forecast:upper");
        for (int h = 0; h < horizon; h++) {
            double y = Math.max(0, meanY + slope * (n + h - meanX));
            point.add(round(y));
            lower.add(round(Math.max(0, y - band)));
            upper.add(round(y + band));
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static Instant relative(String text, Instant now) {
        String t = text.replace("()", "").replace(" ", "");
        if (t.equals("now")) {
            return now;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^now-(\\d+)([smhd])$").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return now.minus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw PlatformErrors.badBody("generalParameters.timeframe", "must be now, now-<n>[smhd] or ISO-8601");
        }
    }

    private static ObjectNode result(Execution execution, String status, ArrayNode logs, ArrayNode output) {
        ObjectNode result = NODES.objectNode();
        result.put("resultId", execution.resultId());
        result.put("resultStatus", "SUCCESSFUL");
        result.put("executionStatus", status);
        result.set("input", execution.input().deepCopy());
        result.set("logs", logs);
        result.set("output", output);
        return result;
    }

    private static Definition definition(String name) {
        Map<String, Definition> byName = new LinkedHashMap<>();
        DEFINITIONS.forEach(d -> byName.put(d.name(), d));
        Definition definition = byName.get(name);
        if (definition == null) {
            throw SandboxError.notFound("Analyzer " + name + " not found");
        }
        return definition;
    }
}
