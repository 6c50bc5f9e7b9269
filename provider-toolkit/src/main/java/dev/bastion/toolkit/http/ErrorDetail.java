package dev.bastion.toolkit.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backend's error body says: its message and, for a 400, each violation it lists
 * ({@code path: message}). A provider supplies a {@link Reader} for its backend's error envelope;
 * {@link #GENERIC} reads the common shapes.
 *
 * @param message the backend's message, or empty
 * @param violations the individual problems of a rejected request, each one line
 */
public record ErrorDetail(String message, List<String> violations) {

    public ErrorDetail {
        requireNonNull(message, "message is null");
        violations = List.copyOf(requireNonNull(violations, "violations is null"));
    }

    public static final ErrorDetail NONE = new ErrorDetail("", List.of());

    /** Reads a backend's JSON error body. */
    @FunctionalInterface
    public interface Reader {
        ErrorDetail read(JsonNode body);
    }

    /**
     * The common shapes: {@code {"error":{"message":..}}}, {@code {"message":..}},
     * {@code {"error":"..","error_description":".."}} (OAuth), {@code {"errors":[{"message":..}]}},
     * {@code {"detail":..}}, {@code {"title":..}}, {@code {"code":..,"message":..}} (OCI).
     */
    public static final Reader GENERIC = body -> {
        if (body == null) {
            return NONE;
        }
        JsonNode root = body.isArray() && !body.isEmpty() ? body.get(0) : body;
        for (String path : new String[] {"/error/message", "/error_description", "/message", "/detail",
                "/errorMessage", "/errors/0/message", "/errors/0/detail", "/title", "/error"}) {
            JsonNode node = root.at(path);
            if (node.isTextual() && !node.asText().isBlank()) {
                return new ErrorDetail(node.asText(), List.of());
            }
        }
        return NONE;
    };

    /** A violation list from {@code items}, each read with {@code line}; blank lines are dropped. */
    public static List<String> lines(JsonNode items, java.util.function.Function<JsonNode, String> line) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : items) {
            String text = line.apply(item);
            if (text != null && !text.isBlank()) {
                out.add(text);
            }
        }
        return out;
    }
}
