package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.security.credential.DynatraceCredentialShapes;
import dev.bastion.toolkit.credentials.HeaderCredentials;
import dev.bastion.toolkit.http.BackendFailure;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dynatrace Managed provider: one instance per environment ({@code url} + {@code environment_id}
 * + {@code api_token}), tools prefixed {@code dynatrace_managed_}, the instance chosen by the
 * {@code environment} argument.
 */
public final class DynatraceManagedProviderFactory implements ProviderFactory {

    public static final String ID = "dynatrace-managed";

    private static final Logger LOG = LoggerFactory.getLogger(DynatraceManagedProviderFactory.class);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConfigSpec configSpec() {
        return ManagedSettings.spec();
    }

    @Override
    public Optional<String> instanceArgument() {
        return Optional.of("environment");
    }

    /**
     * {@code X-Dynatrace-Tokens: prod=<token>;staging=<token>}, as the official server takes it: over
     * HTTP a caller may bring its own token per environment, used instead of {@code api_token}.
     */
    @Override
    public Optional<String> callerCredentialHeader() {
        return Optional.of(CallerTokens.HEADER);
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        ManagedSettings settings = ManagedSettings.from(config);
        Supplier<OkHttpClient> http = settings.backend().connect(context, ID + "/" + settings.alias(),
                HeaderCredentials.apiToken(settings.apiToken(), ManagedSettings.API_TOKEN));
        DynatraceManagedClient client = new DynatraceManagedClient(http, context.json(), context.redactor(), settings,
                context.clock());
        DynatraceManagedProvider provider = new DynatraceManagedProvider(settings, client);
        if (settings.validateToken()) {
            validate(settings, provider);
        }
        return provider;
    }

    private static void validate(ManagedSettings settings, DynatraceManagedProvider provider) {
        String where = ID + "[" + settings.alias() + "]";
        TokenScopeCheck.Result result;
        try {
            result = provider.checkToken(BackgroundCall.within(settings.backend().timeout()));
        } catch (BackendFailure e) {
            throw new ProviderConfigException(where + ": the api_token could not be validated: " + e.getMessage());
        }
        if (!result.missingRead().isEmpty()) {
            throw new ProviderConfigException(where + ": " + String.join("; ", result.missingRead()));
        }
        // Write tools are hidden in read-only mode, so a read-only token is a valid choice.
        result.missingWrite().forEach(message -> LOG.warn("{}: {}", where, message));
    }

    @Override
    public List<Map<String, Object>> importInstances(Map<String, String> environment) {
        return OfficialConfigImport.read(environment);
    }

    @Override
    public List<CredentialShape> credentialShapes() {
        return DynatraceCredentialShapes.ALL;
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults()));
    }
}
