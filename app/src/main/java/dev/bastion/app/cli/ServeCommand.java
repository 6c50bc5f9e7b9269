package dev.bastion.app.cli;

import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.app.runtime.ProviderInstances;
import dev.bastion.app.runtime.StartupException;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.CallContext;
import dev.bastion.security.ratelimit.SharedRateLimits;
import dev.bastion.transport.http.HttpSettings;
import dev.bastion.transport.http.HttpStartupException;
import dev.bastion.transport.http.HttpTransport;
import dev.bastion.transport.stdio.StdioTransport;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve MCP over stdio (the transport MCP clients spawn) or Streamable HTTP.")
final class ServeCommand implements Callable<Integer> {

    enum Transport { stdio, http }

    /** How long calls still running when stdin closes may take before they are cancelled. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    @ParentCommand
    BastionCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--transport", defaultValue = "stdio", paramLabel = "stdio|http",
            description = "Transport: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "HTTP: the address to bind (default http.host, 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP: the TCP port (default http.port, 8080).")
    Integer port;

    @Option(names = "--path", paramLabel = "PATH", description = "HTTP: the MCP endpoint path (default /mcp).")
    String path;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "HTTP: PEM certificate chain for TLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "HTTP: PEM (PKCS#8) private key for TLS.")
    Path tlsKey;

    @Option(names = "--tls-pkcs12", paramLabel = "FILE",
            description = "HTTP: PKCS#12 key store for TLS (password from BASTION_HTTP_TLS_PKCS12_PASSWORD).")
    Path tlsPkcs12;

    @Option(names = "--insecure-no-auth",
            description = "HTTP: allow a non-loopback address without authentication (only behind something that "
                    + "authenticates callers; logged as a warning).")
    boolean insecureNoAuth;

    @Override
    public Integer call() throws Exception {
        if (transport == Transport.http) {
            return serveHttp();
        }
        // stdout belongs to the protocol: keep the real stream for the transport and send anything
        // else that writes to System.out (a library, a stray print) to stderr instead.
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintStream stderr = System.err;
        System.setOut(stderr);
        try (BastionRuntime runtime = BastionRuntime.start(options.launch(parent.environment()), stderr)) {
            new StdioTransport(runtime.engine(), runtime.server().maxLineBytes(), SHUTDOWN_GRACE)
                    .serve(new FileInputStream(FileDescriptor.in), protocolOut);
        }
        return 0;
    }

    private final CountDownLatch runtimeClosed = new CountDownLatch(1);

    private int serveHttp() throws InterruptedException {
        Map<String, String> environment = parent.environment();
        try (BastionRuntime runtime = BastionRuntime.start(options.launch(environment), System.err, transport.name())) {
            ProviderConfig section = runtime.config().section(HttpSettings.SECTION_NAME);
            HttpSettings settings = withCommandLine(settingsFrom(section, environment));
            Map<String, Function<CallContext, HealthStatus>> health = new HashMap<>();
            Map<String, String> credentialHeaders = new HashMap<>();
            for (ProviderInstances.Entry entry : runtime.providers().entries()) {
                health.put(entry.instance().providerId() + "/" + entry.instance().alias(),
                        entry.instance().provider()::health);
                entry.source().factory().callerCredentialHeader()
                        .ifPresent(header -> credentialHeaders.put(entry.instance().providerId(), header));
            }
            HttpTransport.Builder builder = HttpTransport.builder(runtime.engine(), settings)
                    .outbound(runtime.outbound())
                    .metrics(runtime.metrics())
                    .healthChecks(health)
                    .callerCredentialHeaders(credentialHeaders);
            if (runtime.rateLimits() instanceof SharedRateLimits shared) {
                // fail_open keeps serving with per-replica limits (degraded, still ready); fail_closed refuses calls.
                builder.componentCheck("rate_limit_store", shared::health, shared.failsClosed());
            }
            HttpTransport http = builder.build();
            try {
                http.start();
            } catch (HttpStartupException | ProviderConfigException e) {
                throw new StartupException(e.getMessage());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                http.close();
                stopped.countDown();
                // Let the main thread close the providers and the audit log before the JVM halts.
                try {
                    runtimeClosed.await(SHUTDOWN_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bastion-http-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            spec.commandLine().getErr().println("bastion: serving MCP at " + http.endpoint());
            spec.commandLine().getErr().flush();
            stopped.await();
        } finally {
            runtimeClosed.countDown();
        }
        return 0;
    }

    private static HttpSettings settingsFrom(ProviderConfig section, Map<String, String> environment) {
        try {
            return HttpSettings.from(section, environment);
        } catch (ProviderConfigException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private HttpSettings withCommandLine(HttpSettings settings) {
        HttpSettings result = settings;
        if (host != null) {
            result = result.withHost(host);
        }
        if (port != null) {
            if (port < 0 || port > 65_535) {
                throw new StartupException("--port must be between 0 and 65535");
            }
            result = result.withPort(port);
        }
        if (path != null) {
            if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
                throw new StartupException("--path must start with '/' and not end with '/', such as /mcp");
            }
            result = result.withPath(path);
        }
        if (tlsCert != null || tlsKey != null || tlsPkcs12 != null) {
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new StartupException("--tls-cert and --tls-key must be given together");
            }
            if (tlsCert != null && tlsPkcs12 != null) {
                throw new StartupException("use either --tls-cert with --tls-key or --tls-pkcs12, not both");
            }
            String password = parent.environment().get("BASTION_HTTP_TLS_PKCS12_PASSWORD");
            result = result.withTls(new HttpSettings.Tls(tlsCert, tlsKey, tlsPkcs12,
                    password == null ? (settings.tls() == null ? null : settings.tls().pkcs12Password())
                            : dev.bastion.core.spi.Secret.of(password)));
        }
        return result.withInsecureNoAuth(insecureNoAuth);
    }
}
