package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tool's {@code x-mcp-header} parameters (protocol 2026-07-28, SEP-2243): an input property
 * that carries the annotation is mirrored by the client into the HTTP header
 * {@code Mcp-Param-<name>}, so a gateway can route on it without reading the body; the server
 * checks that the header says what the body says. A declaration is valid only on a
 * {@code string}, {@code integer} or {@code boolean} property, with a name of HTTP token
 * characters, unique regardless of case; the catalog refuses a tool that breaks that.
 */
public final class HeaderParameters {

    /** The header of a parameter: this prefix and its declared name. */
    public static final String PREFIX = "Mcp-Param-";

    private static final String TOKEN_SPECIALS = "!#$%&'*+-.^_`|~";
    private static final Set<String> TYPES = Set.of("string", "integer", "boolean");

    private HeaderParameters() {
    }

    /**
     * The declared header names and their properties, in declaration order.
     *
     * @throws IllegalArgumentException naming the tool, property and rule a declaration breaks
     */
    public static Map<String, String> of(String tool, JsonNode inputSchema) {
        JsonNode properties = inputSchema == null ? null : inputSchema.get("properties");
        if (!(properties instanceof ObjectNode declared)) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        declared.fields().forEachRemaining(entry -> {
            JsonNode header = entry.getValue().get("x-mcp-header");
            if (header == null) {
                return;
            }
            String where = "Tool " + tool + " property '" + entry.getKey() + "' has x-mcp-header";
            if (!header.isTextual() || header.asText().isEmpty() || !isToken(header.asText())) {
                throw new IllegalArgumentException(where + " that is not an HTTP header name (non-empty; letters, "
                        + "digits and " + TOKEN_SPECIALS + " only)");
            }
            if (!TYPES.contains(entry.getValue().path("type").asText())) {
                throw new IllegalArgumentException(where + " on a property that is not a string, integer or boolean");
            }
            if (!seen.add(header.asText().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(where + " '" + header.asText() + "', which another property of "
                        + "the tool declares too (header names are compared without regard to case)");
            }
            headers.put(header.asText(), entry.getKey());
        });
        return Collections.unmodifiableMap(headers);
    }

    /**
     * Why the {@code Mcp-Param-*} headers of a call disagree with its arguments, or empty. A header
     * value {@code =?base64?...?=} is Base64 (standard alphabet, padded) of the UTF-8 value; any
     * other value is literal.
     *
     * @param headerValue the request's value of a header, or {@code null} when it has none
     */
    public static Optional<String> mismatch(Map<String, String> declared, JsonNode arguments,
                                            java.util.function.Function<String, String> headerValue) {
        for (Map.Entry<String, String> parameter : declared.entrySet()) {
            JsonNode argument = arguments == null ? null : arguments.get(parameter.getValue());
            if (argument == null || argument.isNull()) {
                continue;
            }
            String header = PREFIX + parameter.getKey();
            String sent = headerValue.apply(header);
            if (sent == null) {
                return Optional.of("the " + header + " header is required when the argument '" + parameter.getValue()
                        + "' is given");
            }
            Optional<String> decoded = decode(sent.strip());
            if (decoded.isEmpty()) {
                return Optional.of("the " + header + " header is not valid Base64 (=?base64?...?=, padded)");
            }
            String expected = argument.isTextual() ? argument.asText() : argument.toString();
            if (!decoded.get().equals(expected)) {
                return Optional.of("the " + header + " header differs from the argument '" + parameter.getValue() + "'");
            }
        }
        return Optional.empty();
    }

    /** The value a header carries: Base64-decoded when wrapped, else as sent; empty when the Base64 is broken. */
    static Optional<String> decode(String value) {
        if (!(value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11)) {
            return Optional.of(value);
        }
        String encoded = value.substring("=?base64?".length(), value.length() - 2);
        if (encoded.length() % 4 != 0) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = c < 128 && Character.isLetterOrDigit(c);
            if (!alphanumeric && TOKEN_SPECIALS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
