package dev.bastion.provider.dynatrace.managed;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.credential.CredentialFormats;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The resolved settings of one Dynatrace Managed environment (one provider instance).
 *
 * @param alias the instance alias, used in messages ("environment prod")
 * @param url the cluster (or Environment ActiveGate) base URL, without {@code /e/...}
 * @param environmentId the environment id inside the cluster
 * @param apiToken the API token ({@code dt0c01....})
 * @param uiUrl the Dynatrace UI URL of the environment for people, or {@code null}
 * @param proxy a proxy URL for this environment, or {@code null}
 * @param caFile an extra PEM CA bundle, or {@code null}
 * @param validateToken whether creating the provider checks the token's scopes
 * @param timeout the longest a single backend call may take
 * @param maxRequestsPerSecond a client-side request rate limit, {@code 0} for none
 * @param allowInsecureLoopback whether plain http to a loopback address is allowed (sandboxes, tests)
 */
public record ManagedSettings(
        String alias,
        URI url,
        String environmentId,
        Secret apiToken,
        URI uiUrl,
        URI proxy,
        Path caFile,
        boolean validateToken,
        Duration timeout,
        int maxRequestsPerSecond,
        boolean allowInsecureLoopback) {

    public static final String URL = "url";
    public static final String ENVIRONMENT_ID = "environment_id";
    public static final String API_TOKEN = "api_token";
    public static final String UI_URL = "ui_url";
    public static final String PROXY = "proxy";
    public static final String CA_FILE = "ca_file";
    public static final String VALIDATE_TOKEN = "validate_token";
    public static final String TIMEOUT = "timeout";
    public static final String MAX_REQUESTS_PER_SECOND = "max_requests_per_second";
    public static final String ALLOW_INSECURE_LOOPBACK = "allow_insecure_loopback";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Environment ids are UUIDs or short ids; anything else would be a path injection. */
    private static final Pattern ENVIRONMENT_ID_PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");

    public ManagedSettings {
        requireNonNull(alias, "alias is null");
        requireNonNull(url, "url is null");
        requireNonNull(environmentId, "environmentId is null");
        requireNonNull(apiToken, "apiToken is null");
        requireNonNull(timeout, "timeout is null");
    }

    /**
     * The settings every instance reads; the framework's loader feeds them from YAML and the
     * environment. The seed's variables come first; the official server's older single-environment
     * variables ({@code DT_API_ENDPOINT_URL}, {@code DT_MANAGED_ENVIRONMENT}, {@code DT_MANAGED_API_TOKEN},
     * {@code DT_DYNATRACE_URL}) work too.
     */
    public static ConfigSpec spec() {
        return ConfigSpec.of(
                Setting.builder(URL, SettingType.URL).env("DYNATRACE_MANAGED_URL", "DT_API_ENDPOINT_URL").required()
                        .description("Base URL of the Managed cluster or Environment ActiveGate, without /e/<id>,"
                                + " such as https://managed.example.com").build(),
                Setting.builder(ENVIRONMENT_ID, SettingType.STRING).env("DYNATRACE_ENVIRONMENT_ID", "DT_MANAGED_ENVIRONMENT").required()
                        .description("Id of the environment inside the cluster (the part after /e/ in its URL).")
                        .build(),
                Setting.builder(API_TOKEN, SettingType.STRING).env("DYNATRACE_API_TOKEN", "DT_MANAGED_API_TOKEN").required().secret()
                        .format(CredentialFormats.DYNATRACE_API_TOKEN)
                        .description("Dynatrace API token (dt0c01...) with the read scopes of the tools in use.")
                        .build(),
                Setting.builder(UI_URL, SettingType.URL).env("DT_DYNATRACE_URL")
                        .description("URL of the environment's web UI, shown to users in environment info.")
                        .build(),
                Setting.builder(PROXY, SettingType.URL)
                        .description("HTTP proxy for this environment; by default HTTPS_PROXY/NO_PROXY apply.")
                        .build(),
                Setting.builder(CA_FILE, SettingType.PATH)
                        .description("PEM file with extra CA certificates for a cluster with a private CA.").build(),
                Setting.builder(VALIDATE_TOKEN, SettingType.BOOLEAN).defaultValue("false")
                        .description("Look the token up at startup and refuse to start when it lacks a read scope.")
                        .build(),
                Setting.builder(TIMEOUT, SettingType.DURATION).defaultValue("30s")
                        .description("Longest time one backend call may take, retries included.").build(),
                Setting.builder(MAX_REQUESTS_PER_SECOND, SettingType.INTEGER).defaultValue("0")
                        .description("Client-side limit of requests per second to this environment; 0 for none.")
                        .build(),
                Setting.builder(ALLOW_INSECURE_LOOPBACK, SettingType.BOOLEAN).defaultValue("false")
                        .description("Allow plain http:// to a loopback address. For sandboxes and tests only.")
                        .build());
    }

    /** Reads and checks one instance's configuration; the message of a failure names the setting, never a value. */
    public static ManagedSettings from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        String where = config.providerId() + "[" + config.alias() + "]";
        URI url = config.url(URL).orElseThrow(() -> missing(where, URL));
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new ProviderConfigException(where + "." + URL + " must be an http(s) URL");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new ProviderConfigException(where + "." + URL + " must not have a query or fragment");
        }
        if (url.getPath() != null && url.getPath().matches(".*/e/[^/]+/?.*")) {
            throw new ProviderConfigException(where + "." + URL + " must be the cluster URL without /e/<environment id>;"
                    + " put the id in " + ENVIRONMENT_ID);
        }
        String environmentId = config.string(ENVIRONMENT_ID).orElseThrow(() -> missing(where, ENVIRONMENT_ID)).trim();
        if (!ENVIRONMENT_ID_PATTERN.matcher(environmentId).matches()) {
            throw new ProviderConfigException(where + "." + ENVIRONMENT_ID
                    + " must be letters, digits, '-' or '_' (the id after /e/ in the environment URL)");
        }
        Secret token = secretValue(config).orElseThrow(() -> missing(where, API_TOKEN));
        if (token.reveal().isBlank()) {
            throw missing(where, API_TOKEN);
        }
        if (!token.reveal().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProviderConfigException(where + "." + API_TOKEN + " contains spaces, line breaks or non-ASCII"
                    + " characters (a stray newline from a secret file?); a Dynatrace token has none");
        }
        Duration timeout = config.duration(TIMEOUT).orElse(DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ProviderConfigException(where + "." + TIMEOUT + " must be positive");
        }
        int rate = config.integer(MAX_REQUESTS_PER_SECOND).orElse(0);
        if (rate < 0) {
            throw new ProviderConfigException(where + "." + MAX_REQUESTS_PER_SECOND + " must be 0 or more");
        }
        return new ManagedSettings(config.alias(), url, environmentId, token, config.url(UI_URL).orElse(null),
                config.url(PROXY).orElse(null), config.path(CA_FILE).orElse(null),
                config.bool(VALIDATE_TOKEN).orElse(false), timeout, rate,
                config.bool(ALLOW_INSECURE_LOOPBACK).orElse(false));
    }

    // The loader turns secret settings into Secret; a plain string (a hand-built config) is accepted too.
    private static java.util.Optional<Secret> secretValue(ProviderConfig config) {
        Object value = config.values().get(API_TOKEN);
        if (value instanceof Secret secret) {
            return java.util.Optional.of(secret);
        }
        if (value instanceof String text) {
            return java.util.Optional.of(Secret.of(text));
        }
        return java.util.Optional.empty();
    }

    private static ProviderConfigException missing(String where, String key) {
        return new ProviderConfigException(where + "." + key + " is required");
    }

    @Override
    public String toString() {
        return "ManagedSettings[" + alias + " " + url + " env=" + environmentId + "]";
    }
}
