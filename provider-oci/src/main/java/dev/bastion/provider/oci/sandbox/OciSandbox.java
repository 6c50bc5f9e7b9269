package dev.bastion.provider.oci.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.provider.oci.auth.InstancePrincipalKeys;
import dev.bastion.provider.oci.auth.OciSignatureVerifier;
import dev.bastion.provider.oci.auth.PemPrivateKeys;
import dev.bastion.toolkit.sandbox.LoggedRequest;
import dev.bastion.toolkit.sandbox.RequestLog;
import dev.bastion.toolkit.sandbox.SandboxError;
import dev.bastion.toolkit.sandbox.SandboxHandler;
import dev.bastion.toolkit.sandbox.SandboxRequest;
import dev.bastion.toolkit.sandbox.SandboxResponse;
import dev.bastion.toolkit.sandbox.SandboxServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback simulator of OCI Identity ({@code /20160918/compartments}) and Monitoring
 * ({@code /20180401/metrics/actions/*}, {@code /20180401/alarms*}). Every request's signature is
 * verified as OCI verifies it ({@link OciSignatureVerifier}: the signing string rebuilt from the
 * request, the required headers, the date within 5 minutes, the keyId, and for bodies the
 * {@code x-content-sha256} and {@code content-length}); anything else is 401 {@code NotAuthenticated}.
 * At startup it generates an RSA key pair and writes the key (0600) and an OCI config file (0600)
 * naming it, in a private temporary directory removed on {@link #close()}.
 *
 * <p>The toolkit's server hands the query decoded, so the sandbox signs against the query
 * re-encoded as OkHttp encodes a query component ({@link #encodeQueryComponent}); a query encoded
 * another way (but meaning the same) would be refused here although OCI would take it.
 */
public final class OciSandbox implements Sandbox, RequestLog {

    public static final String ALIAS = "sandbox";
    static final String IDENTITY = "/20160918";
    static final String MONITORING = "/20180401";
    private static final Logger LOG = LoggerFactory.getLogger(OciSandbox.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DATAPOINTS = 100_000;

    private final SandboxServer server;
    private final OciSandboxData data;
    private final Clock clock;
    private final Path directory;
    private final Path configFile;
    private final String userId;
    private final String fingerprint;
    private final String sessionToken;

    /** The profile of the generated config file that authenticates with a session token. */
    public static final String SESSION_PROFILE = "SESSION";
    /** The lifetime of the security tokens the federation endpoint issues, as OCI's (20 minutes). */
    public static final Duration PRINCIPAL_TOKEN_LIFETIME = Duration.ofMinutes(20);
    static final String METADATA = "/opc/v2";
    static final String FEDERATION = "/v1/x509";

    private final Map<String, IssuedToken> issuedTokens = new java.util.concurrent.ConcurrentHashMap<>();
    private SandboxInstanceIdentity instanceIdentity;

    /** A security token the federation endpoint issued: the session key it binds and its expiry. */
    private record IssuedToken(PublicKey sessionKey, Instant expires) {
    }

    /**
     * How to start a sandbox.
     *
     * @param seed the seed of the generated data
     * @param clock the sandbox's time, for the date check and the data
     * @param keyCache a directory to keep the sandbox's RSA keys in between starts, or empty to
     *     generate fresh ones every start
     */
    public record Options(long seed, Clock clock, Optional<Path> keyCache) {
        public Options {
            requireNonNull(clock, "clock is null");
            requireNonNull(keyCache, "keyCache is null");
        }

        public Options(long seed, Clock clock) {
            this(seed, clock, Optional.empty());
        }

        /** Seed 42, the system clock, fresh keys. */
        public static Options defaults() {
            return new Options(42L, Clock.systemUTC());
        }

        /** These options with the keys kept in {@code directory}. */
        public Options withKeyCache(Path directory) {
            return new Options(seed, clock, Optional.of(directory));
        }
    }

    private OciSandbox(Options options) {
        this.clock = options.clock();
        this.data = new OciSandboxData(options.seed(), clock.instant());
        List<KeyPair> pairs = SandboxKeys.pairs(2, options.keyCache());
        KeyPair keys = pairs.get(0);
        KeyPair sessionKeys = pairs.get(1);
        this.fingerprint = PemPrivateKeys.fingerprint((RSAPrivateCrtKey) keys.getPrivate());
        this.userId = "ocid1.user.oc1..aaaaaaaa" + UUID.randomUUID().toString().replace("-", "");
        String keyId = data.tenancyId + "/" + userId + "/" + fingerprint;
        PublicKey publicKey = keys.getPublic();
        this.sessionToken = sessionToken(data.tenancyId, clock.instant());
        String sessionKeyId = "ST$" + sessionToken;
        PublicKey sessionPublicKey = sessionKeys.getPublic();
        OciSignatureVerifier verifier = new OciSignatureVerifier(id -> id.equals(keyId) ? Optional.of(publicKey)
                : id.equals(sessionKeyId) ? Optional.of(sessionPublicKey) : issuedKey(id), clock);
        try {
            this.directory = Files.createTempDirectory("bastion-oci-sandbox",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path keyFile = writeOwnerOnly(directory.resolve("sandbox_api_key.pem"), pem(keys));
            Path sessionKeyFile = writeOwnerOnly(directory.resolve("session_key.pem"), pem(sessionKeys));
            Path tokenFile = writeOwnerOnly(directory.resolve("session_token"), sessionToken);
            // [SESSION] is what 'oci session authenticate' writes: no user, its own security_token_file.
            this.configFile = writeOwnerOnly(directory.resolve("config"), "[DEFAULT]\n"
                    + "user=" + userId + "\n"
                    + "fingerprint=" + fingerprint + "\n"
                    + "key_file=" + keyFile + "\n"
                    + "tenancy=" + data.tenancyId + "\n"
                    + "region=" + OciSandboxData.REGION + "\n\n"
                    + "[" + SESSION_PROFILE + "]\n"
                    + "fingerprint=" + PemPrivateKeys.fingerprint((RSAPrivateCrtKey) sessionKeys.getPrivate()) + "\n"
                    + "key_file=" + sessionKeyFile + "\n"
                    + "tenancy=" + data.tenancyId + "\n"
                    + "region=" + OciSandboxData.REGION + "\n"
                    + "security_token_file=" + tokenFile + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("the OCI sandbox could not write its config file", e);
        }
        SandboxServer.Builder builder = SandboxServer.builder("OCI", OciSandbox::render)
                .auth(request -> authenticate(verifier, request))
                .credentialHeader("authorization");
        builder.route("GET", IDENTITY + "/compartments", this::listCompartments);
        // The instance metadata service and the federation endpoint check their own credentials.
        for (String path : List.of("identity/cert.pem", "identity/key.pem", "identity/intermediate.pem",
                "instance/canonicalRegionName")) {
            builder.openRoute("GET", METADATA + "/" + path, request -> metadata(request, path));
        }
        builder.openRoute("POST", FEDERATION, this::federate);
        builder.route("POST", MONITORING + "/metrics/actions/listMetrics", body(this::listMetrics));
        builder.route("POST", MONITORING + "/metrics/actions/summarizeMetricsData", body(this::summarizeMetricsData));
        builder.route("GET", MONITORING + "/alarms", this::listAlarms);
        builder.route("GET", MONITORING + "/alarms/status", this::listAlarmStatuses);
        builder.route("GET", MONITORING + "/alarms/{alarmId}", this::getAlarm);
        builder.route("GET", MONITORING + "/alarms/{alarmId}/history", this::getAlarmHistory);
        this.server = builder.start();
        LOG.info("OCI sandbox listening on {}, config file {}", server.url(), configFile);
    }

    public static OciSandbox start(Options options) {
        return new OciSandbox(requireNonNull(options, "options is null"));
    }

    /** The base URL of both APIs, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return server.url().toString();
    }

    /** The generated OCI config file (0600); its [DEFAULT] profile names the generated key. */
    public Path configFile() {
        return configFile;
    }

    public String tenancyId() {
        return data.tenancyId;
    }

    public String userId() {
        return userId;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The OCIDs of the generated alarms. */
    public List<String> alarmIds() {
        return data.alarms.stream().map(OciSandboxData.Alarm::id).toList();
    }

    /** The OCIDs of the generated compartments below the tenancy. */
    public List<String> compartmentIds() {
        return data.compartments.stream().filter(c -> c.parentId() != null).map(OciSandboxData.Compartment::id).toList();
    }

    @Override
    public List<LoggedRequest> requests() {
        return server.requests();
    }

    @Override
    public List<Map<String, Object>> instances() {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("alias", ALIAS);
        instance.put("config_file", configFile.toString());
        instance.put("profile", "DEFAULT");
        instance.put("monitoring_endpoint", url());
        instance.put("identity_endpoint", url());
        instance.put("allow_insecure_loopback", true);
        Map<String, Object> session = new LinkedHashMap<>(instance);
        session.put("alias", "session");
        session.put("profile", SESSION_PROFILE);
        Map<String, Object> principal = new LinkedHashMap<>();
        principal.put("alias", "principal");
        principal.put("auth_type", "instance_principal");
        // The region is set so that starting the server contacts nothing; without it, the region
        // is read from the metadata service at start-up.
        principal.put("region", OciSandboxData.REGION);
        principal.put("metadata_endpoint", url() + METADATA);
        principal.put("federation_endpoint", url() + FEDERATION);
        principal.put("monitoring_endpoint", url());
        principal.put("identity_endpoint", url());
        principal.put("allow_insecure_loopback", true);
        return List.of(Map.copyOf(instance), Map.copyOf(session), Map.copyOf(principal));
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.warn("OCI sandbox could not remove {}: {}", directory, e.toString());
        }
    }

    // --- authentication -------------------------------------------------------------------------

    private static Optional<SandboxResponse> authenticate(OciSignatureVerifier verifier, SandboxRequest request) {
        OciSignatureVerifier.Verdict verdict = verifier.verify(request.method(), requestTarget(request),
                request::header);
        if (verdict.verified()) {
            return Optional.empty();
        }
        return Optional.of(notAuthenticated(verdict.refusal()));
    }

    /** The path as received and the query re-encoded in the order received. */
    static String requestTarget(SandboxRequest request) {
        StringBuilder query = new StringBuilder();
        request.query().forEach((name, values) -> {
            for (String value : values) {
                query.append(query.length() == 0 ? "" : "&").append(encodeQueryComponent(name)).append('=')
                        .append(encodeQueryComponent(value));
            }
        });
        return request.rawPath() + (query.length() == 0 ? "" : "?" + query);
    }

    /** As OkHttp's {@code addQueryParameter} encodes: letters, digits and {@code -._*} stay, all else is %XX. */
    static String encodeQueryComponent(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '*') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    // --- instance principals --------------------------------------------------------------------

    /** The simulated instance's identity, issued on the first metadata request (key generation is slow). */
    synchronized SandboxInstanceIdentity instanceIdentity() {
        if (instanceIdentity == null) {
            OciSandboxData.Resource instance = data.resources.stream()
                    .filter(r -> r.namespace().equals("oci_computeagent")).findFirst().orElseThrow();
            instanceIdentity = SandboxInstanceIdentity.issue(data.tenancyId, instance.compartmentId(), instance.id(),
                    clock.instant());
        }
        return instanceIdentity;
    }

    /** The metadata service: {@code Authorization: Bearer Oracle} or 401, as OCI's version 2 answers. */
    private SandboxResponse metadata(SandboxRequest request, String path) {
        if (!request.header("authorization").map("Bearer Oracle"::equals).orElse(false)) {
            return SandboxResponse.text(401, "Unauthorized: the metadata service requires Authorization: Bearer Oracle");
        }
        return SandboxResponse.text(200, switch (path) {
            case "identity/cert.pem" -> instanceIdentity().leafPem();
            case "identity/key.pem" -> instanceIdentity().keyPem();
            case "identity/intermediate.pem" -> instanceIdentity().intermediatePem();
            default -> OciSandboxData.REGION;
        });
    }

    /**
     * The X.509 federation endpoint: the request must be signed with the leaf key under
     * {@code <tenancy>/fed-x509-sha256/<leaf fingerprint>} and carry the issued leaf and
     * intermediate; the answer is a security token bound to the session public key it carried.
     */
    private SandboxResponse federate(SandboxRequest request) {
        SandboxInstanceIdentity identity = instanceIdentity();
        String leafKeyId;
        try {
            leafKeyId = data.tenancyId + "/fed-x509-sha256/" + InstancePrincipalKeys.fingerprint(identity.leaf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OciSignatureVerifier.Verdict verdict = OciSignatureVerifier.forFederation(
                id -> id.equals(leafKeyId) ? Optional.of(identity.leaf.getPublicKey()) : Optional.empty(), clock)
                .verify(request.method(), requestTarget(request), request::header);
        if (!verdict.verified()) {
            return notAuthenticated(verdict.refusal());
        }
        Optional<String> bodyRefusal = OciSignatureVerifier.checkBody(request.body(), request::header);
        if (bodyRefusal.isPresent()) {
            return notAuthenticated(bodyRefusal.get());
        }
        JsonNode body = request.json();
        if (!identity.leafBase64().equals(body.path("certificate").asText())) {
            return notAuthenticated("the certificate is not the one the metadata service issued");
        }
        boolean intermediate = false;
        for (JsonNode certificate : body.path("intermediateCertificates")) {
            intermediate |= identity.intermediateBase64().equals(certificate.asText());
        }
        if (!intermediate) {
            return notAuthenticated("the intermediate certificate is missing");
        }
        if (!"SHA256".equals(body.path("fingerprintAlgorithm").asText())) {
            return error(400, "InvalidParameter", "fingerprintAlgorithm must be SHA256 for a fed-x509-sha256 keyId");
        }
        PublicKey sessionKey;
        try {
            sessionKey = java.security.KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(body.path("publicKey").asText())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return error(400, "InvalidParameter", "publicKey is not a base64 RSA SubjectPublicKeyInfo");
        }
        Instant now = clock.instant();
        issuedTokens.values().removeIf(issued -> !issued.expires().isAfter(now));
        String token = token("{\"sub\":\"" + identity.instanceId + "\",\"tenant\":\"" + data.tenancyId
                + "\",\"ptype\":\"instance\",\"iat\":" + now.getEpochSecond() + ",\"exp\":"
                + now.plus(PRINCIPAL_TOKEN_LIFETIME).getEpochSecond() + "}");
        issuedTokens.put(token, new IssuedToken(sessionKey, now.plus(PRINCIPAL_TOKEN_LIFETIME)));
        ObjectNode answer = NODES.objectNode();
        answer.put("token", token);
        return ok(answer);
    }

    /** The session key of a security token this sandbox issued and that has not expired. */
    private Optional<PublicKey> issuedKey(String keyId) {
        if (!keyId.startsWith("ST$")) {
            return Optional.empty();
        }
        IssuedToken issued = issuedTokens.get(keyId.substring(3));
        return issued == null || !issued.expires().isAfter(clock.instant()) ? Optional.empty()
                : Optional.of(issued.sessionKey());
    }

    /** How many security tokens the federation endpoint has issued that are still valid. */
    public int validPrincipalTokens() {
        Instant now = clock.instant();
        return (int) issuedTokens.values().stream().filter(issued -> issued.expires().isAfter(now)).count();
    }

    /** A POST handler whose body must match its signed digest and length. */
    private static SandboxHandler body(SandboxHandler handler) {
        return request -> {
            Optional<String> refusal = OciSignatureVerifier.checkBody(request.body(), request::header);
            return refusal.isPresent() ? notAuthenticated(refusal.get()) : handler.handle(request);
        };
    }

    private static SandboxResponse notAuthenticated(String reason) {
        return error(401, "NotAuthenticated", "The required information to complete authentication was not provided"
                + " or was incorrect (sandbox: " + reason + ").");
    }

    // --- errors ---------------------------------------------------------------------------------

    static SandboxResponse render(SandboxError error) {
        String code = switch (error.status()) {
            case 400 -> error.parameter().isPresent() ? "InvalidParameter" : "CannotParseRequest";
            case 401 -> "NotAuthenticated";
            case 404 -> "NotAuthorizedOrNotFound";
            case 405 -> "MethodNotAllowed";
            case 413 -> "RequestEntityTooLarge";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> "InternalServerError";
        };
        String message = error.status() == 404 ? "Authorization failed or requested resource not found."
                : error.parameter().map(p -> "Invalid parameter '" + p + "': " + error.getMessage())
                        .orElse(error.getMessage());
        return error(error.status(), code, message);
    }

    private static SandboxResponse error(int status, String code, String message) {
        ObjectNode body = NODES.objectNode();
        body.put("code", code);
        body.put("message", message);
        return SandboxResponse.json(status, body).withHeader("opc-request-id", requestId());
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
    }

    private static SandboxResponse ok(JsonNode body) {
        return SandboxResponse.json(body).withHeader("opc-request-id", requestId());
    }

    // --- parameters -----------------------------------------------------------------------------

    private String compartment(SandboxRequest request) {
        String id = request.queryParameter("compartmentId").orElseThrow(() -> SandboxError.badParameter(
                SandboxError.Location.QUERY, "compartmentId", "Missing required parameter"));
        if (!data.compartmentExists(id)) {
            throw SandboxError.notFound("compartment");
        }
        return id;
    }

    private static boolean inSubtree(SandboxRequest request) {
        return request.queryParameter("compartmentIdInSubtree").map(v -> v.equalsIgnoreCase("true")).orElse(false);
    }

    private static int limit(SandboxRequest request, int max) {
        String text = request.queryParameter("limit").orElse(Integer.toString(max));
        try {
            int limit = Integer.parseInt(text);
            if (limit < 1 || limit > max) {
                throw SandboxError.badParameter(SandboxError.Location.QUERY, "limit", "must be between 1 and " + max);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "limit", "must be a number");
        }
    }

    /** One page of {@code items}, with {@code opc-next-page} when more follow; the page token is the offset, opaque-looking. */
    private static SandboxResponse page(SandboxRequest request, List<ObjectNode> items, int maxLimit) {
        int limit = limit(request, maxLimit);
        int offset = 0;
        Optional<String> token = request.queryParameter("page");
        if (token.isPresent()) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8)
                        .replace("offset:", ""));
            } catch (IllegalArgumentException e) {
                throw SandboxError.badParameter(SandboxError.Location.QUERY, "page", "is not a page token of this API");
            }
        }
        ArrayNode out = NODES.arrayNode();
        items.stream().skip(offset).limit(limit).forEach(out::add);
        SandboxResponse response = ok(out);
        if (offset + limit < items.size()) {
            String next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("offset:" + (offset + limit)).getBytes(StandardCharsets.UTF_8));
            response = response.withHeader("opc-next-page", next);
        }
        return response;
    }

    // --- identity -------------------------------------------------------------------------------

    private SandboxResponse listCompartments(SandboxRequest request) {
        String parent = compartment(request);
        boolean subtree = inSubtree(request);
        if (subtree && (!parent.equals(data.tenancyId)
                || !request.queryParameter("accessLevel").orElse("ANY").equals("ACCESSIBLE"))) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, "compartmentIdInSubtree",
                    "is allowed only with the tenancy OCID and accessLevel ACCESSIBLE");
        }
        Optional<String> name = request.queryParameter("name");
        Optional<String> state = request.queryParameter("lifecycleState");
        List<ObjectNode> items = new ArrayList<>();
        for (OciSandboxData.Compartment c : data.compartments) {
            if (c.parentId() == null || (subtree ? !data.isWithin(c.id(), parent) : !parent.equals(c.parentId()))) {
                continue;
            }
            if (name.isPresent() && !name.get().equals(c.name()) || state.isPresent() && !state.get().equals(c.lifecycleState())) {
                continue;
            }
            ObjectNode node = NODES.objectNode();
            node.put("id", c.id());
            node.put("compartmentId", c.parentId());
            node.put("name", c.name());
            node.put("description", c.description());
            node.put("timeCreated", c.timeCreated().toString());
            node.putObject("freeformTags");
            node.putObject("definedTags");
            node.put("lifecycleState", c.lifecycleState());
            node.putNull("inactiveStatus");
            node.put("isAccessible", !c.lifecycleState().equals("DELETED"));
            items.add(node);
        }
        if (request.queryParameter("sortBy").orElse("").equals("NAME")) {
            items.sort(Comparator.comparing(n -> n.path("name").asText()));
        }
        return page(request, items, 1000);
    }

    // --- monitoring -----------------------------------------------------------------------------

    private List<OciSandboxData.Resource> resourcesIn(SandboxRequest request) {
        String compartment = compartment(request);
        boolean subtree = inSubtree(request);
        return data.resources.stream().filter(r -> subtree ? data.isWithin(r.compartmentId(), compartment)
                : r.compartmentId().equals(compartment)).toList();
    }

    private SandboxResponse listMetrics(SandboxRequest request) {
        List<OciSandboxData.Resource> resources = resourcesIn(request);
        JsonNode details = request.json();
        if (!details.isObject()) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "body", "ListMetricsDetails must be an object");
        }
        String name = details.path("name").asText(null);
        String namespace = details.path("namespace").asText(null);
        JsonNode filters = details.path("dimensionFilters");
        List<String> groupBy = new ArrayList<>();
        details.path("groupBy").forEach(g -> groupBy.add(g.asText()));
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (OciSandboxData.Resource resource : resources) {
            for (OciSandboxData.MetricKind metric : data.metricsOf(resource.namespace())) {
                if (name != null && !name.equals(metric.name()) || namespace != null && !namespace.equals(metric.namespace())) {
                    continue;
                }
                boolean matches = true;
                for (var it = filters.fields(); it.hasNext(); ) {
                    var filter = it.next();
                    matches &= filter.getValue().asText().equals(resource.dimensions().get(filter.getKey()));
                }
                if (!matches) {
                    continue;
                }
                ObjectNode node = NODES.objectNode();
                if (groupBy.isEmpty()) {
                    node.put("name", metric.name());
                    node.put("namespace", metric.namespace());
                    node.put("compartmentId", resource.compartmentId());
                    ObjectNode dims = node.putObject("dimensions");
                    resource.dimensions().forEach(dims::put);
                } else {
                    for (String field : groupBy) {
                        switch (field) {
                            case "namespace" -> node.put("namespace", metric.namespace());
                            case "name" -> node.put("name", metric.name());
                            case "compartmentId" -> node.put("compartmentId", resource.compartmentId());
                            default -> node.putObject("dimensions").put(field, resource.dimensions().get(field));
                        }
                    }
                }
                out.putIfAbsent(node.toString(), node);
            }
        }
        List<ObjectNode> items = new ArrayList<>(out.values());
        return page(request, items, 1000);
    }

    private SandboxResponse summarizeMetricsData(SandboxRequest request) {
        List<OciSandboxData.Resource> resources = resourcesIn(request);
        JsonNode details = request.json();
        String namespace = details.path("namespace").asText("");
        String queryText = details.path("query").asText("");
        if (namespace.isEmpty()) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "namespace", "Missing required parameter");
        }
        if (queryText.isEmpty()) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "query", "Missing required parameter");
        }
        SandboxMql query = SandboxMql.parse(queryText);
        Instant end = time(details, "endTime", clock.instant());
        Instant start = time(details, "startTime", end.minus(Duration.ofHours(3)));
        Duration resolution = resolution(details.path("resolution").asText("1m"));
        if (!start.isBefore(end)) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "startTime", "must be before endTime");
        }
        Optional<OciSandboxData.MetricKind> metric = data.metricsOf(namespace).stream()
                .filter(m -> m.name().equals(query.metric)).findFirst();
        if (metric.isEmpty()) {
            return ok(NODES.arrayNode());
        }
        Instant first = start.truncatedTo(ChronoUnit.MINUTES);
        long points = Duration.between(first, end).toMinutes() / Math.max(1, resolution.toMinutes());
        // Series by group key; each series a list of per-resource values per timestamp.
        Map<Map<String, String>, List<OciSandboxData.Resource>> groups = new LinkedHashMap<>();
        for (OciSandboxData.Resource resource : resources) {
            if (resource.namespace().equals(namespace) && query.matches(resource.dimensions())) {
                groups.computeIfAbsent(query.groupKey(resource.dimensions()), k -> new ArrayList<>()).add(resource);
            }
        }
        if (points * groups.size() > MAX_DATAPOINTS) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "resolution",
                    "The query would return more than 100000 data points; use a coarser resolution or a shorter range");
        }
        ArrayNode out = NODES.arrayNode();
        for (var group : groups.entrySet()) {
            ObjectNode series = out.addObject();
            series.put("namespace", namespace);
            series.putNull("resourceGroup");
            series.put("compartmentId", group.getValue().get(0).compartmentId());
            series.put("name", query.metric);
            ObjectNode dims = series.putObject("dimensions");
            group.getKey().forEach(dims::put);
            ObjectNode metadata = series.putObject("metadata");
            metadata.put("displayName", metric.get().displayName());
            metadata.put("unit", metric.get().unit());
            series.put("resolution", details.path("resolution").asText("1m"));
            ArrayNode datapoints = series.putArray("aggregatedDatapoints");
            for (Instant t = first; t.isBefore(end); t = t.plus(resolution)) {
                List<Double> perResource = new ArrayList<>();
                for (OciSandboxData.Resource resource : group.getValue()) {
                    perResource.add(query.apply(window(resource, metric.get(), t, query.interval)));
                }
                double value = query.groupBy == null ? perResource.get(0) : query.apply(perResource);
                if (query.keeps(value)) {
                    ObjectNode point = datapoints.addObject();
                    point.put("timestamp", t.toString().replace("Z", ".000Z").replace(".000.000Z", ".000Z"));
                    point.put("value", value);
                }
            }
        }
        return ok(out);
    }

    /** The raw minutes of the interval window that ends at {@code t} (at most 60, spread evenly). */
    private List<Double> window(OciSandboxData.Resource resource, OciSandboxData.MetricKind metric, Instant t,
                                Duration interval) {
        long minutes = Math.max(1, interval.toMinutes());
        long step = Math.max(1, minutes / 60);
        long endMinute = t.getEpochSecond() / 60;
        List<Double> values = new ArrayList<>();
        for (long m = endMinute - minutes + 1; m <= endMinute; m += step) {
            values.add(data.rawValue(resource, metric, m));
        }
        return values;
    }

    private static Instant time(JsonNode details, String field, Instant fallback) {
        if (!details.hasNonNull(field)) {
            return fallback;
        }
        try {
            return Instant.parse(details.path(field).asText());
        } catch (DateTimeParseException e) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, field, "must be an RFC 3339 timestamp");
        }
    }

    private static Duration resolution(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]{1,2})([mhd])$").matcher(text);
        if (!m.matches()) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "resolution", "must be like 1m, 5m, 1h or 1d");
        }
        int amount = Integer.parseInt(m.group(1));
        Duration value = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
            throw SandboxError.badParameter(SandboxError.Location.BODY, "resolution", "must be between 1m and 1d");
        }
        return value;
    }

    private List<OciSandboxData.Alarm> alarmsIn(SandboxRequest request) {
        String compartment = compartment(request);
        boolean subtree = inSubtree(request);
        Optional<String> name = request.queryParameter("displayName");
        return data.alarms.stream()
                .filter(a -> subtree ? data.isWithin(a.compartmentId(), compartment) : a.compartmentId().equals(compartment))
                .filter(a -> name.isEmpty() || name.get().equals(a.displayName()))
                .toList();
    }

    private SandboxResponse listAlarms(SandboxRequest request) {
        String state = request.queryParameter("lifecycleState").orElse("ACTIVE");
        List<ObjectNode> items = new ArrayList<>();
        for (OciSandboxData.Alarm alarm : alarmsIn(request)) {
            if (alarm.lifecycleState().equals(state)) {
                items.add(alarmSummary(alarm));
            }
        }
        return page(request, items, 1000);
    }

    private SandboxResponse listAlarmStatuses(SandboxRequest request) {
        Optional<String> status = request.queryParameter("status");
        List<ObjectNode> items = new ArrayList<>();
        for (OciSandboxData.Alarm alarm : alarmsIn(request)) {
            if (status.isPresent() && !status.get().equals(alarm.status())) {
                continue;
            }
            ObjectNode node = NODES.objectNode();
            node.put("id", alarm.id());
            node.put("displayName", alarm.displayName());
            node.put("severity", alarm.severity());
            node.put("ruleName", "BASE");
            node.put("timestampTriggered", alarm.timestampTriggered().toString());
            node.put("alarmSummary", alarm.displayName() + (alarm.status().equals("FIRING") ? " is firing" : " is OK"));
            node.put("status", alarm.status());
            node.putNull("suppression");
            items.add(node);
        }
        return page(request, items, 1000);
    }

    private OciSandboxData.Alarm alarm(SandboxRequest request) {
        String id = request.pathParameter("alarmId");
        return data.alarms.stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> SandboxError.notFound("alarm"));
    }

    private SandboxResponse getAlarm(SandboxRequest request) {
        OciSandboxData.Alarm alarm = alarm(request);
        ObjectNode node = alarmSummary(alarm);
        node.put("metricCompartmentIdInSubtree", false);
        node.put("resolution", "1m");
        node.put("pendingDuration", "PT5M");
        node.put("body", "Check the instance's load and recent deployments.");
        node.putNull("repeatNotificationDuration");
        node.put("timeCreated", alarm.timeCreated().toString());
        node.put("timeUpdated", alarm.timeCreated().toString());
        return ok(node);
    }

    private SandboxResponse getAlarmHistory(SandboxRequest request) {
        OciSandboxData.Alarm alarm = alarm(request);
        ObjectNode node = NODES.objectNode();
        node.put("alarmId", alarm.id());
        node.put("isEnabled", true);
        ArrayNode entries = node.putArray("entries");
        if (alarm.status().equals("FIRING")) {
            ObjectNode firing = entries.addObject();
            firing.put("summary", "The alarm state is FIRING");
            firing.put("timestamp", alarm.timestampTriggered().toString());
            firing.put("timestampTriggered", alarm.timestampTriggered().toString());
        }
        ObjectNode initial = entries.addObject();
        initial.put("summary", "Initial state was OK upon creation of the alarm");
        initial.put("timestamp", alarm.timeCreated().toString());
        initial.put("timestampTriggered", alarm.timeCreated().toString());
        return ok(node);
    }

    private ObjectNode alarmSummary(OciSandboxData.Alarm alarm) {
        ObjectNode node = NODES.objectNode();
        node.put("id", alarm.id());
        node.put("displayName", alarm.displayName());
        node.put("compartmentId", alarm.compartmentId());
        node.put("metricCompartmentId", alarm.compartmentId());
        node.put("namespace", alarm.namespace());
        node.put("query", alarm.query());
        node.put("severity", alarm.severity());
        node.putArray("destinations").add("ocid1.onstopic.oc1." + OciSandboxData.REGION + ".aaaaaaaasandboxtopic");
        node.putNull("suppression");
        node.put("isEnabled", true);
        node.put("isNotificationsPerMetricDimensionEnabled", false);
        node.putObject("freeformTags");
        node.putObject("definedTags");
        node.put("lifecycleState", alarm.lifecycleState());
        node.put("ruleName", "BASE");
        node.put("notificationVersion", "1.X");
        node.putNull("resourceGroup");
        return node;
    }

    /** The session token: a JWT shaped like OCI's (unsigned here; the sandbox knows it), valid for an hour. */
    public String sessionToken() {
        return sessionToken;
    }

    private static String sessionToken(String tenancyId, Instant now) {
        return token("{\"sub\":\"ocid1.user.oc1..sandboxsession\",\"tenant\":\"" + tenancyId + "\",\"iat\":"
                + now.getEpochSecond() + ",\"exp\":" + (now.getEpochSecond() + 3600) + "}");
    }

    /** A JWT-shaped token with {@code claims} (its signature random: the sandbox remembers its tokens). */
    private static String token(String claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        byte[] signature = new byte[64];
        new java.security.SecureRandom().nextBytes(signature);
        return header + "." + payload + "." + base64.encodeToString(signature);
    }

    // --- keys -----------------------------------------------------------------------------------

    static KeyPair generateKeys() {
        return InstancePrincipalKeys.newRsaKeys();
    }

    private static String pem(KeyPair keys) {
        return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static Path writeOwnerOnly(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
