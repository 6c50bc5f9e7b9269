package dev.bastion.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.testkit.McpTestClient;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar with tracing on: the real OTLP exporter sends to a receiver in this test, which
 * decodes the protobuf. Proves the MCP server spans and their attributes, the parent taken from
 * {@code params._meta.traceparent}, the backend client span under it, the trace context sent to a
 * backend that opted in, the MCP metrics, and that no planted secret reaches any span or metric.
 */
class TracingIT {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** A Dynatrace API token in the real format: the backend credential. */
    private static final String PLANTED_API_TOKEN = "dt0c01.TRACINGPLANTED2468ACEGIK.TRACINGPLANTEDSECRET0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH";
    /** The ingest token of the OTLP endpoint, in OTEL_EXPORTER_OTLP_HEADERS. */
    private static final String PLANTED_INGEST_TOKEN = "otlpingestplanted7c1e9a4b2d8f6035";
    /** The client's inbound bearer token. */
    private static final String PLANTED_HTTP_TOKEN = "plantedtracinghttptoken5a9e3c1f7b2d";
    private static final String CLIENT_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";

    @TempDir
    Path temp;

    private ServerProcess server;
    private final MockWebServer collector = new MockWebServer();
    private final MockWebServer backend = new MockWebServer();
    private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    private final List<String> collectorAuthorizations = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> backendRequests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.process().destroyForcibly();
        }
        collector.shutdown();
        backend.shutdown();
    }

    @Test
    void tracesEveryRequestInTheMcpConventionsWithTheBackendCallAsItsChildAndNoSecret() throws Exception {
        collector.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                collectorAuthorizations.add(String.valueOf(request.getHeader("Authorization")));
                try {
                    byte[] body = request.getBody().readByteArray();
                    if (request.getPath().equals("/v1/traces")) {
                        traces.add(ExportTraceServiceRequest.parseFrom(body));
                    } else if (request.getPath().equals("/v1/metrics")) {
                        metrics.add(ExportMetricsServiceRequest.parseFrom(body));
                    }
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400);
                }
                return new MockResponse().setHeader("Content-Type", "application/x-protobuf");
            }
        });
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                backendRequests.add(request);
                return new MockResponse().setHeader("Content-Type", "application/json")
                        .setBody("{\"totalCount\":0,\"pageSize\":50,\"problems\":[]}");
            }
        });
        collector.start();
        backend.start();

        int port = ServerProcess.freePort();
        start(port);
        server.awaitHealthy(Duration.ofSeconds(60));
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/mcp");
        try (McpTestClient client = McpTestClient.http(endpoint,
                Map.of("Authorization", "Bearer " + PLANTED_HTTP_TOKEN)).timeout(Duration.ofSeconds(30))) {
            client.initialize();
            client.listTools();
            ObjectNode call = F.objectNode();
            call.put("name", "dynatrace_managed_list_problems");
            call.putObject("arguments");
            call.putObject("_meta").put("traceparent", "00-" + CLIENT_TRACE_ID + "-" + CLIENT_SPAN_ID + "-01");
            JsonNode result = McpTestClient.result(client.request("tools/call", call));
            assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
            ObjectNode unknown = F.objectNode();
            unknown.put("name", "dynatrace_managed_" + PLANTED_API_TOKEN);
            client.request("tools/call", unknown);
            assertThat(client.deleteSession()).isEqualTo(200);
        }

        List<Span> spans = awaitSpans(all -> all.stream().anyMatch(s -> s.getName().equals("GET"))
                && all.stream().filter(s -> s.getName().startsWith("tools/call")).count() == 2);
        Span toolCall = only(spans, "tools/call dynatrace_managed_list_problems");
        assertThat(toolCall.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(hex(toolCall.getTraceId().toByteArray())).isEqualTo(CLIENT_TRACE_ID);
        assertThat(hex(toolCall.getParentSpanId().toByteArray())).isEqualTo(CLIENT_SPAN_ID);
        Map<String, String> attributes = attributes(toolCall);
        assertThat(attributes).containsEntry("mcp.method.name", "tools/call")
                .containsEntry("gen_ai.tool.name", "dynatrace_managed_list_problems")
                .containsEntry("gen_ai.operation.name", "execute_tool")
                .containsEntry("mcp.protocol.version", "2025-11-25")
                .containsEntry("network.transport", "tcp")
                .containsKey("jsonrpc.request.id")
                .containsKey("mcp.session.id")
                .doesNotContainKey("error.type")
                .doesNotContainKey("gen_ai.tool.call.arguments");

        Span backendCall = only(spans, "GET");
        assertThat(backendCall.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(backendCall.getTraceId()).isEqualTo(toolCall.getTraceId());
        assertThat(backendCall.getParentSpanId()).isEqualTo(toolCall.getSpanId());
        Map<String, String> client = attributes(backendCall);
        assertThat(client).containsEntry("http.request.method", "GET")
                .containsEntry("http.response.status_code", "200")
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("bastion.backend", "dynatrace-managed/default");
        assertThat(client.get("url.full")).startsWith("http://127.0.0.1:" + backend.getPort()
                + "/e/tracing01/api/v2/problems").doesNotContain("dt0c01");
        if (client.get("url.full").contains("?")) {
            assertThat(client.get("url.full")).matches("[^?]*\\?([a-zA-Z]+=REDACTED&?)+");
        }

        RecordedRequest sent = backendRequests.get(0);
        assertThat(sent.getHeader("traceparent")).as("propagate_trace_context is on for this instance")
                .startsWith("00-" + CLIENT_TRACE_ID + "-" + hex(backendCall.getSpanId().toByteArray()) + "-");

        Span initialize = only(spans, "initialize");
        assertThat(initialize.getParentSpanId().isEmpty()).isTrue();
        assertThat(only(spans, "tools/list").getStatus().getCode())
                .isNotEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
        Span unknownTool = spans.stream().filter(s -> s.getName().equals("tools/call")).findFirst().orElseThrow();
        assertThat(attributes(unknownTool)).containsEntry("error.type", "-32602")
                .containsEntry("rpc.response.status_code", "-32602")
                .doesNotContainKey("gen_ai.tool.name");
        assertThat(unknownTool.getStatus().getCode())
                .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);

        List<String> metricNames = awaitMetrics(names -> names.contains("mcp.server.operation.duration")
                && names.contains("mcp.server.session.duration"));
        assertThat(metricNames).contains("mcp.server.operation.duration", "mcp.server.session.duration");

        assertThat(collectorAuthorizations).allMatch(value -> value.equals("Bearer " + PLANTED_INGEST_TOKEN));
        String exported = traces.toString() + metrics.toString();
        for (String secret : List.of(PLANTED_API_TOKEN, PLANTED_INGEST_TOKEN, PLANTED_HTTP_TOKEN,
                PLANTED_API_TOKEN.substring(PLANTED_API_TOKEN.lastIndexOf('.') + 1))) {
            assertThat(exported).doesNotContain(secret);
        }
        assertThat(server.stop()).as("the server ends on SIGTERM").isTrue();
        assertThat(server.output()).contains("OpenTelemetry is on").doesNotContain(PLANTED_API_TOKEN)
                .doesNotContain(PLANTED_INGEST_TOKEN).doesNotContain(PLANTED_HTTP_TOKEN);
    }

    @Test
    void withoutAnExporterConfiguredNothingIsExportedAndNoOpenTelemetryClassIsLoaded() throws Exception {
        collector.start();
        backend.start();
        int port = ServerProcess.freePort();
        Path yaml = Files.writeString(temp.resolve("plain.yaml"), "providers:\n  conformance: {}\n");
        List<String> command = new ArrayList<>(BastionJar.commandWithClasspath(
                List.of(BastionJar.itJar("bastion-testkit"), BastionJar.testClasses()),
                "serve", "--transport", "http", "--config", yaml.toString(), "--port", Integer.toString(port)));
        command.add(1, "-Xlog:class+load=info:file=" + temp.resolve("classes.log"));
        server = ServerProcess.start("untraced server", command, Map.of(), port);
        server.awaitHealthy(Duration.ofSeconds(60));
        try (McpTestClient client = McpTestClient.http(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .timeout(Duration.ofSeconds(30))) {
            client.initialize();
            assertThat(client.callTool("test_simple_text", F.objectNode()).path("isError").asBoolean()).isFalse();
        }
        assertThat(server.stop()).isTrue();
        assertThat(collector.getRequestCount()).isZero();
        assertThat(Files.readString(temp.resolve("classes.log"))).contains("dev.bastion.core.mcp.McpEngine")
                .doesNotContain("io.opentelemetry.sdk").doesNotContain("io.opentelemetry.api.trace");
        assertThat(server.output()).doesNotContain("OpenTelemetry is on");
    }

    private void start(int port) throws IOException {
        Path yaml = Files.writeString(temp.resolve("bastion.yaml"), String.join("\n",
                "providers:",
                "  dynatrace-managed:",
                "    url: http://127.0.0.1:" + backend.getPort(),
                "    environment_id: tracing01",
                "    allow_insecure_loopback: true",
                "    propagate_trace_context: true",
                ""));
        List<String> command = BastionJar.command("serve", "--transport", "http", "--config", yaml.toString(),
                "--port", Integer.toString(port));
        server = ServerProcess.start("traced server", command, Map.of(
                "DYNATRACE_API_TOKEN", PLANTED_API_TOKEN,
                "BASTION_HTTP_AUTH_MODE", "static",
                "BASTION_HTTP_TOKEN", PLANTED_HTTP_TOKEN,
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getPort(),
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20" + PLANTED_INGEST_TOKEN,
                "OTEL_SERVICE_NAME", "bastion-tracing-it",
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "OTEL_METRIC_EXPORT_INTERVAL", "300",
                "BASTION_LOG_LEVEL", "debug"), port);
    }

    private List<Span> awaitSpans(Predicate<List<Span>> complete) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Span> spans = traces.stream().flatMap(t -> t.getResourceSpansList().stream())
                    .flatMap(r -> r.getScopeSpansList().stream()).flatMap(s -> s.getSpansList().stream()).toList();
            if (complete.test(spans)) {
                return spans;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("spans received: " + spans.stream().map(Span::getName).toList()
                        + "\nserver output:\n" + server.output());
            }
            Thread.sleep(100);
        }
    }

    private List<String> awaitMetrics(Predicate<List<String>> complete) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<String> names = metrics.stream().flatMap(m -> m.getResourceMetricsList().stream())
                    .flatMap(r -> r.getScopeMetricsList().stream()).flatMap(s -> s.getMetricsList().stream())
                    .map(io.opentelemetry.proto.metrics.v1.Metric::getName).distinct().toList();
            if (complete.test(names)) {
                return names;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("metrics received: " + names);
            }
            Thread.sleep(100);
        }
    }

    private static Span only(List<Span> spans, String name) {
        List<Span> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named " + name).hasSize(1);
        return named.get(0);
    }

    private static Map<String, String> attributes(Span span) {
        return span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey,
                kv -> text(kv.getValue())));
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
