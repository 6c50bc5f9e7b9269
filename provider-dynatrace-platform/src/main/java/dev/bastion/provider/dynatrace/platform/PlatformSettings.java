package dev.bastion.provider.dynatrace.platform;

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
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved settings of one Dynatrace Platform environment (one provider instance).
 *
 * @param alias the instance alias, the value of the {@code environment} argument
 * @param backend the standard backend settings; {@code url} is {@code https://<id>.apps.dynatrace.com}
 * @param platformToken a platform token ({@code dt0s16...}), or {@code null} with OAuth
 * @param clientId the OAuth client id ({@code dt0s02...}), or {@code null}
 * @param clientSecret the OAuth client secret, or {@code null}
 * @param ssoUrl the SSO base, whose {@code /sso/oauth2/token} issues OAuth tokens
 * @param resource the OAuth {@code resource} ({@code urn:dtaccount:<uuid>}), or {@code null}
 * @param budgetBytes the Grail query budget in bytes, or {@code -1} for none
 * @param slackConnectionId the Slack app connection for send_slack_message, or {@code null}
 * @param validateToken whether creating the provider checks the credentials and reports the scopes
 *     the tools lack
 * @param urlNotice a notice about how the URL was changed (a {@code live.} URL), or {@code null}
 */
public record PlatformSettings(String alias, BackendSettings backend, Secret platformToken, String clientId,
                               Secret clientSecret, URI ssoUrl, String resource, long budgetBytes,
                               String slackConnectionId, boolean validateToken, String urlNotice) {

    public static final String PLATFORM_TOKEN = "platform_token";
    public static final String OAUTH_CLIENT_ID = "oauth_client_id";
    public static final String OAUTH_CLIENT_SECRET = "oauth_client_secret";
    public static final String SSO_URL = "sso_url";
    public static final String OAUTH_RESOURCE = "oauth_resource";
    public static final String BUDGET_GB = "budget_gb";
    public static final String SLACK_CONNECTION_ID = "slack_connection_id";
    public static final String VALIDATE_TOKEN = "validate_token";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final URI DEFAULT_SSO = URI.create("https://sso.dynatrace.com");
    static final long DEFAULT_BUDGET_GB = 1000;
    static final long GB = 1_000_000_000L;
    private static final Pattern LIVE_HOST = Pattern.compile("^([a-z0-9]{3,32})\\.live\\.(dynatrace(?:labs)?\\.com)$");
    private static final Pattern RESOURCE = Pattern.compile("^urn:dtaccount:[0-9a-fA-F-]{36}$");
    private static final Pattern CONNECTION = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    public PlatformSettings {
        requireNonNull(alias, "alias is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(ssoUrl, "ssoUrl is null");
    }

    public boolean oauth() {
        return clientId != null;
    }

    public static ConfigSpec spec() {
        List<Setting> settings = new ArrayList<>();
        settings.add(BackendSettings.url("The environment URL, https://<environment id>.apps.dynatrace.com (a"
                + " .live. URL is changed to its .apps. form).", "DT_ENVIRONMENT"));
        settings.add(Setting.builder(PLATFORM_TOKEN, SettingType.STRING).env("DT_PLATFORM_TOKEN").secret()
                .format(CredentialFormats.allOf(PlatformSettings::notAnApiToken, CredentialFormats.DYNATRACE_PLATFORM_TOKEN))
                .description("A platform token (dt0s16...) with the scopes of the tools in use.").build());
        settings.add(Setting.builder(OAUTH_CLIENT_ID, SettingType.STRING).env("OAUTH_CLIENT_ID")
                .format(CredentialFormats.DYNATRACE_OAUTH_CLIENT_ID)
                .description("An OAuth client id (dt0s02...), instead of a platform token.").build());
        settings.add(Setting.builder(OAUTH_CLIENT_SECRET, SettingType.STRING).env("OAUTH_CLIENT_SECRET").secret()
                .format(CredentialFormats.DYNATRACE_OAUTH_CLIENT_SECRET)
                .description("The OAuth client's secret (dt0s02.<id>.<secret>).").build());
        // No default in the spec: a platform-token environment never uses the SSO, so nothing (bastion check
        // included) should reach it; an OAuth environment gets https://sso.dynatrace.com when it is not set.
        settings.add(Setting.builder(SSO_URL, SettingType.URL).env("DT_SSO_URL")
                .description("The Dynatrace SSO whose /sso/oauth2/token issues OAuth tokens; default"
                        + " https://sso.dynatrace.com.").build());
        settings.add(Setting.builder(OAUTH_RESOURCE, SettingType.STRING).env("OAUTH_URN")
                .description("The OAuth resource, urn:dtaccount:<account uuid>, for clients that need it.").build());
        settings.add(Setting.builder(BUDGET_GB, SettingType.INTEGER).env("DT_GRAIL_QUERY_BUDGET_GB")
                .defaultValue(Long.toString(DEFAULT_BUDGET_GB))
                .description("Grail bytes this server may scan in this environment, in GB; -1 for no budget."
                        + " Counted per server process from each result's scannedBytes.").build());
        settings.add(Setting.builder(SLACK_CONNECTION_ID, SettingType.STRING).env("SLACK_CONNECTION_ID")
                .description("The Slack app connection send_slack_message posts through.").build());
        settings.add(Setting.builder(VALIDATE_TOKEN, SettingType.BOOLEAN).defaultValue("false")
                .description("Check the credentials at startup and refuse to start when the environment or the SSO"
                        + " refuses them or cannot be reached; with OAuth, also log each scope the client was not"
                        + " granted and the tools that need it.")
                .build());
        settings.addAll(BackendSettings.common(DEFAULT_TIMEOUT));
        return new ConfigSpec(settings);
    }

    /** A classic API token belongs to the Environment API v2, which the dynatrace-managed provider speaks. */
    static Optional<String> notAnApiToken(String source, String value) {
        return value != null && value.startsWith("dt0c01.")
                ? Optional.of(source + " looks like an API token (dt0c01), which is for the classic Environment API:"
                        + " configure it in the dynatrace-managed provider, or use a platform token (dt0s16) here")
                : Optional.empty();
    }

    /** Reads and checks one environment; a failure names the setting, never a value. */
    public static PlatformSettings from(ProviderConfig config) {
        requireNonNull(config, "config is null");
        String where = config.providerId() + "[" + config.alias() + "]";
        BackendSettings configured = BackendSettings.from(config, DEFAULT_TIMEOUT);
        String notice = null;
        URI url = configured.url();
        Matcher live = LIVE_HOST.matcher(url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT));
        if (live.matches()) {
            URI apps = URI.create(url.getScheme() + "://" + live.group(1) + ".apps." + live.group(2)
                    + (url.getPort() < 0 ? "" : ":" + url.getPort()));
            notice = where + ".url " + url + " is the classic (.live.) host; the platform APIs are at " + apps
                    + ", which is used instead";
            url = apps;
        }
        if (url.getRawPath() != null && url.getRawPath().replaceAll("/+$", "").contains("/platform")) {
            throw new ProviderConfigException(where + ".url must be the environment URL without /platform/...");
        }
        BackendSettings backend = configured.withUrl(url);
        Secret token = config.secret(PLATFORM_TOKEN).filter(s -> !s.isEmpty()).orElse(null);
        String clientId = config.string(OAUTH_CLIENT_ID).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        Secret clientSecret = config.secret(OAUTH_CLIENT_SECRET).filter(s -> !s.isEmpty()).orElse(null);
        if (token != null && (clientId != null || clientSecret != null)) {
            throw new ProviderConfigException(where + ": set platform_token or oauth_client_id and"
                    + " oauth_client_secret, not both");
        }
        if (token == null && clientId == null && clientSecret == null) {
            throw new ProviderConfigException(where + ": no credentials: set platform_token (DT_PLATFORM_TOKEN) or"
                    + " oauth_client_id and oauth_client_secret (OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET)");
        }
        if ((clientId == null) != (clientSecret == null)) {
            throw new ProviderConfigException(where + ": " + (clientId == null ? OAUTH_CLIENT_ID : OAUTH_CLIENT_SECRET)
                    + " is required with " + (clientId == null ? OAUTH_CLIENT_SECRET : OAUTH_CLIENT_ID));
        }
        URI sso = config.url(SSO_URL).orElse(DEFAULT_SSO);
        BackendSettings.checkUrl(where + "." + SSO_URL, sso, configured.allowInsecureLoopback());
        String resource = config.string(OAUTH_RESOURCE).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (resource != null && !RESOURCE.matcher(resource).matches()) {
            throw new ProviderConfigException(where + "." + OAUTH_RESOURCE + " must be urn:dtaccount:<account uuid>");
        }
        long budgetGb = config.integer(BUDGET_GB).map(Integer::longValue).orElse(DEFAULT_BUDGET_GB);
        if (budgetGb < -1 || budgetGb == 0) {
            throw new ProviderConfigException(where + "." + BUDGET_GB + " must be a positive number of GB, or -1 for no"
                    + " budget");
        }
        String slack = config.string(SLACK_CONNECTION_ID).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (slack != null && !CONNECTION.matcher(slack).matches()) {
            throw new ProviderConfigException(where + "." + SLACK_CONNECTION_ID + " must be a connection id");
        }
        return new PlatformSettings(config.alias(), backend, token, clientId, clientSecret, sso, resource,
                budgetGb < 0 ? -1 : budgetGb * GB, slack, config.bool(VALIDATE_TOKEN).orElse(false), notice);
    }

    Optional<String> notice() {
        return Optional.ofNullable(urlNotice);
    }

    @Override
    public String toString() {
        return "PlatformSettings[" + alias + " " + backend.url() + (oauth() ? " oauth " + clientId : " token") + "]";
    }
}
