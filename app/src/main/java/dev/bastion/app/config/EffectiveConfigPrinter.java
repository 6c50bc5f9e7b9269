package dev.bastion.app.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shows the effective configuration, for {@code bastion config} and startup diagnostics: every
 * setting with its value and source ({@code default}, {@code env:NAME}, {@code yaml},
 * {@code imported}, {@code sandbox}, or {@code unset}). Secret settings always print as {@code [REDACTED]};
 * every other value passes the redactor, because a secret also leaks through a setting that is not
 * declared secret (a token pasted as an environment id, a token in a URL's query, the server's
 * bearer token reused as its name).
 */
public final class EffectiveConfigPrinter {

    private static final String UNSET = "unset";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private EffectiveConfigPrinter() {
    }

    /** A table with the columns KEY, VALUE and SOURCE, one row per setting. */
    public static String table(BastionConfig config, Redactor redactor) {
        requireNonNull(redactor, "redactor is null");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "VALUE", "SOURCE"});
        for (ResolvedSection section : config.sections()) {
            addRows(rows, section.section(), section, redactor);
        }
        config.providers().forEach((id, instances) -> {
            for (ResolvedSection instance : instances) {
                String alias = instance.config().alias();
                String prefix = instances.size() == 1 && alias.equals(ProviderConfig.DEFAULT_ALIAS)
                        ? instance.section() : instance.section() + "[" + alias + "]";
                addRows(rows, prefix, instance, redactor);
            }
        });
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int column = 0; column < 3; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            text.append(pad(row[0], widths[0])).append("  ").append(pad(row[1], widths[1])).append("  ").append(row[2])
                    .append('\n');
        }
        return text.toString();
    }

    /** The configuration as YAML: {@code section -> key -> {value, source}}, providers as lists of instances. */
    public static String yaml(BastionConfig config, Redactor redactor) {
        try {
            return YAML.writeValueAsString(tree(config, requireNonNull(redactor, "redactor is null")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the configuration as YAML", e);
        }
    }

    /** The same structure as {@link #yaml}, as indented JSON. */
    public static String json(BastionConfig config, Redactor redactor) {
        try {
            return JSON.writeValueAsString(tree(config, requireNonNull(redactor, "redactor is null")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the configuration as JSON", e);
        }
    }

    private static ObjectNode tree(BastionConfig config, Redactor redactor) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (ResolvedSection section : config.sections()) {
            root.set(section.section(), settingsTree(section, redactor));
        }
        ObjectNode providers = root.putObject(ConfigSection.PROVIDERS);
        config.providers().forEach((id, instances) -> {
            ArrayNode list = providers.putArray(id);
            for (ResolvedSection instance : instances) {
                ObjectNode item = list.addObject();
                item.put("alias", instance.config().alias());
                item.set("settings", settingsTree(instance, redactor));
            }
        });
        return root;
    }

    private static ObjectNode settingsTree(ResolvedSection section, Redactor redactor) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        Map<String, Object> values = section.config().values();
        for (Setting setting : section.spec().settings()) {
            ObjectNode entry = settings.putObject(setting.key());
            Object value = values.get(setting.key());
            entry.set("value", value == null ? JsonNodeFactory.instance.nullNode()
                    : redactor.redact(jsonValue(setting, value)));
            entry.put("source", section.source(setting.key()).map(ValueSource::label).orElse(UNSET));
        }
        return settings;
    }

    private static JsonNode jsonValue(Setting setting, Object value) {
        if (setting.secret() || value instanceof Secret) {
            return JsonNodeFactory.instance.textNode(Secret.MASK);
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof Integer number) {
            return JsonNodeFactory.instance.numberNode(number);
        }
        if (value instanceof Boolean bool) {
            return JsonNodeFactory.instance.booleanNode(bool);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            list.forEach(item -> array.add(String.valueOf(item)));
            return array;
        }
        return JsonNodeFactory.instance.textNode(String.valueOf(value));
    }

    private static void addRows(List<String[]> rows, String prefix, ResolvedSection section, Redactor redactor) {
        Map<String, Object> values = section.config().values();
        for (Setting setting : section.spec().settings()) {
            Object value = values.get(setting.key());
            String shown;
            if (value == null) {
                shown = "";
            } else if (setting.secret() || value instanceof Secret) {
                shown = Secret.MASK;
            } else if (value instanceof List<?> list) {
                shown = String.join(",", list.stream().map(item -> redactor.redact(String.valueOf(item))).toList());
            } else if (value instanceof JsonNode node) {
                shown = redactor.redact(node).toString();
            } else {
                shown = redactor.redact(String.valueOf(value));
            }
            String source = section.source(setting.key()).map(ValueSource::label).orElse(UNSET);
            rows.add(new String[] {prefix + "." + setting.key(), shown, source});
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
