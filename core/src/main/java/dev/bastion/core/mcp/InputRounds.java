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
 * {@code prompts/get}, {@code resources/read}): those of earlier rounds, from the verified
 * {@code requestState}, and those of this round, from {@code inputResponses} (which win). A question
 * without an answer unwinds the request ({@link InputRequired}); {@link #result} turns that into the
 * {@code input_required} result with a freshly sealed state.
 */
final class InputRounds {

    private static final Logger LOG = LoggerFactory.getLogger(InputRounds.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final RequestStates states;
    private final RequestStates.Binding binding;
    private final String principal;
    private final String state;
    private final ObjectNode responses;
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
     * @throws JsonRpcException {@code -32602} for a refused {@code requestState} (changed, expired,
     *     another caller's or another request's) or {@code inputResponses} that is not an object
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
     * The answers: the verified state's, then this round's. The state is opened when the call first
     * asks for an answer, inside the pipeline, so that a refusal unwinds through the audit stage.
     */
    private ObjectNode answers() {
        if (answers == null) {
            ObjectNode merged = F.objectNode();
            if (state != null) {
                try {
                    merged.setAll(states.open(state, binding));
                } catch (RequestStates.StateRefused e) {
                    LOG.warn("refused the requestState of {} {} from {}: {}", binding.method(), binding.name(),
                            principal, e.getMessage());
                    throw InputRequired.stateRefused(e.getMessage());
                }
            }
            merged.setAll(responses);
            answers = merged;
        }
        return answers;
    }

    /** The key of a question: the one its asker gave, else the next automatic one ({@code input-1}, ...). */
    String key(String given) {
        return given != null ? given : "input-" + ++automatic;
    }

    /** The answer given under {@code key}, or {@code null}. */
    JsonNode answer(String key) {
        JsonNode answer = answers().get(key);
        return answer == null || answer.isNull() ? null : answer;
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
    ObjectNode result(InputRequired needed) {
        ObjectNode result = F.objectNode();
        result.put("resultType", "input_required");
        result.set("inputRequests", needed.questions());
        result.put("requestState", states.seal(binding, answers()));
        return result;
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
