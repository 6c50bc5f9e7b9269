package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import dev.bastion.toolkit.credentials.CredentialException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The instance metadata service of an OCI compute instance, as instance principals use it: the
 * instance's leaf certificate, its private key and the intermediate certificate under
 * {@code /opc/v2/identity/}, and the region, all with {@code Authorization: Bearer Oracle}. When
 * {@code /opc/v2} answers 404 (an instance with the legacy service only), {@code /opc/v1} is used.
 *
 * <p>The service is plain http on {@code 169.254.169.254}; the client given here is the only one
 * allowed to reach that address (see {@code BackendSpec.linkLocalOrigin}).
 */
public final class InstanceMetadata {

    static final String AUTHORIZATION = "Bearer Oracle";
    /** The subject attributes that carry the tenancy OCID, as the SDKs read them. */
    private static final String[] TENANCY_PREFIXES = {"opc-tenant:", "opc-identity:"};

    private final Supplier<OkHttpClient> http;
    private final HttpUrl configured;
    private HttpUrl base;

    /**
     * @param base the service's base URL, {@code http://169.254.169.254/opc/v2} unless a sandbox
     *     stands in for it
     */
    public InstanceMetadata(Supplier<OkHttpClient> http, HttpUrl base) {
        this.http = requireNonNull(http, "http is null");
        this.configured = requireNonNull(base, "base is null");
        this.base = base;
    }

    /**
     * The instance's X.509 identity.
     *
     * @param leaf the leaf certificate
     * @param leafKey the leaf certificate's private key
     * @param intermediate the intermediate certificate
     * @param tenancyId the tenancy OCID of the leaf certificate's subject
     */
    public record Identity(X509Certificate leaf, RSAPrivateCrtKey leafKey, X509Certificate intermediate,
                           String tenancyId) {

        @Override
        public String toString() {
            return "Identity[" + leaf.getSubjectX500Principal().getName() + "]";
        }
    }

    /** The current identity; the service rotates the certificate, so each token refresh reads it again. */
    public synchronized Identity identity() throws IOException {
        String leafPem = text("identity/cert.pem");
        String keyPem = text("identity/key.pem");
        String intermediatePem = text("identity/intermediate.pem");
        X509Certificate leaf = certificate(leafPem, "identity/cert.pem");
        X509Certificate intermediate = certificate(intermediatePem, "identity/intermediate.pem");
        RSAPrivateCrtKey key;
        try {
            key = PemPrivateKeys.read(keyPem, null, "the instance metadata service's identity/key.pem");
        } catch (KeyFileException e) {
            throw new CredentialException(e.getMessage());
        }
        if (!(leaf.getPublicKey() instanceof RSAPublicKey publicKey)
                || !publicKey.getModulus().equals(key.getModulus())) {
            throw new CredentialException("The instance metadata service at " + base + " served a private key that does"
                    + " not belong to its leaf certificate");
        }
        return new Identity(leaf, key, intermediate, tenancyOf(leaf));
    }

    /** The instance's region identifier, such as {@code us-ashburn-1}. */
    public synchronized String region() throws IOException {
        return text("instance/canonicalRegionName").strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The tenancy OCID in the subject's {@code opc-tenant:} (or {@code opc-identity:}) attribute. */
    static String tenancyOf(X509Certificate certificate) throws CredentialException {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                String value = String.valueOf(rdn.getValue());
                for (String prefix : TENANCY_PREFIXES) {
                    if (value.startsWith(prefix) && value.length() > prefix.length()) {
                        return value.substring(prefix.length());
                    }
                }
            }
        } catch (InvalidNameException e) {
            // fall through to the refusal
        }
        throw new CredentialException("The instance's leaf certificate names no tenancy (no opc-tenant: attribute in"
                + " its subject); it is not an OCI instance principal certificate");
    }

    private String text(String path) throws IOException {
        try (Response response = get(base, path)) {
            if (response.code() == 404 && base.equals(configured) && configured.encodedPath().endsWith("/opc/v2")) {
                response.close();
                HttpUrl legacy = configured.newBuilder().encodedPath(configured.encodedPath()
                        .replaceAll("/opc/v2$", "/opc/v1")).build();
                try (Response again = get(legacy, path)) {
                    if (again.isSuccessful()) {
                        base = legacy;
                        return body(again);
                    }
                    throw failure(again, legacy, path);
                }
            }
            if (!response.isSuccessful()) {
                throw failure(response, base, path);
            }
            return body(response);
        }
    }

    private Response get(HttpUrl root, String path) throws IOException {
        HttpUrl url = root.newBuilder().addPathSegments(path).build();
        Request request = new Request.Builder().url(url).header("Authorization", AUTHORIZATION).get().build();
        try {
            return http.get().newCall(request).execute();
        } catch (IOException e) {
            throw new CredentialException("The instance metadata service at " + root + " did not answer ("
                    + e.getClass().getSimpleName() + "): auth_type instance_principal works only on an OCI compute"
                    + " instance; elsewhere use an API-key or session profile");
        }
    }

    private static String body(Response response) throws IOException {
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
    }

    private static CredentialException failure(Response response, HttpUrl root, String path) {
        return new CredentialException("The instance metadata service at " + root + " answered HTTP " + response.code()
                + " for " + path + (response.code() == 401 ? " (it requires the Authorization: Bearer Oracle header)"
                : "") + "; auth_type instance_principal needs the metadata service of an OCI compute instance");
    }

    private X509Certificate certificate(String pem, String path) throws CredentialException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new CredentialException("The instance metadata service at " + base + " served a " + path
                    + " that is not an X.509 certificate");
        }
    }

    @Override
    public String toString() {
        return "InstanceMetadata[" + base + "]";
    }
}
