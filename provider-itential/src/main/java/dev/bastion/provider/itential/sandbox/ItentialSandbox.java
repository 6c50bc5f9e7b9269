package dev.bastion.provider.itential.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import dev.bastion.toolkit.sandbox.RequestLog;
import dev.bastion.toolkit.sandbox.SandboxCredentials;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A loopback simulator of the Itential Platform REST API: session login ({@code POST /login},
 * then {@code ?token=}) and OAuth client credentials ({@code POST /oauth/token}, then
 * {@code Authorization: Bearer}), {@code /whoami}, the health pages, Operations Manager triggers
 * and jobs (a trigger run spawns a job that progresses by the sandbox's clock), MOP command
 * templates and device commands on simulated Cisco IOS XE, NX-OS and Junos devices, and
 * Configuration Manager devices with their configurations, device groups, backups, golden
 * configuration and compliance plans; adapter and application start and stop, automations, job
 * cancel and metrics, integration models, Lifecycle Manager resources and actions, and Gateway
 * Manager services. Whatever takes time on the platform (a job, an adapter starting, a compliance
 * run, a Lifecycle Manager action) takes it by the sandbox's clock. The content is generated from the
 * seed; the credentials are random per start. Every route but {@code /login},
 * {@code /oauth/token} and {@code /health/status} needs a valid, unexpired token, else 401 with
 * the plain-text body {@code Unauthorized}.
 *
 * <p>The password, the client secret and every token it issues are masked in {@link #requests()}
 * (the {@code token} query parameter always is). Deviations from the real platform, chosen and
 * documented: {@code GET /mop/listATemplate/{name}} answers {@code []} for an unknown name; Basic
 * authentication and the session cookie are not simulated.
 */
public final class ItentialSandbox implements Sandbox, RequestLog {

    /** The local user's name. */
    public static final String USERNAME = "sandbox-operator";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern TOKEN_PARAMETER = Pattern.compile("(^|&)token=[^&]*");

    /**
     * How to start a sandbox.
     *
     * @param seed the seed of the generated content
     * @param clock the sandbox's time: token expiry, job progress, device clocks
     * @param tokenTtl how long login and OAuth tokens are valid
     */
    public record Options(long seed, Clock clock, Duration tokenTtl) {
        public Options {
            requireNonNull(clock, "clock is null");
            requireNonNull(tokenTtl, "tokenTtl is null");
            if (tokenTtl.isNegative() || tokenTtl.isZero()) {
                throw new IllegalArgumentException("tokenTtl must be positive");
            }
        }

        /** Seed 42, the system clock in UTC, tokens valid for an hour. */
        public static Options defaults() {
            return new Options(42L, Clock.systemUTC(), Duration.ofHours(1));
        }
    }

    /** A command the sandbox ran on a simulated device, after variable substitution. */
    public record DeviceCommand(String device, String command) {
        public DeviceCommand {
            requireNonNull(device, "device is null");
            requireNonNull(command, "command is null");
        }
    }

    private final ItentialSandboxData data;
    private final SandboxSessions sessions;
    private final String password;
    private final String clientId;
    private final String clientSecret;
    private final AtomicInteger logins = new AtomicInteger();
    private final List<DeviceCommand> commands = new CopyOnWriteArrayList<>();
    private final SandboxServer server;
    private final Clock clock;
    private final OperationsManagerEndpoints operations;
    private final ConfigurationManagerEndpoints configurationManager;
    private final ComplianceEndpoints compliance;
    private final LifecycleManagerEndpoints lifecycle;

    private ItentialSandbox(Options options) {
        this.clock = options.clock();
        this.data = new ItentialSandboxData(options.seed(), clock.millis());
        this.sessions = new SandboxSessions(clock, options.tokenTtl());
        this.password = SandboxCredentials.random(SandboxCredentials.ALPHANUMERIC, 24);
        this.clientId = SandboxCredentials.random(SandboxCredentials.HEX, 24);
        this.clientSecret = UUID.randomUUID().toString();
        PlatformEndpoints.Accounts accounts = new PlatformEndpoints.Accounts(
                new SandboxSessions.Principal(data.userId, USERNAME, "Sandbox", false), password,
                new SandboxSessions.Principal(clientId, "sandbox-service-account", "Sandbox Service", true),
                clientSecret);
        SandboxServer.Builder builder = SandboxServer.builder("Itential", ItentialSandbox::error)
                .auth(request -> sessions.principal(request).isPresent() ? Optional.empty()
                        : Optional.of(SandboxResponse.text(401, "Unauthorized")))
                .secret(password)
                .secret(clientSecret);
        SimulatedComponents adapters = new SimulatedComponents(data.adapters, true);
        SimulatedComponents applications = new SimulatedComponents(data.applications, false);
        new PlatformEndpoints(data, sessions, accounts, clock, logins, adapters, applications).register(builder);
        new ComponentEndpoints(adapters, applications, clock).register(builder);
        this.operations = new OperationsManagerEndpoints(data, sessions, clock);
        operations.register(builder);
        new WorkflowEngineEndpoints(data, operations::jobs, clock).register(builder);
        new MopEndpoints(data, clock, commands).register(builder);
        // The endpoints below generate their content from the seed as they are made, in this order.
        this.configurationManager = new ConfigurationManagerEndpoints(data, sessions, clock);
        configurationManager.register(builder);
        this.compliance = new ComplianceEndpoints(data, clock);
        compliance.register(builder);
        new IntegrationModelEndpoints(data).register(builder);
        this.lifecycle = new LifecycleManagerEndpoints(data, operations, clock);
        lifecycle.register(builder);
        new GatewayManagerEndpoints().register(builder);
        this.server = builder.start();
    }

    /** Starts a sandbox on an ephemeral loopback port. */
    public static ItentialSandbox start(Options options) {
        return new ItentialSandbox(requireNonNull(options, "options is null"));
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String url() {
        return server.url().toString();
    }

    public String username() {
        return USERNAME;
    }

    /** The local user's password, random per start. */
    public String password() {
        return password;
    }

    /** The OAuth client's id: 24 hex digits, like a Mongo ObjectId, random per start. */
    public String clientId() {
        return clientId;
    }

    /** The OAuth client's secret, a random UUID per start. */
    public String clientSecret() {
        return clientSecret;
    }

    /** How many {@code POST /login} calls succeeded so far. */
    public int logins() {
        return logins.get();
    }

    /** The names of all simulated devices, in inventory order. */
    public List<String> deviceNames() {
        return data.devices.stream().map(ItentialSandboxData.Device::name).toList();
    }

    /** The ids of the generated (historical) jobs, newest last. */
    public List<String> jobIds() {
        return data.historicalJobs.stream().map(SimulatedJob::id).toList();
    }

    /** The ids of the jobs {@code running} now by the sandbox's clock, historical and started since, oldest first. */
    public List<String> runningJobIds() {
        long now = clock.millis();
        return operations.jobs().stream().filter(job -> job.status(now).equals("running")).map(SimulatedJob::id)
                .toList();
    }

    /** The ids of the Operations Manager automations (the triggers' {@code actionId}s). */
    public List<String> automationIds() {
        return data.automations.stream().map(ItentialSandboxData.Automation::id).toList();
    }

    /** The names of the Configuration Manager device groups. */
    public List<String> deviceGroupNames() {
        return configurationManager.groupNames();
    }

    /**
     * The current members of the device group named {@code groupName}, in order.
     *
     * @throws IllegalArgumentException when there is no such group
     */
    public List<String> groupDevices(String groupName) {
        return configurationManager.groupDevices(requireNonNull(groupName, "groupName is null"));
    }

    /** How many configuration backups Configuration Manager holds now, the generated ones included. */
    public int backups() {
        return configurationManager.backupCount();
    }

    /** The ids of the golden-config trees. */
    public List<String> goldenConfigTreeIds() {
        return compliance.treeIds();
    }

    /** The ids of the compliance plans. */
    public List<String> compliancePlanIds() {
        return compliance.planIds();
    }

    /**
     * The ids of the compliance reports of the plan instances complete now: at start, those of the
     * one finished historical instance of each plan.
     */
    public List<String> complianceReportIds() {
        return compliance.reportIds();
    }

    /** The ids of the Lifecycle Manager resource models. */
    public List<String> lifecycleResourceIds() {
        return lifecycle.modelIds();
    }

    /** The ids of the current instances of the lifecycle resource {@code resourceId}. */
    public List<String> lifecycleInstanceIds(String resourceId) {
        return lifecycle.instanceIds(resourceId);
    }

    /** The names of the MOP command templates. */
    public List<String> templateNames() {
        return data.templates.stream().map(ItentialSandboxData.Template::name).toList();
    }

    /** The route names of the enabled API endpoint triggers. */
    public List<String> endpointRoutes() {
        return data.triggers.stream().filter(t -> "endpoint".equals(t.type()) && t.enabled())
                .map(ItentialSandboxData.Trigger::routeName).toList();
    }

    /** Every command a simulated device ran, oldest first. */
    public List<DeviceCommand> commandsRun() {
        return List.copyOf(commands);
    }

    @Override
    public List<Map<String, Object>> instances() {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("alias", "sandbox");
        session.put("url", url());
        session.put("username", username());
        session.put("password", password);
        session.put("allow_insecure_loopback", true);
        Map<String, Object> oauth = new LinkedHashMap<>();
        oauth.put("alias", "oauth");
        oauth.put("url", url());
        oauth.put("client_id", clientId);
        oauth.put("client_secret", clientSecret);
        oauth.put("allow_insecure_loopback", true);
        return List.of(Collections.unmodifiableMap(session), Collections.unmodifiableMap(oauth));
    }

    /** The logged requests, oldest first, with every issued token masked besides the server's own masking. */
    @Override
    public List<LoggedRequest> requests() {
        List<String> tokens = sessions.issued();
        return server.requests().stream().map(entry -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            entry.headers().forEach((name, values) -> headers.put(name,
                    values.stream().map(value -> mask(value, tokens)).toList()));
            String query = TOKEN_PARAMETER.matcher(mask(entry.rawQuery(), tokens)).replaceAll("$1token=" + LoggedRequest.MASK);
            return new LoggedRequest(entry.method(), mask(entry.rawPath(), tokens), query, headers, entry.status());
        }).toList();
    }

    @Override
    public void close() {
        server.close();
    }

    private static String mask(String text, List<String> tokens) {
        String out = text;
        for (String token : tokens) {
            out = out.replace(token, LoggedRequest.MASK)
                    .replace(URLEncoder.encode(token, StandardCharsets.UTF_8), LoggedRequest.MASK);
        }
        return out;
    }

    /** The platform's plain JSON error, naming the rejected parameter when there is one. */
    private static SandboxResponse error(SandboxError error) {
        ObjectNode body = NODES.objectNode();
        body.put("message", error.parameter().map(p -> p + ": " + error.getMessage()).orElse(error.getMessage()));
        return SandboxResponse.json(error.status(), body);
    }
}
