package dev.bastion.provider.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciConfigFileTest {

    private static final Path HOME = Path.of("/home/someone");

    @TempDir
    Path dir;

    /** The two-profile example of oracle/mcp's README (shared fixture oci-config.two-profiles.ini). */
    private static final String TWO_PROFILES = """
            [FSDR_REGION1]
            user=ocid1.user.oc1..xxxxxx
            fingerprint=xx:xx:xx:...
            tenancy=ocid1.tenancy.oc1..xxxxxx
            region=us-ashburn-1
            key_file=~/.oci/oci_api_key.pem

            [FSDR_REGION2]
            user=ocid1.user.oc1..xxxxxx
            fingerprint=xx:xx:xx:...
            tenancy=ocid1.tenancy.oc1..xxxxxx
            region=us-phoenix-1
            key_file=~/.oci/oci_api_key.pem
            """;

    private OciConfigFile file(String text) throws IOException {
        Path path = dir.resolve("config");
        Files.writeString(path, text);
        return OciConfigFile.read(path);
    }

    @Test
    void readsEveryProfileWithHomeExpanded() throws IOException {
        OciConfigFile config = file(TWO_PROFILES);

        assertThat(config.profileNames()).containsExactly("FSDR_REGION1", "FSDR_REGION2");
        OciProfile second = config.profile("FSDR_REGION2", HOME);
        assertThat(second.region()).isEqualTo("us-phoenix-1");
        assertThat(second.user()).isEqualTo("ocid1.user.oc1..xxxxxx");
        assertThat(second.tenancy()).isEqualTo("ocid1.tenancy.oc1..xxxxxx");
        assertThat(second.keyFile()).isEqualTo(Path.of("/home/someone/.oci/oci_api_key.pem"));
        assertThat(second.securityTokenFile()).isNull();
    }

    @Test
    void namedProfileInheritsFromDefaultAndOverridesIt() throws IOException {
        OciConfigFile config = file("""
                [DEFAULT]
                tenancy = ocid1.tenancy.oc1..t
                user = ocid1.user.oc1..u
                fingerprint = aa:bb
                key_file = /keys/default.pem
                region = us-ashburn-1

                [PHX]
                region = us-phoenix-1
                """);

        OciProfile phx = config.profile("PHX", HOME);

        assertThat(phx.region()).isEqualTo("us-phoenix-1");
        assertThat(phx.tenancy()).isEqualTo("ocid1.tenancy.oc1..t");
        assertThat(phx.user()).isEqualTo("ocid1.user.oc1..u");
        assertThat(phx.keyFile()).isEqualTo(Path.of("/keys/default.pem"));
    }

    /** oracle/mcp#366: a security_token_file in [DEFAULT] must not turn an API-key profile into a session one. */
    @Test
    void securityTokenFileOfDefaultIsNotInherited() throws IOException {
        OciConfigFile config = file("""
                [DEFAULT]
                tenancy=ocid1.tenancy.oc1..t
                fingerprint=aa:bb
                key_file=~/.oci/session_key.pem
                region=us-ashburn-1
                security_token_file=~/.oci/sessions/DEFAULT/token

                [APIKEY]
                user=ocid1.user.oc1..u
                fingerprint=cc:dd
                key_file=~/.oci/api_key.pem
                """);

        OciProfile apiKey = config.profile("APIKEY", HOME);
        OciProfile defaults = config.profile("DEFAULT", HOME);

        assertThat(apiKey.securityTokenFile()).isNull();
        assertThat(OciAuthType.AUTO.resolve(apiKey)).isEqualTo(OciAuthType.API_KEY);
        assertThat(apiKey.requireFor(OciAuthType.API_KEY).keyFile()).isEqualTo(HOME.resolve(".oci/api_key.pem"));
        assertThat(defaults.securityTokenFile()).isEqualTo(HOME.resolve(".oci/sessions/DEFAULT/token"));
        assertThat(OciAuthType.AUTO.resolve(defaults)).isEqualTo(OciAuthType.SECURITY_TOKEN);
        assertThatThrownBy(() -> apiKey.requireFor(OciAuthType.SECURITY_TOKEN))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("profile [APIKEY]: security_token_file is required for auth_type security_token")
                .hasMessageContaining("a security_token_file in [DEFAULT] is not inherited");
    }

    /** oracle/mcp#400: a session profile (what `oci session authenticate` writes) has no user. */
    @Test
    void sessionProfileWithoutUserIsValidForSecurityTokenOnly() throws IOException {
        OciConfigFile config = file("""
                [SESSION]
                fingerprint=aa:bb
                key_file=~/.oci/sessions/SESSION/oci_api_key.pem
                tenancy=ocid1.tenancy.oc1..t
                region=eu-frankfurt-1
                security_token_file=~/.oci/sessions/SESSION/token
                """);

        OciProfile session = config.profile("SESSION", HOME);

        assertThat(OciAuthType.AUTO.resolve(session)).isEqualTo(OciAuthType.SECURITY_TOKEN);
        assertThat(session.requireFor(OciAuthType.SECURITY_TOKEN).user()).isNull();
        assertThatThrownBy(() -> session.requireFor(OciAuthType.API_KEY))
                .hasMessageContaining("profile [SESSION]: user is required for auth_type api_key");
    }

    @Test
    void commentsBlankLinesAndKeyCaseAreTolerated() throws IOException {
        OciConfigFile config = file("""
                ; written by hand
                # another comment
                [DEFAULT]
                  Region =  us-ashburn-1\s\s
                KEY_FILE=/k.pem
                pass_phrase = a=b;c
                """);

        OciProfile profile = config.profile("DEFAULT", HOME);

        assertThat(profile.region()).isEqualTo("us-ashburn-1");
        assertThat(profile.keyFile()).isEqualTo(Path.of("/k.pem"));
        assertThat(profile.passPhrase().reveal()).isEqualTo("a=b;c");
        assertThat(profile.toString()).doesNotContain("a=b;c");
    }

    @Test
    void missingProfileNamesTheProfilesThereAre() throws IOException {
        OciConfigFile config = file(TWO_PROFILES);

        assertThatThrownBy(() -> config.profile("DEFAULT", HOME))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("has no profile [DEFAULT]; it has FSDR_REGION1, FSDR_REGION2");
    }

    @Test
    void malformedLineNamesTheLineButNotItsText() {
        assertThatThrownBy(() -> file("[DEFAULT]\nuser=u\nmy-secret-without-key\n"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("line 3: expected key=value")
                .hasMessageNotContaining("my-secret-without-key");
        assertThatThrownBy(() -> file("user=u\n[DEFAULT]\n"))
                .hasMessageContaining("line 1: a key=value line comes before the first [PROFILE] header");
        assertThatThrownBy(() -> file("[A]\nuser=u\n[A]\n"))
                .hasMessageContaining("line 3: profile [A] appears twice");
    }

    @Test
    void missingFileSaysHowToCreateOne() {
        Path absent = dir.resolve("absent");

        assertThatThrownBy(() -> OciConfigFile.read(absent))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining(absent + " does not exist; create it with 'oci setup config'");
    }

    @Test
    void locationAndProfileComeFromTheEnvironmentAsInTheCli() {
        assertThat(OciConfigFile.defaultLocation(Map.of(), HOME)).isEqualTo(HOME.resolve(".oci/config"));
        assertThat(OciConfigFile.defaultLocation(Map.of("OCI_CONFIG_FILE", "~/other/config"), HOME))
                .isEqualTo(HOME.resolve("other/config"));
        assertThat(OciConfigFile.defaultProfile(Map.of())).isEqualTo("DEFAULT");
        assertThat(OciConfigFile.defaultProfile(Map.of("OCI_CLI_PROFILE", "CLI"))).isEqualTo("CLI");
        assertThat(OciConfigFile.defaultProfile(Map.of("OCI_CLI_PROFILE", "CLI", "OCI_CONFIG_PROFILE", "SDK")))
                .isEqualTo("SDK");
    }

    @Test
    void authTypeParsesTheConfigNamesOnly() {
        assertThat(OciAuthType.parse("instance_principal")).isEqualTo(OciAuthType.INSTANCE_PRINCIPAL);
        assertThatThrownBy(() -> OciAuthType.parse("apikey"))
                .hasMessage("auth_type 'apikey' is not one of api_key, security_token, instance_principal, auto");
    }
}
