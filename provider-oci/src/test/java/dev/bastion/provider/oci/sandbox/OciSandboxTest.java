package dev.bastion.provider.oci.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.OutgoingRequest;
import dev.bastion.provider.oci.auth.ApiKeys;
import dev.bastion.provider.oci.auth.InstanceMetadata;
import dev.bastion.provider.oci.auth.InstancePrincipalKeys;
import dev.bastion.provider.oci.auth.OciConfigFile;
import dev.bastion.provider.oci.auth.OciRequestSigner;
import dev.bastion.provider.oci.auth.SigningKey;
import dev.bastion.security.outbound.BackendSpec;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox verifies signatures as OCI does: what the signer sends passes, any tampering is refused. */
class OciSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private static OciSandbox sandbox;
    private static SigningKey key;
    private static OkHttpClient signed;
    private static final OkHttpClient PLAIN = new OkHttpClient();

    @BeforeAll
    static void start() {
        sandbox = OciSandbox.start(OciSandbox.Options.defaults());
        key = ApiKeys.apiKey(OciConfigFile.read(sandbox.configFile()).profile("DEFAULT", Path.of("/nonexistent")));
        signed = new OutboundHttp(new SecretRedactor(), "test", Map.of()).client(BackendSpec.builder("oci/test")
                .credentials(OciRequestSigner.of(key, Clock.systemUTC())).allowInsecureLoopback(true).build());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static HttpUrl url(String path) {
        return HttpUrl.get(sandbox.url() + path);
    }

    private static Reply send(OkHttpClient client, Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            return new Reply(response.code(), response.header("opc-next-page"), response.header("opc-request-id"),
                    body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
        }
    }

    private record Reply(int status, String nextPage, String requestId, JsonNode body) {
    }

    @Test
    void writesAnOwnerOnlyConfigFileAndKeyForItsOwnKeyPair() throws IOException {
        Path keyFile = OciConfigFile.read(sandbox.configFile()).profile("DEFAULT", Path.of("/")).keyFile();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.configFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(key.keyId()).isEqualTo(sandbox.tenancyId() + "/" + sandbox.userId() + "/" + sandbox.fingerprint());
        assertThat(sandbox.instances()).hasSize(3);
        assertThat(sandbox.instances().get(0)).containsEntry("alias", "sandbox")
                .containsEntry("config_file", sandbox.configFile().toString())
                .containsEntry("monitoring_endpoint", sandbox.url())
                .containsEntry("allow_insecure_loopback", true);
        assertThat(sandbox.instances().get(1)).containsEntry("alias", "session")
                .containsEntry("profile", OciSandbox.SESSION_PROFILE);
        assertThat(OciConfigFile.read(sandbox.configFile()).profile(OciSandbox.SESSION_PROFILE, Path.of("/"))
                .securityTokenFile()).isNotNull();
    }

    @Test
    void signedGetsThroughTheOutboundClientPageThroughTheCompartmentTree() throws IOException {
        List<String> names = new ArrayList<>();
        String page = null;
        int pages = 0;
        do {
            HttpUrl.Builder url = url("/20160918/compartments").newBuilder()
                    .addQueryParameter("compartmentId", sandbox.tenancyId())
                    .addQueryParameter("accessLevel", "ACCESSIBLE")
                    .addQueryParameter("compartmentIdInSubtree", "true")
                    .addQueryParameter("limit", "5");
            if (page != null) {
                url.addQueryParameter("page", page);
            }
            Reply reply = send(signed, new Request.Builder().url(url.build()).build());
            assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
            assertThat(reply.requestId()).isNotBlank();
            reply.body().forEach(c -> names.add(c.path("name").asText()));
            page = reply.nextPage();
            pages++;
        } while (page != null);

        assertThat(pages).isEqualTo(3);
        assertThat(names).hasSize(13).contains("production", "staging-batch", "decommissioned");
    }

    @Test
    void signedPostOfTheReadOnlyActionsIsAccepted() throws IOException {
        byte[] body = "{\"groupBy\":[\"namespace\"]}".getBytes(StandardCharsets.UTF_8);
        HttpUrl listMetrics = url("/20180401/metrics/actions/listMetrics").newBuilder()
                .addQueryParameter("compartmentId", sandbox.tenancyId())
                .addQueryParameter("compartmentIdInSubtree", "true").build();

        Reply reply = send(signed, new Request.Builder().url(listMetrics).header("Content-Type", "application/json")
                .post(RequestBody.create(body, APPLICATION_JSON)).build());

        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        List<String> namespaces = new ArrayList<>();
        reply.body().forEach(m -> namespaces.add(m.path("namespace").asText()));
        assertThat(namespaces).containsExactlyInAnyOrder("oci_computeagent", "oci_lbaas", "oci_autonomous_database");
    }

    @Test
    void summarizeMetricsDataEvaluatesTheDimensionWildcardIntervalAndStatistic() throws IOException {
        Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        String details = JSON.writeValueAsString(Map.of("namespace", "oci_computeagent",
                "query", "CpuUtilization[5m]{resourceDisplayName =~ \"web-*\"}.max()",
                "startTime", end.minusSeconds(3600).toString(), "endTime", end.toString(), "resolution", "5m"));
        HttpUrl summarize = url("/20180401/metrics/actions/summarizeMetricsData").newBuilder()
                .addQueryParameter("compartmentId", sandbox.tenancyId())
                .addQueryParameter("compartmentIdInSubtree", "true").build();

        Reply reply = send(signed, new Request.Builder().url(summarize).header("Content-Type", "application/json")
                .post(RequestBody.create(details.getBytes(StandardCharsets.UTF_8), APPLICATION_JSON)).build());

        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        assertThat(reply.body()).hasSize(9);
        JsonNode first = reply.body().get(0);
        assertThat(first.path("dimensions").path("resourceDisplayName").asText()).startsWith("web-");
        assertThat(first.path("metadata").path("unit").asText()).isEqualTo("percent");
        assertThat(first.path("aggregatedDatapoints")).hasSize(12);
        assertThat(first.path("aggregatedDatapoints").get(0).path("timestamp").asText())
                .isEqualTo(end.minusSeconds(3600).toString().replace("Z", ".000Z"));
    }

    // --- refusals ---------------------------------------------------------------------------------

    private static Request signedByHand(String method, HttpUrl signedUrl, byte[] signedBody, HttpUrl sentUrl,
                                        byte[] sentBody, Clock clock) throws IOException {
        OciRequestSigner.Signed signature = OciRequestSigner.of(key, clock).sign(new OutgoingRequest(method,
                signedUrl.uri(), Map.of("content-type", List.of("application/json")), signedBody));
        Request.Builder request = new Request.Builder().url(sentUrl).header("Content-Type", "application/json");
        signature.headers().forEach(request::header);
        if (method.equals("POST")) {
            request.post(RequestBody.create(sentBody, APPLICATION_JSON));
        }
        return request.build();
    }

    private static HttpUrl compartments(String compartmentId) {
        return url("/20160918/compartments").newBuilder().addQueryParameter("compartmentId", compartmentId).build();
    }

    @Test
    void theSameHandSignedRequestUntamperedIsAccepted() throws IOException {
        HttpUrl url = compartments(sandbox.tenancyId());

        assertThat(send(PLAIN, signedByHand("GET", url, new byte[0], url, new byte[0], Clock.systemUTC())).status())
                .isEqualTo(200);
    }

    @Test
    void tamperedQueryIsRefused() throws IOException {
        Reply reply = send(PLAIN, signedByHand("GET", compartments(sandbox.tenancyId()), new byte[0],
                compartments("ocid1.compartment.oc1..other"), new byte[0], Clock.systemUTC()));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("code").asText()).isEqualTo("NotAuthenticated");
        assertThat(reply.body().path("message").asText()).contains("the signature does not match the request");
    }

    @Test
    void tamperedPathIsRefused() throws IOException {
        HttpUrl signedUrl = url("/20180401/alarms").newBuilder().addQueryParameter("compartmentId", sandbox.tenancyId())
                .build();
        HttpUrl sentUrl = url("/20180401/alarms/status").newBuilder()
                .addQueryParameter("compartmentId", sandbox.tenancyId()).build();

        assertThat(send(PLAIN, signedByHand("GET", signedUrl, new byte[0], sentUrl, new byte[0], Clock.systemUTC()))
                .status()).isEqualTo(401);
    }

    @Test
    void tamperedBodyIsRefused() throws IOException {
        HttpUrl url = url("/20180401/metrics/actions/listMetrics").newBuilder()
                .addQueryParameter("compartmentId", sandbox.tenancyId()).build();

        Reply reply = send(PLAIN, signedByHand("POST", url, "{\"name\":\"CpuUtilization\"}".getBytes(StandardCharsets.UTF_8),
                url, "{\"name\":\"CpuUtilizatioN\"}".getBytes(StandardCharsets.UTF_8), Clock.systemUTC()));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("message").asText()).contains("x-content-sha256 does not match the body");
    }

    @Test
    void bodyOfAnotherLengthIsRefusedByTheSignedContentLength() throws IOException {
        HttpUrl url = url("/20180401/metrics/actions/listMetrics").newBuilder()
                .addQueryParameter("compartmentId", sandbox.tenancyId()).build();

        Reply reply = send(PLAIN, signedByHand("POST", url, "{}".getBytes(StandardCharsets.UTF_8),
                url, "{\"name\":\"MemoryUtilization\"}".getBytes(StandardCharsets.UTF_8), Clock.systemUTC()));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("message").asText()).contains("the signature does not match the request");
    }

    @Test
    void dateMoreThanFiveMinutesOffIsRefusedAsClockSkew() throws IOException {
        HttpUrl url = compartments(sandbox.tenancyId());
        Clock late = Clock.fixed(Instant.now().minusSeconds(6 * 60), ZoneOffset.UTC);

        Reply reply = send(PLAIN, signedByHand("GET", url, new byte[0], url, new byte[0], late));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("message").asText()).contains("more than 5 minutes from the server's time");
    }

    @Test
    void tamperedDateIsRefused() throws IOException {
        HttpUrl url = compartments(sandbox.tenancyId());
        Request request = signedByHand("GET", url, new byte[0], url, new byte[0], Clock.systemUTC());
        String other = OciRequestSigner.DATE_FORMAT.format(Instant.now().minusSeconds(60));

        assertThat(send(PLAIN, request.newBuilder().header("date", other).build()).status()).isEqualTo(401);
    }

    @Test
    void unsignedAndUnknownKeyRequestsAreRefused() throws IOException {
        HttpUrl url = compartments(sandbox.tenancyId());
        Request request = signedByHand("GET", url, new byte[0], url, new byte[0], Clock.systemUTC());
        String authorization = request.header("authorization");

        assertThat(send(PLAIN, new Request.Builder().url(url).build()).body().path("message").asText())
                .contains("the Authorization header is missing");
        assertThat(send(PLAIN, request.newBuilder().header("authorization",
                authorization.replace(sandbox.userId(), "ocid1.user.oc1..someoneelse")).build()).body()
                .path("message").asText()).contains("the keyId is not known");
        assertThat(send(PLAIN, request.newBuilder().header("authorization",
                authorization.replace("date (request-target) host", "date host")).build()).body()
                .path("message").asText()).contains("does not cover the required header (request-target)");
    }

    @Test
    void missingCompartmentIsAnInvalidParameterInOciShape() throws IOException {
        HttpUrl url = url("/20180401/alarms");
        Reply reply = send(PLAIN, signedByHand("GET", url, new byte[0], url, new byte[0], Clock.systemUTC()));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("code").asText()).isEqualTo("InvalidParameter");
        assertThat(reply.body().path("message").asText()).contains("compartmentId");
        assertThat(URI.create(sandbox.url()).getHost()).isEqualTo("127.0.0.1");
    }

    // --- instance principals ----------------------------------------------------------------------

    @Test
    void theMetadataServiceAnswersOnlyWithItsBearerHeader() throws IOException {
        Request bare = new Request.Builder().url(url("/opc/v2/identity/key.pem")).build();

        try (Response refused = PLAIN.newCall(bare).execute()) {
            assertThat(refused.code()).isEqualTo(401);
            assertThat(refused.body().string()).doesNotContain("PRIVATE KEY");
        }
        try (Response served = PLAIN.newCall(bare.newBuilder().header("Authorization", "Bearer Oracle").build())
                .execute()) {
            assertThat(served.code()).isEqualTo(200);
            assertThat(served.body().string()).startsWith("-----BEGIN PRIVATE KEY-----");
        }
    }

    /** A federation request signed with the instance's leaf key, its body tampered with after signing when asked. */
    private static Request federation(byte[] signedBody, byte[] sentBody) throws IOException {
        InstanceMetadata.Identity identity = new InstanceMetadata(() -> PLAIN, url("/opc/v2")).identity();
        SigningKey leaf = new SigningKey(identity.tenancyId() + "/fed-x509-sha256/"
                + InstancePrincipalKeys.fingerprint(identity.leaf()), identity.leafKey());
        OciRequestSigner signer = new OciRequestSigner(() -> leaf, Clock.systemUTC(), OciRequestSigner.FEDERATION_HEADERS);
        OciRequestSigner.Signed signature = signer.sign(new OutgoingRequest("POST", url("/v1/x509").uri(),
                Map.of("content-type", List.of("application/json")), signedBody));
        assertThat(signature.signingString()).doesNotContain("host:");
        Request.Builder request = new Request.Builder().url(url("/v1/x509")).header("Content-Type", "application/json");
        signature.headers().forEach(request::header);
        return request.post(RequestBody.create(sentBody, APPLICATION_JSON)).build();
    }

    private static byte[] federationBody(String publicKey) throws IOException {
        InstanceMetadata.Identity identity = new InstanceMetadata(() -> PLAIN, url("/opc/v2")).identity();
        ObjectNode body = JSON.createObjectNode();
        try {
            body.put("certificate", java.util.Base64.getEncoder().encodeToString(identity.leaf().getEncoded()));
            body.putArray("intermediateCertificates")
                    .add(java.util.Base64.getEncoder().encodeToString(identity.intermediate().getEncoded()));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        body.put("publicKey", publicKey);
        body.put("fingerprintAlgorithm", "SHA256");
        return JSON.writeValueAsBytes(body);
    }

    @Test
    void theFederationEndpointIssuesATokenForALeafSignedRequestAndRefusesATamperedOne() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String sessionKey = java.util.Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic()
                .getEncoded());
        byte[] body = federationBody(sessionKey);

        Reply issued = send(PLAIN, federation(body, body));
        assertThat(issued.status()).as(issued.body().toString()).isEqualTo(200);
        assertThat(issued.body().path("token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        byte[] other = federationBody(sessionKey.substring(0, sessionKey.length() - 4) + "AAAA");
        Reply tampered = send(PLAIN, federation(body, other));
        assertThat(tampered.status()).isEqualTo(401);
        assertThat(tampered.body().path("message").asText()).contains("x-content-sha256 does not match the body");
    }

    @Test
    void theFederationEndpointRefusesARequestSignedWithAnyOtherKey() throws IOException {
        byte[] body = federationBody("AAAA");
        Request request = signedByHand("POST", url("/v1/x509"), body, url("/v1/x509"), body, Clock.systemUTC());

        Reply reply = send(PLAIN, request);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("message").asText()).contains("the keyId is not known");
    }
}
