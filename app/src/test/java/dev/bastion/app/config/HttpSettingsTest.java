package dev.bastion.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.transport.http.HttpSettings;
import dev.bastion.transport.http.auth.StaticToken;
import dev.bastion.transport.http.auth.StaticTokenAuthenticator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http} section: defaults, explicit YAML and environment mappings, and its checks. */
class HttpSettingsTest {

    private static final ConfigSection HTTP = new ConfigSection(HttpSettings.SECTION_NAME, HttpSettings.spec());

    @TempDir
    Path dir;

    private static ConfigLoader loader() {
        return ConfigLoader.builder().serverSections(List.of(ServerSettings.SECTION, HTTP)).providers(List.of())
                .build();
    }

    private BastionConfig load(String yaml, Map<String, String> environment) throws IOException {
        Path file = Files.writeString(dir.resolve("bastion.yaml"), yaml);
        return loader().load(Optional.of(file), environment);
    }

    @Test
    void defaultsAreLoopbackWithoutAuthAndTheIssuesLimits() {
        HttpSettings settings = HttpSettings.from(loader().load(Optional.empty(), Map.of()).section("http"), Map.of());

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.path()).isEqualTo("/mcp");
        assertThat(settings.publicUrl()).isNull();
        assertThat(settings.limits()).isEqualTo(new HttpSettings.Limits(1_048_576, 8192, 1000, Duration.ofSeconds(30),
                Duration.ofSeconds(10), 200));
        assertThat(settings.sessions()).isEqualTo(new HttpSettings.Sessions(Duration.ofMinutes(30), 10_000, 256));
        assertThat(settings.auth().mode()).isEqualTo(HttpSettings.AuthMode.NONE);
        assertThat(settings.auth().scopesSupported()).containsExactly("bastion:read", "bastion:write");
        assertThat(settings.metricsEnabled()).isTrue();
        assertThat(settings.metricsRequireAuth()).isFalse();
        assertThat(settings.tls()).isNull();
        assertThat(settings.insecureNoAuth()).isFalse();
    }

    @Test
    void explicitYamlMappingWithStaticTokensFromHashAndEnvironment() throws IOException {
        String hash = HexFormat.of().formatHex(StaticTokenAuthenticator.sha256("ci-token"));
        BastionConfig config = load("""
                http:
                  host: 0.0.0.0
                  port: 9443
                  path: /ops/mcp
                  public_url: https://mcp.example.com
                  allowed_origins: [https://app.example.com]
                  allowed_hosts: [mcp.internal]
                  max_body_bytes: 2048
                  session_idle_timeout: 5m
                  max_sessions: 50
                  auth:
                    mode: static
                    token: ${OPS_TOKEN}
                    token_name: ops
                    token_scopes: [bastion:write]
                    tokens:
                      - {name: ci, sha256: %s, scopes: [bastion:read]}
                      - {name: bot, env: BOT_TOKEN}
                    required_scopes: [bastion:read]
                  metrics: {enabled: true, require_auth: true}
                """.formatted(hash), Map.of("OPS_TOKEN", "ops-secret-7Hq2xVb9LmN4pR8sT1wY6zK3cF5gJ0dA", "BOT_TOKEN", "bot-secret-Qe4Rt7Yu1Io9Pa3Sd6Fg2Hj8Kl5Zx0Cv"));

        HttpSettings settings = HttpSettings.from(config.section("http"), Map.of("BOT_TOKEN", "bot-secret-Qe4Rt7Yu1Io9Pa3Sd6Fg2Hj8Kl5Zx0Cv"));

        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isEqualTo(9443);
        assertThat(settings.path()).isEqualTo("/ops/mcp");
        assertThat(settings.publicUrl()).isEqualTo(URI.create("https://mcp.example.com"));
        assertThat(settings.allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(settings.allowedHosts()).containsExactly("mcp.internal");
        assertThat(settings.limits().maxBodyBytes()).isEqualTo(2048);
        assertThat(settings.sessions().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.sessions().maxSessions()).isEqualTo(50);
        assertThat(settings.auth().mode()).isEqualTo(HttpSettings.AuthMode.STATIC);
        assertThat(settings.auth().tokens()).extracting(StaticToken::name)
                .containsExactly("ops", "ci", "bot");
        assertThat(settings.auth().tokens().get(0).scopes()).isEqualTo(Set.of("bastion:write"));
        assertThat(settings.auth().tokens().get(1).sha256()).isEqualTo(StaticTokenAuthenticator.sha256("ci-token"));
        assertThat(settings.auth().tokens().get(2).sha256()).isEqualTo(StaticTokenAuthenticator.sha256("bot-secret-Qe4Rt7Yu1Io9Pa3Sd6Fg2Hj8Kl5Zx0Cv"));
        assertThat(settings.auth().requiredScopes()).containsExactly("bastion:read");
        assertThat(settings.metricsRequireAuth()).isTrue();
        assertThat(config.secretValues()).contains("ops-secret-7Hq2xVb9LmN4pR8sT1wY6zK3cF5gJ0dA");
        assertThat(settings.auth().tokens().toString()).doesNotContain("ops-secret-7Hq2xVb9LmN4pR8sT1wY6zK3cF5gJ0dA", "bot-secret-Qe4Rt7Yu1Io9Pa3Sd6Fg2Hj8Kl5Zx0Cv");
        assertThat(HttpSettings.environmentTokenValues(config.section("http"), Map.of("BOT_TOKEN", "bot-secret-Qe4Rt7Yu1Io9Pa3Sd6Fg2Hj8Kl5Zx0Cv")))
                .containsExactly("bot-secret-Qe4Rt7Yu1Io9Pa3Sd6Fg2Hj8Kl5Zx0Cv");
    }

    @Test
    void explicitEnvironmentMappingForOAuth() {
        Map<String, String> environment = Map.of("BASTION_HTTP_PORT", "0", "BASTION_HTTP_AUTH_MODE", "oauth",
                "BASTION_HTTP_ISSUER", "https://login.example.com", "BASTION_HTTP_JWKS_URL",
                "https://login.example.com/jwks",
                "BASTION_HTTP_REQUIRED_SCOPES", "bastion:read,bastion:dynatrace-managed:read",
                "BASTION_HTTP_CLOCK_SKEW", "30s");

        HttpSettings settings = HttpSettings.from(loader().load(Optional.empty(), environment).section("http"),
                environment);

        assertThat(settings.port()).isZero();
        assertThat(settings.auth().mode()).isEqualTo(HttpSettings.AuthMode.OAUTH);
        assertThat(settings.auth().issuer()).isEqualTo("https://login.example.com");
        assertThat(settings.auth().jwksUrl()).isEqualTo(URI.create("https://login.example.com/jwks"));
        assertThat(settings.auth().authorizationServers()).containsExactly("https://login.example.com");
        assertThat(settings.auth().requiredScopes()).containsExactly("bastion:read", "bastion:dynatrace-managed:read");
        assertThat(settings.auth().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesIncompleteAuthenticationSettingsWithTheSettingsName() {
        Map<String, String> noToken = Map.of("BASTION_HTTP_AUTH_MODE", "static");
        assertThatThrownBy(() -> HttpSettings.from(loader().load(Optional.empty(), noToken).section("http"), noToken))
                .isInstanceOf(ProviderConfigException.class).hasMessageContaining("http.auth.token");
        Map<String, String> noIssuer = Map.of("BASTION_HTTP_AUTH_MODE", "oauth");
        assertThatThrownBy(() -> HttpSettings.from(loader().load(Optional.empty(), noIssuer).section("http"), noIssuer))
                .isInstanceOf(ProviderConfigException.class).hasMessageContaining("http.auth.issuer");
        assertThatThrownBy(() -> loader().load(Optional.empty(), Map.of("BASTION_HTTP_AUTH_MODE", "basic")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be one of none, static, oauth");
        assertThatThrownBy(() -> loader().load(Optional.empty(), Map.of("BASTION_HTTP_PATH", "mcp/")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("the MCP path must start with '/'");
    }
}
