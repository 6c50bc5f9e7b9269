package dev.bastion.provider.oci;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.provider.oci.auth.ApiKeys;
import dev.bastion.provider.oci.auth.OciAuthType;
import dev.bastion.provider.oci.auth.OciConfigFile;
import dev.bastion.provider.oci.auth.OciProfile;
import dev.bastion.provider.oci.auth.OciRequestSigner;
import dev.bastion.provider.oci.auth.SessionTokenKeys;
import dev.bastion.provider.oci.sandbox.OciSandbox;
import dev.bastion.toolkit.http.BackendSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Oracle Cloud Infrastructure Monitoring and Identity, read-only: one instance per profile of an
 * OCI config file, tools prefixed {@code oci_}, the instance chosen by the {@code profile} argument.
 * Requests are signed (OCI signature version 1) with the profile's API key, or with its session
 * key and token for a session profile.
 */
public final class OciProviderFactory implements ProviderFactory {

    public static final String ID = "oci";

    private final Map<String, String> environment;
    private final Path userHome;

    public OciProviderFactory() {
        this(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    OciProviderFactory(Map<String, String> environment, Path userHome) {
        this.environment = Map.copyOf(environment);
        this.userHome = userHome;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConfigSpec configSpec() {
        return OciSettings.spec();
    }

    @Override
    public Optional<String> instanceArgument() {
        return Optional.of("profile");
    }

    @Override
    public Provider create(ProviderConfig config, ProviderContext context) {
        OciSettings settings = OciSettings.from(config, environment, userHome);
        String where = ID + "[" + settings.alias() + "]";
        OciProfile profile = OciConfigFile.read(settings.configFile()).profile(settings.profile(), userHome);
        OciAuthType authType = settings.authType().resolve(profile);
        OciClient.CredentialCheck check = OciClient.CredentialCheck.NONE;
        OciRequestSigner signer = switch (authType) {
            case API_KEY -> OciRequestSigner.of(ApiKeys.apiKey(profile), context.clock(),
                    profile.passPhrase() == null ? List.of() : List.of(profile.passPhrase().reveal()));
            case SECURITY_TOKEN -> {
                SessionTokenKeys keys;
                try {
                    keys = SessionTokenKeys.of(profile, context.clock());
                } catch (IOException e) {
                    throw new ProviderConfigException(where + ": " + e.getMessage());
                }
                check = () -> {
                    try {
                        keys.current();
                        return null;
                    } catch (IOException e) {
                        return e.getMessage();
                    }
                };
                yield new OciRequestSigner(keys, context.clock());
            }
            default -> throw new ProviderConfigException(where + ": auth_type " + authType.configName()
                    + " is not supported by this version of the provider; use an API-key profile (auth_type api_key)"
                    + " or a session profile from 'oci session authenticate' (auth_type security_token)");
        };
        if (profile.tenancy() == null) {
            throw new ProviderConfigException(where + ": profile [" + profile.name() + "] of " + settings.configFile()
                    + " has no tenancy");
        }
        String region = settings.region() != null ? settings.region() : profile.region();
        if (region == null && (settings.monitoring() == null || settings.identity() == null)) {
            throw new ProviderConfigException(where + ": no region: set region in profile [" + profile.name()
                    + "] of " + settings.configFile() + " or the region setting");
        }
        if (region != null && !OciSettings.REGION_PATTERN.matcher(region).matches()) {
            throw new ProviderConfigException(where + ": the region of profile [" + profile.name()
                    + "] is not a region identifier such as us-ashburn-1");
        }
        BackendSettings monitoring = settings.endpoint(settings.monitoring(), "telemetry.{region}.{domain}", region);
        BackendSettings identity = settings.endpoint(settings.identity(), "identity.{region}.oci.{domain}", region);
        OciClient client = new OciClient(
                identity.connect(context, ID + "/" + settings.alias() + "/identity", signer),
                monitoring.connect(context, ID + "/" + settings.alias() + "/monitoring", signer),
                context.json(), context.redactor(), HttpUrl.get(identity.url()), HttpUrl.get(monitoring.url()),
                profile.tenancy(), settings.compartmentId(), settings.alias(), settings.common().timeout(), check);
        return new OciProvider(client, context.clock());
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        return Optional.of(OciSandbox.start(OciSandbox.Options.defaults()));
    }
}
