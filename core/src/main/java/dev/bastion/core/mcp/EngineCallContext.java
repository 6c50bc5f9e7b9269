package dev.bastion.core.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.ClientRequests.Question;
import dev.bastion.core.tool.ElicitationResult;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.bastion.core.spi.Secret;

/** The {@link CallContext} of one request, built from its {@link RequestContext}. */
final class EngineCallContext implements CallContext {

    /** Sends a server-to-client request and waits for its result. */
    interface ClientRequestSender {
        JsonNode send(String method, ObjectNode params, MessageSink sink, Duration timeout)
                throws ClientRequestException, InterruptedException;
    }

    private final RequestContext request;
    private final String loggerName;
    private final Instant deadline;
    private final Duration clientRequestTimeout;
    private final ClientRequestSender sender;
    private final Redactor redactor;
    private final ProgressReporter progress;
    private final List<Runnable> cancelActions = new ArrayList<>();
    private final Optional<Secret> callerCredential;
    /** The answers of a stateless request that may ask the client; {@code null} in a session. */
    private volatile InputRounds rounds;
    private volatile String cancelReason;

    /**
     * Everything a tool sends to the client through this context (log and progress messages,
     * elicitation and sampling requests) passes {@code redactor} first.
     */
    EngineCallContext(RequestContext request, String loggerName, Instant deadline, Duration clientRequestTimeout,
                      ClientRequestSender sender, Redactor redactor, Optional<Secret> callerCredential) {
        this.callerCredential = callerCredential;
        this.request = request;
        this.loggerName = loggerName;
        this.deadline = deadline;
        this.clientRequestTimeout = clientRequestTimeout;
        this.sender = sender;
        this.redactor = redactor;
        JsonNode token = request.progressToken();
        this.progress = token == null ? ProgressReporter.NONE : new TokenProgress(token, request.sink(), redactor);
    }

    @Override
    public Principal principal() {
        return request.principal();
    }

    @Override
    public Optional<Secret> callerCredential() {
        return callerCredential;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public boolean isCancelled() {
        return cancelReason != null;
    }

    String cancelReason() {
        return cancelReason;
    }

    @Override
    public void cancel(String reason) {
        List<Runnable> actions;
        synchronized (cancelActions) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = reason == null ? "cancelled" : reason;
            actions = List.copyOf(cancelActions);
            cancelActions.clear();
        }
        actions.forEach(EngineCallContext::runQuietly);
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (cancelActions) {
            if (cancelReason == null) {
                cancelActions.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException ignored) {
            // a cancel action that fails must not stop the others
        }
    }

    @Override
    public ProgressReporter progress() {
        return progress;
    }

    @Override
    public void log(LogLevel level, String message) {
        if (request.logLevel() == null && ProtocolVersions.isStateless(request.protocolVersion())) {
            // A stateless request without a log level in its _meta gets no log messages at all.
            return;
        }
        LogLevel threshold = request.logLevel() == null ? LogLevel.INFO : request.logLevel();
        if (level.compareTo(threshold) < 0) {
            return;
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("level", level.wireName());
        params.put("logger", loggerName);
        params.put("data", redactor.redact(message));
        request.sink().send(Messages.notification("notifications/message", params));
    }

    @Override
    public ClientRequests client() {
        return new Requests();
    }

    /** Makes the client's questions go through {@code rounds} (stateless requests). */
    void asking(InputRounds rounds) {
        this.rounds = rounds;
    }

    private Duration clientWait() {
        Duration left = remaining();
        return left.compareTo(clientRequestTimeout) < 0 ? left : clientRequestTimeout;
    }

    private final class Requests implements ClientRequests {
        @Override
        public boolean supportsElicitation() {
            return request.clientSupports("elicitation");
        }

        @Override
        public boolean supportsSampling() {
            return request.clientSupports("sampling");
        }

        @Override
        public boolean supportsRoots() {
            return request.clientSupports("roots");
        }

        @Override
        public ElicitationResult elicit(String message, ObjectNode requestedSchema)
                throws ClientRequestException, InterruptedException {
            return elicit(null, message, requestedSchema);
        }

        @Override
        public ElicitationResult elicit(String key, String message, ObjectNode requestedSchema)
                throws ClientRequestException, InterruptedException {
            require(supportsElicitation(), "elicitation");
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            params.put("message", redactor.redact(message));
            params.set("requestedSchema", requestedSchema);
            InputRounds asking = rounds;
            if (asking != null) {
                Question question = new Question(asking.key(key), "elicitation/create", params);
                ElicitationResult answered = answeredElicitation(asking, question);
                if (answered == null) {
                    throw asking.ask(List.of(question));
                }
                return answered;
            }
            JsonNode result = sender.send("elicitation/create", params, request.sink(), clientWait());
            return ElicitationAnswer.parse(result, requestedSchema);
        }

        @Override
        public JsonNode createMessage(ObjectNode params) throws ClientRequestException, InterruptedException {
            return createMessage(null, params);
        }

        @Override
        public JsonNode createMessage(String key, ObjectNode params)
                throws ClientRequestException, InterruptedException {
            require(supportsSampling(), "sampling");
            ObjectNode redacted = (ObjectNode) redactor.redact(params);
            return ask(key, "sampling/createMessage", redacted);
        }

        @Override
        public JsonNode listRoots() throws ClientRequestException, InterruptedException {
            return listRoots(null);
        }

        @Override
        public JsonNode listRoots(String key) throws ClientRequestException, InterruptedException {
            require(supportsRoots(), "roots");
            return ask(key, "roots/list", JsonNodeFactory.instance.objectNode());
        }

        @Override
        public Map<String, JsonNode> askAll(List<Question> questions)
                throws ClientRequestException, InterruptedException {
            InputRounds asking = rounds;
            if (asking == null) {
                return ClientRequests.super.askAll(questions);
            }
            Map<String, JsonNode> answers = new LinkedHashMap<>();
            List<Question> unanswered = new ArrayList<>();
            for (Question question : questions) {
                String capability = capabilityOf(question.method());
                require(request.clientSupports(capability), capability);
                Question keyed = new Question(asking.key(question.key()), question.method(),
                        (ObjectNode) redactor.redact(question.params()));
                JsonNode answer = validAnswer(asking, keyed);
                if (answer != null) {
                    answers.put(keyed.key(), answer);
                } else {
                    unanswered.add(keyed);
                }
            }
            if (!unanswered.isEmpty()) {
                throw asking.ask(unanswered);
            }
            return answers;
        }

        /** In a session, sends the request; in a stateless request, the answer of this round or a question. */
        private JsonNode ask(String key, String method, ObjectNode params)
                throws ClientRequestException, InterruptedException {
            InputRounds asking = rounds;
            if (asking == null) {
                return sender.send(method, params, request.sink(), clientWait());
            }
            Question question = new Question(asking.key(key), method, params);
            JsonNode answer = validAnswer(asking, question);
            if (answer == null) {
                throw asking.ask(List.of(question));
            }
            return answer;
        }

        /** This round's answer to {@code question}, or {@code null} when there is none or it does not fit. */
        private JsonNode validAnswer(InputRounds asking, Question question) {
            if ("elicitation/create".equals(question.method())) {
                return answeredElicitation(asking, question) == null ? null : asking.answer(question);
            }
            JsonNode answer = asking.answer(question);
            return answer != null && answer.isObject() ? answer : null;
        }

        /** The answer to an elicitation, or {@code null} when there is none or it does not fit the schema. */
        private ElicitationResult answeredElicitation(InputRounds asking, Question question) {
            JsonNode answer = asking.answer(question);
            if (answer == null) {
                return null;
            }
            try {
                return ElicitationAnswer.parse(answer, (ObjectNode) question.params().path("requestedSchema"));
            } catch (ClientRequestException invalid) {
                return null;
            }
        }

        private String capabilityOf(String method) throws ClientRequestException {
            return switch (method) {
                case "elicitation/create" -> "elicitation";
                case "sampling/createMessage" -> "sampling";
                case "roots/list" -> "roots";
                default -> throw new ClientRequestException("Unknown client request method: " + method);
            };
        }

        private void require(boolean supported, String capability) throws ClientRequestException {
            if (!supported && rounds != null) {
                throw InputRequired.missingCapability(capability);
            }
            if (!supported) {
                throw new ClientRequestException("The client did not declare the '" + capability
                        + "' capability, so the server cannot ask it.");
            }
        }
    }

    /** Sends progress for the request's token, dropping values that do not increase. */
    private static final class TokenProgress implements ProgressReporter {
        private final JsonNode token;
        private final MessageSink sink;
        private final Redactor redactor;
        private double last = Double.NEGATIVE_INFINITY;

        TokenProgress(JsonNode token, MessageSink sink, Redactor redactor) {
            this.token = token;
            this.sink = sink;
            this.redactor = redactor;
        }

        @Override
        public synchronized void report(double progress, Double total, String message) {
            if (!(progress > last)) {
                return;
            }
            last = progress;
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            params.set("progressToken", token);
            params.put("progress", progress);
            if (total != null) {
                params.put("total", total);
            }
            if (message != null) {
                params.put("message", redactor.redact(message));
            }
            sink.send(Messages.notification("notifications/progress", params));
        }
    }
}
