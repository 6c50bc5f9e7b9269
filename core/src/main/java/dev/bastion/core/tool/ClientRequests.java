package dev.bastion.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Requests the server sends to the client during a call. Each is made only when the client
 * declared the matching capability, and each waits at most until the call's deadline.
 */
public interface ClientRequests {

    boolean supportsElicitation();

    boolean supportsSampling();

    boolean supportsRoots();

    /**
     * Asks the user a question ({@code elicitation/create}, form mode).
     *
     * @param message what to ask, shown to the user
     * @param requestedSchema a flat object schema of primitive properties
     */
    ElicitationResult elicit(String message, ObjectNode requestedSchema) throws ClientRequestException, InterruptedException;

    /** Asks the client's model for a completion ({@code sampling/createMessage}); returns the raw result. */
    JsonNode createMessage(ObjectNode params) throws ClientRequestException, InterruptedException;

    /** Asks the client for its roots ({@code roots/list}); returns the raw result. */
    JsonNode listRoots() throws ClientRequestException, InterruptedException;

    /**
     * One question for the client: {@code elicitation/create}, {@code sampling/createMessage} or
     * {@code roots/list} with its params, under a key that names it.
     *
     * <p>The key matters in protocol 2026-07-28, where the server cannot send the client a request:
     * the question goes out in an {@code input_required} result under this key, the client answers
     * under the same key when it sends the request again, and the call runs again from its start
     * with the answers (a tool must therefore ask before it changes anything). In the session
     * protocols the key is not sent.
     */
    record Question(String key, String method, ObjectNode params) {
        public Question {
            java.util.Objects.requireNonNull(key, "key is null");
            java.util.Objects.requireNonNull(method, "method is null");
            java.util.Objects.requireNonNull(params, "params is null");
        }
    }

    /** As {@link #elicit(String, ObjectNode)}, with the key the question goes under (see {@link Question}). */
    default ElicitationResult elicit(String key, String message, ObjectNode requestedSchema)
            throws ClientRequestException, InterruptedException {
        return elicit(message, requestedSchema);
    }

    /** As {@link #createMessage(ObjectNode)}, with the key the question goes under (see {@link Question}). */
    default JsonNode createMessage(String key, ObjectNode params) throws ClientRequestException, InterruptedException {
        return createMessage(params);
    }

    /** As {@link #listRoots()}, with the key the question goes under (see {@link Question}). */
    default JsonNode listRoots(String key) throws ClientRequestException, InterruptedException {
        return listRoots();
    }

    /**
     * Asks several questions and returns the raw answers by key. In protocol 2026-07-28 they go out
     * together in one {@code input_required} result; in the session protocols one after the other.
     */
    default java.util.Map<String, JsonNode> askAll(java.util.List<Question> questions)
            throws ClientRequestException, InterruptedException {
        java.util.Map<String, JsonNode> answers = new java.util.LinkedHashMap<>();
        for (Question question : questions) {
            JsonNode answer = switch (question.method()) {
                case "sampling/createMessage" -> createMessage(question.key(), question.params());
                case "roots/list" -> listRoots(question.key());
                case "elicitation/create" -> {
                    ElicitationResult result = elicit(question.key(), question.params().path("message").asText(""),
                            (ObjectNode) question.params().path("requestedSchema"));
                    com.fasterxml.jackson.databind.node.ObjectNode shaped =
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                    shaped.put("action", result.action().name().toLowerCase(java.util.Locale.ROOT));
                    if (result.content() != null) {
                        shaped.set("content", result.content());
                    }
                    yield shaped;
                }
                default -> throw new ClientRequestException("Unknown client request method: " + question.method());
            };
            answers.put(question.key(), answer);
        }
        return answers;
    }

    /** A client that declared no capabilities: every request fails with a clear message. */
    ClientRequests NONE = new ClientRequests() {
        @Override
        public boolean supportsElicitation() {
            return false;
        }

        @Override
        public boolean supportsSampling() {
            return false;
        }

        @Override
        public boolean supportsRoots() {
            return false;
        }

        @Override
        public ElicitationResult elicit(String message, ObjectNode requestedSchema) throws ClientRequestException {
            throw new ClientRequestException("the client declared no elicitation capability");
        }

        @Override
        public JsonNode createMessage(ObjectNode params) throws ClientRequestException {
            throw new ClientRequestException("the client declared no sampling capability");
        }

        @Override
        public JsonNode listRoots() throws ClientRequestException {
            throw new ClientRequestException("the client declared no roots capability");
        }
    };
}
