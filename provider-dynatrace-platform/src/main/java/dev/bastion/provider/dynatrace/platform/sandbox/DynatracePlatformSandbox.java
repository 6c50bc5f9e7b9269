package dev.bastion.provider.dynatrace.platform.sandbox;

import static dev.bastion.provider.dynatrace.platform.sandbox.PlatformErrors.NODES;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import dev.bastion.toolkit.sandbox.PageKeys;
import dev.bastion.toolkit.sandbox.RequestLog;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxHandler;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A loopback simulator of the Dynatrace SaaS platform for three environments below
 * {@code /e/{environmentId}}: environment information, the Grail query API (execute, poll, cancel,
 * verify) over generated, seed-determined data evaluated by the sandbox's DQL engine, Davis CoPilot
 * (nl2dql, dql2nl, conversation), Davis analyzers, documents, e-mail, event ingest and the Slack app
 * function; and the SSO token endpoint at {@code /sso/oauth2/token}.
 *
 * <p>Every platform call takes {@code Authorization: Bearer} with the environment's platform token
 * (every scope) or an OAuth access token of the sandbox's client (exactly the scopes asked for,
 * 300 s of the sandbox's clock, any environment). A missing scope is a 403 naming it; a wrong or
 * expired token a 401. The platform tokens, the client secret and every issued access token are
 * masked in {@link #requests()}.
 */
public final class DynatracePlatformSandbox implements Sandbox, RequestLog {

    private static final List<String> ENVIRONMENTS = List.of("abc12345", "def67890", "ghi24680");
    private static final List<String> ALIASES = List.of("prod", "staging", "dev");
    private static final Duration HOLD_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How to start a sandbox.
     *
     * @param seed the seed of the generated data (each environment adds its own offset)
     * @param clock the sandbox's time: data timeframe, token expiry, query and analyzer progress
     * @param queryLatency how long every query runs (by the clock) before it succeeds; a query whose
     *     text holds {@code // slow} runs at least 2 s
     * @param holdUntilInFlight hold every environment call until this many are in flight together
     *     (0 or 1: off), so a fan-out test can prove the environments are called concurrently
     * @param clientScopes the scopes the sandbox's OAuth client was given (its access tokens carry
     *     those of them that are asked for); every scope the sandbox knows by default
     */
    public record Options(long seed, Clock clock, Duration queryLatency, int holdUntilInFlight,
                          Set<String> clientScopes) {
        public Options {
            requireNonNull(clock, "clock is null");
            clientScopes = Set.copyOf(requireNonNull(clientScopes, "clientScopes is null"));
            requireNonNull(queryLatency, "queryLatency is null");
            if (queryLatency.isNegative()) {
                throw new IllegalArgumentException("queryLatency must not be negative");
            }
            if (holdUntilInFlight < 0) {
                throw new IllegalArgumentException("holdUntilInFlight must not be negative");
            }
        }

        /** An OAuth client with every scope the sandbox knows. */
        public Options(long seed, Clock clock, Duration queryLatency, int holdUntilInFlight) {
            this(seed, clock, queryLatency, holdUntilInFlight, PlatformAuth.SCOPES);
        }

        /** Seed 42, the system clock in UTC, no query latency, no hold, an OAuth client with every scope. */
        public static Options defaults() {
            return new Options(42L, Clock.systemUTC(), Duration.ZERO, 0);
        }

        /** These options with an OAuth client given only {@code scopes}. */
        public Options withClientScopes(Set<String> scopes) {
            return new Options(seed, clock, queryLatency, holdUntilInFlight, scopes);
        }
    }

    /** A handler of an environment call, with the environment and the caller resolved. */
    @FunctionalInterface
    interface EnvironmentHandler {
        SandboxResponse handle(String environmentId, PlatformAuth.Principal principal,
                               dev.bastion.toolkit.sandbox.SandboxRequest request);
    }

    private final Clock clock;
    private final Instant started;
    private final PlatformAuth auth;
    private final Map<String, GrailData> data = new LinkedHashMap<>();
    private final DocumentEndpoints documents;
    private final NotificationEndpoints notifications;
    private final QueryEndpoints queries;
    private final CyclicBarrier barrier;
    private final SandboxServer server;

    private DynatracePlatformSandbox(Options options) {
        this.clock = options.clock();
        this.started = clock.instant();
        this.auth = new PlatformAuth(clock, ENVIRONMENTS, options.clientScopes());
        for (int i = 0; i < ENVIRONMENTS.size(); i++) {
            data.put(ENVIRONMENTS.get(i), new GrailData(options.seed() + 1000L * i, started));
        }
        this.barrier = options.holdUntilInFlight() > 1 ? new CyclicBarrier(options.holdUntilInFlight()) : null;
        PageKeys pageKeys = PageKeys.create();
        this.documents = new DocumentEndpoints(clock, pageKeys, ENVIRONMENTS, options.seed());
        this.notifications = new NotificationEndpoints(clock, data);
        this.queries = new QueryEndpoints(clock, options.queryLatency(), data);
        CopilotEndpoints copilot = new CopilotEndpoints(clock, data);
        AnalyzerEndpoints analyzers = new AnalyzerEndpoints(clock, data);
        SandboxServer.Builder builder = SandboxServer.builder("Dynatrace Platform", PlatformErrors::render)
                .auth(auth.sandboxAuth())
                .threads(Math.max(8, options.holdUntilInFlight() * 2 + 4))
                .secret(auth.clientSecret());
        auth.platformTokens().values().forEach(builder::secret);
        builder.openRoute("POST", "/sso/oauth2/token", auth::token);
        String e = "/e/{environmentId}";
        route(builder, "GET", e + "/platform/management/v1/environment", this::environment);
        String query = e + "/platform/storage/query/v1/";
        route(builder, "POST", query + "query:execute", queries::execute);
        route(builder, "GET", query + "query:poll", queries::poll);
        route(builder, "POST", query + "query:cancel", queries::cancel);
        route(builder, "POST", query + "query:verify", queries::verify);
        for (String version : List.of("v1", "v0.2")) {
            String skills = e + "/platform/davis/copilot/" + version + "/skills";
            route(builder, "GET", skills, copilot::skills);
            route(builder, "POST", skills + "/nl2dql:generate", copilot::nl2dql);
            route(builder, "POST", skills + "/dql2nl:explain", copilot::dql2nl);
            route(builder, "POST", skills + "/conversations:message", copilot::conversation);
        }
        String analyzer = e + "/platform/davis/analyzers/v1/analyzers";
        route(builder, "GET", analyzer, analyzers::list);
        route(builder, "GET", analyzer + "/{analyzer}", analyzers::get);
        route(builder, "POST", analyzer + "/{analyzer}", analyzers::post);
        route(builder, "GET", e + "/platform/document/v1/documents", documents::list);
        route(builder, "POST", e + "/platform/document/v1/documents", documents::create);
        route(builder, "GET", e + "/platform/document/v1/documents/{id}",
                (env, principal, request) -> documents.document(env, principal, request.pathParameter("id")));
        route(builder, "GET", e + "/platform/document/v1/documents/{id}/metadata",
                (env, principal, request) -> documents.metadata(env, principal, request.pathParameter("id")));
        route(builder, "POST", e + "/platform/email/v1/emails", notifications::email);
        route(builder, "POST", e + "/platform/classic/environment-api/v2/events/ingest", notifications::ingestEvent);
        route(builder, "POST", e + "/platform/app-engine/app-functions/v1/apps/{appId}/api/{function}",
                notifications::appFunction);
        this.server = builder.start();
    }

    /** Starts a sandbox on an ephemeral loopback port. */
    public static DynatracePlatformSandbox start(Options options) {
        return new DynatracePlatformSandbox(requireNonNull(options, "options is null"));
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String url() {
        return server.url().toString();
    }

    /** The three environment ids, in the order of {@link #instances()}. */
    public List<String> environmentIds() {
        return ENVIRONMENTS;
    }

    /** The environment's URL, {@code url() + "/e/" + id}; every platform path is below it. */
    public String environmentUrl(String environmentId) {
        requireEnvironment(environmentId);
        return url() + "/e/" + environmentId;
    }

    /** The SSO base, {@code url() + "/sso"}; the token endpoint is {@code /sso/oauth2/token}. */
    public String ssoUrl() {
        return url() + "/sso";
    }

    /** The values of {@code field} in the environment's data object {@code table}, in data order. */
    public List<String> values(String environmentId, String table, String field) {
        requireEnvironment(environmentId);
        return data(environmentId).table(table).orElse(List.of()).stream()
                .filter(row -> row.hasNonNull(field)).map(row -> row.path(field).asText()).toList();
    }

    /** The environment's platform token, {@code dt0s16.<24>.<64>}, random per start, every scope. */
    public String platformToken(String environmentId) {
        requireEnvironment(environmentId);
        return auth.platformToken(environmentId);
    }

    /** The OAuth client's id, {@code dt0s02.<8>}; the client works for all three environments. */
    public String clientId() {
        return auth.clientId();
    }

    /** The OAuth client's secret, {@code dt0s02.<8>.<64>}. */
    public String clientSecret() {
        return auth.clientSecret();
    }

    /** Every DQL text executed or verified in the environment, in order. */
    public List<String> queriesReceived(String environmentId) {
        requireEnvironment(environmentId);
        return queries.received(environmentId);
    }

    /** The request tokens of the queries cancelled while they ran, in order. */
    public List<String> cancelledQueries() {
        return queries.cancelled();
    }

    /** Every e-mail accepted, as sent plus {@code environmentId} and {@code requestId}. */
    public List<JsonNode> emailsSent() {
        return notifications.emails();
    }

    /** Every Slack message accepted, as sent plus {@code environmentId} and {@code ts}. */
    public List<JsonNode> slackMessagesSent() {
        return notifications.slack();
    }

    /** Every event ingested, as sent plus {@code environmentId} and {@code correlationId}. */
    public List<JsonNode> eventsIngested() {
        return notifications.events();
    }

    /** Every document created, as {@code {environmentId, metadata, content}}. */
    public List<JsonNode> documentsCreated() {
        return documents.created();
    }

    @Override
    public List<Map<String, Object>> instances() {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (int i = 0; i < ENVIRONMENTS.size(); i++) {
            String id = ENVIRONMENTS.get(i);
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("alias", ALIASES.get(i));
            instance.put("url", environmentUrl(id));
            if (i < 2) {
                instance.put("platform_token", auth.platformToken(id));
            } else {
                instance.put("oauth_client_id", auth.clientId());
                instance.put("oauth_client_secret", auth.clientSecret());
                instance.put("sso_url", ssoUrl());
            }
            instance.put("allow_insecure_loopback", true);
            out.add(Collections.unmodifiableMap(instance));
        }
        return List.copyOf(out);
    }

    /** The logged requests, oldest first, every issued access token masked besides the server's own masking. */
    @Override
    public List<LoggedRequest> requests() {
        List<String> tokens = auth.issuedTokens();
        return server.requests().stream().map(entry -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            entry.headers().forEach((name, values) -> headers.put(name,
                    values.stream().map(value -> mask(value, tokens)).toList()));
            return new LoggedRequest(entry.method(), mask(entry.rawPath(), tokens), mask(entry.rawQuery(), tokens),
                    headers, entry.status());
        }).toList();
    }

    @Override
    public void close() {
        server.close();
    }

    Clock clock() {
        return clock;
    }

    GrailData data(String environmentId) {
        return data.get(environmentId);
    }

    private SandboxResponse environment(String environmentId, PlatformAuth.Principal principal,
                                        dev.bastion.toolkit.sandbox.SandboxRequest request) {
        principal.require("app-engine:apps:run");
        int index = ENVIRONMENTS.indexOf(environmentId);
        ObjectNode body = NODES.objectNode();
        body.put("environmentId", environmentId);
        body.put("createTime", started.minus(Duration.ofDays(400L + 30L * index)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        body.put("blockTime", started.plus(Duration.ofDays(365)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        body.put("state", "ACTIVE");
        return SandboxResponse.json(body);
    }

    /** A route below {@code /e/{environmentId}}: unknown environments are 404, the hold applies, the caller is resolved. */
    void route(SandboxServer.Builder builder, String method, String pattern, EnvironmentHandler handler) {
        SandboxHandler wrapped = request -> {
            String environmentId = request.pathParameter("environmentId");
            if (!ENVIRONMENTS.contains(environmentId)) {
                throw SandboxError.notFound("Environment " + environmentId + " not found");
            }
            PlatformAuth.Principal principal;
            try {
                principal = auth.principal(request);
            } catch (PlatformAuth.Unauthorized e) {
                return e.response;
            }
            if (barrier != null && !hold()) {
                throw SandboxError.of(503, "The sandbox held this request, but fewer requests than expected arrived together.");
            }
            return handler.handle(environmentId, principal, request);
        };
        builder.route(method, pattern, wrapped);
    }

    private boolean hold() {
        try {
            barrier.await(HOLD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | BrokenBarrierException e) {
            barrier.reset();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void requireEnvironment(String environmentId) {
        if (!ENVIRONMENTS.contains(environmentId)) {
            throw new IllegalArgumentException("no such environment: " + environmentId);
        }
    }

    private static String mask(String text, List<String> tokens) {
        String out = text;
        for (String token : tokens) {
            out = out.replace(token, LoggedRequest.MASK)
                    .replace(URLEncoder.encode(token, StandardCharsets.UTF_8), LoggedRequest.MASK);
        }
        return out;
    }
}
