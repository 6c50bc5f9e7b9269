package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code requestState} of {@code input_required} results (2026-07-28): the answers a client
 * gave in earlier rounds, carried by the client because the server keeps no session. The client
 * controls what it sends back, so the state is signed with HMAC-SHA256 under the server's key and
 * bound to the caller, the method, the tool (prompt, resource), a digest of the arguments and an
 * expiry. A state that was changed, has expired, or belongs to another caller or another request is
 * refused. Several replicas that share the key accept each other's states.
 *
 * <p>The state also names the questions of the round it answers ({@code asked}: key → digest of
 * the question), so an answer counts only for a question the server asked, and once a call has
 * completed with a state, that state is spent in this process: it cannot run the call again.
 *
 * <p>Format: {@code base64url(payload) "." base64url(HMAC-SHA256(key, payload))}, the payload a
 * JSON object {@code {v, sub, m, n, args, exp, answers, asked, nonce}} where {@code sub} and
 * {@code args} are SHA-256 digests, never the principal's name or the argument values.
 */
public final class RequestStates {

    /** How long a client has to answer a round. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** The shortest key accepted (256 bits). */
    public static final int MIN_KEY_BYTES = 32;

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_STATE_CHARS = 256 * 1024;

    private final byte[] key;
    private final ObjectMapper json;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Nonces of states a completed call used, until they expire. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> spent = new java.util.concurrent.ConcurrentHashMap<>();

    public RequestStates(byte[] key, ObjectMapper json, Clock clock) {
        requireNonNull(key, "key is null");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the request state key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = key.clone();
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** With a random key of this process: states are valid only here (see the operations guide). */
    public static RequestStates randomKey(ObjectMapper json) {
        byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new RequestStates(key, json, Clock.systemUTC());
    }

    /** What a state is bound to. */
    public record Binding(String principal, String method, String name, JsonNode arguments) {
    }

    /** What an opened state holds. */
    record Opened(ObjectNode answers, ObjectNode asked, String nonce, long expiresMillis) {
    }

    /** Seals the answers gathered so far and the questions of this round for the next round. */
    String seal(Binding binding, ObjectNode answers, ObjectNode asked) {
        ObjectNode payload = F.objectNode();
        payload.put("v", 1);
        payload.put("sub", digest(binding.principal()));
        payload.put("m", binding.method());
        payload.put("n", binding.name() == null ? "" : binding.name());
        payload.put("args", digest(canonical(binding.arguments())));
        payload.put("exp", clock.millis() + LIFETIME.toMillis());
        payload.set("answers", answers);
        payload.set("asked", asked);
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        payload.put("nonce", ENCODE.encodeToString(nonce));
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException("a request state could not be written", e);
        }
        return ENCODE.encodeToString(bytes) + "." + ENCODE.encodeToString(mac(bytes));
    }

    /**
     * The answers in {@code state}, after checking it.
     *
     * @throws StateRefused naming why (changed, expired, another caller, another request)
     */
    Opened open(String state, Binding binding) throws StateRefused {
        if (state.length() > MAX_STATE_CHARS) {
            throw new StateRefused("it is longer than any state this server issues");
        }
        int dot = state.indexOf('.');
        if (dot <= 0 || dot != state.lastIndexOf('.')) {
            throw new StateRefused("it is not a state this server issued");
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODE.decode(state.substring(0, dot));
            signature = DECODE.decode(state.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new StateRefused("it is not a state this server issued");
        }
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            throw new StateRefused("its integrity check failed (it was changed, or signed with another key)");
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(payload);
        } catch (IOException e) {
            throw new StateRefused("it is not a state this server issued");
        }
        if (parsed.path("exp").asLong(0) < clock.millis()) {
            throw new StateRefused("it has expired (a round must be answered within " + LIFETIME.toMinutes()
                    + " minutes); send the request again without it");
        }
        if (!digest(binding.principal()).equals(parsed.path("sub").asText())) {
            throw new StateRefused("it was issued to another caller");
        }
        if (!binding.method().equals(parsed.path("m").asText())
                || !(binding.name() == null ? "" : binding.name()).equals(parsed.path("n").asText())
                || !digest(canonical(binding.arguments())).equals(parsed.path("args").asText())) {
            throw new StateRefused("it was issued for another request (method, name or arguments differ)");
        }
        String nonce = parsed.path("nonce").asText();
        if (spent.containsKey(nonce)) {
            throw new StateRefused("it was already used to complete this call; start the call again without it");
        }
        JsonNode answers = parsed.path("answers");
        JsonNode asked = parsed.path("asked");
        return new Opened(answers instanceof ObjectNode object ? object : F.objectNode(),
                asked instanceof ObjectNode object ? object : F.objectNode(), nonce, parsed.path("exp").asLong());
    }

    /** Marks a state spent: a call completed with it. Spent states are forgotten once expired. */
    void spend(Opened opened) {
        long now = clock.millis();
        spent.values().removeIf(expiry -> expiry < now);
        spent.put(opened.nonce(), opened.expiresMillis());
    }

    /** The digest of a question as the state records it. */
    static String questionDigest(String method, JsonNode params) {
        return digest(method + "\u0000" + canonical(params));
    }

    /** A refused state; the message says why, for the client and the audit. */
    static final class StateRefused extends Exception {
        private static final long serialVersionUID = 1L;

        StateRefused(String why) {
            super(why, null, false, false);
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String digest(String value) {
        try {
            return ENCODE.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The JSON text of {@code node} with object keys sorted, so equal arguments give equal digests. */
    static String canonical(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            StringBuilder out = new StringBuilder("{");
            for (String name : names) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(F.textNode(name)).append(':').append(canonical(node.get(name)));
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            Iterator<JsonNode> elements = ((ArrayNode) node).elements();
            while (elements.hasNext()) {
                out.append(canonical(elements.next()));
                if (elements.hasNext()) {
                    out.append(',');
                }
            }
            return out.append(']').toString();
        }
        return node.toString();
    }
}
