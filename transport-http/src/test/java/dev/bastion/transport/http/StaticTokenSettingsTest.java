package dev.bastion.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.SettingValues;
import dev.bastion.transport.http.auth.StaticToken;
import dev.bastion.transport.http.auth.StaticTokenAuthenticator;
import dev.bastion.transport.http.auth.TokenStrength;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Static tokens and the key set URL are checked when the settings are read, before anything listens. */
class StaticTokenSettingsTest {

    private static final String STRONG = "Hq2xVb9LmN4pR8sT1wY6zK3cF5gJ0dA7e";
    private static final String OTHER_STRONG = "Qe4Rt7Yu1Io9Pa3Sd6Fg2Hj8Kl5Zx0CvB";

    private static HttpSettings read(Map<String, Object> raw, Map<String, String> environment) {
        Map<String, Object> values = new LinkedHashMap<>(raw);
        values.putIfAbsent("auth.mode", "static");
        return HttpSettings.from(SettingValues.bind("http", HttpSettings.spec(), values), environment);
    }

    private static HttpSettings withToken(String token) {
        return read(Map.of("auth.token", token), Map.of());
    }

    private static HttpSettings withEntries(List<Map<String, Object>> entries, Map<String, String> environment) {
        return read(Map.of("auth.tokens", entries), environment);
    }

    @Test
    void aShortTokenIsRefusedNamingTheSettingAndNeverTheValue() {
        String shortToken = "Zq9Xw8Vu7Ts6Rr5Qp4On";
        assertThatThrownBy(() -> withToken(shortToken)).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("http.auth.token (BASTION_HTTP_TOKEN)")
                .hasMessageContaining("is 20 characters long; use at least 32 random characters")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(shortToken));
        assertThatThrownBy(() -> withToken("x")).hasMessageContaining("is 1 characters long");
    }

    @Test
    void aLongTokenWithoutEntropyIsRefused() {
        assertThatThrownBy(() -> withToken("a".repeat(40))).hasMessageContaining("repeats one shorter sequence");
        assertThatThrownBy(() -> withToken("0123456789abcdef0123456789abcdef"))
                .hasMessageContaining("repeats one shorter sequence");
        assertThatThrownBy(() -> withToken("abcabcabcabcabcabcabcabcabcabcabcab"))
                .hasMessageContaining("repeats one shorter sequence");
        assertThatThrownBy(() -> withToken("a".repeat(34) + "bc")).hasMessageContaining("too little variety");
    }

    @Test
    void aTokenNoRequestCouldPresentIsRefused() {
        assertThatThrownBy(() -> withToken(STRONG.substring(0, 16) + " " + STRONG.substring(16)))
                .hasMessageContaining("contains whitespace")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(STRONG.substring(0, 16)));
        assertThatThrownBy(() -> withToken(STRONG + "\u00e9")).hasMessageContaining("characters a bearer token cannot");
        assertThatThrownBy(() -> withEntries(List.of(Map.of("name", "bot", "env", "BOT_TOKEN")),
                Map.of("BOT_TOKEN", STRONG + "\n")))
                .hasMessageContaining("http.auth.tokens[0] (bot, environment variable BOT_TOKEN)")
                .hasMessageContaining("contains whitespace");
    }

    @Test
    void randomTokensOfThirtyTwoCharactersAreAccepted() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2000; i++) {
            byte[] sixteen = new byte[16];
            random.nextBytes(sixteen);
            String hex = HexFormat.of().formatHex(sixteen);
            assertThat(TokenStrength.weakness(hex)).as("random hex token %s", i).isEmpty();
            byte[] thirtyTwo = new byte[32];
            random.nextBytes(thirtyTwo);
            assertThat(TokenStrength.weakness(Base64.getEncoder().encodeToString(thirtyTwo))).isEmpty();
        }
        HttpSettings settings = withToken(STRONG);
        assertThat(settings.auth().tokens()).extracting(StaticToken::name).containsExactly("token");
    }

    @Test
    void anUnknownKeyInATokenEntryIsAnErrorWithAHint() {
        assertThatThrownBy(() -> withEntries(List.of(Map.of("name", "ci", "env", "CI_TOKEN",
                "scope", List.of("bastion:write"))), Map.of("CI_TOKEN", STRONG)))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("http.auth.tokens[0]: unknown key 'scope'; did you mean scopes?");
        assertThatThrownBy(() -> withEntries(List.of(Map.of("name", "ci", "env", "CI_TOKEN", "role", "admin")),
                Map.of("CI_TOKEN", STRONG)))
                .hasMessageContaining("unknown key 'role' (the keys are name, scopes, sha256, env)");
    }

    @Test
    void emptyScopesAreRefusedInsteadOfGrantingRead() {
        assertThatThrownBy(() -> withEntries(List.of(Map.of("name", "ci", "env", "CI_TOKEN", "scopes", List.of())),
                Map.of("CI_TOKEN", STRONG)))
                .hasMessageContaining("http.auth.tokens[0]: 'scopes' is empty");
        assertThatThrownBy(() -> withEntries(List.of(Map.of("name", "ci", "env", "CI_TOKEN", "scopes", "bastion:read")),
                Map.of("CI_TOKEN", STRONG)))
                .hasMessageContaining("'scopes' must be a list");
        HttpSettings defaulted = withEntries(List.of(Map.of("name", "ci", "env", "CI_TOKEN")),
                Map.of("CI_TOKEN", STRONG));
        assertThat(defaulted.auth().tokens().get(0).scopes()).containsExactly("bastion:read");
    }

    @Test
    void oneValueUnderTwoNamesIsRefused() {
        String hash = HexFormat.of().formatHex(StaticTokenAuthenticator.sha256(STRONG));
        assertThatThrownBy(() -> read(Map.of("auth.token", STRONG, "auth.tokens",
                List.of(Map.of("name", "ci", "sha256", hash))), Map.of()))
                .hasMessageContaining("http.auth.tokens[0] (ci) has the same token value as http.auth.token "
                        + "(BASTION_HTTP_TOKEN)");
        assertThatThrownBy(() -> withEntries(List.of(Map.of("name", "a", "env", "A_TOKEN"),
                Map.of("name", "b", "env", "B_TOKEN")), Map.of("A_TOKEN", STRONG, "B_TOKEN", STRONG)))
                .hasMessageContaining("http.auth.tokens[1] (b, environment variable B_TOKEN) has the same token value "
                        + "as http.auth.tokens[0] (a, environment variable A_TOKEN)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(STRONG));
        assertThatCode(() -> withEntries(List.of(Map.of("name", "a", "env", "A_TOKEN"),
                Map.of("name", "b", "env", "B_TOKEN")), Map.of("A_TOKEN", STRONG, "B_TOKEN", OTHER_STRONG)))
                .doesNotThrowAnyException();
    }

    private static HttpSettings oauth(String jwksUrl, boolean allowInsecureLoopback) {
        return read(Map.of("auth.mode", "oauth", "auth.issuer", "https://login.example.com", "auth.jwks_url", jwksUrl,
                "auth.jwks_allow_insecure_loopback", Boolean.toString(allowInsecureLoopback)), Map.of());
    }

    @Test
    void aPlainHttpKeySetUrlIsRefusedAtStartup() {
        assertThatThrownBy(() -> oauth("http://login.example.com/jwks", false))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("http.auth.jwks_url must use https");
        assertThatThrownBy(() -> oauth("http://login.example.com/jwks", true))
                .hasMessageContaining("http.auth.jwks_url must use https");
        assertThatThrownBy(() -> oauth("http://127.0.0.1:8443/jwks", false))
                .hasMessageContaining("or set http.auth.jwks_allow_insecure_loopback");
        assertThat(oauth("http://127.0.0.1:8443/jwks", true).auth().jwksUrl())
                .isEqualTo(URI.create("http://127.0.0.1:8443/jwks"));
        assertThat(oauth("https://login.example.com/jwks", false).auth().jwksUrl())
                .isEqualTo(URI.create("https://login.example.com/jwks"));
    }
}
