package dev.bastion.provider.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.Secret;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

    @TempDir
    Path dir;

    private OciProfile profile(Path keyFile, String fingerprint, String passPhrase) {
        return new OciProfile(dir.resolve("config"), "DEFAULT", "ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", fingerprint,
                keyFile, "us-ashburn-1", passPhrase == null ? null : Secret.of(passPhrase), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs1.pem", "pkcs8.pem", "pkcs8-encrypted.pem", "pkcs1-encrypted.pem"})
    void everyPemFormOfTheKeyGivesTheSameKeyAndOpensslsFingerprint(String name) {
        Path keyFile = TestKeys.install(dir, name, "rw-------");

        SigningKey key = ApiKeys.apiKey(profile(keyFile, TestKeys.FINGERPRINT, TestKeys.PASS_PHRASE));

        assertThat(key.keyId()).isEqualTo("ocid1.tenancy.oc1..t/ocid1.user.oc1..u/" + TestKeys.FINGERPRINT);
        RSAPrivateCrtKey plain = PemPrivateKeys.read(TestKeys.pem("pkcs1.pem"), null, "pkcs1.pem");
        assertThat(key.privateKey().getModulus()).isEqualTo(plain.getModulus());
        assertThat(key.privateKey().getPrivateExponent()).isEqualTo(plain.getPrivateExponent());
    }

    @Test
    void fingerprintOfOraclesSampleKeyIsTheDocumentedOne() {
        RSAPrivateCrtKey key = PemPrivateKeys.read(TestKeys.pem("oracle-test-key.pem"), null, "oracle-test-key.pem");

        assertThat(PemPrivateKeys.fingerprint(key)).isEqualTo(TestKeys.ORACLE_FINGERPRINT);
    }

    @Test
    void fingerprintIsComparedIgnoringCase() {
        Path keyFile = TestKeys.install(dir, "pkcs8.pem", "r--------");

        assertThat(ApiKeys.apiKey(profile(keyFile, TestKeys.FINGERPRINT.toUpperCase(), null)).keyId())
                .endsWith("/" + TestKeys.FINGERPRINT);
    }

    @Test
    void keyFileReadableByOthersIsRefusedWithTheChmodHint() {
        Path keyFile = TestKeys.install(dir, "pkcs8.pem", "rw-r--r--");

        assertThatThrownBy(() -> ApiKeys.apiKey(profile(keyFile, TestKeys.FINGERPRINT, null)))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("profile [DEFAULT]")
                .hasMessageContaining("chmod 600 " + keyFile)
                .hasMessageNotContaining("PRIVATE KEY");
    }

    @Test
    void keyFileReadableByItsGroupIsRefused() {
        Path keyFile = TestKeys.install(dir, "pkcs8.pem", "rw-r-----");

        assertThatThrownBy(() -> ApiKeys.apiKey(profile(keyFile, TestKeys.FINGERPRINT, null)))
                .hasMessageContaining("chmod 600");
    }

    @Test
    void fingerprintMismatchNamesBothFingerprints() {
        Path keyFile = TestKeys.install(dir, "pkcs8.pem", "rw-------");

        assertThatThrownBy(() -> ApiKeys.apiKey(profile(keyFile, TestKeys.ORACLE_FINGERPRINT, null)))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("has fingerprint " + TestKeys.FINGERPRINT)
                .hasMessageContaining("but the profile's fingerprint is " + TestKeys.ORACLE_FINGERPRINT)
                .hasMessageContaining("belong to different keys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8-encrypted.pem", "pkcs1-encrypted.pem"})
    void encryptedKeyWithoutPassPhraseAsksForIt(String name) {
        Path keyFile = TestKeys.install(dir, name, "rw-------");

        assertThatThrownBy(() -> ApiKeys.apiKey(profile(keyFile, TestKeys.FINGERPRINT, null)))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("is encrypted; set pass_phrase in the profile");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8-encrypted.pem", "pkcs1-encrypted.pem"})
    void wrongPassPhraseIsNamedButNeverShown(String name) {
        Path keyFile = TestKeys.install(dir, name, "rw-------");

        assertThatThrownBy(() -> ApiKeys.apiKey(profile(keyFile, TestKeys.FINGERPRINT, "not-the-pass-phrase")))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("pass_phrase")
                .hasMessageNotContaining("not-the-pass-phrase");
    }

    @Test
    void missingKeyFileAndNonKeyFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> ApiKeys.apiKey(profile(dir.resolve("absent.pem"), TestKeys.FINGERPRINT, null)))
                .hasMessageContaining("absent.pem does not exist");
        assertThatThrownBy(() -> PemPrivateKeys.read("just text", null, "f.pem"))
                .hasMessage("f.pem is not a PEM file (no -----BEGIN line); OCI needs the private key in PEM format");
        assertThatThrownBy(() -> PemPrivateKeys.read("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
                null, "f.pem"))
                .hasMessageContaining("OCI API keys are RSA keys");
        assertThatThrownBy(() -> PemPrivateKeys.read("-----BEGIN PRIVATE KEY-----\nMIIB\n", null, "f.pem"))
                .hasMessageContaining("no -----END PRIVATE KEY----- line");
    }

    @Test
    void missingProfileKeysAreAllNamed() {
        OciProfile empty = new OciProfile(dir.resolve("config"), "X", null, null, null, null, null, null, null);

        assertThatThrownBy(() -> ApiKeys.apiKey(empty))
                .hasMessageContaining("profile [X]: tenancy, user, fingerprint, key_file are required for auth_type api_key");
    }
}
