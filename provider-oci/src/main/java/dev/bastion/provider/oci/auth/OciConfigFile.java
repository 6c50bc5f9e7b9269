package dev.bastion.provider.oci.auth;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCI config file ({@code ~/.oci/config}) as the CLI and the SDKs read it: {@code [PROFILE]}
 * sections of {@code key = value} lines, {@code #} and {@code ;} comment lines, keys case-insensitive.
 */
public final class OciConfigFile {

    public static final String DEFAULT_PROFILE = "DEFAULT";
    public static final String CONFIG_FILE_ENV = "OCI_CONFIG_FILE";
    public static final String PROFILE_ENV = "OCI_CONFIG_PROFILE";
    public static final String CLI_PROFILE_ENV = "OCI_CLI_PROFILE";

    /** The only key that is never inherited from {@code [DEFAULT]}: it decides the principal. */
    static final String SECURITY_TOKEN_FILE = "security_token_file";

    private static final Logger LOG = LoggerFactory.getLogger(OciConfigFile.class);

    /** A config file holds a handful of profiles; anything far larger is not one. */
    private static final long MAX_BYTES = 1 << 20;

    private final Path file;
    private final Map<String, Map<String, String>> sections;

    private OciConfigFile(Path file, Map<String, Map<String, String>> sections) {
        this.file = file;
        this.sections = sections;
    }

    /** {@code OCI_CONFIG_FILE}, else {@code ~/.oci/config}. */
    public static Path defaultLocation(Map<String, String> environment, Path userHome) {
        requireNonNull(environment, "environment is null");
        requireNonNull(userHome, "userHome is null");
        String configured = environment.get(CONFIG_FILE_ENV);
        if (configured != null && !configured.isBlank()) {
            return expandHome(configured.trim(), userHome);
        }
        return userHome.resolve(".oci").resolve("config");
    }

    /** {@code OCI_CONFIG_PROFILE}, else {@code OCI_CLI_PROFILE}, else {@code DEFAULT}. */
    public static String defaultProfile(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        for (String name : List.of(PROFILE_ENV, CLI_PROFILE_ENV)) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return DEFAULT_PROFILE;
    }

    /** Reads and parses {@code file}; a missing or malformed file is a configuration error that names it. */
    public static OciConfigFile read(Path file) {
        requireNonNull(file, "file is null");
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ProviderConfigException("OCI config file " + file + " is larger than 1 MiB; it is not a config file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ProviderConfigException("OCI config file " + file + " does not exist; create it with"
                    + " 'oci setup config' or set config_file (or OCI_CONFIG_FILE)");
        } catch (IOException e) {
            throw new ProviderConfigException("OCI config file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        return parse(file, text);
    }

    static OciConfigFile parse(Path file, String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw malformed(file, i, "a profile header must look like [NAME]");
                }
                String name = line.substring(1, line.length() - 1).strip();
                if (sections.containsKey(name)) {
                    throw malformed(file, i, "profile [" + name + "] appears twice");
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                // The line may hold a secret (a pass phrase without its key), so it is not quoted.
                throw malformed(file, i, "expected key=value");
            }
            if (current == null) {
                throw malformed(file, i, "a key=value line comes before the first [PROFILE] header");
            }
            current.put(line.substring(0, equals).strip().toLowerCase(Locale.ROOT), line.substring(equals + 1).strip());
        }
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        sections.forEach((name, values) -> frozen.put(name, Map.copyOf(values)));
        return new OciConfigFile(file, java.util.Collections.unmodifiableMap(frozen));
    }

    private static ProviderConfigException malformed(Path file, int lineIndex, String what) {
        return new ProviderConfigException("OCI config file " + file + ", line " + (lineIndex + 1) + ": " + what);
    }

    public Path file() {
        return file;
    }

    /** The profile names, in file order. */
    public Set<String> profileNames() {
        return sections.keySet();
    }

    /**
     * The resolved profile {@code name}, {@code ~} expanded against {@code userHome}.
     *
     * @throws ProviderConfigException when the file has no such profile, naming those it has
     */
    public OciProfile profile(String name, Path userHome) {
        requireNonNull(name, "name is null");
        requireNonNull(userHome, "userHome is null");
        Map<String, String> own = sections.get(name);
        if (own == null) {
            throw new ProviderConfigException("OCI config file " + file + " has no profile [" + name + "]; it has "
                    + (sections.isEmpty() ? "none" : String.join(", ", sections.keySet())));
        }
        Map<String, String> defaults = name.equals(DEFAULT_PROFILE) ? Map.of()
                : sections.getOrDefault(DEFAULT_PROFILE, Map.of());
        Map<String, String> values = new LinkedHashMap<>(defaults);
        values.remove(SECURITY_TOKEN_FILE);
        values.putAll(own);
        if (defaults.containsKey(SECURITY_TOKEN_FILE) && !own.containsKey(SECURITY_TOKEN_FILE)) {
            LOG.info("OCI config file {}: profile [{}] does not inherit security_token_file from [DEFAULT];"
                    + " it authenticates with its own settings", file, name);
        }
        String passPhrase = value(values, "pass_phrase");
        return new OciProfile(file, name, value(values, "tenancy"), value(values, "user"), value(values, "fingerprint"),
                path(values, "key_file", userHome), value(values, "region"),
                passPhrase == null ? null : Secret.of(passPhrase), path(values, SECURITY_TOKEN_FILE, userHome));
    }

    private static String value(Map<String, String> values, String key) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Path path(Map<String, String> values, String key, Path userHome) {
        String value = value(values, key);
        return value == null ? null : expandHome(value, userHome);
    }

    /** {@code ~} and {@code ~/x} as the SDKs expand them; other paths as written. */
    static Path expandHome(String path, Path userHome) {
        if (path.equals("~")) {
            return userHome;
        }
        if (path.startsWith("~/")) {
            return userHome.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    @Override
    public String toString() {
        return "OciConfigFile[" + file + " " + sections.keySet() + "]";
    }
}
