package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.tool.ToolResult;
import java.util.Optional;

/**
 * Refuses calls the tool filters or the principal's scopes do not allow, naming the rule. Read-only
 * mode is left to {@link GateInterceptor}, which explains how to enable writes.
 */
public final class AuthorizationInterceptor implements ToolCallInterceptor {

    private final ToolPolicy policy;

    public AuthorizationInterceptor(ToolPolicy policy) {
        this.policy = requireNonNull(policy, "policy is null");
    }

    @Override
    public Stage stage() {
        return Stage.AUTHORIZE;
    }

    @Override
    public ToolResult intercept(ToolCall call, Chain chain) throws Exception {
        Optional<String> denial = policy.authorizationDenial(call.tool(), call.providerId(), call.context().principal());
        if (denial.isPresent()) {
            return call.deny("unauthorized", denial.get());
        }
        return chain.proceed(call);
    }
}
