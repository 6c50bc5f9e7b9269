package dev.bastion.telemetry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.mcp.RequestTelemetry;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.outbound.BackendTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The server's OpenTelemetry set-up: off unless the operator configures an exporter with the
 * standard variables, then the SDK as {@code OTEL_*} describes it (autoconfiguration), with OTLP
 * export. While off, no OpenTelemetry class is loaded and every port is the no-op one, so a server
 * without tracing pays nothing for it, at start-up included.
 *
 * <p>Tracing is on when {@code OTEL_SDK_DISABLED} is not {@code true} and any of
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}, {@code OTEL_TRACES_EXPORTER} or
 * {@code OTEL_METRICS_EXPORTER} (other than {@code none}) is set; the JVM system properties of the
 * same names ({@code otel.exporter.otlp.endpoint}, ...) count too. Bastion's defaults under them:
 * {@code service.name} {@code bastion}, OTLP over HTTP with protobuf ({@code grpc} is not
 * available), and no log export (the server's logs go to stderr and the audit file).
 *
 * <p>The values of {@code OTEL_EXPORTER_OTLP_HEADERS} (and the per-signal variants) often carry an
 * ingest token; each is registered with the redactor, so none can appear in any output.
 */
public final class Telemetry implements AutoCloseable {

    /** The instrumentation scope of every span and metric. */
    static final String SCOPE = "dev.bastion";

    /** Turns on the conventions' opt-in: tool arguments and results on the span, after redaction. */
    public static final String CAPTURE_TOOL_CONTENT = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);
    private static final List<String> ENABLING = List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_TRACES_EXPORTER",
            "OTEL_METRICS_EXPORTER");
    private static final List<String> HEADERS = List.of("OTEL_EXPORTER_OTLP_HEADERS",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS");

    private static final Telemetry OFF = new Telemetry(null, RequestTelemetry.NONE, BackendTracing.NONE, null);

    private final OpenTelemetrySdk sdk;
    private final RequestTelemetry requests;
    private final BackendTracing backends;
    private final ToolCallInterceptor toolContent;

    private Telemetry(OpenTelemetrySdk sdk, RequestTelemetry requests, BackendTracing backends,
                      ToolCallInterceptor toolContent) {
        this.sdk = sdk;
        this.requests = requests;
        this.backends = backends;
        this.toolContent = toolContent;
    }

    /** No tracing and no OpenTelemetry metrics. */
    public static Telemetry off() {
        return OFF;
    }

    /**
     * Tracing as {@code environment} (and the JVM's {@code otel.*} system properties) configure it.
     *
     * @param transport {@code stdio} or {@code http}
     * @param serverVersion the {@code service.version} resource attribute
     */
    public static Telemetry configure(Map<String, String> environment, Redactor redactor, ObjectMapper json,
                                      String transport, String serverVersion) {
        requireNonNull(environment, "environment is null");
        requireNonNull(redactor, "redactor is null");
        if (!enabled(environment)) {
            return OFF;
        }
        registerHeaderSecrets(environment, redactor);
        // The SDK reports export failures through java.util.logging, which would write to stderr
        // past the redacting log; route it into that log instead.
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("otel.service.name", "bastion");
        defaults.put("otel.logs.exporter", "none");
        // The JDK's HttpClient sends OTLP/HTTP; gRPC would need the OkHttp 5 sender.
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        defaults.put("otel.resource.attributes", "service.version=" + serverVersion);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(config -> overrides(environment))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        String networkTransport = "http".equals(transport) ? "tcp" : "pipe";
        boolean capture = "true".equalsIgnoreCase(environment.getOrDefault(CAPTURE_TOOL_CONTENT, "false").strip());
        LOG.info("OpenTelemetry is on: traces and metrics exported as OTEL_* configures{}",
                capture ? "; tool arguments and results are recorded on spans after redaction" : "");
        return new Telemetry(sdk, new McpSpans(sdk, redactor, networkTransport), new BackendSpans(sdk, redactor),
                capture ? new ToolContentCapture(redactor, json) : null);
    }

    /** Whether the variables turn tracing on (see the class comment). */
    static boolean enabled(Map<String, String> environment) {
        if ("true".equalsIgnoreCase(value(environment, "OTEL_SDK_DISABLED").orElse("false"))) {
            return false;
        }
        for (String name : ENABLING) {
            Optional<String> set = value(environment, name);
            if (set.isPresent() && !(name.endsWith("_EXPORTER") && "none".equalsIgnoreCase(set.get()))) {
                return true;
            }
        }
        return false;
    }

    /** A variable from {@code environment}, else its system property ({@code otel.exporter.otlp.endpoint}). */
    private static Optional<String> value(Map<String, String> environment, String name) {
        String set = environment.get(name);
        if (set == null) {
            set = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return set == null || set.isBlank() ? Optional.empty() : Optional.of(set.strip());
    }

    /**
     * The {@code OTEL_*} variables of {@code environment} as configuration properties: the SDK reads
     * the process environment itself, and this makes a given environment (a test's) win.
     */
    private static Map<String, String> overrides(Map<String, String> environment) {
        Map<String, String> properties = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /** Each header value ({@code key=value,key=value}, values URL-encoded) is a secret, and its token part too. */
    private static void registerHeaderSecrets(Map<String, String> environment, Redactor redactor) {
        for (String name : HEADERS) {
            value(environment, name).ifPresent(headers -> {
                for (String pair : headers.split(",")) {
                    int equals = pair.indexOf('=');
                    if (equals < 0) {
                        continue;
                    }
                    String raw = pair.substring(equals + 1).strip();
                    String decoded = java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
                    for (String secret : List.of(raw, decoded)) {
                        if (secret.length() >= 8) {
                            redactor.registerSecret(secret);
                        }
                        int space = secret.lastIndexOf(' ');
                        if (space > 0 && secret.length() - space > 8) {
                            redactor.registerSecret(secret.substring(space + 1));
                        }
                    }
                }
            });
        }
    }

    public boolean on() {
        return sdk != null;
    }

    /** The engine's port: server spans and the MCP metrics. */
    public RequestTelemetry requests() {
        return requests;
    }

    /** The outbound client's port: a client span per backend request. */
    public BackendTracing backends() {
        return backends;
    }

    /** The pipeline stage that records tool content on spans, when the operator opted in. */
    public Optional<ToolCallInterceptor> toolContentCapture() {
        return Optional.ofNullable(toolContent);
    }

    /** Flushes what is buffered and stops exporting; waits at most 5 seconds. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    /** The SDK, for tests. */
    OpenTelemetry openTelemetry() {
        return sdk == null ? OpenTelemetry.noop() : sdk;
    }
}
