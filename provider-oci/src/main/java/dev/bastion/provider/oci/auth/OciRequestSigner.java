package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.auth.OutgoingRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OCI request signing, signature version 1: draft-cavage-http-signatures-08 in the
 * {@code Authorization} header with {@code rsa-sha256}. It signs {@code date (request-target) host}
 * and, for requests with a body, {@code content-length content-type x-content-sha256}, the query
 * string exactly as sent. The outbound client applies it to every attempt after all other headers
 * are set, so each retry carries a fresh date and signature.
 *
 * <p>The {@code Host} and {@code Content-Length} headers are written by the HTTP client from the
 * URI and the body; the signer signs the same values (the URI's authority, the body's length). A
 * body's {@code Content-Type} must be set as a request header so that the value signed is the value
 * sent.
 */
public final class OciRequestSigner implements BackendCredentials {

    /** Signed on every request, in the order the SDKs sign them. */
    public static final List<String> GENERIC_HEADERS = List.of("date", "(request-target)", "host");
    /**
     * Signed on a request to the X.509 federation endpoint, which (as the SDKs sign it) leaves out
     * {@code host}.
     */
    public static final List<String> FEDERATION_HEADERS = List.of("date", "(request-target)");
    /** Signed in addition on requests with a body. */
    public static final List<String> BODY_HEADERS = List.of("content-length", "content-type", "x-content-sha256");
    /** Methods whose requests carry a body and sign the body headers (the SDKs put PATCH here too). */
    public static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    /** The IMF-fixdate of RFC 7231; RFC_1123_DATE_TIME would drop the leading zero of the day. */
    public static final DateTimeFormatter DATE_FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    static final String DEFAULT_CONTENT_TYPE = "application/json";

    private final KeySource keys;
    private final Clock clock;
    private final List<String> genericHeaders;

    /** Where the signing key comes from: fixed for an API key, re-read for a session token. */
    public interface KeySource {

        /** The key to sign with now. */
        SigningKey current() throws IOException;

        /** The secrets this source sends (a session token), for the redactor. */
        default List<String> secretValues() {
            return List.of();
        }
    }

    public OciRequestSigner(KeySource keys, Clock clock) {
        this(keys, clock, GENERIC_HEADERS);
    }

    /** @param genericHeaders the headers signed on every request: {@link #GENERIC_HEADERS} or {@link #FEDERATION_HEADERS} */
    public OciRequestSigner(KeySource keys, Clock clock, List<String> genericHeaders) {
        this.keys = requireNonNull(keys, "keys is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.genericHeaders = List.copyOf(genericHeaders);
    }

    /** A signer for a fixed key (an API key). */
    public static OciRequestSigner of(SigningKey key, Clock clock) {
        return of(key, clock, List.of());
    }

    /**
     * A signer for a fixed key whose file needed {@code secrets} (a pass phrase): they are never
     * sent, but registering them with the redactor keeps them out of every message anyway.
     */
    public static OciRequestSigner of(SigningKey key, Clock clock, List<String> secrets) {
        requireNonNull(key, "key is null");
        List<String> values = List.copyOf(requireNonNull(secrets, "secrets is null"));
        return new OciRequestSigner(new KeySource() {
            @Override
            public SigningKey current() {
                return key;
            }

            @Override
            public List<String> secretValues() {
                return values;
            }
        }, clock);
    }

    /**
     * A request's signature.
     *
     * @param signingString the text that was signed
     * @param signature the base64 RSA-SHA256 signature
     * @param headers the headers to send: {@code authorization}, {@code date} unless the request has
     *     one, and with a body {@code x-content-sha256} and {@code content-type} unless the request has one
     */
    public record Signed(String signingString, String signature, Map<String, String> headers) {
        public Signed {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    /** Where this signer's key comes from. */
    public KeySource keys() {
        return keys;
    }

    @Override
    public Map<String, String> headersFor(OutgoingRequest request) throws IOException {
        return sign(request).headers();
    }

    @Override
    public List<String> secretValues() {
        return keys.secretValues();
    }

    /** Signs {@code request} with the current key and the clock's time. */
    public Signed sign(OutgoingRequest request) throws IOException {
        requireNonNull(request, "request is null");
        SigningKey key = keys.current();
        String method = request.method().toUpperCase(Locale.ROOT);
        byte[] body = request.body();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> added = new LinkedHashMap<>();
        // As in the SDKs, a Date the request already carries is signed as it is; otherwise the
        // signer dates the request. The outbound client drops the date it set before each retry.
        String date = header(request, "date");
        if (date == null) {
            date = DATE_FORMAT.format(clock.instant());
            added.put("date", date);
        }
        values.put("date", date);
        values.put("(request-target)", requestTarget(method, request.uri()));
        values.put("host", host(request.uri()));
        List<String> names = new ArrayList<>(genericHeaders);
        if (BODY_METHODS.contains(method)) {
            String contentType = header(request, "content-type");
            if (contentType == null) {
                contentType = DEFAULT_CONTENT_TYPE;
                added.put("content-type", contentType);
            }
            String digest = sha256(body);
            values.put("content-length", Integer.toString(body.length));
            values.put("content-type", contentType);
            values.put("x-content-sha256", digest);
            added.put("x-content-sha256", digest);
            names.addAll(BODY_HEADERS);
        }
        String signingString = signingString(names, values);
        String signature = rsaSha256(key, signingString);
        added.put("authorization", "Signature version=\"1\",headers=\"" + String.join(" ", names) + "\",keyId=\""
                + key.keyId() + "\",algorithm=\"rsa-sha256\",signature=\"" + signature + "\"");
        return new Signed(signingString, signature, added);
    }

    /** {@code <lowercase method> <raw path>[?<raw query>]}, the URI as it goes on the wire. */
    public static String requestTarget(String method, URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        return method.toLowerCase(Locale.ROOT) + " " + path + (query == null ? "" : "?" + query);
    }

    /** The authority without user info: host, and the port when the URI names one. */
    public static String host(URI uri) {
        String host = uri.getHost();
        return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    }

    /** One {@code name: value} line per signed header, joined by {@code \n}, no trailing newline. */
    public static String signingString(List<String> names, Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(name).append(": ").append(values.get(name));
        }
        return text.toString();
    }

    /** base64(SHA-256(body)); required even for an empty body. */
    public static String sha256(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static String rsaSha256(SigningKey key, String signingString) throws IOException {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key.privateKey());
            signer.update(signingString.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IOException("the OCI request could not be signed: " + e.getClass().getSimpleName());
        }
    }

    private static String header(OutgoingRequest request, String name) {
        for (Map.Entry<String, List<String>> entry : request.headers().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }
}
