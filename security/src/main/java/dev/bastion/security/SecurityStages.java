package dev.bastion.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.pipeline.ToolCallInterceptor;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.audit.AuditInterceptor;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.limits.ConcurrencyInterceptor;
import dev.bastion.security.limits.DeadlineInterceptor;
import dev.bastion.security.limits.ResultSizeInterceptor;
import dev.bastion.security.policy.AuthorizationInterceptor;
import dev.bastion.security.policy.GateInterceptor;
import dev.bastion.security.policy.ToolPolicy;
import dev.bastion.security.ratelimit.ClientRateLimits;
import dev.bastion.security.ratelimit.RateLimitInterceptor;
import dev.bastion.security.ratelimit.RateLimitStore;
import dev.bastion.security.redact.RedactingInterceptor;
import dev.bastion.security.validate.ArgumentValidationInterceptor;
import dev.bastion.security.validate.OutputValidationInterceptor;
import dev.bastion.security.validate.SchemaValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The security module's tools/call stages as the server runs them: which ones, with which
 * settings. Only audit and rate limit can be switched off. Their order is not decided here but by
 * {@link dev.bastion.core.pipeline.Stage}.
 */
public final class SecurityStages {

    private SecurityStages() {
    }

    /** With the rate limits kept in this process, whatever {@code rate_limit.store} says (tests, benchmarks). */
    public static List<ToolCallInterceptor> of(SecuritySettings security, ToolPolicy policy, AuditLog audit,
                                               Redactor redactor, ObjectMapper json,
                                               ScheduledExecutorService deadlineTimer) {
        return of(security, policy, audit, redactor, json, deadlineTimer, new ClientRateLimits(security.rateLimit()));
    }

    /** With {@code rateLimits} ({@link dev.bastion.security.ratelimit.RateLimitStores#open}) keeping the budgets. */
    public static List<ToolCallInterceptor> of(SecuritySettings security, ToolPolicy policy, AuditLog audit,
                                               Redactor redactor, ObjectMapper json,
                                               ScheduledExecutorService deadlineTimer, RateLimitStore rateLimits) {
        SchemaValidator schemas = new SchemaValidator(redactor);
        List<ToolCallInterceptor> stages = new ArrayList<>();
        if (security.audit().enabled()) {
            stages.add(new AuditInterceptor(audit, policy));
        }
        stages.add(new AuthorizationInterceptor(policy));
        if (security.rateLimit().enabled()) {
            stages.add(new RateLimitInterceptor(rateLimits));
        }
        stages.add(new ConcurrencyInterceptor(security.limits()));
        stages.add(new ArgumentValidationInterceptor(schemas, security.structuralLimits()));
        stages.add(new GateInterceptor(policy, redactor));
        stages.add(new RedactingInterceptor(redactor, security.redaction()));
        stages.add(new ResultSizeInterceptor(json, security.limits()));
        stages.add(new OutputValidationInterceptor(schemas));
        stages.add(new DeadlineInterceptor(deadlineTimer));
        return stages;
    }
}
