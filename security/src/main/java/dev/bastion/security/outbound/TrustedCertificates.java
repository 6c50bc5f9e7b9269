package dev.bastion.security.outbound;

import dev.bastion.core.spi.ProviderConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust for a backend with a {@code ca_file}: the JDK's default trusted roots plus every
 * certificate in the PEM file. The file adds to the defaults instead of replacing them because a
 * backend behind a private CA often sits next to public endpoints (OAuth token servers, SaaS APIs)
 * reached with the same client. Certificate and host name verification stay on; there is no way
 * to turn them off.
 */
public record TrustedCertificates(SSLSocketFactory socketFactory, X509TrustManager trustManager) {

    private static final Pattern PEM_CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    /** The JDK's roots plus {@code extra}, the certificates {@link #readPem} read from {@code caFile}. */
    public static TrustedCertificates trusting(Path caFile, List<X509Certificate> extra) {
        try {
            TrustManagerFactory platform = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            platform.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (X509Certificate root : x509(platform.getTrustManagers()).getAcceptedIssuers()) {
                store.setCertificateEntry("platform-" + index++, root);
            }
            for (X509Certificate certificate : extra) {
                store.setCertificateEntry("ca-file-" + index++, certificate);
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            X509TrustManager trustManager = x509(combined.getTrustManagers());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return new TrustedCertificates(context.getSocketFactory(), trustManager);
        } catch (GeneralSecurityException | IOException e) {
            throw new ProviderConfigException("ca_file " + caFile + " could not be turned into a trust store: "
                    + e.getMessage());
        }
    }

    public static List<X509Certificate> readPem(Path caFile) {
        String text;
        try {
            text = Files.readString(caFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ProviderConfigException("ca_file " + caFile + " cannot be read; it must be a readable PEM file"
                    + " with one or more CA certificates");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher matcher = PEM_CERTIFICATE.matcher(text);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (matcher.find()) {
                byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new ProviderConfigException("ca_file " + caFile + " contains a certificate that is not valid PEM"
                    + " (certificate " + (certificates.size() + 1) + ")");
        }
        if (certificates.isEmpty()) {
            throw new ProviderConfigException("ca_file " + caFile + " contains no PEM certificate (expected one or"
                    + " more -----BEGIN CERTIFICATE----- blocks)");
        }
        return List.copyOf(certificates);
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JDK offers no X.509 trust manager");
    }
}
