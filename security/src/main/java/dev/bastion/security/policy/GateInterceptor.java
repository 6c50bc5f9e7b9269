package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.ClientRequests;
import dev.bastion.core.tool.ElicitationResult;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only mode and human approval, as they apply to the instance the call is routed to
 * ({@link ToolPolicy#applied}: the instance's own {@code read_only} and {@code approval}, else the
 * server's). In read-only mode every tool that is not read-only is refused with a message saying
 * which instance and key refused it and how to enable writes. A call that needs approval proceeds
 * only after the user accepted an elicitation that shows the exact action: tool, provider, instance
 * and the arguments with every secret redacted.
 */
public final class GateInterceptor implements ToolCallInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(GateInterceptor.class);

    /** Long argument lists are shortened in the question; the user must still be able to read it. */
    static final int MAX_ARGUMENT_TEXT = 2000;

    private final ToolPolicy policy;
    private final Redactor redactor;

    public GateInterceptor(ToolPolicy policy, Redactor redactor) {
        this.policy = requireNonNull(policy, "policy is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
    }

    @Override
    public Stage stage() {
        return Stage.GATE;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        ToolDescriptor tool = call.tool();
        Optional<String> readOnly = policy.readOnlyDenial(tool, call.providerId(), call.instance());
        if (readOnly.isPresent()) {
            return call.deny("read_only", readOnly.get());
        }
        AppliedPolicy applied = policy.applied(call);
        if (!applied.approval().requiresApproval(tool)) {
            return chain.proceed(call);
        }
        ClientRequests client = call.context().client();
        if (!client.supportsElicitation()) {
            return call.deny("approval_unavailable", "Tool " + tool.name() + " " + why(tool)
                    + " and needs the user's approval, but this client does not support elicitation. "
                    + "Use a client with elicitation support, or " + howToSkipApproval(call, applied)
                    + " to run it without approval.");
        }
        ElicitationResult answer;
        try {
            answer = client.elicit("approval", question(call), confirmSchema());
        } catch (ClientRequestException e) {
            LOG.info("approval request for tool {} failed: {}", tool.name(), redactor.redact(e.getMessage()));
            return call.deny("approval_failed", "Tool " + tool.name() + " was not run: the approval request failed ("
                    + redactor.redact(e.getMessage()) + "). Nothing was changed.");
        }
        return switch (answer.action()) {
            case ACCEPT -> confirmed(answer)
                    ? chain.proceed(call)
                    : call.deny("approval_declined", "The user did not confirm tool " + tool.name()
                            + "; it was not run and nothing was changed.");
            case DECLINE -> call.deny("approval_declined", "The user declined tool " + tool.name()
                    + "; it was not run and nothing was changed.");
            case CANCEL -> call.deny("approval_declined", "The user cancelled the approval of tool " + tool.name()
                    + "; it was not run and nothing was changed.");
        };
    }

    /**
     * On accept, {@code confirm} must be {@code true}. The engine has already refused answers that do
     * not match {@link #confirmSchema()}; an accept without it is still no confirmation.
     */
    private static boolean confirmed(ElicitationResult answer) {
        JsonNode confirm = answer.content() == null ? null : answer.content().get("confirm");
        return confirm != null && confirm.isBoolean() && confirm.booleanValue();
    }

    private String question(ToolCall call) {
        String arguments = redactor.redact(call.arguments().toString());
        if (arguments.length() > MAX_ARGUMENT_TEXT) {
            arguments = arguments.substring(0, MAX_ARGUMENT_TEXT) + " ... (" + arguments.length()
                    + " characters, shortened)";
        }
        return "Approve this action?\n"
                + "Tool: " + call.tool().name() + "\n"
                + "Provider: " + call.providerId() + "\n"
                + "Instance: " + call.instance() + "\n"
                + "Arguments: " + arguments + "\n"
                + "This tool " + why(call.tool()) + ".";
    }

    private static String howToSkipApproval(ToolCall call, AppliedPolicy applied) {
        if (applied.fromServer()) {
            return "set security.approval: none (BASTION_APPROVAL=none)";
        }
        return ToolPolicy.isFanOut(call.tool(), call.instance())
                ? "set approval: none on every instance it runs on"
                : "set approval: none on instance " + call.instance();
    }

    private static String why(ToolDescriptor tool) {
        return tool.annotations().destructiveHint()
                ? "makes a destructive change to backend state that may not be undone"
                : "changes backend state";
    }

    static ObjectNode confirmSchema() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode confirm = json.objectNode();
        confirm.put("type", "boolean");
        confirm.put("title", "Run this action");
        confirm.put("description", "Check to run the action exactly as shown.");
        confirm.put("default", false);
        ObjectNode schema = json.objectNode();
        schema.put("type", "object");
        schema.set("properties", json.objectNode().set("confirm", confirm));
        schema.set("required", json.arrayNode().add("confirm"));
        return schema;
    }
}
