package dev.bastion.transport.http;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.security.path.PathPolicy;
import dev.bastion.security.path.PathPolicyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** TLS termination: a PEM certificate chain and PKCS#8 key, or a PKCS#12 key store; TLS 1.2 and 1.3 only. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContextFactory.Server server(HttpSettings.Tls tls) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        factory.setExcludeProtocols("SSLv3", "TLSv1", "TLSv1.1");
        if (tls.pkcs12File() != null) {
            if (!Files.isReadable(tls.pkcs12File())) {
                throw new ProviderConfigException("http.tls.pkcs12_file cannot be read: " + tls.pkcs12File());
            }
            requireOwnerOnly("http.tls.pkcs12_file", tls.pkcs12File());
            String password = tls.pkcs12Password() == null ? "" : tls.pkcs12Password().reveal();
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(tls.pkcs12File())) {
                    store.load(in, password.toCharArray());
                }
                factory.setKeyStore(store);
                factory.setKeyStorePassword(password);
            } catch (IOException | GeneralSecurityException e) {
                throw new ProviderConfigException("http.tls.pkcs12_file cannot be opened (wrong password or not a "
                        + "PKCS#12 file): " + tls.pkcs12File());
            }
            return factory;
        }
        char[] password = new char[32];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("bastion", readKey(tls.keyFile()), password,
                    readChain(tls.certFile()).toArray(Certificate[]::new));
            factory.setKeyStore(store);
            factory.setKeyStorePassword(new String(password));
        } catch (IOException | GeneralSecurityException e) {
            throw new ProviderConfigException("http.tls: the certificate and key cannot be used together: "
                    + e.getClass().getSimpleName().replace("Exception", "").toLowerCase(java.util.Locale.ROOT));
        }
        return factory;
    }

    private static List<Certificate> readChain(Path file) {
        try {
            byte[] pem = Files.readAllBytes(file);
            List<Certificate> chain = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)));
            if (chain.isEmpty()) {
                throw new ProviderConfigException("http.tls.cert_file holds no certificate: " + file);
            }
            return chain;
        } catch (IOException e) {
            throw new ProviderConfigException("http.tls.cert_file cannot be read: " + file);
        } catch (GeneralSecurityException e) {
            throw new ProviderConfigException("http.tls.cert_file is not a PEM certificate chain: " + file);
        }
    }

    /** A private key others can read is no longer private: the same rule as for backend key files. */
    private static void requireOwnerOnly(String setting, Path file) {
        try {
            PathPolicy.requireOwnerOnly(file);
        } catch (PathPolicyException e) {
            throw new ProviderConfigException(setting + ": " + e.getMessage());
        }
    }

    private static PrivateKey readKey(Path file) {
        if (Files.isRegularFile(file)) {
            requireOwnerOnly("http.tls.key_file", file);
        }
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ProviderConfigException("http.tls.key_file cannot be read: " + file);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new ProviderConfigException("http.tls.key_file must be an unencrypted PKCS#8 PEM key (-----BEGIN "
                    + "PRIVATE KEY-----); convert others with: openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        } catch (IllegalArgumentException e) {
            throw new ProviderConfigException("http.tls.key_file: the PEM body is not valid base64");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ProviderConfigException("http.tls.key_file is not an RSA, EC or Ed25519 private key");
    }
}
