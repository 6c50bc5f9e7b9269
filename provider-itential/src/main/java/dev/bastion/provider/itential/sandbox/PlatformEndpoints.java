package dev.bastion.provider.itential.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform's own routes: {@code POST /login}, {@code POST /oauth/token}, {@code GET /whoami}
 * and the {@code /health/*} pages ({@code /health/status} needs no login).
 */
final class PlatformEndpoints {

    /** The one local user and the one OAuth client the sandbox knows. */
    record Accounts(SandboxSessions.Principal user, String password, SandboxSessions.Principal service,
                    String clientSecret) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> ROUTES = List.of("/operations-manager/jobs", "/operations-manager/jobs/:id",
            "/operations-manager/triggers", "/operations-manager/triggers/endpoint/:routeName", "/mop/listTemplates",
            "/mop/listATemplate/:name", "/mop/RunCommandDevices", "/mop/RunCommandTemplate",
            "/configuration_manager/devices", "/configuration_manager/devices/:name",
            "/configuration_manager/devices/:name/configuration");

    private final ItentialSandboxData data;
    private final SandboxSessions sessions;
    private final Accounts accounts;
    private final Clock clock;
    private final AtomicInteger logins;
    private final SimulatedComponents adapters;
    private final SimulatedComponents applications;

    PlatformEndpoints(ItentialSandboxData data, SandboxSessions sessions, Accounts accounts, Clock clock,
                      AtomicInteger logins, SimulatedComponents adapters, SimulatedComponents applications) {
        this.adapters = adapters;
        this.applications = applications;
        this.data = data;
        this.sessions = sessions;
        this.accounts = accounts;
        this.clock = clock;
        this.logins = logins;
    }

    void register(SandboxServer.Builder builder) {
        builder.openRoute("POST", "/login", this::login);
        builder.openRoute("POST", "/oauth/token", this::oauthToken);
        builder.openRoute("GET", "/health/status", this::status);
        builder.route("GET", "/whoami", this::whoami);
        builder.route("GET", "/health/system", request -> SandboxResponse.json(system()));
        builder.route("GET", "/health/server", request -> SandboxResponse.json(server()));
        builder.route("GET", "/health/adapters", request -> components(request, adapters));
        builder.route("GET", "/health/applications", request -> components(request, applications));
        builder.route("GET", "/health/adapters/{name}", request -> component(request, adapters));
        builder.route("GET", "/health/applications/{name}", request -> component(request, applications));
    }

    private SandboxResponse login(SandboxRequest request) {
        JsonNode user = request.json().path("user");
        if (!user.path("username").isTextual() || !user.path("password").isTextual()) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "user",
                    "The body must be {\"user\":{\"username\":...,\"password\":...}}");
        }
        if (!same(user.path("username").asText(), accounts.user().username())
                | !same(user.path("password").asText(), accounts.password())) {
            return SandboxResponse.text(401, "Unauthorized");
        }
        logins.incrementAndGet();
        String token = sessions.login(accounts.user());
        return new SandboxResponse(200, "application/json; charset=utf-8",
                NODES.textNode(token).toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private SandboxResponse oauthToken(SandboxRequest request) {
        if (!request.header("Content-Type").orElse("").startsWith("application/x-www-form-urlencoded")) {
            return oauthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = form(request.bodyText());
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported");
        }
        if (form.get("client_id") == null || form.get("client_secret") == null) {
            return oauthError(400, "invalid_request", "client_id and client_secret are required");
        }
        if (!same(form.get("client_id"), accounts.service().id())
                | !same(form.get("client_secret"), accounts.clientSecret())) {
            return oauthError(401, "invalid_client", "Client authentication failed");
        }
        ObjectNode out = NODES.objectNode();
        out.put("access_token", sessions.accessToken(accounts.service()));
        out.put("token_type", "bearer");
        out.put("expires_in", sessions.lifetimeSeconds());
        return SandboxResponse.json(out);
    }

    private static SandboxResponse oauthError(int status, String error, String description) {
        ObjectNode out = NODES.objectNode();
        out.put("error", error);
        out.put("error_description", description);
        return SandboxResponse.json(status, out);
    }

    private SandboxResponse whoami(SandboxRequest request) {
        SandboxSessions.Principal principal = sessions.principal(request)
                .orElseThrow(() -> SandboxError.of(401, "Unauthorized"));
        boolean names = request.queryParameter("roles").orElse("ids").equals("names");
        ObjectNode out = NODES.objectNode();
        out.put("id", principal.id());
        out.put("provenance", principal.serviceAccount() ? "Service Account" : "Local AAA");
        out.put("username", principal.username());
        out.put("firstname", principal.firstname());
        ObjectNode group = out.putArray("groups").addObject();
        group.put("id", data.groupId);
        group.put("provenance", "Local AAA");
        group.put("name", principal.serviceAccount() ? "automation_clients" : "network_operators");
        out.putArray("roles").add(names ? "Admin" : data.roleId);
        out.putArray("roleNames").add("Admin");
        ArrayNode routes = out.putArray("routes");
        ROUTES.forEach(routes::add);
        ObjectNode methods = out.putObject("methods");
        methods.putArray("OperationsManager").add("getJobs").add("getJob").add("getTriggers").add("runEndpointTrigger");
        methods.putArray("MOP").add("listTemplates").add("listATemplate").add("RunCommandDevices")
                .add("RunCommandTemplate");
        methods.putArray("ConfigurationManager").add("getDevicesFiltered").add("getDevice").add("getDeviceConfig");
        return SandboxResponse.json(out);
    }

    private SandboxResponse status(SandboxRequest request) {
        ObjectNode out = NODES.objectNode();
        out.put("host", "itential-sandbox-0");
        out.put("serverId", data.serverId);
        out.putNull("serverName");
        ArrayNode services = out.putArray("services");
        if (!request.queryParameter("exclude-services").orElse("false").equals("true")) {
            for (String service : List.of("redis", "mongo", "vault")) {
                services.addObject().put("service", service).put("status", "running");
            }
        }
        out.put("timestamp", clock.millis());
        out.put("apps", applications.allRunning(clock.millis()) ? "running" : "degraded");
        out.put("adapters", adapters.allRunning(clock.millis()) ? "running" : "degraded");
        return SandboxResponse.json(out);
    }

    private ObjectNode system() {
        ObjectNode out = NODES.objectNode();
        out.put("arch", "x64");
        out.put("release", "5.14.0-427.el9.x86_64");
        out.put("uptime", uptimeSeconds());
        out.put("freemem", 9_862_311_936L);
        out.put("totalmem", 16_496_181_248L);
        out.putArray("loadavg").add(0.42).add(0.37).add(0.31);
        ArrayNode cpus = out.putArray("cpus");
        for (int i = 0; i < 4; i++) {
            ObjectNode cpu = cpus.addObject();
            cpu.put("model", "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz");
            cpu.put("speed", 2000);
            ObjectNode times = cpu.putObject("times");
            long up = (long) uptimeSeconds() * 100;
            times.put("user", up / 9 + i * 1_000L).put("nice", 0).put("sys", up / 30).put("idle", up * 7 / 8)
                    .put("irq", up / 500);
        }
        return out;
    }

    private ObjectNode server() {
        ObjectNode out = NODES.objectNode();
        out.put("version", ItentialSandboxData.PLATFORM_VERSION);
        out.put("release", "2023.1.41");
        out.put("arch", "x64");
        out.put("platform", "linux");
        out.putObject("versions").put("node", "18.20.4").put("v8", "10.2.154.26-node.36").put("openssl", "3.0.13+quic");
        out.set("memoryUsage", memory(512_000_000L));
        out.putObject("cpuUsage").put("user", 18_772_000_000L).put("system", 2_941_000_000L);
        out.put("uptime", uptimeSeconds());
        return out;
    }

    /** The health page, filtered by field pairs ({@code equals=<id>&equalsField=id}), then cut to {@code limit}. */
    private SandboxResponse components(SandboxRequest request, SimulatedComponents components) {
        List<ObjectNode> matches = components.renderAll(clock.millis()).stream()
                .filter(OperationsManagerSearch.fieldPairs(request.query())).toList();
        int limit;
        try {
            limit = Integer.parseInt(request.queryParameter("limit").orElse(String.valueOf(matches.size())));
        } catch (NumberFormatException e) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "limit", "must be an integer");
        }
        ObjectNode out = NODES.objectNode();
        ArrayNode results = out.putArray("results");
        matches.subList(0, Math.max(0, Math.min(limit, matches.size()))).forEach(results::add);
        out.put("total", matches.size());
        return SandboxResponse.json(out);
    }

    private SandboxResponse component(SandboxRequest request, SimulatedComponents components) {
        String name = request.pathParameter("name");
        ObjectNode item = components.render(name, clock.millis()).orElseThrow(() ->
                SandboxError.notFound(components.kind() + " " + name + " not found"));
        ObjectNode out = NODES.objectNode();
        out.putArray("results").add(item);
        out.put("total", 1);
        return SandboxResponse.json(out);
    }

    static ObjectNode memory(long heapUsed) {
        ObjectNode out = NODES.objectNode();
        out.put("rss", heapUsed * 2);
        out.put("heapTotal", heapUsed * 3 / 2);
        out.put("heapUsed", heapUsed);
        out.put("external", heapUsed / 20);
        out.put("arrayBuffers", heapUsed / 100);
        return out;
    }

    private double uptimeSeconds() {
        return (clock.millis() - data.bootMillis) / 1000.0;
    }

    private static boolean same(String presented, String expected) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw SandboxError.badParameter(SandboxError.Location.BODY, "body", "has a malformed percent-encoding");
                }
            }
        }
        return out;
    }
}
