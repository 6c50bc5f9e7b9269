package dev.bastion.app.runtime;

import static java.util.Objects.requireNonNull;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import dev.bastion.app.config.BastionConfig;
import dev.bastion.app.config.ConfigException;
import dev.bastion.app.config.ConfigLoader;
import dev.bastion.app.config.ConfigSection;
import dev.bastion.app.config.LoggingSettings;
import dev.bastion.app.config.ServerSettings;
import dev.bastion.app.logging.LogRedaction;
import dev.bastion.app.logging.LoggingSetup;
import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.app.plugin.DiscoveredProviders;
import dev.bastion.app.plugin.PluginException;
import dev.bastion.app.plugin.ProviderDiscovery;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.security.SecuritySettings;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.telemetry.Telemetry;
import dev.bastion.security.policy.ToolPolicy;
import dev.bastion.security.ratelimit.RateLimitStore;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.transport.http.HttpSettings;
import dev.bastion.transport.http.metrics.ServerMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started server: configuration loaded and checked, providers discovered and created, the
 * pipeline and the protocol engine built. Transports and CLI commands run on top of it.
 */
public final class BastionRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BastionRuntime.class);

    /**
     * The server's own configuration sections, in the order the reference shows them. Each is read
     * into its typed settings while the configuration loads, so {@code bastion config} refuses what
     * {@code serve} would refuse (the HTTP section too: a broken one is a broken configuration, even
     * for a stdio start).
     */
    public static final List<ConfigSection> SERVER_SECTIONS = List.of(ServerSettings.SECTION, LoggingSettings.SECTION,
            new ConfigSection(SecuritySettings.SECTION_NAME, SecuritySettings.spec(),
                    (section, environment) -> SecuritySettings.from(section)),
            new ConfigSection(HttpSettings.SECTION_NAME, HttpSettings.spec(), HttpSettings::from));

    private final BastionConfig config;
    private final DiscoveredProviders discovered;
    private final Sandboxes sandboxes;
    private final Injector injector;
    private final SecretRedactor redactor;

    private BastionRuntime(BastionConfig config, DiscoveredProviders discovered, Sandboxes sandboxes,
                           Injector injector, SecretRedactor redactor) {
        this.config = config;
        this.discovered = discovered;
        this.sandboxes = sandboxes;
        this.injector = injector;
        this.redactor = redactor;
    }

    /** Loads only the configuration (for {@code bastion config}): nothing is started. */
    public static Loaded load(LaunchOptions options) {
        SecretRedactor redactor = new SecretRedactor();
        LogRedaction.use(redactor);
        DiscoveredProviders discovered = discover(options);
        registerCredentialShapes(redactor, discovered);
        Sandboxes sandboxes = options.sandbox() ? Sandboxes.start(discovered.all()) : Sandboxes.none();
        try {
            BastionConfig config = loadConfig(options, discovered, sandboxes);
            config.secretValues().forEach(redactor::registerSecret);
            // The inbound tokens too, so that `bastion config` and errors hide them wherever they were placed.
            HttpSettings.environmentTokenValues(config.section(HttpSettings.SECTION_NAME), options.environment())
                    .forEach(redactor::registerSecret);
            return new Loaded(config, discovered, sandboxes, redactor);
        } catch (RuntimeException e) {
            sandboxes.close();
            discovered.close();
            throw e;
        }
    }

    /** Starts the server. Failures are {@link StartupException}s with an operator-readable message. */
    public static BastionRuntime start(LaunchOptions options, PrintStream stderr) {
        return start(options, stderr, BastionModule.STDIO);
    }

    /** As above, for a server that serves {@code http} (or {@code stdio}): telemetry and metrics say which. */
    public static BastionRuntime start(LaunchOptions options, PrintStream stderr, String transport) {
        Loaded loaded = load(options);
        try {
            LoggingSetup.configure(LoggingSettings.from(loaded.config().section(LoggingSettings.SECTION_NAME)),
                    loaded.redactor());
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new BastionModule(loaded.config(),
                    loaded.redactor(), loaded.discovered().all(), options.environment(), stderr, transport));
            return new BastionRuntime(loaded.config(), loaded.discovered(), loaded.sandboxes(), injector,
                    loaded.redactor());
        } catch (CreationException e) {
            loaded.close();
            throw unwrap(e.getErrorMessages());
        } catch (ProvisionException e) {
            loaded.close();
            throw unwrap(e.getErrorMessages());
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** Configuration and discovery without the running parts. */
    public record Loaded(BastionConfig config, DiscoveredProviders discovered, Sandboxes sandboxes,
                         SecretRedactor redactor) implements AutoCloseable {
        public Loaded {
            requireNonNull(config, "config is null");
        }

        @Override
        public void close() {
            sandboxes.close();
            discovered.close();
        }
    }

    private static DiscoveredProviders discover(LaunchOptions options) {
        try {
            return ProviderDiscovery.forApplication().discover(options.pluginDirectory());
        } catch (PluginException e) {
            throw new StartupException(String.join("\n", e.problems()));
        }
    }

    /**
     * Registers every discovered provider's credential shapes (classpath and plugin jars alike)
     * before the configuration is read, so that its errors already hide vendor tokens.
     */
    private static void registerCredentialShapes(SecretRedactor redactor, DiscoveredProviders discovered) {
        for (DiscoveredProvider provider : discovered.all()) {
            List<CredentialShape> shapes;
            try {
                shapes = List.copyOf(provider.factory().credentialShapes());
            } catch (RuntimeException | LinkageError e) {
                discovered.close();
                throw new StartupException("provider " + provider.id() + " (" + provider.source()
                        + ") could not declare its credential shapes: " + e.getClass().getSimpleName());
            }
            redactor.registerShapes(shapes);
            LOG.debug("provider {} declares {} credential shape(s)", provider.id(), shapes.size());
        }
    }

    private static BastionConfig loadConfig(LaunchOptions options, DiscoveredProviders discovered,
                                            Sandboxes sandboxes) {
        try {
            ConfigLoader.Builder loader = ConfigLoader.builder()
                    .serverSections(SERVER_SECTIONS)
                    .providers(discovered.factories());
            sandboxes.instances().forEach(loader::sandboxInstances);
            return loader.build().load(options.configFile(), options.environment());
        } catch (ConfigException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private static RuntimeException unwrap(Collection<Message> messages) {
        // Guice reports one failing provision once per object that depends on it: say each problem once.
        Set<String> problems = new LinkedHashSet<>();
        for (Message message : messages) {
            Throwable cause = message.getCause();
            if (cause instanceof StartupException startup) {
                return startup;
            }
            if (cause instanceof ProviderConfigException) {
                problems.add(cause.getMessage());
            } else if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
                // Catalog conflicts (two providers, one tool name) and invalid descriptors say what is wrong.
                problems.add(cause.getMessage());
            } else {
                problems.add(cause == null ? message.getMessage() : "startup failed: " + cause.getMessage());
            }
        }
        return new StartupException(String.join("\n", problems));
    }

    public McpEngine engine() {
        return injector.getInstance(McpEngine.class);
    }

    public BastionConfig config() {
        return config;
    }

    public ProviderInstances providers() {
        return injector.getInstance(ProviderInstances.class);
    }

    /** The tools/call pipeline as wired. */
    public ToolCallChain chain() {
        return injector.getInstance(ToolCallChain.class);
    }

    public ToolPolicy toolPolicy() {
        return injector.getInstance(ToolPolicy.class);
    }

    public OutboundHttp outbound() {
        return injector.getInstance(OutboundHttp.class);
    }

    /** The server's metrics (tool calls from the pipeline; HTTP requests from the HTTP transport). */
    public ServerMetrics metrics() {
        return injector.getInstance(ServerMetrics.class);
    }

    public DiscoveredProviders discovered() {
        return discovered;
    }

    public ServerSettings server() {
        return injector.getInstance(ServerSettings.class);
    }

    /** Where the rate limits are kept (this process or the replicas' shared Redis). */
    public RateLimitStore rateLimits() {
        return injector.getInstance(RateLimitStore.class);
    }

    public SecretRedactor redactor() {
        return redactor;
    }

    /** The running sandbox of the given type, when {@code --sandbox} started one. */
    public <T extends Sandbox> Optional<T> sandbox(Class<T> type) {
        return sandboxes.find(type);
    }

    @Override
    public void close() {
        engine().close();
        providers().close();
        injector.getInstance(ScheduledExecutorService.class).shutdownNow();
        rateLimits().close();
        try {
            injector.getInstance(AuditLog.class).close();
        } catch (IOException e) {
            LOG.warn("the audit log did not close cleanly: {}", e.getMessage());
        }
        injector.getInstance(Telemetry.class).close();
        sandboxes.close();
        discovered.close();
    }
}
