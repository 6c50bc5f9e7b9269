package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.RegisteredTool;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolVisibility;
import dev.bastion.core.spi.EnabledTools;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.ToolDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Policy per instance: a provider instance may set its own {@code read_only} and
 * {@code approval} ({@link InstancePolicy}), which replace the server's values for the calls routed
 * to it ({@link #applied}). A write tool is listed when at least one instance that offers it allows
 * writes; a call to a read-only instance is refused naming the instance and the key; a fan-out to
 * {@code ALL} instances of a write tool is refused as a whole when any of them is read-only, and
 * asks for approval when any of them would.
 */
public final class ToolPolicy implements ToolVisibility, EnabledTools {

    public static final String READ_SCOPE = "bastion:read";
    public static final String WRITE_SCOPE = "bastion:write";

    /**
     * The provider that owns a tool and the instances that offer it, in configuration order.
     *
     * @param instances the aliases; empty when they are not known (the server's policy then applies)
     */
    public record Owner(String providerId, List<String> instances) {
        public Owner {
            requireNonNull(providerId, "providerId is null");
            instances = List.copyOf(requireNonNull(instances, "instances is null"));
        }
    }

    private final PolicyConfig config;
    private final Function<ToolDescriptor, Optional<Owner>> ownerOf;
    private final Map<String, Map<String, InstancePolicy>> instancePolicies;
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
     * A policy without instance overrides: the server's {@code read_only} and {@code approval}
     * apply to every instance.
     *
     * @param providerOf the id of the provider that owns a tool, used for per-provider scopes in
     *     {@link #visible(ToolDescriptor, Principal)}, where the pipeline's provider id is not known
     */
    public ToolPolicy(PolicyConfig config, Function<ToolDescriptor, Optional<String>> providerOf) {
        this(config, owners(requireNonNull(providerOf, "providerOf is null")), Map.of());
    }

    /**
     * @param ownerOf the provider that owns a tool and the instances that offer it, for per-provider
     *     scopes and per-instance read-only mode in {@link #visible(ToolDescriptor, Principal)}
     * @param instancePolicies the policy of each provider instance, by provider id and alias; an
     *     instance that is missing follows the server's policy
     */
    public ToolPolicy(PolicyConfig config, Function<ToolDescriptor, Optional<Owner>> ownerOf,
                      Map<String, Map<String, InstancePolicy>> instancePolicies) {
        this.config = requireNonNull(config, "config is null");
        this.ownerOf = requireNonNull(ownerOf, "ownerOf is null");
        Map<String, Map<String, InstancePolicy>> copy = new LinkedHashMap<>();
        requireNonNull(instancePolicies, "instancePolicies is null").forEach((provider, byAlias) ->
                copy.put(provider, Collections.unmodifiableMap(new LinkedHashMap<>(byAlias))));
        this.instancePolicies = Collections.unmodifiableMap(copy);
        this.toolsInclude = compile(config.toolsInclude(), "tools.include");
        this.toolsExclude = compile(config.toolsExclude(), "tools.exclude");
    }

    private static Function<ToolDescriptor, Optional<Owner>> owners(Function<ToolDescriptor, Optional<String>> providerOf) {
        return tool -> providerOf.apply(tool).map(id -> new Owner(id, List.of()));
    }

    public PolicyConfig config() {
        return config;
    }

    /** The policy of every provider instance that has one, by provider id and alias. */
    public Map<String, Map<String, InstancePolicy>> instancePolicies() {
        return instancePolicies;
    }

    /** The policy that applies to calls routed to one instance: its own keys, else the server's values. */
    public AppliedPolicy applied(String providerId, String instance) {
        requireNonNull(providerId, "providerId is null");
        requireNonNull(instance, "instance is null");
        InstancePolicy own = own(providerId, instance);
        if (!own.overrides()) {
            return server();
        }
        return new AppliedPolicy("instance " + instance, own.readOnly().orElse(config.readOnly()),
                own.approval().orElse(config.approval()));
    }

    /**
     * The policy that applies to a call of {@code tool} routed to {@code instance}. For a fan-out to
     * {@code ALL}, the strictest over the instances that offer the tool: read-only when any is, and
     * the approval mode that asks most.
     */
    public AppliedPolicy applied(ToolDescriptor tool, String providerId, String instance) {
        requireNonNull(tool, "tool is null");
        if (!isFanOut(tool, instance)) {
            return applied(providerId, instance);
        }
        List<String> aliases = instancesOf(tool, providerId);
        if (aliases.stream().noneMatch(alias -> own(providerId, alias).overrides())) {
            return server();
        }
        boolean readOnly = false;
        ApprovalMode approval = ApprovalMode.NONE;
        for (String alias : aliases) {
            AppliedPolicy one = applied(providerId, alias);
            readOnly |= one.readOnly();
            approval = ApprovalMode.stricter(approval, one.approval());
        }
        return new AppliedPolicy(RegisteredTool.ALL_INSTANCES + " (strictest of " + String.join(", ", aliases) + ")",
                readOnly, approval);
    }

    /** The policy that applies to {@code call}. */
    public AppliedPolicy applied(ToolCall call) {
        requireNonNull(call, "call is null");
        return applied(call.tool(), call.providerId(), call.instance());
    }

    @Override
    public boolean visible(ToolDescriptor tool, Principal principal) {
        requireNonNull(tool, "tool is null");
        requireNonNull(principal, "principal is null");
        return readOnlyDenial(tool).isEmpty()
                && filterDenial(tool).isEmpty()
                && scopeDenial(tool, ownerOf.apply(tool).map(Owner::providerId), principal).isEmpty();
    }

    /** Enabled unless the include/exclude filters refuse it or read-only mode refuses it on that instance. */
    @Override
    public boolean enabled(String providerId, String instance, ToolDescriptor tool) {
        requireNonNull(tool, "tool is null");
        return filterDenial(tool).isEmpty() && readOnlyDenial(tool, providerId, instance).isEmpty();
    }

    /** Why the include/exclude filters or the principal's scopes refuse the call, or empty. */
    public Optional<String> authorizationDenial(ToolDescriptor tool, String providerId, Principal principal) {
        requireNonNull(tool, "tool is null");
        requireNonNull(providerId, "providerId is null");
        requireNonNull(principal, "principal is null");
        Optional<String> filtered = filterDenial(tool);
        return filtered.isPresent() ? filtered : scopeDenial(tool, Optional.of(providerId), principal);
    }

    /**
     * Why read-only mode hides the tool from {@code tools/list}, or empty: it is a write tool and
     * every instance that offers it is read-only (by its own {@code read_only}, else by the
     * server's). A tool listed here may still be refused on one of its instances
     * ({@link #readOnlyDenial(ToolDescriptor, String, String)}).
     */
    public Optional<String> readOnlyDenial(ToolDescriptor tool) {
        requireNonNull(tool, "tool is null");
        if (tool.readOnly()) {
            return Optional.empty();
        }
        Optional<Owner> owner = ownerOf.apply(tool);
        if (owner.isEmpty() || owner.get().instances().isEmpty() || !anyOverride(owner.get().providerId(),
                owner.get().instances())) {
            return config.readOnly() ? Optional.of(serverReadOnly(tool)) : Optional.empty();
        }
        String providerId = owner.get().providerId();
        List<String> instances = owner.get().instances();
        if (instances.stream().anyMatch(alias -> !applied(providerId, alias).readOnly())) {
            return Optional.empty();
        }
        List<String> why = instances.stream().map(alias -> alias + " (" + readOnlyKey(providerId, alias) + ")").toList();
        return Optional.of("Tool " + tool.name() + " changes backend state and every instance of provider "
                + providerId + " that offers it is read-only: " + String.join(", ", why)
                + ". Set read_only: false on an instance to enable write tools there.");
    }

    /**
     * Why read-only mode refuses a call of {@code tool} routed to {@code instance}, or empty. A
     * fan-out to {@code ALL} instances is refused as a whole when any of them is read-only: it never
     * changes some instances and refuses others.
     */
    public Optional<String> readOnlyDenial(ToolDescriptor tool, String providerId, String instance) {
        requireNonNull(tool, "tool is null");
        requireNonNull(providerId, "providerId is null");
        requireNonNull(instance, "instance is null");
        if (tool.readOnly()) {
            return Optional.empty();
        }
        if (isFanOut(tool, instance)) {
            List<String> aliases = instancesOf(tool, providerId);
            List<String> readOnly = aliases.stream().filter(alias -> applied(providerId, alias).readOnly()).toList();
            if (readOnly.isEmpty()) {
                return Optional.empty();
            }
            if (!anyOverride(providerId, aliases)) {
                return Optional.of(serverReadOnly(tool));
            }
            List<String> writable = aliases.stream().filter(alias -> !readOnly.contains(alias)).toList();
            List<String> why = readOnly.stream().map(alias -> alias + " (" + readOnlyKey(providerId, alias) + ")").toList();
            return Optional.of("Tool " + tool.name() + " changes backend state and is not run on "
                    + RegisteredTool.ALL_INSTANCES + " instances of provider " + providerId + ", because some are "
                    + "read-only: " + String.join(", ", why) + ". Nothing was changed. "
                    + (writable.isEmpty() ? "No instance of it allows writes."
                    : "Name one instance that allows writes: " + String.join(", ", writable) + "."));
        }
        AppliedPolicy applied = applied(providerId, instance);
        if (!applied.readOnly()) {
            return Optional.empty();
        }
        if (applied.fromServer()) {
            String message = serverReadOnly(tool);
            if (instancePolicies.getOrDefault(providerId, Map.of()).values().stream().anyMatch(InstancePolicy::overrides)) {
                message += " Instance " + instance + " does not set read_only, so the server's mode applies to it; "
                        + "set read_only: false on instance " + instance + " to enable write tools there only.";
            }
            return Optional.of(message);
        }
        return Optional.of("Tool " + tool.name() + " changes backend state and instance " + instance
                + " of provider " + providerId + " is read-only (read_only: true in the configuration of instance "
                + instance + "). Call an instance that allows writes, or set read_only: false on instance "
                + instance + " to enable write tools there.");
    }

    private static String serverReadOnly(ToolDescriptor tool) {
        return "Tool " + tool.name() + " changes backend state and the server is in read-only mode. "
                + "Set security.read_only: false (or BASTION_READ_ONLY=false) to enable write tools.";
    }

    /** Which key makes an instance read-only: its own, or the server's. */
    private String readOnlyKey(String providerId, String alias) {
        return own(providerId, alias).readOnly().isPresent() ? "read_only: true" : "security.read_only: true";
    }

    private AppliedPolicy server() {
        return new AppliedPolicy(AppliedPolicy.SERVER, config.readOnly(), config.approval());
    }

    private InstancePolicy own(String providerId, String instance) {
        return instancePolicies.getOrDefault(providerId, Map.of()).getOrDefault(instance, InstancePolicy.INHERIT);
    }

    private boolean anyOverride(String providerId, List<String> aliases) {
        return aliases.stream().anyMatch(alias -> own(providerId, alias).overrides());
    }

    static boolean isFanOut(ToolDescriptor tool, String instance) {
        return tool.fanOut() && RegisteredTool.ALL_INSTANCES.equals(instance);
    }

    /** The instances that offer the tool: as its owner says, else every instance of the provider with a policy. */
    private List<String> instancesOf(ToolDescriptor tool, String providerId) {
        return ownerOf.apply(tool)
                .filter(owner -> owner.providerId().equals(providerId) && !owner.instances().isEmpty())
                .map(Owner::instances)
                .orElseGet(() -> List.copyOf(instancePolicies.getOrDefault(providerId, Map.of()).keySet()));
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
