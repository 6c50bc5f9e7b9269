package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;

/**
 * One Dynatrace Managed tool: its descriptor, the token scope it needs, and what it does. Every
 * backend failure becomes an error result whose message says what to do; a 403 names the scope.
 */
final class DynatraceTool implements Tool {

    /** The body of a tool. */
    @FunctionalInterface
    interface Handler {
        ToolResult handle(Args args) throws DynatraceApiException;
    }

    private final ToolDescriptor descriptor;
    private final String scope;
    private final Handler handler;

    DynatraceTool(ToolDescriptor descriptor, String scope, Handler handler) {
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.handler = requireNonNull(handler, "handler is null");
    }

    @Override
    public ToolDescriptor descriptor() {
        return descriptor;
    }

    /** The API token scope this tool's requests need, such as {@code problems.read}. */
    String requiredScope() {
        return scope;
    }

    @Override
    public ToolResult call(ObjectNode arguments, CallContext context) {
        try {
            return CallCancellation.within(context, () -> handler.handle(new Args(arguments)));
        } catch (InvalidArgumentException e) {
            return ToolResult.error("Invalid " + e.getMessage() + ".");
        } catch (DynatraceApiException e) {
            return ToolResult.error(message(e));
        }
    }

    private String message(DynatraceApiException e) {
        return switch (e.kind()) {
            case FORBIDDEN -> e.getMessage() + ": " + descriptor.name() + " needs the API token scope " + scope
                    + "; add it to the token of that environment.";
            case UNAUTHORIZED -> e.getMessage();
            default -> e.getMessage();
        };
    }
}
