package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.toolkit.credentials.CredentialException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The signing key of an instance principal. The instance's certificate and key come from the
 * metadata service; a fresh RSA session key is generated and its public half federated at
 * {@code https://auth.<region>.<domain>/v1/x509} in a request signed with the leaf key (keyId
 * {@code <tenancy>/fed-x509-sha256/<SHA-256 fingerprint of the leaf>}, headers
 * {@code date (request-target) content-length content-type x-content-sha256}); the answer is a
 * security token, and requests are then signed with keyId {@code ST$<token>} and the session key.
 *
 * <p>The token is renewed before it expires (5 minutes before, or half way through a shorter life),
 * each time with a new session key and the metadata service's current certificate; a certificate of
 * another tenancy is refused. Each token is registered with the redactor when it arrives.
 */
public final class InstancePrincipalKeys implements OciRequestSigner.KeySource {

    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    /** After a failed renewal while the token is still good, the next attempt waits this long. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstancePrincipalKeys.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final InstanceMetadata metadata;
    private final HttpUrl federationUrl;
    private final Supplier<OkHttpClient> federation;
    private final Clock clock;
    private final Redactor redactor;
    private final ObjectMapper json;
    private String tenancyId;
    /** The identity {@link #tenancyId()} read and no token was federated with yet. */
    private InstanceMetadata.Identity unfederated;
    private volatile SigningKey leafKey;
    private SigningKey current;
    private Instant currentExpires;
    private Instant refreshAt = Instant.MIN;

    /**
     * Contacts nothing yet: the identity is read on the first request (or {@link #tenancyId()}).
     *
     * @param connectFederation builds the federation endpoint's client around the credentials it
     *     must carry (the leaf-key signer this object owns)
     */
    public InstancePrincipalKeys(InstanceMetadata metadata, HttpUrl federationUrl,
                                 Function<BackendCredentials, Supplier<OkHttpClient>> connectFederation, Clock clock,
                                 Redactor redactor, ObjectMapper json) {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.federationUrl = requireNonNull(federationUrl, "federationUrl is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.json = requireNonNull(json, "json is null");
        OciRequestSigner leafSigner = new OciRequestSigner(this::leafKey, clock, OciRequestSigner.FEDERATION_HEADERS);
        this.federation = requireNonNull(connectFederation.apply(leafSigner), "federation client is null");
    }

    /** The tenancy of the instance's certificate, read from the metadata service the first time. */
    public synchronized String tenancyId() throws IOException {
        if (tenancyId == null) {
            unfederated = metadata.identity();
            tenancyId = unfederated.tenancyId();
        }
        return tenancyId;
    }

    private SigningKey leafKey() throws IOException {
        SigningKey key = leafKey;
        if (key == null) {
            throw new CredentialException("the instance's identity has not been read yet");
        }
        return key;
    }

    @Override
    public synchronized SigningKey current() throws IOException {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(refreshAt)) {
            try {
                refresh();
            } catch (IOException e) {
                // The token in hand is still good: use it, and try again in a while, not on every request.
                if (!(e instanceof TenancyChanged) && current != null && currentExpires != null
                        && now.isBefore(currentExpires)) {
                    Instant retry = now.plus(RETRY_AFTER_FAILURE);
                    refreshAt = retry.isBefore(currentExpires) ? retry : currentExpires;
                    LOG.warn("Renewing the OCI instance principal's token failed; the current one is good until {}:"
                            + " {}", currentExpires, e.getMessage());
                    return current;
                }
                throw e;
            }
        }
        return current;
    }

    private void refresh() throws IOException {
        String tenancy = tenancyId();
        InstanceMetadata.Identity identity = unfederated != null ? unfederated : metadata.identity();
        unfederated = null;
        if (!identity.tenancyId().equals(tenancy)) {
            throw new TenancyChanged();
        }
        this.leafKey = leafKey(identity);
        KeyPair session = newRsaKeys();
        String token = federate(identity, session);
        redactor.registerSecret(token);
        Instant now = clock.instant();
        Instant expires = SessionTokenKeys.expiry(token);
        Instant issued = SessionTokenKeys.timeClaim(token, "iat");
        if (expires == null) {
            refreshAt = now.plus(REFRESH_MARGIN);
        } else {
            Duration life = Duration.between(issued != null ? issued : now, expires);
            Duration margin = life.dividedBy(2).compareTo(REFRESH_MARGIN) < 0 ? life.dividedBy(2) : REFRESH_MARGIN;
            refreshAt = expires.minus(margin);
        }
        current = new SigningKey("ST$" + token, (RSAPrivateKey) session.getPrivate());
        currentExpires = expires;
    }

    private String federate(InstanceMetadata.Identity identity, KeyPair session) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("certificate", base64(identity.leaf()));
        body.put("publicKey", Base64.getEncoder().encodeToString(session.getPublic().getEncoded()));
        body.putArray("intermediateCertificates").add(base64(identity.intermediate()));
        body.put("fingerprintAlgorithm", "SHA256");
        Request request = new Request.Builder().url(federationUrl)
                .header("Content-Type", JSON_TYPE.toString())
                .post(RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE)).build();
        try (Response response = federation.get().newCall(request).execute()) {
            // The federation client caps answers at 64 KiB before they are read.
            byte[] answer = response.body() == null ? new byte[0] : response.body().bytes();
            if (!response.isSuccessful()) {
                throw refusal(response.code(), answer);
            }
            JsonNode token;
            try {
                token = json.readTree(answer).path("token");
            } catch (IOException e) {
                token = null;
            }
            if (token == null || !token.isTextual() || token.asText().isBlank()
                    || !token.asText().chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"')) {
                throw new CredentialException("OCI's federation endpoint " + federationUrl + " answered without a"
                        + " security token");
            }
            return token.asText();
        } catch (CredentialException e) {
            throw e;
        } catch (IOException e) {
            throw new CredentialException("OCI's federation endpoint " + federationUrl + " could not be reached ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private CredentialException refusal(int status, byte[] answer) {
        String code = "";
        String message = "";
        try {
            JsonNode error = json.readTree(answer);
            code = error.path("code").asText("");
            message = error.path("message").asText("");
        } catch (IOException | RuntimeException e) {
            // not OCI's error shape; the status says enough
        }
        String detail = code.isEmpty() ? "" : " " + code + (message.isEmpty() ? "" : ": " + redactor.redact(message));
        String hint = status == 401 || status == 404
                ? "; the instance certificate was not accepted: check that this instance belongs to a dynamic group"
                        + " and that the server's clock is right"
                : status == 429 || status >= 500 ? "; try again later" : "";
        return new CredentialException("OCI's federation endpoint " + federationUrl + " refused the instance principal"
                + " (HTTP " + status + detail + ")" + hint);
    }

    private SigningKey leafKey(InstanceMetadata.Identity identity) throws CredentialException {
        return new SigningKey(identity.tenancyId() + "/fed-x509-sha256/" + fingerprint(identity.leaf()),
                identity.leafKey());
    }

    /** The SHA-256 of the certificate's DER, as colon-separated lowercase hex. */
    public static String fingerprint(X509Certificate certificate) throws CredentialException {
        try {
            return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new CredentialException("the instance certificate could not be encoded");
        }
    }

    private static String base64(X509Certificate certificate) throws CredentialException {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new CredentialException("the instance certificate could not be encoded");
        }
    }

    /** A new 2048-bit RSA key pair, as the SDKs make for each session. */
    public static KeyPair newRsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate RSA keys", e);
        }
    }

    /** Not a passing failure: the instance now belongs to another tenancy, and the old token must not be used. */
    private static final class TenancyChanged extends CredentialException {
        private static final long serialVersionUID = 1L;

        TenancyChanged() {
            super("The instance's new certificate names another tenancy than the one this server started with;"
                    + " restart the server to use the new tenancy");
        }
    }

    @Override
    public String toString() {
        return "InstancePrincipalKeys[" + metadata + ", " + federationUrl + "]";
    }
}
