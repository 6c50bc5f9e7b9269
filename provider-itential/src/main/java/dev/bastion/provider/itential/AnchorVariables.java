package dev.bastion.provider.itential;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.toolkit.http.BackendSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables of {@code itential/itential-mcp}, so its users can bring their
 * settings: {@code ITENTIAL_MCP_PLATFORM_HOST}, {@code _PORT} and {@code _DISABLE_TLS} become the
 * {@code url}; {@code _USER}, {@code _PASSWORD}, {@code _CLIENT_ID}, {@code _CLIENT_SECRET},
 * {@code _TIMEOUT} (seconds) and {@code _TTL} (seconds) their settings. Used when the YAML file
 * configures no Itential instance; the instance is called {@code default}.
 */
final class AnchorVariables {

    static final String PREFIX = "ITENTIAL_MCP_PLATFORM_";
    static final String HOST = PREFIX + "HOST";
    static final String PORT = PREFIX + "PORT";
    static final String DISABLE_TLS = PREFIX + "DISABLE_TLS";

    private AnchorVariables() {
    }

    static List<Map<String, Object>> read(Map<String, String> environment) {
        String host = value(environment, HOST);
        if (host == null) {
            return List.of();
        }
        if (!host.matches("^[A-Za-z0-9.-]{1,253}$|^\\[[0-9A-Fa-f:.]{2,45}]$")) {
            throw new ProviderConfigException(HOST + " must be a host name or address, without scheme, port or path");
        }
        boolean plain = bool(environment, DISABLE_TLS);
        String port = value(environment, PORT);
        if (port != null && !port.matches("^[0-9]{1,5}$")) {
            throw new ProviderConfigException(PORT + " must be a port number");
        }
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("alias", "default");
        instance.put(BackendSettings.URL, (plain ? "http://" : "https://") + host
                + (port == null || port.equals("0") ? "" : ":" + port));
        copy(environment, PREFIX + "USER", instance, ItentialSettings.USERNAME);
        copy(environment, PREFIX + "PASSWORD", instance, ItentialSettings.PASSWORD);
        copy(environment, PREFIX + "CLIENT_ID", instance, ItentialSettings.CLIENT_ID);
        copy(environment, PREFIX + "CLIENT_SECRET", instance, ItentialSettings.CLIENT_SECRET);
        seconds(environment, PREFIX + "TIMEOUT", instance, BackendSettings.TIMEOUT);
        // itential-mcp's TTL 0 means "no TTL of its own": Bastion's default applies.
        if (!"0".equals(value(environment, PREFIX + "TTL"))) {
            seconds(environment, PREFIX + "TTL", instance, ItentialSettings.TTL);
        }
        return List.of(instance);
    }

    private static String value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static boolean bool(Map<String, String> environment, String name) {
        String value = value(environment, name);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new ProviderConfigException(name + " must be true or false");
        };
    }

    private static void copy(Map<String, String> environment, String name, Map<String, Object> instance, String key) {
        String value = value(environment, name);
        if (value != null) {
            instance.put(key, value);
        }
    }

    /** The anchor's durations are seconds; Bastion's settings take {@code 30s}. */
    private static void seconds(Map<String, String> environment, String name, Map<String, Object> instance,
                                String key) {
        String value = value(environment, name);
        if (value == null) {
            return;
        }
        if (!value.matches("^[0-9]{1,7}$")) {
            throw new ProviderConfigException(name + " must be a number of seconds");
        }
        instance.put(key, value + "s");
    }
}
