package dev.bastion.app.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.bastion.app.BastionVersion;
import dev.bastion.app.config.BastionConfig;
import dev.bastion.app.config.ServerSettings;
import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.core.mcp.BusyRefusalListener;
import dev.bastion.core.mcp.JsonMappers;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.RequestTelemetry;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.sanitize.ErrorSanitizer;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.EnabledTools;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.security.SecuritySettings;
import dev.bastion.security.SecurityStages;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.audit.BusyRefusalAudit;
import dev.bastion.security.command.CommandPolicy;
import dev.bastion.security.command.CommandRunner;
import dev.bastion.security.command.DeviceCommandPolicy;
import dev.bastion.security.errors.SafeErrors;
import dev.bastion.security.limits.DeadlineInterceptor;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.path.PathPolicy;
import dev.bastion.security.policy.RequestStateKey;
import dev.bastion.security.policy.ToolPolicy;
import dev.bastion.security.ratelimit.RateLimitStore;
import dev.bastion.security.ratelimit.RateLimitStores;
import dev.bastion.telemetry.Telemetry;
import dev.bastion.transport.http.metrics.MetricsInterceptor;
import dev.bastion.transport.http.metrics.ServerMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The server's object graph: security services, provider instances, the tools/call pipeline and
 * the protocol engine. Providers are never referenced by class: they arrive as discovered
 * factories, so a custom distribution is just a different classpath or plugin directory.
 */
final class BastionModule extends AbstractModule {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BastionModule.class);

    private final BastionConfig config;
    private final Redactor redactor;
    private final List<DiscoveredProvider> providers;
    private final Map<String, String> environment;
    private final PrintStream stderr;
    private final String transport;

    static final String STDIO = "stdio";
    static final String HTTP = "http";

    BastionModule(BastionConfig config, Redactor redactor, List<DiscoveredProvider> providers,
                  Map<String, String> environment, PrintStream stderr) {
        this(config, redactor, providers, environment, stderr, STDIO);
    }

    /** @param transport {@value #STDIO} or {@value #HTTP}: what the server serves, for telemetry and metrics */
    BastionModule(BastionConfig config, Redactor redactor, List<DiscoveredProvider> providers,
                  Map<String, String> environment, PrintStream stderr, String transport) {
        this.transport = requireNonNull(transport, "transport is null");
        this.config = requireNonNull(config, "config is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.providers = List.copyOf(requireNonNull(providers, "providers is null"));
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.stderr = requireNonNull(stderr, "stderr is null");
    }

    @Override
    protected void configure() {
        bind(BastionConfig.class).toInstance(config);
        bind(Redactor.class).toInstance(redactor);
    }

    @Provides
    @Singleton
    ObjectMapper json() {
        return JsonMappers.create();
    }

    @Provides
    @Singleton
    SecuritySettings security() {
        return SecuritySettings.from(config.section(SecuritySettings.SECTION_NAME));
    }

    @Provides
    @Singleton
    ServerSettings server() {
        return ServerSettings.from(config.section(ServerSettings.SECTION_NAME));
    }

    @Provides
    @Singleton
    ErrorSanitizer errors() {
        return new SafeErrors(redactor);
    }

    @Provides
    @Singleton
    OutboundHttp outbound(Telemetry telemetry) {
        return new OutboundHttp(redactor, BastionVersion.get(), environment, OutboundHttp.RequestObserver.NONE,
                telemetry.backends());
    }

    /** OpenTelemetry, off unless the standard OTEL_* variables configure an exporter. */
    @Provides
    @Singleton
    Telemetry telemetry(ObjectMapper json) {
        return Telemetry.configure(environment, redactor, json, transport, BastionVersion.get());
    }

    @Provides
    @Singleton
    PathPolicy paths(SecuritySettings security) {
        return new PathPolicy(security.paths());
    }

    @Provides
    @Singleton
    ServerProviderContext providerContext(ObjectMapper json, OutboundHttp outbound, PathPolicy paths,
                                          SecuritySettings security, ToolPolicy policy) {
        CommandPolicy commands = security.commands().commands();
        return new ServerProviderContext(json, redactor, Clock.systemUTC(), BastionVersion.get(), Map.of(
                OutboundHttp.class, outbound,
                PathPolicy.class, paths,
                CommandPolicy.class, commands,
                CommandRunner.class, new CommandRunner(commands, paths),
                DeviceCommandPolicy.class, security.commands().deviceCommands(),
                EnabledTools.class, policy));
    }

    @Provides
    @Singleton
    ProviderInstances instances(ServerProviderContext context, ErrorSanitizer sanitizer) {
        return ProviderInstances.create(providers, config, context, sanitizer);
    }

    @Provides
    @Singleton
    ToolPolicy toolPolicy(SecuritySettings security, com.google.inject.Provider<McpEngine> engine) {
        // The engine's catalog knows which provider owns a tool and which instances offer it; it is
        // read lazily, per decision. Each instance's own read_only and approval come from its configuration.
        config.instancePolicies().forEach((id, byAlias) -> byAlias.forEach((alias, own) -> {
            if (own.overrides()) {
                LOG.info("provider {}/{} has its own policy:{}{}", id, alias,
                        own.readOnly().map(value -> " read_only=" + value).orElse(""),
                        own.approval().map(value -> " approval=" + value.configName()).orElse(""));
            }
        }));
        return new ToolPolicy(security.policy(),
                tool -> engine.get().catalog().tool(tool.name())
                        .map(registered -> new ToolPolicy.Owner(registered.providerId(), registered.aliases())),
                config.instancePolicies());
    }

    @Provides
    @Singleton
    AuditLog auditLog(SecuritySettings security) {
        try {
            return AuditLog.open(security.audit(), redactor, stderr);
        } catch (IOException e) {
            throw new StartupException("The audit file cannot be opened: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new StartupException("The audit file cannot be opened: " + e.getCause().getMessage());
        }
    }

    @Provides
    @Singleton
    ServerMetrics metrics() {
        return new ServerMetrics();
    }

    @Provides
    @Singleton
    ScheduledExecutorService deadlineTimer() {
        return DeadlineInterceptor.timer();
    }

    /**
     * A "Server busy" refusal happens before the pipeline, so its audit stage and metrics never see
     * it: it is counted (every method) and audited (tools/call, when the audit is on) here instead.
     */
    static BusyRefusalListener busyRefusals(SecuritySettings security, AuditLog audit, ServerMetrics metrics) {
        BusyRefusalListener audited = security.audit().enabled() ? new BusyRefusalAudit(audit) : BusyRefusalListener.NONE;
        return refusal -> {
            metrics.busyRefusal(refusal.method());
            audited.refused(refusal);
        };
    }

    /** In this process, or shared with the other replicas through Redis ({@code security.rate_limit.store}). */
    @Provides
    @Singleton
    RateLimitStore rateLimits(SecuritySettings security) {
        return RateLimitStores.open(security.rateLimit());
    }

    /** The tools/call pipeline; {@link dev.bastion.core.pipeline.Stage} fixes the order. */
    @Provides
    @Singleton
    ToolCallChain chain(SecuritySettings security, ToolPolicy policy, AuditLog audit, ScheduledExecutorService deadlineTimer,
                        ObjectMapper json, ServerMetrics metrics, Telemetry telemetry,
                        RateLimitStore rateLimits) {
        List<ToolCallInterceptor> interceptors = new ArrayList<>();
        interceptors.add(new MetricsInterceptor(metrics));
        telemetry.toolContentCapture().ifPresent(interceptors::add);
        interceptors.addAll(SecurityStages.of(security, policy, audit, redactor, json, deadlineTimer, rateLimits));
        return ToolCallChain.of(interceptors);
    }

    @Provides
    @Singleton
    McpEngine engine(ServerSettings server, SecuritySettings security, ObjectMapper json, ProviderInstances instances,
                     ToolCallChain chain, ToolPolicy policy, ErrorSanitizer sanitizer, ServerProviderContext context,
                     AuditLog audit, ServerMetrics metrics, Telemetry telemetry) {
        byte[] stateKey = RequestStateKey.from(config.section(SecuritySettings.SECTION_NAME)).orElse(null);
        if (stateKey == null && HTTP.equals(transport)) {
            LOG.info("security.request_state_key is not set: input_required rounds (protocol 2026-07-28) are signed "
                    + "with a random key of this process, so behind a load balancer a round answered on another "
                    + "replica is refused; give every replica the same key");
        }
        McpEngineOptions options = new McpEngineOptions(server.name(), BastionVersion.get(), null, server.pageSize(),
                security.limits().callTimeout(), Duration.ofMinutes(2), 16, 256, stateKey);
        // The Prometheus endpoint exists on HTTP only; there it also shows the MCP request durations.
        RequestTelemetry requests = HTTP.equals(transport)
                ? RequestTelemetry.of(List.of(telemetry.requests(), metrics.requestTelemetry()))
                : telemetry.requests();
        McpEngine engine = new McpEngine(options, json, instances::instances, chain, policy, sanitizer, redactor,
                busyRefusals(security, audit, metrics), requests);
        context.bind(engine);
        return engine;
    }
}
