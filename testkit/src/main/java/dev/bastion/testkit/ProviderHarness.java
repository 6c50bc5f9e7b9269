package dev.bastion.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.ProviderInstance;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ListChange;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.spi.SettingValues;
import dev.bastion.core.tool.CallContext;
import dev.bastion.security.SecuritySettings;
import dev.bastion.security.SecurityStages;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.command.CommandPolicy;
import dev.bastion.security.command.CommandRunner;
import dev.bastion.security.command.DeviceCommandPolicy;
import dev.bastion.security.errors.SafeErrors;
import dev.bastion.security.limits.DeadlineInterceptor;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.path.PathPolicy;
import dev.bastion.security.policy.ToolPolicy;
import dev.bastion.security.redact.SecretRedactor;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A provider the way the server runs it, for tests: configured from a raw map with the server's
 * own binding rules ({@link #bind}), given the server's services, and called through the server's
 * tools/call pipeline (every security stage, in the server's order) over an in-process MCP
 * client. Typical use against a MockWebServer:
 *
 * <pre>{@code
 * try (ProviderHarness harness = ProviderHarness.start(new MyProviderFactory(),
 *         Map.of("alias", "test", "url", server.url("/").toString(), "allow_insecure_loopback", true))) {
 *     JsonNode result = harness.call("my_list_things", JsonNodeFactory.instance.objectNode());
 * }
 * }</pre>
 */
public final class ProviderHarness implements AutoCloseable {

    private final Instance instance;
    private final List<Instance> instances;
    private final McpEngine engine;
    private final McpTestClient client;
    private final ScheduledExecutorService deadlineTimer;
    private final StringWriter audit = new StringWriter();

    private ProviderHarness(ProviderFactory factory, List<Instance> instances, Map<String, Object> security) {
        this.instances = List.copyOf(instances);
        this.instance = instances.get(0);
        ObjectMapper json = instance.context.json();
        SecretRedactor redactor = instance.redactor;
        SecuritySettings settings = SecuritySettings.from(bind(SecuritySettings.SECTION_NAME, SecuritySettings.spec(),
                security));
        ToolPolicy policy = new ToolPolicy(settings.policy(), tool -> Optional.of(factory.id()));
        this.deadlineTimer = DeadlineInterceptor.timer();
        ToolCallChain chain = ToolCallChain.of(SecurityStages.of(settings, policy, new AuditLog(audit, redactor),
                redactor, json, deadlineTimer));
        List<ProviderInstance> registered = new java.util.ArrayList<>();
        for (Instance each : instances) {
            registered.add(new ProviderInstance(factory.id(), factory.toolPrefix(), each.config.alias(),
                    factory.instanceArgument(), each.provider));
        }
        McpEngineOptions options = McpEngineOptions.defaults("bastion-testkit")
                .withCallTimeout(settings.limits().callTimeout());
        List<ProviderInstance> catalog = List.copyOf(registered);
        this.engine = new McpEngine(options, json, () -> catalog, chain, policy, new SafeErrors(redactor), redactor);
        for (Instance each : instances) {
            each.context.delegate.bind(new ServerProviderContext.ChangeListener() {
                @Override
                public void listChanged(ListChange change) {
                    engine.listChanged(change);
                }

                @Override
                public void resourceUpdated(String uri) {
                    engine.resourceUpdated(uri);
                }
            });
        }
        this.client = McpTestClient.inProcess(engine);
        client.initialize();
    }

    /** {@code factory}'s provider configured from {@code raw}, behind the default security settings. */
    public static ProviderHarness start(ProviderFactory factory, Map<String, Object> raw) {
        return start(factory, raw, Map.of());
    }

    /**
     * As {@link #start(ProviderFactory, Map)}, with {@code security} as the server's {@code security}
     * section (dotted keys, such as {@code read_only: false} to let write tools through).
     */
    public static ProviderHarness start(ProviderFactory factory, Map<String, Object> raw, Map<String, Object> security) {
        requireNonNull(security, "security is null");
        return new ProviderHarness(factory, List.of(instance(factory, raw)), security);
    }

    /**
     * Several instances of {@code factory} behind one pipeline, as a server with several instances
     * of a provider runs them: the tools get the instance argument and fan-out tools accept
     * {@code ALL}. The instances share one redactor, which knows every instance's secrets.
     */
    public static ProviderHarness startAll(ProviderFactory factory, List<Map<String, Object>> raws,
                                           Map<String, Object> security) {
        requireNonNull(raws, "raws is null");
        requireNonNull(security, "security is null");
        if (raws.isEmpty()) {
            throw new IllegalArgumentException("no instances");
        }
        SecretRedactor shared = new SecretRedactor();
        List<Instance> instances = new java.util.ArrayList<>();
        for (Map<String, Object> raw : raws) {
            instances.add(instance(factory, raw, shared));
        }
        return new ProviderHarness(factory, instances, security);
    }

    /**
     * Binds one instance's raw values exactly as the server binds a sandbox's instances: strings,
     * numbers, booleans, lists and maps; {@code alias} names the instance.
     *
     * @throws dev.bastion.core.spi.ProviderConfigException naming every problem, without secret values
     */
    public static ProviderConfig bind(ProviderFactory factory, Map<String, Object> raw) {
        requireNonNull(factory, "factory is null");
        return bind(factory.id(), factory.configSpec(), raw);
    }

    private static ProviderConfig bind(String id, dev.bastion.core.spi.ConfigSpec spec, Map<String, Object> raw) {
        return SettingValues.bind(id, spec, requireNonNull(raw, "raw is null"));
    }

    /**
     * {@code factory}'s provider configured from {@code raw} and given the server's services, with
     * every request it sends recorded; not behind the pipeline, for calling tools directly.
     */
    public static Instance instance(ProviderFactory factory, Map<String, Object> raw) {
        return instance(factory, raw, new SecretRedactor());
    }

    private static Instance instance(ProviderFactory factory, Map<String, Object> raw, SecretRedactor redactor) {
        requireNonNull(factory, "factory is null");
        ProviderConfig config = bind(factory, raw);
        redactor.registerShapes(factory.credentialShapes());
        config.values().values().forEach(value -> {
            if (value instanceof Secret secret && !secret.isEmpty()) {
                redactor.registerSecret(secret.reveal());
            }
        });
        Recorder recorder = new Recorder();
        OutboundHttp outbound = new OutboundHttp(redactor, "bastion-testkit", Map.of(), recorder);
        SecuritySettings security = SecuritySettings.from(bind(SecuritySettings.SECTION_NAME, SecuritySettings.spec(),
                Map.of()));
        PathPolicy paths = new PathPolicy(security.paths());
        CommandPolicy commands = security.commands().commands();
        ServerProviderContext server = new ServerProviderContext(JsonMappers.create(), redactor, Clock.systemUTC(),
                "bastion-testkit", Map.of(
                        OutboundHttp.class, outbound,
                        PathPolicy.class, paths,
                        CommandPolicy.class, commands,
                        CommandRunner.class, new CommandRunner(commands, paths),
                        DeviceCommandPolicy.class, security.commands().deviceCommands()));
        RecordingContext context = new RecordingContext(server);
        Provider provider = factory.create(config, context);
        return new Instance(requireNonNull(provider, "the factory created no provider"), config, Map.copyOf(raw),
                redactor, recorder, context);
    }

    /** Calls {@code tool} through the pipeline and returns its CallToolResult (fails on a JSON-RPC error). */
    public JsonNode call(String tool, ObjectNode arguments) {
        return client.callTool(tool, arguments);
    }

    /** The MCP client talking to the pipeline, for requests other than tool calls. */
    public McpTestClient client() {
        return client;
    }

    /** The provider instance behind the pipeline. */
    public Instance instance() {
        return instance;
    }

    /** The audit records written so far, one JSON line each. */
    public String auditLog() {
        return audit.toString();
    }

    @Override
    public void close() {
        client.close();
        engine.close();
        deadlineTimer.shutdownNow();
        instances.forEach(Instance::close);
    }

    /**
     * One request a provider sent and how it ended.
     *
     * @param headers the headers the provider set itself (credentials and {@code User-Agent} are
     *     added later, by the outbound client)
     * @param status the final HTTP status, or {@link #NO_RESPONSE} when it got none (refused,
     *     timed out, cancelled) or has not finished yet
     */
    public record Exchange(String backend, String method, String url, boolean markedIdempotent,
                           Map<String, List<String>> headers, int status) {
        public static final int NO_RESPONSE = 0;

        public Exchange {
            headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        }

        Exchange withHeaders(Map<String, List<String>> value) {
            return new Exchange(backend, method, url, markedIdempotent, value, status);
        }

        Exchange withStatus(int value) {
            return new Exchange(backend, method, url, markedIdempotent, headers, value);
        }
    }

    /** A configured provider, the requests it sent and the services it asked for. */
    public static final class Instance implements AutoCloseable {
        private final Provider provider;
        private final ProviderConfig config;
        private final Map<String, Object> raw;
        private final SecretRedactor redactor;
        private final Recorder recorder;
        private final RecordingContext context;

        private Instance(Provider provider, ProviderConfig config, Map<String, Object> raw, SecretRedactor redactor,
                         Recorder recorder, RecordingContext context) {
            this.provider = provider;
            this.config = config;
            this.raw = raw;
            this.redactor = redactor;
            this.recorder = recorder;
            this.context = context;
        }

        public Provider provider() {
            return provider;
        }

        public ProviderConfig config() {
            return config;
        }

        /** The raw configuration it was bound from. */
        public Map<String, Object> raw() {
            return raw;
        }

        /** The redactor the provider was given, with the configuration's secrets registered. */
        public Redactor redactor() {
            return redactor;
        }

        /** Every request sent so far, in the order they were sent. */
        public List<Exchange> exchanges() {
            return recorder.exchanges();
        }

        /** The simple names of the service types the provider asked its context for. */
        public Set<String> servicesAsked() {
            return Set.copyOf(context.asked);
        }

        /** Cancels {@code call} as soon as the provider sends its next request, before that request leaves. */
        public void cancelAtNextRequest(CallContext call) {
            recorder.cancelNext.set(requireNonNull(call, "call is null"));
        }

        /** Withdraws a {@link #cancelAtNextRequest} that no request has used. */
        public void cancelNoRequest() {
            recorder.cancelNext.set(null);
        }

        @Override
        public void close() {
            provider.close();
        }
    }

    /** Records each request, and completes the record with the status seen on the same thread. */
    private static final class Recorder implements OutboundHttp.RequestObserver {
        private final List<Exchange> exchanges = new ArrayList<>();
        private final ThreadLocal<Deque<Integer>> open = ThreadLocal.withInitial(ArrayDeque::new);
        private final AtomicReference<CallContext> cancelNext = new AtomicReference<>();

        @Override
        public void onRequest(String backend, String method, String url, boolean idempotent) {
            synchronized (exchanges) {
                open.get().push(exchanges.size());
                exchanges.add(new Exchange(backend, method, url, idempotent, Map.of(), Exchange.NO_RESPONSE));
            }
            CallContext call = cancelNext.getAndSet(null);
            if (call != null) {
                call.cancel("cancelled by the test when its request was sent");
            }
        }

        @Override
        public void onRequestHeaders(String backend, okhttp3.Headers headers) {
            Integer index = open.get().peek();
            if (index != null) {
                synchronized (exchanges) {
                    exchanges.set(index, exchanges.get(index).withHeaders(headers.toMultimap()));
                }
            }
        }

        @Override
        public void onResponse(String backend, String method, String url, int status) {
            complete(status);
        }

        @Override
        public void onFailure(String backend, String method, String url, IOException failure) {
            complete(Exchange.NO_RESPONSE);
        }

        private void complete(int status) {
            Integer index = open.get().poll();
            if (index == null) {
                return;
            }
            synchronized (exchanges) {
                exchanges.set(index, exchanges.get(index).withStatus(status));
            }
        }

        List<Exchange> exchanges() {
            synchronized (exchanges) {
                return List.copyOf(exchanges);
            }
        }
    }

    /** The server's context, noting which services the provider asks for. */
    private static final class RecordingContext implements ProviderContext {
        private final ServerProviderContext delegate;
        private final Set<String> asked = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

        RecordingContext(ServerProviderContext delegate) {
            this.delegate = delegate;
        }

        @Override
        public ObjectMapper json() {
            return delegate.json();
        }

        @Override
        public Redactor redactor() {
            return delegate.redactor();
        }

        @Override
        public Clock clock() {
            return delegate.clock();
        }

        @Override
        public String serverVersion() {
            return delegate.serverVersion();
        }

        @Override
        public <T> Optional<T> service(Class<T> type) {
            asked.add(type.getSimpleName());
            return delegate.service(type);
        }

        @Override
        public void listChanged(ListChange change) {
            delegate.listChanged(change);
        }

        @Override
        public void resourceUpdated(String uri) {
            delegate.resourceUpdated(uri);
        }
    }
}
