package dev.bastion.provider.dynatrace.platform;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.EnabledTools;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.provider.dynatrace.platform.sandbox.DynatracePlatformSandbox;
import dev.bastion.security.credential.DynatraceCredentialShapes;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.toolkit.credentials.HeaderCredentials;
import dev.bastion.toolkit.credentials.OAuthClientCredentials;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dynatrace Platform (SaaS, Grail): one instance per environment, tools prefixed
 * {@code dynatrace_platform_}, the instance chosen by the {@code environment} argument; a platform
 * token, or OAuth client credentials asking for the scopes of the tools.
 */
public final class DynatracePlatformProviderFactory implements ProviderFactory {

    public static final String ID = "dynatrace-platform";
    private static final Logger LOG = LoggerFactory.getLogger(DynatracePlatformProviderFactory.class);

    /**
     * Every scope the tools declare, in the order an OAuth token asks for them; a token asks for
     * those of the tools the server's policy enables (each tool names its own on a 403).
     */
    static final List<String> SCOPES = List.of("app-engine:apps:run", "app-settings:objects:read",
            "storage:buckets:read", "storage:logs:read", "storage:events:read", "storage:bizevents:read",
            "storage:spans:read", "storage:security.events:read", "storage:user.events:read", "storage:entities:read",
            "storage:metrics:read", "storage:events:write", "davis-copilot:nl2dql:execute",
            "davis-copilot:dql2nl:execute", "davis-copilot:conversations:execute", "davis:analyzers:read",
            "davis:analyzers:execute", "document:documents:read", "document:documents:write", "email:emails:send");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConfigSpec configSpec() {
        return PlatformSettings.spec();
    }

    @Override
    public Optional<String> instanceArgument() {
        return Optional.of("environment");
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        PlatformSettings settings = PlatformSettings.from(config);
        settings.notice().ifPresent(LOG::warn);
        String name = ID + "/" + settings.alias();
        BackendCredentials credentials;
        OAuthClientCredentials oauthCredentials = null;
        // The token asks for the scopes of the tools the server's policy enables, known once the provider exists.
        AtomicReference<DynatracePlatformProvider> created = new AtomicReference<>();
        if (settings.oauth()) {
            OAuthClientCredentials.Builder oauth = OAuthClientCredentials.builder(name,
                            settings.ssoUrl().resolve("/sso/oauth2/token"), settings.clientId(), settings.clientSecret())
                    .scopes(() -> created.get().enabledScopes())
                    .settingNames(new OAuthClientCredentials.SettingNames(PlatformSettings.SSO_URL,
                            PlatformSettings.OAUTH_CLIENT_ID, PlatformSettings.OAUTH_CLIENT_SECRET, "the tools' scopes"))
                    .clock(context.clock());
            if (settings.resource() != null) {
                oauth.resource(settings.resource());
            }
            oauthCredentials = oauth.build(context.require(OutboundHttp.class),
                    settings.backend().spec(name + " token", BackendCredentials.NONE).build());
            credentials = oauthCredentials;
        } else {
            credentials = HeaderCredentials.bearer(settings.platformToken(), PlatformSettings.PLATFORM_TOKEN);
        }
        PlatformClient client = new PlatformClient(settings.backend().connect(context, name, credentials),
                context.json(), context.redactor(), HttpUrl.get(settings.backend().url()), settings.alias(),
                settings.backend().timeout(), settings.oauth(), new GrailBudget(settings.alias(), settings.budgetBytes()));
        DynatracePlatformProvider provider = new DynatracePlatformProvider(client, Optional.ofNullable(oauthCredentials),
                settings.slackConnectionId(), context.service(EnabledTools.class).orElse(EnabledTools.ALL));
        created.set(provider);
        if (settings.validateToken()) {
            validate(settings, provider);
        }
        return provider;
    }

    /**
     * {@code validate_token: true}: refuses to start when the environment refuses the credentials (or
     * cannot be reached), and logs each scope the OAuth client was not granted with the tools it breaks.
     */
    private static void validate(PlatformSettings settings, DynatracePlatformProvider provider) {
        String where = ID + "[" + settings.alias() + "]";
        HealthStatus status = provider.health(BackgroundCall.within(settings.backend().timeout()));
        if (!status.healthy()) {
            throw new ProviderConfigException(where + ": the credentials could not be validated: " + status.detail());
        }
        if (provider.lacksScopes()) {
            LOG.warn("{}: {}", where, status.detail());
        } else {
            LOG.info("{}: {}", where, status.detail());
        }
    }

    @Override
    public List<CredentialShape> credentialShapes() {
        return DynatraceCredentialShapes.ALL;
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(DynatracePlatformSandbox.start(DynatracePlatformSandbox.Options.defaults()));
    }
}
