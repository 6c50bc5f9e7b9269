package dev.bastion.provider.oci;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Sandbox;
import dev.bastion.provider.oci.auth.ApiKeys;
import dev.bastion.provider.oci.auth.InstanceMetadata;
import dev.bastion.provider.oci.auth.InstancePrincipalKeys;
import dev.bastion.provider.oci.auth.OciAuthType;
import dev.bastion.provider.oci.auth.OciConfigFile;
import dev.bastion.provider.oci.auth.OciProfile;
import dev.bastion.provider.oci.auth.OciRequestSigner;
import dev.bastion.provider.oci.auth.SessionTokenKeys;
import dev.bastion.provider.oci.sandbox.OciSandbox;
import dev.bastion.toolkit.http.BackendSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Oracle Cloud Infrastructure Monitoring and Identity, read-only: one instance per profile of an
 * OCI config file, tools prefixed {@code oci_}, the instance chosen by the {@code profile} argument.
 * Requests are signed (OCI signature version 1) with the profile's API key, with its session key
 * and token for a session profile, or as the instance principal of the compute instance it runs on.
 */
public final class OciProviderFactory implements ProviderFactory {

    public static final String ID = "oci";
    /** The metadata service's answers (a few certificates and a key) and the federation's (a token) are small. */
    private static final long MAX_METADATA_BYTES = 64 * 1024;

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
        Principal principal = settings.authType() == OciAuthType.INSTANCE_PRINCIPAL
                ? instancePrincipal(settings, context, where) : configFilePrincipal(settings, context, where);
        String region = principal.region();
        if (region != null && !OciSettings.REGION_PATTERN.matcher(region).matches()) {
            throw new ProviderConfigException(where + ": the region " + principal.regionSource()
                    + " is not a region identifier such as us-ashburn-1");
        }
        BackendSettings monitoring = settings.endpoint(settings.monitoring(), "telemetry.{region}.{domain}", region);
        BackendSettings identity = settings.endpoint(settings.identity(), "identity.{region}.oci.{domain}", region);
        OciClient client = new OciClient(
                identity.connect(context, ID + "/" + settings.alias() + "/identity", principal.signer()),
                monitoring.connect(context, ID + "/" + settings.alias() + "/monitoring", principal.signer()),
                context.json(), context.redactor(), HttpUrl.get(identity.url()), HttpUrl.get(monitoring.url()),
                principal.tenancy(), settings.compartmentId(), settings.alias(), settings.common().timeout(),
                problemOf(principal.keys()));
        return new OciProvider(client, context.clock());
    }

    /**
     * Who the requests are signed as.
     *
     * @param keys where the signing key comes from
     * @param signer the signer over {@code keys}
     * @param tenancy the tenancy, the default compartment
     * @param region the region, or {@code null} when both endpoints are set
     * @param regionSource where the region came from, for messages
     */
    private record Principal(OciRequestSigner.KeySource keys, OciRequestSigner signer, OciClient.Tenancy tenancy,
                             String region,
                             String regionSource) {
    }

    /** An API-key or session profile of the OCI config file. */
    private Principal configFilePrincipal(OciSettings settings, ProviderContext context, String where) {
        OciProfile profile = OciConfigFile.read(settings.configFile()).profile(settings.profile(), userHome);
        OciAuthType authType = settings.authType().resolve(profile);
        OciRequestSigner signer = switch (authType) {
            case API_KEY -> OciRequestSigner.of(ApiKeys.apiKey(profile), context.clock(),
                    profile.passPhrase() == null ? List.of() : List.of(profile.passPhrase().reveal()));
            case SECURITY_TOKEN -> {
                try {
                    yield new OciRequestSigner(SessionTokenKeys.of(profile, context.clock()), context.clock());
                } catch (IOException e) {
                    throw new ProviderConfigException(where + ": " + e.getMessage());
                }
            }
            default -> throw new IllegalStateException("auth_type " + authType.configName() + " is not from the file");
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
        String tenancy = profile.tenancy();
        return new Principal(signer.keys(), signer, () -> tenancy, region,
                settings.region() != null ? "setting" : "of profile [" + profile.name() + "]");
    }

    /**
     * The instance principal of the OCI compute instance this server runs on. Unless the region is
     * set, it is read from the metadata service now, so a machine that is not an OCI instance is
     * told at start-up; the certificate (and with it the tenancy) and the security token are fetched
     * on the first request, then renewed.
     */
    private static Principal instancePrincipal(OciSettings settings, ProviderContext context, String where) {
        String name = ID + "/" + settings.alias();
        BackendSettings metadataEndpoint = settings.endpoint(settings.metadata(), null, null);
        InstanceMetadata metadata = new InstanceMetadata(
                metadataEndpoint.connectLinkLocal(context, name + "/metadata", MAX_METADATA_BYTES),
                HttpUrl.get(settings.metadata()));
        try {
            String region = settings.region() != null ? settings.region() : metadata.region();
            // Checked before it names the host that receives the leaf-signed federation request.
            if (!OciSettings.REGION_PATTERN.matcher(region).matches()) {
                throw new ProviderConfigException(where + ": the instance metadata service named a region that is"
                        + " not a region identifier such as us-ashburn-1");
            }
            URI federation = settings.federation() != null ? settings.federation()
                    : URI.create("https://auth." + region + "." + OciSettings.realmDomain(region) + "/v1/x509");
            BackendSettings federationEndpoint = settings.endpoint(federation, null, null);
            InstancePrincipalKeys keys = new InstancePrincipalKeys(metadata, HttpUrl.get(federation),
                    credentials -> federationEndpoint.connect(context, name + "/federation", credentials,
                            MAX_METADATA_BYTES),
                    context.clock(), context.redactor(), context.json());
            return new Principal(keys, new OciRequestSigner(keys, context.clock()), keys::tenancyId, region,
                    settings.region() != null ? "setting" : "of the instance metadata service");
        } catch (IOException e) {
            throw new ProviderConfigException(where + ": " + e.getMessage());
        }
    }

    /**
     * Why {@code keys} cannot sign now (an expired session token, a refused federation), asked before
     * each request so that the message reaches the caller.
     */
    private static OciClient.CredentialCheck problemOf(OciRequestSigner.KeySource keys) {
        return () -> {
            try {
                keys.current();
                return null;
            } catch (IOException e) {
                return e.getMessage();
            }
        };
    }

    @Override
    public Optional<Sandbox> startSandbox() {
        OciSandbox.Options options = OciSandbox.Options.defaults();
        Optional<java.nio.file.Path> cache = userCache();
        return Optional.of(OciSandbox.start(cache.isPresent() ? options.withKeyCache(cache.get()) : options));
    }

    /**
     * Where {@code bastion serve --sandbox} keeps the sandbox's keys between starts, beside the
     * launcher's class-data archive: {@code $XDG_CACHE_HOME/bastion/sandbox}, else
     * {@code ~/.cache/bastion/sandbox}; none without a home directory.
     */
    private static Optional<java.nio.file.Path> userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        if (xdg != null && xdg.startsWith("/")) {
            return Optional.of(java.nio.file.Path.of(xdg, "bastion", "sandbox"));
        }
        return home == null || home.isBlank() || home.equals("?") ? Optional.empty()
                : Optional.of(java.nio.file.Path.of(home, ".cache", "bastion", "sandbox"));
    }
}
