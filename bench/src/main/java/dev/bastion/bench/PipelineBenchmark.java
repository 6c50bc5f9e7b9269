package dev.bastion.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.bench.provider.BenchProviderFactory;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.BusyRefusalListener;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.McpSession;
import dev.bastion.core.mcp.MessageSink;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.spi.SettingValues;
import dev.bastion.security.SecuritySettings;
import dev.bastion.security.SecurityStages;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.errors.SafeErrors;
import dev.bastion.security.limits.DeadlineInterceptor;
import dev.bastion.security.policy.ToolPolicy;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.telemetry.McpSpans;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@code tools/call} costs in the server: one call of the benchmark provider's {@code echo}
 * tool, from the request's bytes to the response's bytes, through an in-process MCP session of the
 * engine. {@link #echoThroughPipeline} goes through the whole security pipeline as the server
 * wires it ({@code BastionModule#chain}): audit (to a discarding writer), authorization, rate
 * limit (high enough never to refuse), concurrency, argument validation, gate, redaction, result
 * size, output validation and deadline. {@link #echoThroughBareEngine} is the same call with no
 * interceptor, so the difference is the pipeline's overhead. The budget is 50 µs per call.
 * {@link #echoThroughPipelineTraced} is the pipeline with OpenTelemetry on (the real SDK, a batch
 * span processor and a periodic metric reader whose exporters drop everything): the budget with
 * tracing is 60 µs per call.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar Pipeline -f 1 -wi 3 -i 5 -w 1 -r 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

    /** Requests cycle through this many distinct ids, as a client numbers its requests. */
    private static final int IDS = 1024;

    private final ObjectMapper json = JsonMappers.create();
    private final SecretRedactor redactor = new SecretRedactor();
    private final CapturingSink sink = new CapturingSink(json);
    private final byte[][] requests = new byte[IDS][];
    private final JsonNode[] statelessRequests = new JsonNode[IDS];
    private ScheduledExecutorService deadlineTimer;
    private McpEngine pipelineEngine;
    private McpEngine bareEngine;
    private McpEngine tracedEngine;
    private McpSession tracedSession;
    private OpenTelemetrySdk openTelemetry;
    private McpSession pipelineSession;
    private McpSession bareSession;
    private int next;

    /** Serialises every response, as a transport does before writing it. */
    static final class CapturingSink implements MessageSink {
        private final ObjectMapper json;
        private byte[] last;

        CapturingSink(ObjectMapper json) {
            this.json = json;
        }

        @Override
        public void send(JsonNode message) {
            try {
                last = json.writeValueAsBytes(message);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("response not serialisable", e);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // Secrets like the server registers from its configuration, so redaction has work to do.
        redactor.registerSecret("dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM");
        redactor.registerSecret("itential-admin-P4ssw0rd!");
        SecuritySettings security = SecuritySettings.from(SettingValues.bind(SecuritySettings.SECTION_NAME,
                SecuritySettings.spec(), Map.of(
                        "rate_limit.requests_per_minute", 1_000_000_000,
                        "rate_limit.burst_size", 1_000_000_000)));
        deadlineTimer = DeadlineInterceptor.timer();
        ToolPolicy policy = new ToolPolicy(security.policy(), tool -> Optional.of(BenchProviderFactory.ID));
        List<ToolCallInterceptor> interceptors = SecurityStages.of(security, policy,
                new AuditLog(Writer.nullWriter(), redactor), redactor, json, deadlineTimer);

        McpEngineOptions options = McpEngineOptions.defaults("bench").withCallTimeout(security.limits().callTimeout());
        pipelineEngine = new McpEngine(options, json, instances(), ToolCallChain.of(interceptors), policy,
                new SafeErrors(redactor), redactor);
        bareEngine = new McpEngine(options, json, instances(), ToolCallChain.of(List.of()), ToolVisibility.ALL,
                new SafeErrors(redactor), redactor);
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite()).build()).build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(PeriodicMetricReader.builder(new DroppingMetricExporter())
                                .setInterval(Duration.ofSeconds(10)).build()).build())
                .build();
        tracedEngine = new McpEngine(options, json, instances(), ToolCallChain.of(interceptors), policy,
                new SafeErrors(redactor), redactor, BusyRefusalListener.NONE, new McpSpans(openTelemetry, redactor,
                        "pipe"));
        pipelineSession = initialized(pipelineEngine);
        bareSession = initialized(bareEngine);
        tracedSession = initialized(tracedEngine);
        for (int id = 0; id < IDS; id++) {
            requests[id] = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"echo\",\"arguments\":{\"text\":\"Bastion pipeline benchmark, echo this line back.\"}}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        for (int id = 0; id < IDS; id++) {
            statelessRequests[id] = json.readTree("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"Bastion pipeline benchmark, echo this "
                    + "line back.\"},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}");
        }
        // Fail here, not in the numbers, if a stage refuses the call.
        echoStatelessThroughPipeline();
        String stateless = new String(sink.last, StandardCharsets.UTF_8);
        if (!stateless.contains("\"resultType\":\"complete\"") || !stateless.contains("\"isError\":false")) {
            throw new IllegalStateException("the stateless echo call failed: " + stateless);
        }
        for (McpSession session : List.of(pipelineSession, bareSession, tracedSession)) {
            call(session);
            String response = new String(sink.last, StandardCharsets.UTF_8);
            if (!response.contains("\"text\":\"Bastion pipeline benchmark, echo this line back.\"")
                    || !response.contains("\"isError\":false")) {
                throw new IllegalStateException("the echo call failed: " + response);
            }
        }
    }

    private java.util.function.Supplier<List<ProviderInstance>> instances() {
        ProviderFactory factory = new BenchProviderFactory();
        ServerProviderContext context = new ServerProviderContext(json, redactor, Clock.systemUTC(), "bench", Map.of());
        ProviderInstance instance = new ProviderInstance(factory.id(), factory.toolPrefix(), ProviderConfig.DEFAULT_ALIAS,
                factory.instanceArgument(), factory.create(new ProviderConfig(factory.id(), ProviderConfig.DEFAULT_ALIAS,
                        Map.of()), context));
        return () -> List.of(instance);
    }

    private McpSession initialized(McpEngine engine) throws Exception {
        McpSession session = engine.openSession("bench-session", Principal.local(), MessageSink.DISCARD);
        session.handleRaw(("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"jmh\",\"version\":\"1\"}}}")
                .getBytes(StandardCharsets.UTF_8), MessageSink.DISCARD).get();
        session.handleRaw("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}".getBytes(StandardCharsets.UTF_8),
                MessageSink.DISCARD).get();
        return session;
    }

    private byte[] call(McpSession session) throws InterruptedException, ExecutionException {
        byte[] request = requests[next];
        next = (next + 1) % IDS;
        session.handleRaw(request, sink).get();
        return sink.last;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pipelineEngine.close();
        bareEngine.close();
        tracedEngine.close();
        openTelemetry.shutdown().join(5, TimeUnit.SECONDS);
        deadlineTimer.shutdownNow();
    }

    /** tools/call of echo through every stage of the security pipeline. */
    @Benchmark
    public byte[] echoThroughPipeline() throws Exception {
        return call(pipelineSession);
    }

    /**
     * The same call in protocol 2026-07-28: no session, so each request brings its state in
     * {@code _meta} and gets a fresh stateless session (as the HTTP transport does per POST).
     */
    @Benchmark
    public byte[] echoStatelessThroughPipeline() throws Exception {
        JsonNode request = statelessRequests[next];
        next = (next + 1) % IDS;
        McpSession session = pipelineEngine.openStatelessRequest(Principal.local());
        session.handle(request, sink, 160).get();
        session.close();
        return sink.last;
    }

    /** The same call through every stage, traced: a server span and the MCP duration metric per call. */
    @Benchmark
    public byte[] echoThroughPipelineTraced() throws Exception {
        return call(tracedSession);
    }

    /** Receives the metrics every interval and drops them: the cost of recording without a network. */
    static final class DroppingMetricExporter implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }
    }

    /** The same call through the engine with no interceptor. */
    @Benchmark
    public byte[] echoThroughBareEngine() throws Exception {
        return call(bareSession);
    }
}
