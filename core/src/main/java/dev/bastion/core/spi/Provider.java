package dev.bastion.core.spi;

import dev.bastion.core.prompt.Prompt;
import dev.bastion.core.resource.Resource;
import dev.bastion.core.resource.ResourceTemplate;
import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.Tool;
import java.util.List;

/**
 * One configured instance of a backend provider. It is created by its {@link ProviderFactory} and
 * owns whatever it holds (HTTP clients, caches); {@link #close()} releases them.
 *
 * <p>Lists are read once at startup and again after {@link ProviderContext#listChanged}.
 * Completions live on the prompts and resource templates they complete.
 */
public interface Provider extends AutoCloseable {

    List<Tool> tools();

    default List<Resource> resources() {
        return List.of();
    }

    default List<ResourceTemplate> resourceTemplates() {
        return List.of();
    }

    default List<Prompt> prompts() {
        return List.of();
    }

    /**
     * Checks that the backend is reachable and the credentials work. Must not throw for an
     * ordinary failure: return {@link HealthStatus#down(String)}.
     *
     * @param call the check's deadline and cancellation (a {@link dev.bastion.core.tool.BackgroundCall}
     *     from the caller: readiness probes, {@code bastion check}); send backend requests as part of it,
     *     exactly as a tool call does, so they are cancelled when it is
     */
    HealthStatus health(CallContext call);

    @Override
    default void close() {
    }
}
