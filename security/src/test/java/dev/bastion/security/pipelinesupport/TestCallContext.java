package dev.bastion.security.pipelinesupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.ElicitationResult;
import dev.bastion.core.tool.LogLevel;
import dev.bastion.core.tool.ProgressReporter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A per-call context for pipeline tests: a fixed principal and deadline, real cancellation state,
 * and a client whose elicitation answer the test chooses and whose questions it records.
 */
public final class TestCallContext implements CallContext {

    /** What the simulated client answers to an elicitation. */
    @FunctionalInterface
    public interface Elicitor {
        ElicitationResult answer(String message, ObjectNode schema) throws ClientRequestException;
    }

    private final Principal principal;
    private final Instant deadline;
    private final boolean elicitation;
    private final Elicitor elicitor;
    private final List<Runnable> onCancel = new ArrayList<>();
    private final List<String> questions = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> schemas = new CopyOnWriteArrayList<>();
    private volatile String cancelReason;

    public TestCallContext(Principal principal, Instant deadline, boolean elicitation, Elicitor elicitor) {
        this.principal = principal;
        this.deadline = deadline;
        this.elicitation = elicitation;
        this.elicitor = elicitor;
    }

    public static TestCallContext of(Principal principal, Instant deadline) {
        return new TestCallContext(principal, deadline, false, (m, s) -> {
            throw new ClientRequestException("client does not support elicitation");
        });
    }

    public List<String> questions() {
        return List.copyOf(questions);
    }

    public List<ObjectNode> schemas() {
        return List.copyOf(schemas);
    }

    public String cancelReason() {
        return cancelReason;
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public boolean isCancelled() {
        return cancelReason != null;
    }

    @Override
    public void cancel(String reason) {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = reason;
            actions = List.copyOf(onCancel);
        }
        actions.forEach(Runnable::run);
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (cancelReason == null) {
                onCancel.add(action);
                return;
            }
        }
        action.run();
    }

    @Override
    public ProgressReporter progress() {
        return ProgressReporter.NONE;
    }

    @Override
    public void log(LogLevel level, String message) {
    }

    @Override
    public ClientRequests client() {
        return new ClientRequests() {
            @Override
            public boolean supportsElicitation() {
                return elicitation;
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
                questions.add(message);
                schemas.add(requestedSchema);
                return elicitor.answer(message, requestedSchema);
            }

            @Override
            public JsonNode createMessage(ObjectNode params) throws ClientRequestException {
                throw new ClientRequestException("sampling is not supported");
            }

            @Override
            public JsonNode listRoots() throws ClientRequestException {
                throw new ClientRequestException("roots are not supported");
            }
        };
    }
}
