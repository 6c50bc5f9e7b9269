package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.DidYouMean;
import dev.bastion.core.spi.FormatCheck;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingBinder;
import dev.bastion.security.policy.InstancePolicy;
import dev.bastion.security.redact.SecretRedactor;
import dev.bastion.core.spi.SettingType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the configuration from one optional YAML file and the environment, and checks it against
 * the declared settings of the server sections and of every discovered provider.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Precedence.</b> For each setting: an explicit YAML value wins; otherwise the first set
 *       environment variable among the setting's {@link Setting#envNames()}; otherwise its default.
 *       Environment variables feed the server sections and the {@code default} instance of a
 *       provider configured once (or not at all in YAML); instances listed under
 *       {@code instances} take values from YAML only, using {@code ${NAME}} placeholders. An empty
 *       environment variable counts as unset.</li>
 *   <li><b>Placeholders.</b> {@code ${NAME}} and {@code ${NAME:-default}} in YAML values (never in
 *       keys) are replaced from the environment; an undefined variable is an error naming it and
 *       the YAML path. {@code $${NAME}} is a literal {@code ${NAME}}.</li>
 *   <li><b>Shape.</b> Nested YAML maps address dotted setting keys ({@code rate_limit.burst_size});
 *       a {@link SettingType#JSON} setting takes its whole YAML value. Unknown keys at any level,
 *       unknown provider ids and unknown {@code BASTION_*} environment variables are errors with a
 *       "did you mean" hint.</li>
 *   <li><b>Providers.</b> A provider is enabled when it has a {@code providers.<id>} YAML section,
 *       when one of its settings' environment variables is set, or when
 *       {@link ProviderFactory#importInstances} returns instances. Imported instances are used only
 *       when the YAML section is absent or empty. Instances of a running sandbox
 *       ({@link Builder#sandboxInstances}) replace all of these.</li>
 *   <li><b>Policy per instance.</b> Every instance of every provider also accepts {@code read_only}
 *       and {@code approval} ({@link InstancePolicy}), which are not provider settings: they are
 *       read here, kept in {@link ResolvedSection#policy()} and never reach the provider's
 *       {@link ProviderConfig}.</li>
 *   <li><b>Errors.</b> Every problem is collected and reported in one {@link ConfigException};
 *       messages never contain secret values.</li>
 * </ul>
 */
public final class ConfigLoader {

    /**
     * The largest configuration file read. A real one is a few kilobytes; SnakeYAML's time grows
     * faster than the file (a 10 MiB comment took 50 s), so a bigger file is refused unparsed.
     */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    /** The alias format of provider instances. */
    public static final Pattern ALIAS = SettingBinder.ALIAS;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);
    private static final String INSTANCES = "instances";
    private static final String ALIAS_KEY = "alias";
    private static final String ENV_PREFIX = "BASTION_";
    /** The keys of a provider instance that are not provider settings: its policy ({@link InstancePolicy}). */
    private static final Set<String> POLICY_KEYS = Set.copyOf(InstancePolicy.KEYS);
    /** The same and the alias, for the items of an {@code instances} list. */
    private static final Set<String> INSTANCE_KEYS = union(Set.of(ALIAS_KEY), POLICY_KEYS);

    // The mapper is created on first use: most starts read no file, and building a YAML mapper is
    // a noticeable part of a cold start.
    private static final class YamlFiles {
        static final YAMLMapper MAPPER = YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private final List<ConfigSection> serverSections;
    private final List<ProviderFactory> factories;
    private final Set<String> otherEnvironmentNames;
    private final Map<String, List<Map<String, Object>>> sandboxInstances;

    private ConfigLoader(Builder builder) {
        this.serverSections = List.copyOf(builder.serverSections);
        this.factories = List.copyOf(builder.factories);
        this.otherEnvironmentNames = Set.copyOf(builder.otherEnvironmentNames);
        this.sandboxInstances = Map.copyOf(builder.sandboxInstances);
        Set<String> names = new LinkedHashSet<>();
        for (ConfigSection section : serverSections) {
            if (section.isProvider()) {
                throw new IllegalArgumentException("server sections cannot be provider sections: " + section.name());
            }
            if (!names.add(section.name())) {
                throw new IllegalArgumentException("duplicate section: " + section.name());
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        for (ProviderFactory factory : factories) {
            if (!ids.add(factory.id())) {
                throw new IllegalArgumentException("duplicate provider id: " + factory.id());
            }
        }
        for (String id : sandboxInstances.keySet()) {
            if (!ids.contains(id)) {
                throw new IllegalArgumentException("sandbox instances for unknown provider: " + id);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * Loads and checks the configuration.
     *
     * @param file the YAML file; when given it must exist
     * @param environment the process environment ({@code System.getenv()} in production)
     * @return the resolved configuration
     * @throws ConfigException listing every problem found
     */
    public BastionConfig load(Optional<Path> file, Map<String, String> environment) {
        requireNonNull(file, "file is null");
        requireNonNull(environment, "environment is null");
        Run run = new Run(environment);
        ObjectNode root = file.isPresent() ? run.read(file.get()) : JsonNodeFactory.instance.objectNode();
        return run.load(file, root);
    }

    private static ObjectNode readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Configuration file " + file + " does not exist or is not a regular file");
        }
        byte[] text;
        try (InputStream in = Files.newInputStream(file)) {
            // Read at most one byte past the cap: the size on disk may change between a check and the read.
            text = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new ConfigException("Configuration file " + file + " cannot be read");
        }
        if (text.length > MAX_FILE_BYTES) {
            throw new ConfigException("Configuration file " + file + " is larger than " + MAX_FILE_BYTES
                    + " bytes (1 MiB), the most a configuration file may hold");
        }
        JsonNode root;
        try {
            root = YamlFiles.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("Configuration file " + file + " is not valid YAML" + yamlProblem(e));
        } catch (IOException e) {
            throw new ConfigException("Configuration file " + file + " cannot be read");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException("Configuration file " + file + " must contain a map of sections at the top level");
        }
        return (ObjectNode) root;
    }

    /**
     * Where and what: SnakeYAML's problem mark (where it gave up) and, when the problem began
     * earlier, its context mark (where the quoted scalar or the mapping started). Jackson's own
     * location is its parser's last token, which can be lines away. SnakeYAML's full message quotes
     * the offending line, which may hold a secret: only the problem and the places are used.
     */
    private static String yamlProblem(JsonProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblem() != null) {
                String text = at(marked.getProblemMark()) + ": " + marked.getProblem();
                Mark context = marked.getContextMark();
                if (marked.getContext() != null && context != null && !at(context).equals(at(marked.getProblemMark()))) {
                    text += " (" + marked.getContext() + at(context).replace(" (", " at ").replace(")", "") + ")";
                }
                return text;
            }
        }
        String original = e.getOriginalMessage();
        return location(e) + ": " + (original != null && original.startsWith("Duplicate field") ? original : "syntax error");
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    private static String location(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** One load: the state that collects values, secrets and problems. */
    private final class Run {
        private final Map<String, String> environment;
        private final Placeholders placeholders;
        private final Problems problems = new Problems();
        private final List<String> secrets = new ArrayList<>();
        private final List<String> maskedTexts = new ArrayList<>();
        private final SettingBinder binder;

        /** A redactor for this run's problems, knowing every provider's credential shapes. */
        private SecretRedactor masking() {
            SecretRedactor redactor = new SecretRedactor();
            factories.forEach(factory -> redactor.registerShapes(factory.credentialShapes()));
            return redactor;
        }

        Run(Map<String, String> environment) {
            this.environment = environment;
            this.placeholders = new Placeholders(environment);
            this.binder = new SettingBinder(environment, problems::add, secrets::add, maskedTexts::add);
        }

        /**
         * Reads the file. Its errors are masked like every other problem: a YAML error quotes keys
         * (a duplicate key, say), and a secret pasted into a key would otherwise be echoed.
         */
        ObjectNode read(Path file) {
            try {
                return readYaml(file);
            } catch (ConfigException e) {
                e.problems().forEach(problems::add);
                maskSecretEnvironmentValues();
                problems.throwIfAny(maskedTexts, masking());
                throw e;
            }
        }

        BastionConfig load(Optional<Path> file, ObjectNode root) {
            maskSecretEnvironmentValues();
            checkTopLevelKeys(root);
            List<ResolvedSection> sections = new ArrayList<>();
            for (ConfigSection section : serverSections) {
                int before = problems.count();
                Map<String, Explicit> explicit = new LinkedHashMap<>();
                JsonNode node = root.get(section.name());
                if (node != null && !node.isNull()) {
                    if (node.isObject()) {
                        flatten(section.spec(), (ObjectNode) node, section.name(), Set.of(), section.name(), ValueSource.Kind.YAML, explicit);
                    } else {
                        problems.add(section.name() + " must be a map of settings");
                    }
                }
                ResolvedSection resolved = resolve(section.name(), section.name(), ProviderConfig.DEFAULT_ALIAS,
                        section.spec(), section.name(), explicit, true);
                sections.add(resolved);
                if (problems.count() == before) {
                    // Only a section whose values all converted can be read as a whole.
                    check(section, resolved.config());
                }
            }
            Map<String, List<ResolvedSection>> providers = configureProviders(root.get(ConfigSection.PROVIDERS));
            checkEnvironmentNames();
            List<String> mask = new ArrayList<>(maskedTexts);
            mask.addAll(secrets);
            problems.throwIfAny(mask, masking());
            return new BastionConfig(file, sections, providers, new ArrayList<>(new LinkedHashSet<>(secrets)));
        }

        private void check(ConfigSection section, ProviderConfig values) {
            try {
                section.check().check(values, environment);
            } catch (ProviderConfigException e) {
                problems.add(e.getMessage());
            }
        }

        private void maskSecretEnvironmentValues() {
            List<Setting> all = new ArrayList<>();
            serverSections.forEach(section -> all.addAll(section.spec().settings()));
            factories.forEach(factory -> all.addAll(factory.configSpec().settings()));
            for (Setting setting : all) {
                if (setting.secret()) {
                    setting.envNames().stream().map(environment::get).filter(v -> v != null && !v.isEmpty())
                            .forEach(maskedTexts::add);
                }
            }
        }

        private void checkTopLevelKeys(ObjectNode root) {
            Set<String> known = new LinkedHashSet<>();
            serverSections.forEach(section -> known.add(section.name()));
            known.add(ConfigSection.PROVIDERS);
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    problems.add("Unknown key " + name + DidYouMean.hint(name, known, "")
                            + " (top-level sections: " + String.join(", ", known) + ")");
                }
            }
        }

        private void checkEnvironmentNames() {
            Set<String> known = new TreeSet<>(otherEnvironmentNames);
            serverSections.forEach(section -> section.spec().settings().forEach(s -> known.addAll(s.envNames())));
            factories.forEach(factory -> factory.configSpec().settings().forEach(s -> known.addAll(s.envNames())));
            known.removeIf(name -> !name.startsWith(ENV_PREFIX));
            for (String name : new TreeSet<>(environment.keySet())) {
                if (name.startsWith(ENV_PREFIX) && !known.contains(name)) {
                    problems.add("Unknown environment variable " + name + DidYouMean.hint(name, known, ""));
                }
            }
        }

        private Map<String, List<ResolvedSection>> configureProviders(JsonNode node) {
            ObjectNode yaml = JsonNodeFactory.instance.objectNode();
            if (node != null && !node.isNull()) {
                if (node.isObject()) {
                    yaml = (ObjectNode) node;
                } else {
                    problems.add(ConfigSection.PROVIDERS + " must be a map from provider id to its settings");
                }
            }
            Set<String> ids = new LinkedHashSet<>();
            factories.forEach(factory -> ids.add(factory.id()));
            for (Iterator<String> names = yaml.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!ids.contains(name)) {
                    String hint = DidYouMean.hint(name, ids, ConfigSection.PROVIDERS + ".");
                    problems.add("Unknown provider " + ConfigSection.PROVIDERS + "." + name + hint
                            + (ids.isEmpty() ? " (no providers are installed)" : " (installed providers: " + String.join(", ", ids) + ")"));
                }
            }
            Map<String, List<ResolvedSection>> providers = new LinkedHashMap<>();
            for (ProviderFactory factory : factories) {
                for (Setting setting : factory.configSpec().settings()) {
                    if (InstancePolicy.isReserved(setting.key())) {
                        problems.add("Provider " + factory.id() + " declares the setting " + setting.key()
                                + ", but " + String.join(" and ", InstancePolicy.KEYS) + " are reserved on every "
                                + "instance for the server's policy per instance; the provider must rename it");
                    }
                }
                List<ResolvedSection> instances = configureProvider(factory, yaml.has(factory.id()), yaml.get(factory.id()));
                if (!instances.isEmpty()) {
                    providers.put(factory.id(), instances);
                }
            }
            return providers;
        }

        private List<ResolvedSection> configureProvider(ProviderFactory factory, boolean inYaml, JsonNode node) {
            String base = ConfigSection.PROVIDERS + "." + factory.id();
            ConfigSpec spec = factory.configSpec();
            List<Map<String, Object>> sandbox = sandboxInstances.get(factory.id());
            if (sandbox != null) {
                return instances(factory, base, base + ".sandbox", toTrees(sandbox), ValueSource.Kind.SANDBOX);
            }
            boolean emptySection = node == null || node.isNull() || (node.isObject() && node.isEmpty());
            if (!inYaml || emptySection) {
                List<ResolvedSection> imported = importedInstances(factory, base);
                if (!imported.isEmpty()) {
                    return imported;
                }
                if (inYaml || anyEnvironmentVariableSet(spec)) {
                    return List.of(resolve(base, factory.id(), ProviderConfig.DEFAULT_ALIAS, spec, base, Map.of(), true));
                }
                return List.of();
            }
            if (!node.isObject()) {
                problems.add(base + " must be a map of settings, or a map with an instances list");
                return List.of();
            }
            if (!node.has(INSTANCES)) {
                Map<String, Explicit> explicit = new LinkedHashMap<>();
                flatten(spec, (ObjectNode) node, base, POLICY_KEYS, base, ValueSource.Kind.YAML, explicit);
                return List.of(resolve(base, factory.id(), ProviderConfig.DEFAULT_ALIAS, spec, base, explicit, true)
                        .withPolicy(instancePolicy(factory, ProviderConfig.DEFAULT_ALIAS, (ObjectNode) node, base,
                                ValueSource.Kind.YAML)));
            }
            List<String> others = new ArrayList<>();
            node.fieldNames().forEachRemaining(name -> {
                if (!name.equals(INSTANCES)) {
                    others.add(base + "." + name);
                }
            });
            if (!others.isEmpty()) {
                problems.add(base + ": set either an instances list or settings directly, not both (found "
                        + String.join(", ", others) + ")");
            }
            JsonNode list = node.get(INSTANCES);
            if (!list.isArray() || list.isEmpty()) {
                problems.add(base + "." + INSTANCES + " must be a non-empty list of instances, each with an alias");
                return List.of();
            }
            List<JsonNode> items = new ArrayList<>();
            list.forEach(items::add);
            return instances(factory, base, base + "." + INSTANCES, items, ValueSource.Kind.YAML);
        }

        private List<ResolvedSection> importedInstances(ProviderFactory factory, String base) {
            List<Map<String, Object>> raw;
            try {
                raw = factory.importInstances(environment);
            } catch (ProviderConfigException e) {
                problems.add(base + ": " + e.getMessage());
                return List.of();
            } catch (RuntimeException e) {
                problems.add(base + ": importing instances from the environment failed");
                return List.of();
            }
            if (raw == null || raw.isEmpty()) {
                return List.of();
            }
            return instances(factory, base, base + ".imported", toTrees(raw), ValueSource.Kind.IMPORTED);
        }

        private List<JsonNode> toTrees(List<Map<String, Object>> raw) {
            List<JsonNode> items = new ArrayList<>();
            for (Map<String, Object> map : raw) {
                items.add(map == null ? JsonNodeFactory.instance.nullNode() : SettingBinder.tree(map));
            }
            return items;
        }

        private List<ResolvedSection> instances(ProviderFactory factory, String base, String listPath,
                List<JsonNode> items, ValueSource.Kind origin) {
            List<ResolvedSection> resolved = new ArrayList<>();
            Map<String, String> seen = new LinkedHashMap<>();
            boolean valid = true;
            for (int index = 0; index < items.size(); index++) {
                JsonNode item = items.get(index);
                String path = listPath + "[" + index + "]";
                if (!item.isObject()) {
                    problems.add(path + " must be a map with an alias and settings");
                    valid = false;
                    continue;
                }
                Optional<String> alias = alias(item.get(ALIAS_KEY), path);
                if (alias.isPresent()) {
                    String previous = seen.putIfAbsent(alias.get(), path);
                    if (previous != null) {
                        problems.add(base + ": duplicate instance alias '" + alias.get() + "' (" + previous + " and " + path + ")");
                        valid = false;
                    }
                } else {
                    valid = false;
                }
                Map<String, Explicit> explicit = new LinkedHashMap<>();
                flatten(factory.configSpec(), (ObjectNode) item, path, INSTANCE_KEYS, path, origin, explicit);
                resolved.add(resolve(base, factory.id(), alias.orElse("invalid"), factory.configSpec(), path, explicit, false)
                        .withPolicy(instancePolicy(factory, alias.orElse("invalid"), (ObjectNode) item, path, origin)));
            }
            return valid ? resolved : List.of();
        }

        /**
         * The instance's own {@code read_only} and {@code approval}: bound like settings (converted,
         * checked, {@code ${NAME}} placeholders in YAML) but from the instance map only, and kept
         * apart from the provider's settings, which never see them.
         */
        private InstancePolicy instancePolicy(ProviderFactory factory, String alias, ObjectNode instance, String path,
                ValueSource.Kind origin) {
            ObjectNode keys = JsonNodeFactory.instance.objectNode();
            for (String key : InstancePolicy.KEYS) {
                if (instance.has(key)) {
                    keys.set(key, instance.get(key));
                }
            }
            if (keys.isEmpty()) {
                return InstancePolicy.INHERIT;
            }
            int before = problems.count();
            Map<String, Explicit> explicit = new LinkedHashMap<>();
            flatten(InstancePolicy.spec(), keys, path, Set.of(), path, origin, explicit);
            ProviderConfig values = resolve(path, factory.id(), alias, InstancePolicy.spec(), path, explicit, false).config();
            if (problems.count() != before) {
                return InstancePolicy.INHERIT;
            }
            try {
                return InstancePolicy.from(values);
            } catch (ProviderConfigException e) {
                problems.add(path + "." + e.getMessage());
                return InstancePolicy.INHERIT;
            }
        }

        private Optional<String> alias(JsonNode node, String path) {
            return binder.alias(node, path);
        }

        private boolean anyEnvironmentVariableSet(ConfigSpec spec) {
            return spec.settings().stream().flatMap(s -> s.envNames().stream()).anyMatch(this::isSet);
        }

        private boolean isSet(String name) {
            String value = environment.get(name);
            return value != null && !value.isEmpty();
        }

        /**
         * Maps the YAML keys of one section or instance to setting keys, following nested maps.
         *
         * @param sectionPath the YAML path of the section or instance, prefixed to hints
         */
        private void flatten(ConfigSpec spec, ObjectNode node, String yamlPath, Set<String> reserved,
                String sectionPath, ValueSource.Kind origin, Map<String, Explicit> out) {
            binder.flatten(spec, node, yamlPath, reserved, sectionPath)
                    .forEach((key, given) -> out.put(key, new Explicit(given.node(), given.path(), origin)));
        }

        /** A secret typed into the file travels with every copy of it; a placeholder keeps it in the environment. */
        private void warnIfLiteralSecret(Setting setting, Explicit given) {
            if (setting.secret() && given.source().kind() == ValueSource.Kind.YAML && given.node().isTextual()
                    && !given.node().asText().contains("${")) {
                LOG.warn("{} holds a secret written literally in the configuration file; prefer a ${VARIABLE} "
                        + "placeholder so the file can be shared without it", given.source().name());
            }
        }

        private ResolvedSection resolve(String section, String id, String alias, ConfigSpec spec, String unitPath,
                Map<String, Explicit> explicit, boolean useEnvironment) {
            Map<String, SettingBinder.Given> given = new LinkedHashMap<>();
            explicit.forEach((key, value) -> given.put(key, new SettingBinder.Given(value.node(), value.path())));
            Map<String, ValueSource> sources = new LinkedHashMap<>();
            for (Setting setting : spec.settings()) {
                Explicit value = explicit.get(setting.key());
                if (value != null && !value.node().isNull()) {
                    warnIfLiteralSecret(setting, value);
                }
            }
            // Every value of one unit comes from one origin; only YAML has ${NAME} placeholders.
            boolean fromYaml = explicit.values().stream().anyMatch(Explicit::fromYaml);
            SettingBinder.Scalars scalars = fromYaml ? (raw, path) -> placeholders.resolve(raw, path, problems)
                    : SettingBinder.Scalars.LITERAL;
            ProviderConfig config = binder.resolve(id, alias, spec, unitPath, given, scalars, useEnvironment,
                    (key, from, name) -> sources.put(key, switch (from) {
                        case GIVEN -> explicit.get(key).source();
                        case ENVIRONMENT -> ValueSource.env(name);
                        case DEFAULT -> ValueSource.DEFAULT;
                    }));
            return new ResolvedSection(section, spec, config, sources);
        }
    }

    /** A value given explicitly for a setting: in YAML, by an imported instance or by a sandbox. */
    private record Explicit(JsonNode node, String path, ValueSource.Kind origin) {

        boolean fromYaml() {
            return origin == ValueSource.Kind.YAML;
        }

        ValueSource source() {
            return switch (origin) {
                case YAML -> ValueSource.yaml(path);
                case IMPORTED -> ValueSource.IMPORTED;
                case SANDBOX -> ValueSource.SANDBOX;
                default -> throw new IllegalStateException("not an explicit source: " + origin);
            };
        }
    }

    /** Collects the sections, providers and extra environment names of a {@link ConfigLoader}. */
    public static final class Builder {
        private final List<ConfigSection> serverSections = new ArrayList<>();
        private final List<ProviderFactory> factories = new ArrayList<>();
        private final Set<String> otherEnvironmentNames = new LinkedHashSet<>();
        private final Map<String, List<Map<String, Object>>> sandboxInstances = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The instances of a provider's running sandbox ({@link dev.bastion.core.spi.Sandbox#instances()}),
         * for {@code serve --sandbox}. They replace whatever the YAML file, the environment and
         * {@link ProviderFactory#importInstances} say about that provider, and are checked like YAML
         * instances; their secrets are masked and listed in {@link BastionConfig#secretValues()}.
         */
        public Builder sandboxInstances(String providerId, List<Map<String, Object>> instances) {
            requireNonNull(providerId, "providerId is null");
            requireNonNull(instances, "instances is null");
            List<Map<String, Object>> copy = new ArrayList<>();
            instances.forEach(instance -> copy.add(Map.copyOf(requireNonNull(instance, "instance is null"))));
            sandboxInstances.put(providerId, List.copyOf(copy));
            return this;
        }

        /** The server sections ({@code server}, {@code logging}, {@code security}, ...), in display order. */
        public Builder serverSections(List<ConfigSection> sections) {
            requireNonNull(sections, "sections is null").forEach(section -> serverSections.add(requireNonNull(section, "section is null")));
            return this;
        }

        public Builder serverSection(ConfigSection section) {
            serverSections.add(requireNonNull(section, "section is null"));
            return this;
        }

        /** The discovered provider factories; their ids are the keys under {@code providers}. */
        public Builder providers(List<ProviderFactory> providers) {
            requireNonNull(providers, "providers is null").forEach(factory -> factories.add(requireNonNull(factory, "factory is null")));
            return this;
        }

        /**
         * {@code BASTION_*} environment variables read elsewhere (by the command line, say), so they
         * are not reported as unknown.
         */
        public Builder allowEnvironmentVariables(String... names) {
            for (String name : names) {
                otherEnvironmentNames.add(requireNonNull(name, "name is null"));
            }
            return this;
        }

        public ConfigLoader build() {
            return new ConfigLoader(this);
        }
    }
}
