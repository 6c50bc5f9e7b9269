package dev.bastion.provider.itential;

import dev.bastion.core.auth.BackendCredentials;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.provider.itential.sandbox.ItentialSandbox;
import dev.bastion.security.command.DeviceCommandPolicy;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.validate.SchemaValidator;
import dev.bastion.toolkit.credentials.OAuthClientCredentials;
import dev.bastion.toolkit.credentials.SessionLogin;
import dev.bastion.toolkit.credentials.TokenPlacement;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The Itential Platform: one instance per platform, tools prefixed {@code itential_}, the instance
 * chosen by the {@code platform} argument. A user logs in with {@code POST /login} (the token goes in
 * {@code ?token=}, renewed at its TTL, kept alive with {@code GET /whoami}); a service account uses
 * OAuth client credentials ({@code POST /oauth/token}, then {@code Bearer}).
 */
public final class ItentialProviderFactory implements ProviderFactory {

    public static final String ID = "itential";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConfigSpec configSpec() {
        return ItentialSettings.spec();
    }

    @Override
    public Optional<String> instanceArgument() {
        return Optional.of("platform");
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        ItentialSettings settings = ItentialSettings.from(config);
        String name = ID + "/" + settings.alias();
        URI base = settings.backend().url();
        OutboundHttp outbound = context.require(OutboundHttp.class);
        Supplier<OkHttpClient> http;
        AutoCloseable session;
        if (settings.oauth()) {
            OAuthClientCredentials oauth = OAuthClientCredentials.builder(name, base.resolve("/oauth/token"),
                            settings.clientId(), settings.clientSecret())
                    .settingNames(new OAuthClientCredentials.SettingNames("url", ItentialSettings.CLIENT_ID,
                            ItentialSettings.CLIENT_SECRET, "scopes"))
                    .clock(context.clock())
                    .build(outbound, settings.backend().spec(name + " token", BackendCredentials.NONE).build());
            http = settings.backend().connect(context, name, oauth);
            session = () -> { };
        } else {
            SessionLogin.Builder login = SessionLogin.builder(name, base.resolve("/login"), settings.username(),
                            settings.password())
                    .body(SessionLogin.LoginBody.json("/user/username", "/user/password"))
                    .tokenFormat(SessionLogin.TokenFormat.text())
                    .placement(TokenPlacement.query("token"))
                    .ttl(settings.ttl())
                    .settingNames(new SessionLogin.SettingNames("url", ItentialSettings.USERNAME,
                            ItentialSettings.PASSWORD))
                    .clock(context.clock());
            if (!settings.keepAlive().isZero()) {
                login.keepAlive(base.resolve("/whoami"), settings.keepAlive());
            }
            SessionLogin sessionLogin = login.build(outbound,
                    settings.backend().spec(name + " login", BackendCredentials.NONE).build());
            Supplier<OkHttpClient> plain = settings.backend().connect(context, name, sessionLogin);
            http = memoized(() -> sessionLogin.authorize(plain.get()));
            session = sessionLogin;
        }
        ItentialClient client = new ItentialClient(http, context.json(), context.redactor(), HttpUrl.get(base),
                settings.alias(), settings.backend().timeout(), settings.oauth());
        return new ItentialProvider(client, context.require(DeviceCommandPolicy.class),
                new SchemaValidator(context.redactor()), settings.curatedWorkflows(), session);
    }

    private static Supplier<OkHttpClient> memoized(Supplier<OkHttpClient> build) {
        return new Supplier<>() {
            private OkHttpClient client;

            @Override
            public synchronized OkHttpClient get() {
                if (client == null) {
                    client = build.get();
                }
                return client;
            }
        };
    }

    @Override
    public List<Map<String, Object>> importInstances(Map<String, String> environment) {
        return AnchorVariables.read(environment);
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(ItentialSandbox.start(ItentialSandbox.Options.defaults()));
    }
}
