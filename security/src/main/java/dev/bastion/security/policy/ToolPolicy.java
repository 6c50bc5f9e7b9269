package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.ToolDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which tools a principal may see and call: read-only mode, name and tag filters, and scopes.
 * {@code tools/list} uses {@link #visible}; the pipeline's {@link AuthorizationInterceptor} and
 * {@link GateInterceptor} refuse calls with the same rules and say which rule refused, so listing
 * and calling never disagree.
 *
 * <p>Scopes (checked for every principal; a stdio principal holds {@link Principal#ALL_SCOPES}):
 * <ul>
 *   <li>{@code bastion:read} may call every read-only tool;</li>
 *   <li>{@code bastion:write} may call every tool (write includes read);</li>
 *   <li>{@code bastion:<provider-id>:read} and {@code bastion:<provider-id>:write} grant the same,
 *       limited to the tools of one provider.</li>
 * </ul>
 */
public final class ToolPolicy implements ToolVisibility {

    public static final String READ_SCOPE = "bastion:read";
    public static final String WRITE_SCOPE = "bastion:write";

    private final PolicyConfig config;
    private final Function<ToolDescriptor, Optional<String>> providerOf;
    private final List<Glob> toolsInclude;
    private final List<Glob> toolsExclude;

    /**
     * A policy that does not know which provider owns a tool, so {@link #visible} honours only the
     * server-wide scopes. Use it when no principal holds per-provider scopes (stdio, static tokens);
     * otherwise use {@link #ToolPolicy(PolicyConfig, Function)} so listing and calling agree.
     */
    public ToolPolicy(PolicyConfig config) {
        this(config, tool -> Optional.empty());
    }

    /**
     * @param providerOf the id of the provider that owns a tool, used for per-provider scopes in
     *     {@link #visible(ToolDescriptor, Principal)}, where the pipeline's provider id is not known
     */
    public ToolPolicy(PolicyConfig config, Function<ToolDescriptor, Optional<String>> providerOf) {
        this.config = requireNonNull(config, "config is null");
        this.providerOf = requireNonNull(providerOf, "providerOf is null");
        this.toolsInclude = compile(config.toolsInclude(), "tools.include");
        this.toolsExclude = compile(config.toolsExclude(), "tools.exclude");
    }

    public PolicyConfig config() {
        return config;
    }

    @Override
    public boolean visible(ToolDescriptor tool, Principal principal) {
        requireNonNull(tool, "tool is null");
        requireNonNull(principal, "principal is null");
        return readOnlyDenial(tool).isEmpty()
                && filterDenial(tool).isEmpty()
                && scopeDenial(tool, providerOf.apply(tool), principal).isEmpty();
    }

    /** Why the include/exclude filters or the principal's scopes refuse the call, or empty. */
    public Optional<String> authorizationDenial(ToolDescriptor tool, String providerId, Principal principal) {
        requireNonNull(tool, "tool is null");
        requireNonNull(providerId, "providerId is null");
        requireNonNull(principal, "principal is null");
        Optional<String> filtered = filterDenial(tool);
        return filtered.isPresent() ? filtered : scopeDenial(tool, Optional.of(providerId), principal);
    }

    /** Why read-only mode refuses the tool, or empty. */
    public Optional<String> readOnlyDenial(ToolDescriptor tool) {
        if (config.readOnly() && !tool.readOnly()) {
            return Optional.of("Tool " + tool.name() + " changes backend state and the server is in read-only mode. "
                    + "Set security.read_only: false (or BASTION_READ_ONLY=false) to enable write tools.");
        }
        return Optional.empty();
    }

    Optional<String> filterDenial(ToolDescriptor tool) {
        for (Glob glob : toolsExclude) {
            if (glob.matches(tool.name())) {
                return Optional.of("Tool " + tool.name() + " is excluded by security.tools.exclude pattern '"
                        + glob.source() + "'.");
            }
        }
        if (!toolsInclude.isEmpty() && toolsInclude.stream().noneMatch(glob -> glob.matches(tool.name()))) {
            return Optional.of("Tool " + tool.name() + " matches no pattern of security.tools.include "
                    + config.toolsInclude() + ".");
        }
        for (String tag : config.tagsExclude()) {
            if (tool.tags().contains(tag)) {
                return Optional.of("Tool " + tool.name() + " has tag '" + tag + "', which security.tags.exclude excludes.");
            }
        }
        if (!config.tagsInclude().isEmpty() && config.tagsInclude().stream().noneMatch(tool.tags()::contains)) {
            return Optional.of("Tool " + tool.name() + " has none of the tags in security.tags.include "
                    + config.tagsInclude() + ".");
        }
        return Optional.empty();
    }

    private static Optional<String> scopeDenial(ToolDescriptor tool, Optional<String> providerId, Principal principal) {
        List<String> accepted = new ArrayList<>();
        accepted.add(WRITE_SCOPE);
        providerId.ifPresent(id -> accepted.add("bastion:" + id + ":write"));
        if (tool.readOnly()) {
            accepted.add(READ_SCOPE);
            providerId.ifPresent(id -> accepted.add("bastion:" + id + ":read"));
        }
        if (accepted.stream().anyMatch(principal::hasScope)) {
            return Optional.empty();
        }
        String kind = tool.readOnly() ? "read-only" : "write";
        return Optional.of("Principal " + principal.name() + " may not call " + kind + " tool " + tool.name()
                + ": it needs one of the scopes " + String.join(", ", accepted) + ".");
    }

    static void checkGlobs(PolicyConfig config) {
        compile(config.toolsInclude(), "tools.include");
        compile(config.toolsExclude(), "tools.exclude");
    }

    private static List<Glob> compile(List<String> globs, String key) {
        List<Glob> compiled = new ArrayList<>(globs.size());
        for (String glob : globs) {
            try {
                compiled.add(Glob.compile(glob));
            } catch (IllegalArgumentException e) {
                throw new ProviderConfigException("security." + key + ": " + e.getMessage());
            }
        }
        return List.copyOf(compiled);
    }
}
