package dev.bastion.toolkit.sandbox;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque page keys for a sandbox's simulated pagination, as real APIs hand out ({@code nextPageKey}):
 * a key carries the original query and the offset of the next page, bound to one endpoint (its
 * scope) and signed with a key made at startup. A forged, tampered or foreign key is a 400 about
 * the page-key parameter in the backend's shape, never an out-of-range offset inside a handler.
 */
public final class PageKeys {

    private static final String ALGORITHM = "HmacSHA256";
    /** Far above any key this class makes; longer input is refused before it is decoded. */
    private static final int MAX_KEY_LENGTH = 8192;

    private final ObjectMapper json = new ObjectMapper();
    private final SecretKeySpec key;

    private PageKeys(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    /** Page keys signed with a fresh random key: keys from another instance are refused. */
    public static PageKeys create() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new PageKeys(secret);
    }

    /**
     * A decoded page key.
     *
     * @param query the query of the first request, to be served again
     * @param offset where the next page starts; never negative
     */
    public record Page(Map<String, String> query, int offset) {
        public Page {
            query = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(query, "query is null")));
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative");
            }
        }
    }

    /**
     * The key of the page that starts at {@code offset}.
     *
     * @param scope the endpoint the key belongs to (for example its path), checked on decoding
     * @param query the query of the first request
     */
    public String encode(String scope, Map<String, String> query, int offset) {
        requireNonNull(scope, "scope is null");
        requireNonNull(query, "query is null");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        ObjectNode payload = json.createObjectNode();
        payload.put("s", scope);
        ObjectNode q = payload.putObject("q");
        query.forEach(q::put);
        payload.put("o", offset);
        String body = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(body));
    }

    /**
     * Reads a key made by {@link #encode}.
     *
     * @param parameter the query parameter that carried the key, named in the error
     * @param scope the endpoint it was sent to
     * @throws SandboxError 400 about {@code parameter} when the key is not one of ours, was changed,
     *     or belongs to another endpoint
     */
    public Page decode(String parameter, String scope, String pageKey) {
        requireNonNull(parameter, "parameter is null");
        requireNonNull(scope, "scope is null");
        if (pageKey == null || pageKey.isEmpty() || pageKey.length() > MAX_KEY_LENGTH) {
            throw invalid(parameter);
        }
        int dot = pageKey.indexOf('.');
        if (dot < 1 || dot != pageKey.lastIndexOf('.')) {
            throw invalid(parameter);
        }
        String body = pageKey.substring(0, dot);
        byte[] signature;
        byte[] payloadBytes;
        try {
            signature = Base64.getUrlDecoder().decode(pageKey.substring(dot + 1));
            payloadBytes = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw invalid(parameter);
        }
        if (!MessageDigest.isEqual(sign(body), signature)) {
            throw invalid(parameter);
        }
        JsonNode payload;
        try {
            payload = json.readTree(payloadBytes);
        } catch (IOException e) {
            throw invalid(parameter);
        }
        // Signed by us, so well-formed; checked anyway, since a decoding bug must not become a 500.
        if (payload == null || !payload.path("s").isTextual() || !payload.path("q").isObject()
                || !payload.path("o").canConvertToInt() || payload.path("o").asInt() < 0) {
            throw invalid(parameter);
        }
        if (!payload.path("s").asText().equals(scope)) {
            throw SandboxError.badParameter(SandboxError.Location.QUERY, parameter, "belongs to a different request");
        }
        Map<String, String> query = new LinkedHashMap<>();
        payload.path("q").properties().forEach(e -> query.put(e.getKey(), e.getValue().asText()));
        return new Page(query, payload.path("o").asInt());
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static SandboxError invalid(String parameter) {
        return SandboxError.badParameter(SandboxError.Location.QUERY, parameter, "is not a valid page key");
    }
}
