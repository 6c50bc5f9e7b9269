package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bastion.core.spi.ProviderConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the environment list of the official {@code dynatrace-oss/dynatrace-managed-mcp} server, so
 * its users can switch without rewriting configuration: {@code DT_CONFIG_FILE} (a JSON or YAML
 * file, {@code ~} and {@code ${VAR}} expanded in its path, {@code ${VAR}} placeholders resolved in
 * its values, an undefined variable is an error) wins over {@code DT_ENVIRONMENT_CONFIGS} (a JSON
 * array). Each entry ({@code alias}, {@code apiEndpointUrl}, {@code environmentId}, {@code apiToken},
 * {@code dynatraceUrl}, {@code httpProxyUrl}, {@code httpsProxyUrl}) becomes a map with this
 * provider's setting keys.
 */
final class OfficialConfigImport {

    static final String CONFIG_FILE = "DT_CONFIG_FILE";
    static final String CONFIGS = "DT_ENVIRONMENT_CONFIGS";

    private static final Logger LOG = LoggerFactory.getLogger(OfficialConfigImport.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");
    private static final List<String> REQUIRED = List.of("alias", "apiEndpointUrl", "environmentId", "apiToken");

    private OfficialConfigImport() {
    }

    static List<Map<String, Object>> read(Map<String, String> environment) {
        String file = blankToNull(environment.get(CONFIG_FILE));
        String inline = blankToNull(environment.get(CONFIGS));
        if (file != null) {
            if (inline != null) {
                LOG.warn("Both {} and {} are set; using {} as the official server does", CONFIG_FILE, CONFIGS,
                        CONFIG_FILE);
            }
            return fromFile(file, environment);
        }
        if (inline != null) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(inline);
            } catch (IOException e) {
                throw new ProviderConfigException(CONFIGS + " is not valid JSON (line " + line(e)
                        + "); it must be a JSON array of environments");
            }
            return convert(root, CONFIGS, environment, false);
        }
        return List.of();
    }

    private static List<Map<String, Object>> fromFile(String file, Map<String, String> environment) {
        Path path = resolvePath(file, environment);
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        if (name.endsWith(".json")) {
            mapper = new ObjectMapper();
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = new ObjectMapper(new YAMLFactory());
        } else {
            throw new ProviderConfigException(CONFIG_FILE + " must name a .json, .yaml or .yml file: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new ProviderConfigException(CONFIG_FILE + " names a file that does not exist: " + path);
        }
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ProviderConfigException(CONFIG_FILE + " " + path + " cannot be parsed (line " + line(e) + ")");
        }
        return convert(root, CONFIG_FILE + " " + path, environment, true);
    }

    private static Path resolvePath(String file, Map<String, String> environment) {
        String resolved = interpolate(file, environment, CONFIG_FILE);
        if (resolved.startsWith("~")) {
            String home = blankToNull(environment.getOrDefault("HOME", environment.get("USERPROFILE")));
            if (home == null) {
                home = System.getProperty("user.home");
            }
            resolved = home + resolved.substring(1);
        }
        return Path.of(resolved).toAbsolutePath().normalize();
    }

    private static List<Map<String, Object>> convert(JsonNode root, String source, Map<String, String> environment,
            boolean placeholders) {
        if (root == null || !root.isArray()) {
            throw new ProviderConfigException(source + " must be an array of environments");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> aliases = new HashSet<>();
        int index = 0;
        for (JsonNode entry : root) {
            index++;
            String where = source + " environment #" + index;
            if (!entry.isObject()) {
                throw new ProviderConfigException(where + " must be an object");
            }
            List<String> missing = new ArrayList<>();
            for (String field : REQUIRED) {
                if (entry.path(field).asText("").isBlank()) {
                    missing.add(field);
                }
            }
            if (!missing.isEmpty()) {
                throw new ProviderConfigException(where + " is missing required fields: " + String.join(", ", missing));
            }
            String alias = value(entry, "alias", environment, placeholders, where);
            if (alias.contains(";")) {
                throw new ProviderConfigException(where + ": an alias cannot contain ';'");
            }
            if (!aliases.add(alias)) {
                throw new ProviderConfigException(where + ": alias " + alias + " is used twice");
            }
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("alias", alias);
            String url = value(entry, "apiEndpointUrl", environment, placeholders, where);
            instance.put(ManagedSettings.URL, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            String id = value(entry, "environmentId", environment, placeholders, where);
            instance.put(ManagedSettings.ENVIRONMENT_ID, id.endsWith("/") ? id.substring(0, id.length() - 1) : id);
            instance.put(ManagedSettings.API_TOKEN, value(entry, "apiToken", environment, placeholders, where));
            String ui = optional(entry, "dynatraceUrl", environment, placeholders, where);
            if (ui != null) {
                instance.put(ManagedSettings.UI_URL, ui);
            }
            String httpProxy = optional(entry, "httpProxyUrl", environment, placeholders, where);
            String httpsProxy = optional(entry, "httpsProxyUrl", environment, placeholders, where);
            if (httpProxy != null && httpsProxy != null) {
                // The official server disables the per-environment proxy when both are set; keep that.
                LOG.warn("{}: both httpProxyUrl and httpsProxyUrl are set; no per-environment proxy is used,"
                        + " as in the official server", where);
            } else if (httpsProxy != null || httpProxy != null) {
                instance.put(ManagedSettings.PROXY, httpsProxy != null ? httpsProxy : httpProxy);
            }
            out.add(instance);
        }
        return List.copyOf(out);
    }

    private static String value(JsonNode entry, String field, Map<String, String> environment, boolean placeholders,
            String where) {
        String raw = entry.path(field).asText("").trim();
        return placeholders ? interpolate(raw, environment, where + " field " + field) : raw;
    }

    private static String optional(JsonNode entry, String field, Map<String, String> environment,
            boolean placeholders, String where) {
        String raw = entry.path(field).asText("").trim();
        if (raw.isEmpty()) {
            return null;
        }
        return placeholders ? interpolate(raw, environment, where + " field " + field) : raw;
    }

    /** Replaces {@code ${NAME}}; an undefined variable is an error that names it (never its value). */
    static String interpolate(String text, Map<String, String> environment, String where) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = environment.get(matcher.group(1));
            if (value == null) {
                throw new ProviderConfigException(where + " refers to ${" + matcher.group(1)
                        + "}, but that environment variable is not set");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String line(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
                && processing.getLocation() != null) {
            return String.valueOf(processing.getLocation().getLineNr());
        }
        return "?";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
