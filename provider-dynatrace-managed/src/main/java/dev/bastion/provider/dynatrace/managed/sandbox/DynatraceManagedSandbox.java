package dev.bastion.provider.dynatrace.managed.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.provider.dynatrace.managed.ManagedSettings;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import dev.bastion.toolkit.sandbox.RequestLog;
import dev.bastion.toolkit.sandbox.SandboxAuth;
import dev.bastion.toolkit.sandbox.SandboxCredentials;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A loopback simulator of the Dynatrace Managed Environment API v2 (and the v1 cluster version),
 * serving every endpoint the provider uses with data shaped like recorded responses. It checks
 * {@code Api-Token} authentication (401 with the API's error envelope), required parameters and
 * page size caps (400 with {@code constraintViolations}), {@code nextPageKey} sent alone (and
 * signed: a forged one is a 400), and token scopes (403); the write endpoints change its state.
 * Each environment gets a random id and a random token in the real {@code dt0c01} format at startup.
 *
 * <p>The HTTP side is the toolkit's {@link SandboxServer}; the endpoints are one class per family
 * ({@link ProblemEndpoints}, {@link EventEndpoints}, {@link EntityEndpoints}, {@link MetricEndpoints},
 * {@link LogEndpoints}, {@link SecurityProblemEndpoints}, {@link SloEndpoints},
 * {@link AuditLogEndpoints}, {@link EnvironmentEndpoints}).
 */
public final class DynatraceManagedSandbox implements Sandbox, RequestLog {

    private static final String ENVIRONMENT_API = "/e/{environment}/api/";

    /**
     * How to start a sandbox.
     *
     * @param aliases one environment per alias
     * @param holdUntilInFlight when above 1, every request waits until this many requests are in
     *     flight together (a barrier), so a test can prove calls run in parallel without timing
     * @param holdTimeout how long a held request waits before it fails with 503
     * @param scopes the scopes the generated tokens carry
     * @param seed the seed of the generated data
     */
    public record Options(List<String> aliases, int holdUntilInFlight, Duration holdTimeout, List<String> scopes,
            long seed) {

        public Options {
            aliases = List.copyOf(requireNonNull(aliases, "aliases is null"));
            if (aliases.isEmpty()) {
                throw new IllegalArgumentException("a sandbox needs at least one environment");
            }
            requireNonNull(holdTimeout, "holdTimeout is null");
            scopes = List.copyOf(requireNonNull(scopes, "scopes is null"));
        }

        /** One environment, alias {@code sandbox}, every scope. */
        public static Options defaults() {
            return new Options(List.of("sandbox"), 0, Duration.ofSeconds(10), SandboxEnvironment.ALL_SCOPES, 42L);
        }

        public Options withAliases(String... values) {
            return new Options(List.of(values), holdUntilInFlight, holdTimeout, scopes, seed);
        }

        public Options holdUntilInFlight(int requests, Duration timeout) {
            return new Options(aliases, requests, timeout, scopes, seed);
        }

        public Options withScopes(List<String> values) {
            return new Options(aliases, holdUntilInFlight, holdTimeout, values, seed);
        }
    }

    private final List<SandboxEnvironment> environments;
    private final SandboxServer server;

    private DynatraceManagedSandbox(Options options) {
        ObjectMapper json = new ObjectMapper();
        long now = System.currentTimeMillis();
        Map<String, SandboxEnvironment> byId = new LinkedHashMap<>();
        int index = 0;
        for (String alias : options.aliases()) {
            String id = UUID.randomUUID().toString();
            SandboxData data = new SandboxData(json, options.seed() + index++, now);
            byId.put(id, new SandboxEnvironment(alias, id, token(), options.scopes(), data));
        }
        this.environments = List.copyOf(byId.values());
        SandboxServer.Builder builder = SandboxServer.builder("Dynatrace Managed", DynatraceManagedSandbox::error)
                .json(json)
                .auth(auth(Map.copyOf(byId)))
                .holdUntilInFlight(Math.max(0, options.holdUntilInFlight()), options.holdTimeout());
        environments.forEach(environment -> builder.secret(environment.token()));
        ApiRoutes routes = new ApiRoutes() {
            @Override
            public ApiRoutes get(String path, Endpoint endpoint) {
                builder.route("GET", ENVIRONMENT_API + path, request -> answer(byId, request, 200, endpoint));
                return this;
            }

            @Override
            public ApiRoutes post(String path, int status, Endpoint endpoint) {
                builder.route("POST", ENVIRONMENT_API + path, request -> answer(byId, request, status, endpoint));
                return this;
            }
        };
        EnvironmentEndpoints.register(routes);
        ProblemEndpoints.register(routes);
        EventEndpoints.register(routes);
        EntityEndpoints.register(routes);
        MetricEndpoints.register(routes);
        LogEndpoints.register(routes);
        SecurityProblemEndpoints.register(routes);
        SloEndpoints.register(routes);
        AuditLogEndpoints.register(routes);
        this.server = builder.start();
    }

    /** Starts a sandbox on an ephemeral loopback port. */
    public static DynatraceManagedSandbox start(Options options) {
        return new DynatraceManagedSandbox(requireNonNull(options, "options is null"));
    }

    /** A token in the real classic format: {@code dt0c01.<24 chars>.<64 chars>}. */
    static String token() {
        return "dt0c01." + SandboxCredentials.random(SandboxCredentials.BASE32, 24) + "."
                + SandboxCredentials.random(SandboxCredentials.BASE32, 64);
    }

    /** The cluster URL, {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return server.url();
    }

    public List<SandboxEnvironment> environments() {
        return environments;
    }

    public SandboxEnvironment environment(String alias) {
        return environments.stream().filter(e -> e.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sandbox environment " + alias));
    }

    /** Every request received so far (the latest 10,000), as {@code METHOD /path?query}. */
    public List<String> requestLog() {
        return server.requests().stream().map(request -> request.method() + " " + request.pathAndQuery()).toList();
    }

    /** Every request received so far (the latest 10,000), with headers (credentials masked) and status. */
    @Override
    public List<LoggedRequest> requests() {
        return server.requests();
    }

    @Override
    public List<Map<String, Object>> instances() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SandboxEnvironment environment : environments) {
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("alias", environment.alias());
            instance.put(ManagedSettings.URL, url().toString());
            instance.put(ManagedSettings.ENVIRONMENT_ID, environment.environmentId());
            instance.put(ManagedSettings.API_TOKEN, environment.token());
            instance.put(ManagedSettings.ALLOW_INSECURE_LOOPBACK, true);
            out.add(Collections.unmodifiableMap(instance));
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * Paths outside {@code /e/<id>/api/} and unknown environments are 404 before the token check, as
     * on a real cluster; inside an environment its own token is required.
     */
    private static SandboxAuth auth(Map<String, SandboxEnvironment> byId) {
        SandboxAuth token = SandboxAuth.header("Authorization", "Api-Token",
                request -> environment(byId, request).map(SandboxEnvironment::token),
                refusal -> error(SandboxError.of(401, refusal == SandboxAuth.Refusal.MISSING
                        ? "Missing authorization parameter." : "Token Authentication failed")));
        return request -> {
            List<String> segments = request.segments();
            if (segments.size() < 4 || !segments.get(0).equals("e") || !segments.get(2).equals("api")) {
                return Optional.of(error(SandboxError.notFound("Not found")));
            }
            if (environment(byId, request).isEmpty()) {
                return Optional.of(error(SandboxError.notFound("Environment not found")));
            }
            return token.refuse(request);
        };
    }

    private static Optional<SandboxEnvironment> environment(Map<String, SandboxEnvironment> byId,
                                                            SandboxRequest request) {
        return request.segments().size() < 2 ? Optional.empty()
                : Optional.ofNullable(byId.get(request.segments().get(1)));
    }

    private static SandboxResponse answer(Map<String, SandboxEnvironment> byId, SandboxRequest request, int status,
                                          ApiRoutes.Endpoint endpoint) {
        SandboxEnvironment environment = environment(byId, request)
                .orElseThrow(() -> SandboxError.notFound("Environment not found"));
        ApiCall call = ApiCall.of(environment, request);
        synchronized (environment) {
            return SandboxResponse.json(status, endpoint.answer(call));
        }
    }

    /** The Environment API's error envelope, with {@code constraintViolations} for a rejected parameter. */
    private static SandboxResponse error(SandboxError failure) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", failure.status());
        error.put("message", failure.parameter().isPresent() ? "Constraints violated." : failure.getMessage());
        failure.parameter().ifPresent(parameter -> {
            ObjectNode violation = error.putArray("constraintViolations").addObject();
            violation.put("path", parameter);
            violation.put("message", failure.getMessage());
            violation.put("parameterLocation", switch (failure.location().orElseThrow()) {
                case BODY -> "PAYLOAD_BODY";
                case PATH -> "PATH";
                case HEADER -> "HEADER";
                case QUERY -> "QUERY";
            });
            violation.putNull("location");
        });
        return SandboxResponse.json(failure.status(), root);
    }
}
