package dev.bastion.provider.oci;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.provider.oci.auth.OciAuthType;
import dev.bastion.provider.oci.auth.OciConfigFile;
import dev.bastion.toolkit.http.BackendSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The resolved settings of one OCI instance (one profile of an OCI config file).
 *
 * @param alias the instance alias, the value of the {@code profile} tool argument
 * @param configFile the OCI config file
 * @param profile the profile in it
 * @param authType the configured authentication type (possibly {@code auto})
 * @param region a region overriding the profile's, or {@code null}
 * @param compartmentId the default compartment, or {@code null} for the tenancy
 * @param monitoring the Monitoring endpoint override with the common backend settings, or {@code null}
 * @param identity the Identity endpoint override, or {@code null}
 * @param metadata the instance metadata service (instance principals), {@code http://169.254.169.254/opc/v2} by default
 * @param federation the X.509 federation endpoint override (instance principals), or {@code null}
 * @param common the common backend settings (proxy, CA file, timeout, rate, loopback switch), with a placeholder URL
 */
public record OciSettings(String alias, Path configFile, String profile, OciAuthType authType, String region,
                          String compartmentId, URI monitoring, URI identity, URI metadata, URI federation,
                          BackendSettings common) {

    public static final String CONFIG_FILE = "config_file";
    public static final String PROFILE = "profile";
    public static final String AUTH_TYPE = "auth_type";
    public static final String REGION = "region";
    public static final String COMPARTMENT_ID = "compartment_id";
    public static final String MONITORING_ENDPOINT = "monitoring_endpoint";
    public static final String IDENTITY_ENDPOINT = "identity_endpoint";
    public static final String METADATA_ENDPOINT = "metadata_endpoint";
    public static final String FEDERATION_ENDPOINT = "federation_endpoint";
    /** The instance metadata service of every OCI compute instance, version 2. */
    public static final URI DEFAULT_METADATA = URI.create("http://169.254.169.254/opc/v2");

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** OCIDs of tenancies and compartments: {@code ocid1.<type>.<realm>.[region].<unique>}. */
    public static final String COMPARTMENT_PATTERN = "^ocid1\\.(tenancy|compartment)\\.oc[0-9]+\\.[a-z0-9-]*\\.[a-z0-9]{1,255}$";
    static final Pattern REGION_PATTERN = Pattern.compile("^[a-z]{2,}(-[a-z]+)+-[0-9]{1,2}$");

    public OciSettings {
        requireNonNull(alias, "alias is null");
        requireNonNull(configFile, "configFile is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(authType, "authType is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(common, "common is null");
    }

    public static ConfigSpec spec() {
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.builder(CONFIG_FILE, SettingType.PATH).env(OciConfigFile.CONFIG_FILE_ENV)
                .description("The OCI config file, as the OCI CLI writes it; default ~/.oci/config.").build());
        settings.add(Setting.builder(PROFILE, SettingType.STRING)
                .env(OciConfigFile.PROFILE_ENV, OciConfigFile.CLI_PROFILE_ENV).defaultValue(OciConfigFile.DEFAULT_PROFILE)
                .description("The profile of the config file; values missing from it come from [DEFAULT], except"
                        + " security_token_file.").build());
        settings.add(Setting.builder(AUTH_TYPE, SettingType.STRING).defaultValue("auto")
                .description("api_key, security_token, instance_principal or auto (security_token when the profile"
                        + " has its own security_token_file, else api_key).").build());
        settings.add(Setting.builder(REGION, SettingType.STRING).env("OCI_REGION")
                .description("The region, overriding the profile's region, such as us-ashburn-1.").build());
        settings.add(Setting.builder(COMPARTMENT_ID, SettingType.STRING).env("OCI_COMPARTMENT_ID")
                .description("The compartment tools use when the caller names none; default the tenancy.").build());
        settings.add(Setting.builder(MONITORING_ENDPOINT, SettingType.URL)
                .description("Monitoring API base URL; default https://telemetry.<region>.<realm domain>.").build());
        settings.add(Setting.builder(IDENTITY_ENDPOINT, SettingType.URL)
                .description("Identity API base URL; default https://identity.<region>.oci.<realm domain>.").build());
        settings.add(Setting.builder(METADATA_ENDPOINT, SettingType.URL).defaultValue(DEFAULT_METADATA.toString())
                .description("Instance metadata service for auth_type instance_principal; plain http is allowed to"
                        + " this link-local address only, and only for the metadata requests.").build());
        settings.add(Setting.builder(FEDERATION_ENDPOINT, SettingType.URL)
                .description("X.509 federation endpoint for auth_type instance_principal; default"
                        + " https://auth.<region>.<realm domain>/v1/x509.").build());
        settings.addAll(BackendSettings.common(DEFAULT_TIMEOUT));
        return new ConfigSpec(settings);
    }

    public static OciSettings from(ProviderConfig config, Map<String, String> environment, Path userHome) {
        requireNonNull(config, "config is null");
        String where = config.providerId() + "[" + config.alias() + "]";
        Path configFile = config.path(CONFIG_FILE).orElseGet(() -> OciConfigFile.defaultLocation(environment, userHome));
        String profile = config.string(PROFILE).map(String::strip).filter(s -> !s.isEmpty())
                .orElseGet(() -> OciConfigFile.defaultProfile(environment));
        OciAuthType authType;
        try {
            authType = OciAuthType.parse(config.string(AUTH_TYPE).orElse("auto").strip());
        } catch (ProviderConfigException e) {
            throw new ProviderConfigException(where + "." + e.getMessage());
        }
        String region = config.string(REGION).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (region != null && !REGION_PATTERN.matcher(region).matches()) {
            throw new ProviderConfigException(where + "." + REGION + " must be a region identifier such as us-ashburn-1");
        }
        String compartment = config.string(COMPARTMENT_ID).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (compartment != null && !compartment.matches(COMPARTMENT_PATTERN)) {
            throw new ProviderConfigException(where + "." + COMPARTMENT_ID
                    + " must be a compartment or tenancy OCID (ocid1.compartment.oc1..aaaa...)");
        }
        boolean insecureLoopback = config.bool(BackendSettings.ALLOW_INSECURE_LOOPBACK).orElse(false);
        URI monitoring = config.url(MONITORING_ENDPOINT).orElse(null);
        URI identity = config.url(IDENTITY_ENDPOINT).orElse(null);
        if (monitoring != null) {
            BackendSettings.checkUrl(where + "." + MONITORING_ENDPOINT, monitoring, insecureLoopback);
        }
        if (identity != null) {
            BackendSettings.checkUrl(where + "." + IDENTITY_ENDPOINT, identity, insecureLoopback);
        }
        URI metadata = config.url(METADATA_ENDPOINT).orElse(DEFAULT_METADATA);
        checkMetadataUrl(where + "." + METADATA_ENDPOINT, metadata, insecureLoopback);
        URI federation = config.url(FEDERATION_ENDPOINT).orElse(null);
        if (federation != null) {
            BackendSettings.checkUrl(where + "." + FEDERATION_ENDPOINT, federation, insecureLoopback);
        }
        Duration timeout = config.duration(BackendSettings.TIMEOUT).orElse(DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ProviderConfigException(where + "." + BackendSettings.TIMEOUT + " must be positive");
        }
        int rate = config.integer(BackendSettings.MAX_REQUESTS_PER_SECOND).orElse(0);
        if (rate < 0) {
            throw new ProviderConfigException(where + "." + BackendSettings.MAX_REQUESTS_PER_SECOND + " must be 0 or more");
        }
        BackendSettings common = new BackendSettings(URI.create("https://oci.invalid"),
                config.path(BackendSettings.CA_FILE).orElse(null), config.url(BackendSettings.PROXY).orElse(null),
                timeout, rate, insecureLoopback, config.bool(BackendSettings.PROPAGATE_TRACE_CONTEXT).orElse(false));
        return new OciSettings(config.alias(), configFile, profile, authType, region, compartment, monitoring, identity,
                metadata, federation, common);
    }

    /**
     * The metadata service may be plain http to a link-local address (where it always is), and
     * otherwise follows the rule of every endpoint (https, or http to loopback for a sandbox).
     */
    private static void checkMetadataUrl(String setting, URI url, boolean insecureLoopback) {
        if (BackendSettings.linkLocalOrigin(url) != null) {
            if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new ProviderConfigException(setting + " must not have user info, a query or a fragment");
            }
            return;
        }
        BackendSettings.checkUrl(setting, url, insecureLoopback);
    }

    /** The second-level domain of the realm a region belongs to. */
    static String realmDomain(String region) {
        if (region.startsWith("us-langley-") || region.startsWith("us-luke-") || region.startsWith("us-gov-")) {
            return "oraclegovcloud.com";
        }
        if (region.startsWith("uk-gov-")) {
            return "oraclegovcloud.uk";
        }
        return "oraclecloud.com";
    }

    /** The backend settings of one endpoint: {@code override}, else the regional host. */
    BackendSettings endpoint(URI override, String host, String region) {
        URI url = override != null ? override : URI.create("https://" + host.replace("{region}", region)
                .replace("{domain}", realmDomain(region)));
        return common.withUrl(url);
    }

    @Override
    public String toString() {
        return "OciSettings[" + alias + " " + configFile + " [" + profile + "] " + authType.configName() + "]";
    }
}
