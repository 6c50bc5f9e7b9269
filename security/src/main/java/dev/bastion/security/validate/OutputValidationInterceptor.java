package dev.bastion.security.validate;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds tools to their declared {@code outputSchema}: a successful result whose
 * {@code structuredContent} does not match becomes an error result, because a client that trusts
 * the schema would otherwise act on data of the wrong shape. The details go to the server log.
 */
public final class OutputValidationInterceptor implements ToolCallInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(OutputValidationInterceptor.class);

    private final SchemaValidator validator;

    public OutputValidationInterceptor(SchemaValidator validator) {
        this.validator = requireNonNull(validator, "validator is null");
    }

    @Override
    public Stage stage() {
        return Stage.VALIDATE_OUTPUT;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        ToolResult result = chain.proceed(call);
        if (result == null || result.isError() || call.tool().outputSchema() == null) {
            return result;
        }
        String tool = call.tool().name();
        List<String> violations;
        try {
            violations = validator.validateOutput(call.tool(), result.structuredContent());
        } catch (InvalidToolSchemaException e) {
            LOG.warn("Tool {} returned a result that cannot be checked: {}", tool, e.getMessage());
            return ToolResult.error("Tool " + tool + " has an invalid output schema, so its result cannot be "
                    + "checked; the server log has details.");
        }
        if (violations.isEmpty()) {
            return result;
        }
        LOG.warn("Tool {} produced structured content that does not match its output schema: {}", tool,
                String.join("; ", violations));
        return ToolResult.error("Tool " + tool + " produced output that does not match its declared output schema; "
                + "the server log has details.");
    }
}
