package dev.bastion.core.mcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ClientRequests.Question;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers of one stateless request that may ask the client questions ({@code tools/call},
 * {@code prompts/get}, {@code resources/read}). An answer counts only when it answers a question the
 * server asked: the verified {@code requestState} names the questions of the round it answers, and
 * an {@code inputResponses} entry for any other key, or sent without a state, is ignored (so a
 * client cannot answer an approval it was never asked). Earlier rounds' answers come from the state.
 * A question without an answer unwinds the request ({@link InputRequired}); {@link #result} turns
 * that into the {@code input_required} result with a freshly sealed state. Thread-safe: a fan-out
 * tool asks from several threads.
 */
final class InputRounds {

    private static final Logger LOG = LoggerFactory.getLogger(InputRounds.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final RequestStates states;
    private final RequestStates.Binding binding;
    private final String principal;
    private final String state;
    private final ObjectNode responses;
    private RequestStates.Opened opened;
    private ObjectNode answers;
    private int automatic;

    private InputRounds(RequestStates states, RequestStates.Binding binding, String principal, String state,
                        ObjectNode responses) {
        this.states = states;
        this.binding = binding;
        this.principal = principal;
        this.state = state;
        this.responses = responses;
    }

    /**
     * @throws JsonRpcException {@code -32602} for a {@code requestState} that is not a string or
     *     {@code inputResponses} that is not an object
     */
    static InputRounds of(RequestContext request, RequestStates states, String name, JsonNode arguments)
            throws JsonRpcException {
        requireNonNull(states, "states is null");
        RequestStates.Binding binding = new RequestStates.Binding(request.principal().name(), request.method(), name,
                arguments);
        JsonNode state = request.params().get("requestState");
        if (state != null && !state.isNull() && !state.isTextual()) {
            throw JsonRpcException.invalidParams("Invalid params: requestState must be the string of the "
                    + "input_required result it answers");
        }
        ObjectNode responses = F.objectNode();
        if (request.params().has("inputResponses")) {
            JsonNode given = request.params().get("inputResponses");
            if (!(given instanceof ObjectNode object)) {
                throw JsonRpcException.invalidParams("Invalid params: inputResponses must be an object of answers by"
                        + " the keys of inputRequests");
            }
            responses = object;
        }
        return new InputRounds(states, binding, request.principal().name(),
                state == null || state.isNull() ? null : state.asText(), responses);
    }

    /**
     * The answers: the verified state's earlier ones, then this round's for the questions the state
     * names. The state is opened when the call first asks for an answer, inside the pipeline, so a
     * refusal unwinds through the audit stage.
     */
    private synchronized ObjectNode answers() {
        if (answers == null) {
            ObjectNode merged = F.objectNode();
            if (state != null) {
                try {
                    opened = states.open(state, binding);
                } catch (RequestStates.StateRefused e) {
                    LOG.warn("refused the requestState of {} {} from {}: {}", binding.method(), binding.name(),
                            principal, e.getMessage());
                    throw InputRequired.stateRefused(e.getMessage());
                }
                merged.setAll(opened.answers());
                responses.fields().forEachRemaining(entry -> {
                    if (opened.asked().has(entry.getKey())) {
                        merged.set(entry.getKey(), entry.getValue());
                    }
                });
            }
            answers = merged;
        }
        return answers;
    }

    /** The key of a question: the one its asker gave, else the next automatic one ({@code input-1}, ...). */
    synchronized String key(String given) {
        return given != null ? given : "input-" + ++automatic;
    }

    /**
     * The answer to {@code question}, or {@code null}: an answer of this round counts only for the
     * very question the server asked under that key (its digest is in the state).
     */
    synchronized JsonNode answer(Question question) {
        JsonNode answer = answers().get(question.key());
        if (answer == null || answer.isNull()) {
            return null;
        }
        if (opened != null && opened.asked().has(question.key()) && responses.has(question.key())
                && !opened.asked().path(question.key()).asText()
                .equals(RequestStates.questionDigest(question.method(), question.params()))) {
            return null;
        }
        return answer;
    }

    /** Unwinds the request to ask {@code questions}. */
    InputRequired ask(List<Question> questions) {
        ObjectNode asked = F.objectNode();
        for (Question question : questions) {
            ObjectNode request = asked.putObject(question.key());
            request.put("method", question.method());
            request.set("params", question.params());
        }
        return InputRequired.questions(asked);
    }

    /** The {@code input_required} result for the questions {@code needed} asks. */
    synchronized ObjectNode result(InputRequired needed) {
        ObjectNode digests = F.objectNode();
        needed.questions().fields().forEachRemaining(entry -> digests.put(entry.getKey(),
                RequestStates.questionDigest(entry.getValue().path("method").asText(),
                        entry.getValue().path("params"))));
        ObjectNode result = F.objectNode();
        result.put("resultType", "input_required");
        result.set("inputRequests", needed.questions());
        result.put("requestState", states.seal(binding, answers(), digests));
        return result;
    }

    /** The call completed: the state it came with cannot complete it again (in this process). */
    synchronized void completed() {
        if (opened != null) {
            states.spend(opened);
        }
    }

    /** The {@code -32602} error for a refused state. */
    static JsonRpcException stateRefused(InputRequired refused) {
        return JsonRpcException.invalidParams("Invalid params: requestState refused: " + refused.stateRefusal());
    }

    /** The {@code -32021} error for a question the client cannot be asked. */
    static JsonRpcException missingCapability(InputRequired needed) {
        ObjectNode data = F.objectNode();
        data.putObject("requiredCapabilities").putObject(needed.missingCapability());
        return new JsonRpcException(JsonRpcException.MISSING_CLIENT_CAPABILITY, "Missing client capability: this "
                + "request needs '" + needed.missingCapability() + "'; declare it in params._meta."
                + StatelessMeta.CLIENT_CAPABILITIES, data);
    }
}
