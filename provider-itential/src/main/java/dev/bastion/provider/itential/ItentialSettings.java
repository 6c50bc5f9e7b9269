package dev.bastion.provider.itential;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.toolkit.http.BackendSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolved settings of one Itential Platform (one provider instance).
 *
 * @param alias the instance alias, the value of the {@code platform} tool argument
 * @param backend the standard backend settings; {@code url} is the platform's base URL
 * @param username the user of a basic login, or {@code null} with OAuth
 * @param password the password of a basic login, or {@code null} with OAuth
 * @param clientId the OAuth client (service account) id, or {@code null} with a basic login
 * @param clientSecret the OAuth client secret, or {@code null}
 * @param ttl how long a login token is used before logging in again
 * @param keepAlive how often {@code GET /whoami} keeps a login session alive
 * @param curatedWorkflows workflow triggers exposed as tools of their own
 */
public record ItentialSettings(String alias, BackendSettings backend, String username, Secret password,
                               String clientId, Secret clientSecret, Duration ttl, Duration keepAlive,
                               List<CuratedWorkflow> curatedWorkflows) {

    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";
    public static final String TTL = "ttl";
    public static final String KEEP_ALIVE = "keep_alive";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_TTL = Duration.ofMinutes(30);
    static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);

    public ItentialSettings {
        requireNonNull(alias, "alias is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(ttl, "ttl is null");
        requireNonNull(keepAlive, "keepAlive is null");
        curatedWorkflows = List.copyOf(curatedWorkflows);
    }

    /** Whether the platform is reached with OAuth client credentials instead of a login. */
    public boolean oauth() {
        return clientId != null;
    }

    public static ConfigSpec spec() {
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.builder(BackendSettings.URL, SettingType.URL).required()
                .description("Base URL of the Itential Platform, such as https://itential.example.com; from"
                        + " ITENTIAL_MCP_PLATFORM_HOST, _PORT and _DISABLE_TLS when those are set.").build());
        settings.add(Setting.builder(USERNAME, SettingType.STRING).env("ITENTIAL_MCP_PLATFORM_USER")
                .description("User of a basic login (POST /login); with password. There is no default user.")
                .build());
        settings.add(Setting.builder(PASSWORD, SettingType.STRING).env("ITENTIAL_MCP_PLATFORM_PASSWORD").secret()
                .description("Password of the basic login user.").build());
        settings.add(Setting.builder(CLIENT_ID, SettingType.STRING).env("ITENTIAL_MCP_PLATFORM_CLIENT_ID")
                .description("OAuth client id of a service account, instead of a user (POST /oauth/token).").build());
        settings.add(Setting.builder(CLIENT_SECRET, SettingType.STRING).env("ITENTIAL_MCP_PLATFORM_CLIENT_SECRET")
                .secret().description("OAuth client secret of the service account.").build());
        // ITENTIAL_MCP_PLATFORM_TTL (seconds, 0 for "off") is converted by AnchorVariables, not bound here.
        settings.add(Setting.builder(TTL, SettingType.DURATION)
                .defaultValue(DEFAULT_TTL.toMinutes() + "m")
                .description("How long a login token is used before the next login (the platform's session"
                        + " lifetime or less).").build());
        settings.add(Setting.builder(KEEP_ALIVE, SettingType.DURATION).defaultValue(DEFAULT_KEEP_ALIVE.toMinutes() + "m")
                .description("How often GET /whoami keeps a login session alive; 0s for never.").build());
        settings.add(Setting.builder(CuratedWorkflow.SETTING, SettingType.JSON)
                .description("Workflow triggers exposed as tools of their own: a list of {name, description, trigger"
                        + " (the API endpoint trigger's route), input_schema, annotations: {destructiveHint}}. Each is"
                        + " a write tool itential_<name> that needs approval.").build());
        settings.addAll(BackendSettings.common(DEFAULT_TIMEOUT));
        return new ConfigSpec(settings);
    }

    /** Reads and checks one instance's configuration; a failure names the setting, never a value. */
    public static ItentialSettings from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        String where = config.providerId() + "[" + config.alias() + "]";
        java.net.URI url = config.url(BackendSettings.URL).orElse(null);
        if (url != null && "http".equalsIgnoreCase(url.getScheme())
                && !(url.getHost() != null && OutboundHttp.isLoopbackHost(url.getHost())
                        && config.bool(BackendSettings.ALLOW_INSECURE_LOOPBACK).orElse(false))) {
            throw new ProviderConfigException(where + "." + BackendSettings.URL + " is plain http (as "
                    + AnchorVariables.DISABLE_TLS + " asks): the password and every session token would cross the"
                    + " network unencrypted, so plain http is allowed only to a loopback address with"
                    + " allow_insecure_loopback: true");
        }
        BackendSettings backend = BackendSettings.from(config, DEFAULT_TIMEOUT);
        if (backend.url().getRawPath() != null && backend.url().getRawPath().length() > 1) {
            throw new ProviderConfigException(where + "." + BackendSettings.URL
                    + " must be the platform's base URL without a path, such as https://itential.example.com");
        }
        String username = config.string(USERNAME).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        Secret password = config.secret(PASSWORD).orElse(null);
        String clientId = config.string(CLIENT_ID).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        Secret clientSecret = config.secret(CLIENT_SECRET).orElse(null);
        boolean login = username != null || password != null;
        boolean oauth = clientId != null || clientSecret != null;
        if (login && oauth) {
            throw new ProviderConfigException(where + ": set either username and password or client_id and"
                    + " client_secret, not both");
        }
        if (!login && !oauth) {
            throw new ProviderConfigException(where + ": no credentials: set username and password (a basic login)"
                    + " or client_id and client_secret (a service account); there are no default credentials");
        }
        if (login && (username == null || password == null)) {
            throw new ProviderConfigException(where + ": " + (username == null ? USERNAME : PASSWORD)
                    + " is required with " + (username == null ? PASSWORD : USERNAME));
        }
        if (oauth && (clientId == null || clientSecret == null)) {
            throw new ProviderConfigException(where + ": " + (clientId == null ? CLIENT_ID : CLIENT_SECRET)
                    + " is required with " + (clientId == null ? CLIENT_SECRET : CLIENT_ID));
        }
        Duration ttl = config.duration(TTL).orElse(DEFAULT_TTL);
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ProviderConfigException(where + "." + TTL + " must be at least 1m");
        }
        Duration keepAlive = config.duration(KEEP_ALIVE).orElse(DEFAULT_KEEP_ALIVE);
        if (keepAlive.isNegative()) {
            throw new ProviderConfigException(where + "." + KEEP_ALIVE + " must not be negative");
        }
        return new ItentialSettings(config.alias(), backend, username, password, clientId, clientSecret, ttl,
                keepAlive, CuratedWorkflow.read(config.json(CuratedWorkflow.SETTING).orElse(null), where));
    }

    @Override
    public String toString() {
        return "ItentialSettings[" + alias + " " + backend.url() + (oauth() ? " oauth" : " login") + "]";
    }
}
