package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an OCI request signature the way the service does: it parses the {@code Authorization}
 * header, requires the headers OCI requires for the method, rebuilds the signing string from the
 * request itself (never from what the client claims), checks the date against the 5-minute skew
 * limit, looks the keyId up and verifies the RSA-SHA256 signature. The body's digest is checked
 * separately ({@link #checkBody}) because a server may read the body after the headers.
 */
public final class OciSignatureVerifier {

    /** OCI's tolerance for client clock skew. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final Function<String, Optional<PublicKey>> keys;
    private final Clock clock;
    private final List<String> requiredHeaders;

    /** @param keys the public key of a keyId, empty for an unknown keyId */
    public OciSignatureVerifier(Function<String, Optional<PublicKey>> keys, Clock clock) {
        this(keys, clock, List.of("(request-target)", "host"));
    }

    private OciSignatureVerifier(Function<String, Optional<PublicKey>> keys, Clock clock, List<String> requiredHeaders) {
        this.keys = requireNonNull(keys, "keys is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.requiredHeaders = requiredHeaders;
    }

    /** A verifier for the X.509 federation endpoint, which does not require {@code host} to be signed. */
    public static OciSignatureVerifier forFederation(Function<String, Optional<PublicKey>> keys, Clock clock) {
        return new OciSignatureVerifier(keys, clock, List.of("(request-target)"));
    }

    /**
     * The verdict on one request: the keyId it was signed with, or why it is refused.
     *
     * @param keyId the verified keyId, or {@code null}
     * @param refusal why the request is not authenticated, or {@code null}
     * @param clockSkew whether the refusal is about the date
     */
    public record Verdict(String keyId, String refusal, boolean clockSkew) {

        static Verdict refuse(String reason) {
            return new Verdict(null, reason, false);
        }

        public boolean verified() {
            return refusal == null;
        }

        @Override
        public String toString() {
            return verified() ? "Verdict[verified]" : "Verdict[" + refusal + "]";
        }
    }

    /**
     * Verifies the signature of a request.
     *
     * @param method the HTTP method
     * @param requestTarget the path and query as received, such as {@code /20160918/compartments?compartmentId=x}
     * @param header a request header's first value by lowercase name, empty when absent
     */
    public Verdict verify(String method, String requestTarget, Function<String, Optional<String>> header) {
        requireNonNull(method, "method is null");
        requireNonNull(requestTarget, "requestTarget is null");
        requireNonNull(header, "header is null");
        Optional<String> authorization = header.apply("authorization");
        if (authorization.isEmpty() || !authorization.get().startsWith("Signature ")) {
            return Verdict.refuse("the Authorization header is missing or is not a Signature");
        }
        Map<String, String> parameters = new HashMap<>();
        Matcher matcher = PARAMETER.matcher(authorization.get().substring("Signature ".length()));
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        String version = parameters.getOrDefault("version", "1");
        if (!version.equals("1")) {
            return Verdict.refuse("signature version " + version + " is not supported");
        }
        if (!"rsa-sha256".equals(parameters.get("algorithm"))) {
            return Verdict.refuse("the algorithm must be rsa-sha256");
        }
        String keyId = parameters.get("keyId");
        String signature = parameters.get("signature");
        String signedHeaders = parameters.get("headers");
        if (keyId == null || signature == null || signedHeaders == null) {
            return Verdict.refuse("the Authorization header lacks keyId, headers or signature");
        }
        List<String> names = Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(" "));
        List<String> required = new ArrayList<>(requiredHeaders);
        if (OciRequestSigner.BODY_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            required.addAll(OciRequestSigner.BODY_HEADERS);
        }
        for (String name : required) {
            if (!names.contains(name)) {
                return Verdict.refuse("the signature does not cover the required header " + name);
            }
        }
        String dateHeader = names.contains("x-date") ? "x-date" : "date";
        if (!names.contains(dateHeader)) {
            return Verdict.refuse("the signature does not cover the required header date");
        }
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            if (name.equals("(request-target)")) {
                values.put(name, method.toLowerCase(Locale.ROOT) + " " + requestTarget);
                continue;
            }
            Optional<String> value = header.apply(name);
            if (value.isEmpty()) {
                return Verdict.refuse("the signed header " + name + " is missing from the request");
            }
            values.put(name, value.get());
        }
        Instant date;
        try {
            date = ZonedDateTime.parse(values.get(dateHeader), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return Verdict.refuse("the " + dateHeader + " header is not an HTTP date");
        }
        if (Duration.between(date, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            return new Verdict(null, "the " + dateHeader + " header (" + values.get(dateHeader) + ") is more than 5 minutes"
                    + " from the server's time", true);
        }
        Optional<PublicKey> key = keys.apply(keyId);
        if (key.isEmpty()) {
            return Verdict.refuse("the keyId is not known");
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key.get());
            verifier.update(OciRequestSigner.signingString(names, values).getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(signature))) {
                return Verdict.refuse("the signature does not match the request");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Verdict.refuse("the signature is malformed");
        }
        return new Verdict(keyId, null, false);
    }

    /**
     * Checks a body against its signed {@code content-length} and {@code x-content-sha256}; the
     * refusal, or empty when they match.
     */
    public static Optional<String> checkBody(byte[] body, Function<String, Optional<String>> header) {
        requireNonNull(body, "body is null");
        Optional<String> digest = header.apply("x-content-sha256");
        if (digest.isEmpty()) {
            return Optional.of("x-content-sha256 is missing");
        }
        if (!MessageDigest.isEqual(digest.get().getBytes(StandardCharsets.US_ASCII),
                OciRequestSigner.sha256(body).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("x-content-sha256 does not match the body");
        }
        Optional<String> length = header.apply("content-length");
        if (length.isPresent() && !length.get().equals(Integer.toString(body.length))) {
            return Optional.of("content-length does not match the body");
        }
        return Optional.empty();
    }
}
