package dev.bastion.security.validate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import java.util.List;

/**
 * Refuses calls whose arguments break the structural limits or the tool's input schema, before
 * anything else looks at them. The model gets every violation in one message so it can fix its
 * call in one go; no message repeats an argument's value. Arguments that clients sent as JSON
 * strings are coerced to their declared type first ({@link ArgumentCoercion}).
 */
public final class ArgumentValidationInterceptor implements ToolCallInterceptor {

    public static final String INVALID_ARGUMENTS = "invalid_arguments";
    public static final String INVALID_TOOL_SCHEMA = "invalid_tool_schema";

    private final SchemaValidator validator;
    private final StructuralLimits limits;

    public ArgumentValidationInterceptor(SchemaValidator validator, StructuralLimits limits) {
        this.validator = requireNonNull(validator, "validator is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    @Override
    public Stage stage() {
        return Stage.VALIDATE_ARGUMENTS;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        ObjectNode coerced = ArgumentCoercion.coerce(call.tool().inputSchema(), call.arguments());
        if (coerced != call.arguments()) {
            call = call.withArguments(coerced);
        }
        List<String> violations = limits.check(call.arguments(), call.requestBytes());
        if (violations.isEmpty()) {
            try {
                violations = validator.validateArguments(call.tool(), call.arguments());
            } catch (InvalidToolSchemaException e) {
                return call.deny(INVALID_TOOL_SCHEMA, e.getMessage() + "; the tool cannot be called.");
            }
        }
        if (!violations.isEmpty()) {
            return call.deny(INVALID_ARGUMENTS,
                    "Invalid arguments for " + call.tool().name() + ": " + String.join("; ", violations));
        }
        return chain.proceed(call);
    }
}
