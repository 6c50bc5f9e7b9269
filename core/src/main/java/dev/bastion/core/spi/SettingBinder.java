package dev.bastion.core.spi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Binds one unit of configuration (a server section or one provider instance) to its
 * {@link ConfigSpec}: the one set of binding rules, used by the server's configuration loader for
 * YAML, imported and sandbox instances, and by {@link SettingValues#bind} for the raw maps of
 * tests. Nested maps address dotted keys; unknown keys are problems with a "did you mean" hint;
 * a given value wins over the first set environment variable, which wins over the default; a
 * format check runs on given and environment values; secret values are wrapped in {@link Secret}
 * and reported, so they can be registered with the redactor and masked in every message.
 *
 * <p>Problems are reported, not thrown, so a caller can collect every problem of a whole
 * configuration before failing. Messages never quote a value.
 */
public final class SettingBinder {

    /** The format of instance aliases. */
    public static final Pattern ALIAS = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,31}$");

    /** The key that names an instance; not a setting. */
    public static final String ALIAS_KEY = "alias";

    /** Turns a scalar the user wrote into text; the loader resolves {@code ${NAME}} placeholders in YAML here. */
    @FunctionalInterface
    public interface Scalars {
        /** The text as written. */
        Scalars LITERAL = (raw, path) -> Optional.of(raw);

        /** The text, or empty after reporting a problem. */
        Optional<String> text(String raw, String path);
    }

    /** A value given for a setting, and the path that names it in messages. */
    public record Given(JsonNode node, String path) {
        public Given {
            requireNonNull(node, "node is null");
            requireNonNull(path, "path is null");
        }
    }

    /** Where a bound value came from. */
    public enum From { GIVEN, ENVIRONMENT, DEFAULT }

    /** Told where each bound value came from: the given path, the variable's name, or empty for a default. */
    @FunctionalInterface
    public interface Sources {
        Sources IGNORE = (key, from, name) -> { };

        void bound(String key, From from, String name);
    }

    private final Map<String, String> environment;
    private final Consumer<String> problems;
    private final Consumer<String> secrets;
    private final Consumer<String> masked;

    /**
     * @param environment environment variables, for settings bound with {@code useEnvironment}
     * @param problems receives each problem
     * @param secrets receives each non-empty value bound to a secret setting
     * @param masked receives texts that must be masked in problem messages (secret values, also
     *     misspelled or unconvertible ones)
     */
    public SettingBinder(Map<String, String> environment, Consumer<String> problems, Consumer<String> secrets,
                         Consumer<String> masked) {
        this.environment = requireNonNull(environment, "environment is null");
        this.problems = requireNonNull(problems, "problems is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.masked = requireNonNull(masked, "masked is null");
    }

    /**
     * The tree of a raw configuration map as a sandbox, an import or a test gives it: maps, lists,
     * strings, numbers, booleans and nulls as they are; any other value (a {@code URI}, a
     * {@code Path}, a {@code Duration}) as its text, the way a user would write it.
     */
    public static ObjectNode tree(Map<String, ?> raw) {
        requireNonNull(raw, "raw is null");
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        raw.forEach((key, value) -> node.set(String.valueOf(key), treeOf(value)));
        return node;
    }

    private static JsonNode treeOf(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof JsonNode json) {
            return json.deepCopy();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = nodes.objectNode();
            map.forEach((key, item) -> node.set(String.valueOf(key), treeOf(item)));
            return node;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode node = nodes.arrayNode();
            items.forEach(item -> node.add(treeOf(item)));
            return node;
        }
        if (value instanceof Boolean bool) {
            return nodes.booleanNode(bool);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return nodes.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return nodes.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return nodes.numberNode(decimal);
        }
        if (value instanceof java.math.BigInteger integer) {
            return nodes.numberNode(integer);
        }
        if (value instanceof Secret secret) {
            return nodes.textNode(secret.reveal());
        }
        return nodes.textNode(value.toString());
    }

    /** The alias of an instance, from its {@code alias} entry at {@code path}; empty after reporting a problem. */
    public Optional<String> alias(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            problems.accept(path + ": missing alias (every instance needs one, such as alias: prod)");
            return Optional.empty();
        }
        String alias = node.isValueNode() ? node.asText() : "";
        if (!ALIAS.matcher(alias).matches()) {
            problems.accept(path + "." + ALIAS_KEY + ": not a valid alias (use 1 to 32 lowercase letters, "
                    + "digits, '-' or '_', starting with a letter or digit)");
            return Optional.empty();
        }
        return Optional.of(alias);
    }

    /**
     * The given values of one unit by setting key, following nested maps.
     *
     * @param yamlPath the path of {@code node}, prefixed to the path of each value
     * @param reserved top-level keys that are not settings (such as {@code alias}): skipped here, and
     *     offered in "did you mean" hints
     * @param sectionPath the path of the unit, prefixed to "did you mean" hints
     */
    public Map<String, Given> flatten(ConfigSpec spec, ObjectNode node, String yamlPath, Set<String> reserved,
                                      String sectionPath) {
        Map<String, Given> out = new LinkedHashMap<>();
        flatten(spec, node, yamlPath, "", reserved, sectionPath, out);
        return out;
    }

    private void flatten(ConfigSpec spec, ObjectNode node, String yamlPath, String keyPrefix, Set<String> reserved,
                         String sectionPath, Map<String, Given> out) {
        Set<String> groups = new LinkedHashSet<>();
        for (Setting setting : spec.settings()) {
            String key = setting.key();
            for (int dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
                groups.add(key.substring(0, dot));
            }
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (keyPrefix.isEmpty() && reserved.contains(name)) {
                continue;
            }
            String key = keyPrefix.isEmpty() ? name : keyPrefix + "." + name;
            String path = yamlPath + "." + name;
            if (spec.setting(key).isPresent()) {
                out.put(key, new Given(value, path));
            } else if (groups.contains(key)) {
                if (value.isObject()) {
                    flatten(spec, (ObjectNode) value, path, key, reserved, sectionPath, out);
                } else if (!value.isNull()) {
                    problems.accept(path + " must be a map of settings");
                }
            } else {
                if (value.isValueNode() && value.asText().length() >= 12) {
                    // A misspelled secret key still holds a secret: keep it out of every message.
                    // Short values are left alone: they are not credentials, and masking ordinary
                    // words would garble the messages.
                    masked.accept(value.asText());
                }
                Set<String> candidates = new LinkedHashSet<>(groups);
                spec.settings().forEach(setting -> candidates.add(setting.key()));
                if (keyPrefix.isEmpty()) {
                    // Reserved keys (alias, an instance's read_only and approval) are known names too.
                    candidates.addAll(reserved);
                }
                problems.accept("Unknown key " + path + DidYouMean.hint(key, candidates, sectionPath + "."));
            }
        }
    }

    /**
     * Binds every setting of {@code spec}: the given value, else (with {@code useEnvironment}) the
     * first set environment variable of the setting, else its default; a required setting without
     * any is a problem.
     *
     * @param unitPath the path of the unit, in messages
     * @param scalars how the given scalars become text
     */
    public ProviderConfig resolve(String id, String alias, ConfigSpec spec, String unitPath, Map<String, Given> given,
                                  Scalars scalars, boolean useEnvironment, Sources sources) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting setting : spec.settings()) {
            Given value = given.get(setting.key());
            Optional<String> variable = useEnvironment
                    ? setting.envNames().stream().filter(this::isSet).findFirst() : Optional.empty();
            if (value != null && !value.node().isNull()) {
                fromNode(setting, value, scalars).ifPresent(bound -> {
                    values.put(setting.key(), bound);
                    sources.bound(setting.key(), From.GIVEN, value.path());
                });
            } else if (variable.isPresent()) {
                String name = variable.get();
                converted(setting, environment.get(name), name, true).ifPresent(bound -> {
                    values.put(setting.key(), bound);
                    sources.bound(setting.key(), From.ENVIRONMENT, name);
                });
            } else if (setting.defaultText().isPresent()) {
                converted(setting, setting.defaultText().get(), "default of " + unitPath + "." + setting.key(), false)
                        .ifPresent(bound -> {
                            values.put(setting.key(), bound);
                            sources.bound(setting.key(), From.DEFAULT, "");
                        });
            } else if (setting.required()) {
                problems.accept(missing(setting, unitPath, useEnvironment));
            }
        }
        return new ProviderConfig(id, alias, values);
    }

    private boolean isSet(String name) {
        String value = environment.get(name);
        return value != null && !value.isEmpty();
    }

    private static String missing(Setting setting, String unitPath, boolean useEnvironment) {
        String text = "Missing required setting " + unitPath + "." + setting.key();
        if (useEnvironment && !setting.envNames().isEmpty()) {
            return text + " (or environment variable " + String.join(" or ", setting.envNames()) + ")";
        }
        return text;
    }

    private Optional<Object> fromNode(Setting setting, Given given, Scalars scalars) {
        JsonNode node = given.node();
        String path = given.path();
        if (setting.type() == SettingType.JSON) {
            Optional<JsonNode> tree = resolveTree(node, path, scalars);
            return tree.flatMap(value -> checked(setting, value.toString(), path, value));
        }
        if (setting.type() == SettingType.LIST && node.isArray()) {
            List<String> items = new ArrayList<>();
            boolean ok = true;
            for (JsonNode item : node) {
                if (item.isContainerNode()) {
                    problems.accept(path + " must be a list of single values");
                    return Optional.empty();
                }
                Optional<String> text = scalars.text(item.asText(), path);
                ok &= text.isPresent();
                text.ifPresent(items::add);
            }
            if (!ok) {
                return Optional.empty();
            }
            List<String> list = SettingValues.fromSequence(items);
            return checked(setting, String.join(",", list), path, list);
        }
        if (node.isContainerNode()) {
            problems.accept(path + " must be a single value, not a " + (node.isArray() ? "list" : "map"));
            return Optional.empty();
        }
        return scalars.text(node.asText(), path).flatMap(text -> converted(setting, text, path, true));
    }

    private Optional<JsonNode> resolveTree(JsonNode node, String path, Scalars scalars) {
        if (node.isTextual()) {
            return scalars.text(node.asText(), path).map(TextNode::valueOf);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            boolean ok = true;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Optional<JsonNode> child = resolveTree(field.getValue(), path + "." + field.getKey(), scalars);
                ok &= child.isPresent();
                child.ifPresent(value -> copy.set(field.getKey(), value));
            }
            return ok ? Optional.of(copy) : Optional.empty();
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            boolean ok = true;
            for (int index = 0; index < node.size(); index++) {
                Optional<JsonNode> child = resolveTree(node.get(index), path + "[" + index + "]", scalars);
                ok &= child.isPresent();
                child.ifPresent(copy::add);
            }
            return ok ? Optional.of(copy) : Optional.empty();
        }
        return Optional.of(node.deepCopy());
    }

    /** Converts text, then runs the format check for set (non-default) values. */
    private Optional<Object> converted(Setting setting, String text, String source, boolean checkFormat) {
        if (setting.secret()) {
            masked.accept(text);
        }
        Object value;
        try {
            value = SettingValues.fromText(setting, text);
        } catch (SettingValues.InvalidValueException invalid) {
            problems.accept(source + " has " + (setting.secret() ? "a secret value" : "a value") + " that "
                    + invalid.getMessage());
            return Optional.empty();
        }
        return checkFormat ? checked(setting, text, source, value) : Optional.of(wrap(setting, text, value));
    }

    private Optional<Object> checked(Setting setting, String text, String source, Object value) {
        if (setting.secret()) {
            masked.accept(text);
        }
        if (setting.formatCheck().isPresent()) {
            Optional<String> problem = FormatCheck.apply(setting.formatCheck().get(), source, text);
            if (problem.isPresent()) {
                problems.accept(problem.get());
                return Optional.empty();
            }
        }
        return Optional.of(wrap(setting, text, value));
    }

    private Object wrap(Setting setting, String text, Object value) {
        if (!setting.secret()) {
            return value;
        }
        if (!text.isEmpty()) {
            secrets.accept(text);
        }
        return Secret.of(text);
    }
}
