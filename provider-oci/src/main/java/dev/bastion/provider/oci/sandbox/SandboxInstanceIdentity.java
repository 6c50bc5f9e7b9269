package dev.bastion.provider.oci.sandbox;

import static java.util.Objects.requireNonNull;

import dev.bastion.provider.oci.auth.Der;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/**
 * The X.509 identity the sandbox's metadata service hands its one simulated compute instance, as
 * OCI's does: a leaf certificate whose subject names the instance, its compartment and its tenancy
 * ({@code OU=opc-tenant:<tenancy>}), the leaf's private key, and the intermediate certificate that
 * issued it. Certificates are written with the JDK's own X.500 names and signatures; only their
 * small DER frame is assembled here.
 */
final class SandboxInstanceIdentity {

    /** sha256WithRSAEncryption. */
    private static final byte[] SHA256_WITH_RSA = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    final String instanceId;
    final KeyPair leafKeys;
    final X509Certificate leaf;
    final X509Certificate intermediate;

    private SandboxInstanceIdentity(String instanceId, KeyPair leafKeys, X509Certificate leaf,
                                    X509Certificate intermediate) {
        this.instanceId = instanceId;
        this.leafKeys = leafKeys;
        this.leaf = leaf;
        this.intermediate = intermediate;
    }

    /** Issues an intermediate and, under it, the instance's leaf, valid from an hour before {@code now} for a year. */
    static SandboxInstanceIdentity issue(String tenancyId, String compartmentId, String instanceId, Instant now) {
        requireNonNull(tenancyId, "tenancyId is null");
        KeyPair intermediateKeys = OciSandbox.generateKeys();
        KeyPair leafKeys = OciSandbox.generateKeys();
        Instant from = now.minus(Duration.ofHours(1));
        Instant until = now.plus(Duration.ofDays(365));
        X500Principal issuer = new X500Principal("CN=PKISVC Identity Intermediate sandbox, OU=Bastion OCI sandbox");
        X509Certificate intermediate = certificate(issuer, issuer, intermediateKeys, intermediateKeys.getPrivate(),
                from, until);
        X500Principal subject = new X500Principal("CN=" + instanceId + ", OU=opc-certtype:instance, OU=opc-compartment:"
                + compartmentId + ", OU=opc-instance:" + instanceId + ", OU=opc-tenant:" + tenancyId);
        X509Certificate leaf = certificate(issuer, subject, leafKeys, intermediateKeys.getPrivate(), from, until);
        return new SandboxInstanceIdentity(instanceId, leafKeys, leaf, intermediate);
    }

    String leafPem() {
        return OciSandbox.pem("CERTIFICATE", encoded(leaf));
    }

    String intermediatePem() {
        return OciSandbox.pem("CERTIFICATE", encoded(intermediate));
    }

    String keyPem() {
        return OciSandbox.pem("PRIVATE KEY", leafKeys.getPrivate().getEncoded());
    }

    /** The leaf's DER as single-line base64, as a federation request carries it. */
    String leafBase64() {
        return Base64.getEncoder().encodeToString(encoded(leaf));
    }

    String intermediateBase64() {
        return Base64.getEncoder().encodeToString(encoded(intermediate));
    }

    private static X509Certificate certificate(X500Principal issuer, X500Principal subject, KeyPair subjectKeys,
                                               PrivateKey issuerKey, Instant from, Instant until) {
        byte[] serial = Der.tlv(Der.INTEGER, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE).toByteArray());
        byte[] tbs = Der.sequence(
                Der.tlv(0xa0, Der.tlv(Der.INTEGER, new byte[] {2})),
                serial,
                SHA256_WITH_RSA,
                issuer.getEncoded(),
                Der.sequence(time(from), time(until)),
                subject.getEncoded(),
                subjectKeys.getPublic().getEncoded());
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] der = Der.sequence(tbs, SHA256_WITH_RSA, Der.tlv(Der.BIT_STRING, bits));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the sandbox could not issue its instance certificate", e);
        }
    }

    private static byte[] time(Instant instant) {
        return Der.tlv(Der.UTC_TIME, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sandbox certificate could not be encoded", e);
        }
    }

}
