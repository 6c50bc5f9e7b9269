package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.credential.CredentialFormats;
import dev.bastion.toolkit.http.BackendSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The resolved settings of one Dynatrace Managed environment (one provider instance).
 *
 * @param alias the instance alias, used in messages ("environment prod")
 * @param backend the standard backend settings; {@code url} is the cluster (or Environment ActiveGate)
 *     base URL, without {@code /e/...}
 * @param environmentId the environment id inside the cluster
 * @param apiToken the API token ({@code dt0c01....})
 * @param uiUrl the Dynatrace UI URL of the environment for people, or {@code null}
 * @param validateToken whether creating the provider checks the token's scopes
 */
public record ManagedSettings(
        String alias,
        BackendSettings backend,
        String environmentId,
        Secret apiToken,
        URI uiUrl,
        boolean validateToken) {

    public static final String URL = BackendSettings.URL;
    public static final String PROXY = BackendSettings.PROXY;
    public static final String ALLOW_INSECURE_LOOPBACK = BackendSettings.ALLOW_INSECURE_LOOPBACK;
    public static final String ENVIRONMENT_ID = "environment_id";
    public static final String API_TOKEN = "api_token";
    public static final String UI_URL = "ui_url";
    public static final String VALIDATE_TOKEN = "validate_token";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Environment ids are UUIDs or short ids; anything else would be a path injection. */
    private static final Pattern ENVIRONMENT_ID_PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");

    public ManagedSettings {
        requireNonNull(alias, "alias is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(environmentId, "environmentId is null");
        requireNonNull(apiToken, "apiToken is null");
    }

    /**
     * The settings every instance reads; the framework's loader feeds them from YAML and the
     * environment. The seed's variables come first; the official server's older single-environment
     * variables ({@code DT_API_ENDPOINT_URL}, {@code DT_MANAGED_ENVIRONMENT}, {@code DT_MANAGED_API_TOKEN},
     * {@code DT_DYNATRACE_URL}) work too.
     */
    public static ConfigSpec spec() {
        List<Setting> settings = new ArrayList<>();
        settings.add(BackendSettings.url("Base URL of the Managed cluster or Environment ActiveGate, without /e/<id>,"
                + " such as https://managed.example.com", "DYNATRACE_MANAGED_URL", "DT_API_ENDPOINT_URL"));
        settings.add(Setting.builder(ENVIRONMENT_ID, SettingType.STRING)
                .env("DYNATRACE_ENVIRONMENT_ID", "DT_MANAGED_ENVIRONMENT").required()
                .description("Id of the environment inside the cluster (the part after /e/ in its URL).").build());
        settings.add(Setting.builder(API_TOKEN, SettingType.STRING).env("DYNATRACE_API_TOKEN", "DT_MANAGED_API_TOKEN")
                .required().secret().format(CredentialFormats.DYNATRACE_API_TOKEN)
                .description("Dynatrace API token (dt0c01...) with the read scopes of the tools in use.").build());
        settings.add(Setting.builder(UI_URL, SettingType.URL).env("DT_DYNATRACE_URL")
                .description("URL of the environment's web UI, shown to users in environment info.").build());
        settings.add(Setting.builder(VALIDATE_TOKEN, SettingType.BOOLEAN).defaultValue("false")
                .description("Look the token up at startup and refuse to start when it lacks a read scope.").build());
        settings.addAll(BackendSettings.common(DEFAULT_TIMEOUT));
        return new ConfigSpec(settings);
    }

    /** Reads and checks one instance's configuration; the message of a failure names the setting, never a value. */
    public static ManagedSettings from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        String where = config.providerId() + "[" + config.alias() + "]";
        BackendSettings backend = BackendSettings.from(config, DEFAULT_TIMEOUT);
        String path = backend.url().getPath();
        if (path != null && path.matches(".*/e/[^/]+/?.*")) {
            throw new ProviderConfigException(where + "." + BackendSettings.URL + " must be the cluster URL without"
                    + " /e/<environment id>; put the id in " + ENVIRONMENT_ID);
        }
        String environmentId = config.string(ENVIRONMENT_ID).orElseThrow(() -> missing(where, ENVIRONMENT_ID)).trim();
        if (!ENVIRONMENT_ID_PATTERN.matcher(environmentId).matches()) {
            throw new ProviderConfigException(where + "." + ENVIRONMENT_ID
                    + " must be letters, digits, '-' or '_' (the id after /e/ in the environment URL)");
        }
        Secret token = config.secret(API_TOKEN).orElseThrow(() -> missing(where, API_TOKEN));
        if (token.reveal().isBlank()) {
            throw missing(where, API_TOKEN);
        }
        if (!token.reveal().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProviderConfigException(where + "." + API_TOKEN + " contains spaces, line breaks or non-ASCII"
                    + " characters (a stray newline from a secret file?); a Dynatrace token has none");
        }
        return new ManagedSettings(config.alias(), backend, environmentId, token, config.url(UI_URL).orElse(null),
                config.bool(VALIDATE_TOKEN).orElse(false));
    }

    private static ProviderConfigException missing(String where, String key) {
        return new ProviderConfigException(where + "." + key + " is required");
    }

    @Override
    public String toString() {
        return "ManagedSettings[" + alias + " " + backend.url() + " env=" + environmentId + "]";
    }
}
