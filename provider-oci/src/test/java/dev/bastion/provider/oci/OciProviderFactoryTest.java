package dev.bastion.provider.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.core.tool.BackgroundCall;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.provider.oci.sandbox.OciSandbox;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory end to end against the sandbox: API-key and session profiles, and the refusals at startup. */
class OciProviderFactoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OciSandbox sandbox;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sandbox = OciSandbox.start(OciSandbox.Options.defaults());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static ServerProviderContext context() {
        return context(Clock.systemUTC());
    }

    private static ServerProviderContext context(Clock clock) {
        SecretRedactor redactor = new SecretRedactor();
        return new ServerProviderContext(JSON, redactor, clock, "test",
                Map.of(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of())));
    }

    /** The sandbox's instance {@code index}, typed as the configuration loader would type it. */
    private static Map<String, Object> instance(int index) {
        Map<String, Object> values = new LinkedHashMap<>(sandbox.instances().get(index));
        values.put("config_file", Path.of(values.get("config_file").toString()));
        values.put("monitoring_endpoint", URI.create(values.get("monitoring_endpoint").toString()));
        values.put("identity_endpoint", URI.create(values.get("identity_endpoint").toString()));
        return values;
    }

    private static Provider create(Map<String, Object> values) {
        return new OciProviderFactory(Map.of(), Path.of("/nonexistent-home"))
                .create(new ProviderConfig("oci", values.get("alias").toString(), values), context());
    }

    private static ToolResult listCompartments(Provider provider) throws Exception {
        Tool tool = provider.tools().stream().filter(t -> t.descriptor().name().equals("oci_list_compartments"))
                .findFirst().orElseThrow();
        return tool.call((ObjectNode) JSON.readTree("{\"include_subtree\":true}"), BackgroundCall.within(Duration.ofSeconds(10)));
    }

    @Test
    void apiKeyProfileIsHealthyAndListsTheTree() throws Exception {
        Provider provider = create(instance(0));

        assertThat(provider.health(dev.bastion.core.tool.BackgroundCall.within(java.time.Duration.ofSeconds(30))).healthy()).as(provider.health(dev.bastion.core.tool.BackgroundCall.within(java.time.Duration.ofSeconds(30))).detail()).isTrue();
        ToolResult result = listCompartments(provider);
        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.structuredContent().path("count").asInt()).isEqualTo(13);
    }

    /** oracle/mcp#400: a session profile without user works, signed with keyId ST$<token>. */
    @Test
    void sessionProfileWithoutUserSignsWithItsToken() throws Exception {
        Map<String, Object> values = instance(1);
        assertThat(values).containsEntry("profile", OciSandbox.SESSION_PROFILE);

        Provider provider = create(values);

        ToolResult result = listCompartments(provider);
        assertThat(result.isError()).as(result.allText()).isFalse();
        assertThat(result.allText()).doesNotContain(sandbox.sessionToken());
        assertThat(provider.health(dev.bastion.core.tool.BackgroundCall.within(java.time.Duration.ofSeconds(30))).healthy()).isTrue();
    }

    private Map<String, Object> sessionCopy(String token) throws Exception {
        String config = Files.readString(sandbox.configFile());
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token);
        String sandboxTokenFile = config.lines().filter(l -> l.startsWith("security_token_file=")).findFirst()
                .orElseThrow().substring("security_token_file=".length());
        Path copy = dir.resolve("config");
        Files.writeString(copy, config.replace(sandboxTokenFile, tokenFile.toString()));
        Map<String, Object> values = instance(1);
        values.put("config_file", copy);
        return values;
    }

    @Test
    void changedTokenFileIsReadAgainWithoutARestart() throws Exception {
        Map<String, Object> values = sessionCopy(sandbox.sessionToken());
        Provider provider = create(values);
        assertThat(listCompartments(provider).isError()).isFalse();

        Files.writeString(dir.resolve("token"), jwt(System.currentTimeMillis() / 1000 + 3600) + "x");
        ToolResult refused = listCompartments(provider);
        assertThat(refused.isError()).isTrue();
        assertThat(refused.allText()).contains("401");

        Files.writeString(dir.resolve("token"), sandbox.sessionToken());
        assertThat(listCompartments(provider).isError()).isFalse();
    }

    @Test
    void expiredSessionTokenSaysHowToRenewIt() throws Exception {
        Map<String, Object> values = sessionCopy(sandbox.sessionToken());
        Provider provider = create(values);
        Files.writeString(dir.resolve("token"), jwt(System.currentTimeMillis() / 1000 - 60));

        ToolResult result = listCompartments(provider);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("expired").contains("oci session refresh --profile SESSION")
                .contains("oci session authenticate");
    }

    private static String jwt(long exp) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void clockMoreThanFiveMinutesOffIsNamedAsTheCause() throws Exception {
        Map<String, Object> values = instance(0);
        Provider provider = new OciProviderFactory(Map.of(), Path.of("/nonexistent-home")).create(
                new ProviderConfig("oci", "sandbox", values),
                context(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-7))));

        ToolResult result = listCompartments(provider);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("401").contains("this machine's clock is off");
    }

    @Test
    void keyFileReadableByOthersStopsStartupWithTheChmodHint() throws Exception {
        String config = Files.readString(sandbox.configFile());
        String keyFile = config.lines().filter(l -> l.startsWith("key_file=")).findFirst().orElseThrow()
                .substring("key_file=".length());
        Path key = dir.resolve("key.pem");
        Files.copy(Path.of(keyFile), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path copy = dir.resolve("config");
        Files.writeString(copy, config.replace(keyFile, key.toString()));
        Map<String, Object> values = instance(0);
        values.put("config_file", copy);

        assertThatThrownBy(() -> create(values)).isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("chmod 600 " + key);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(create(values).health(dev.bastion.core.tool.BackgroundCall.within(java.time.Duration.ofSeconds(30))).healthy()).isTrue();
    }

    @Test
    void misspelledAuthTypeAndMissingProfileAreNamed() {
        Map<String, Object> missing = instance(0);
        missing.put("profile", "NOPE");
        Map<String, Object> typo = instance(0);
        typo.put("auth_type", "apikey");

        assertThatThrownBy(() -> create(missing)).hasMessageContaining("has no profile [NOPE]; it has DEFAULT, SESSION");
        assertThatThrownBy(() -> create(typo)).hasMessageContaining("oci[sandbox].auth_type 'apikey' is not one of");
    }

    @Test
    void plainHttpEndpointNeedsTheLoopbackSwitch() {
        Map<String, Object> values = instance(0);
        values.remove("allow_insecure_loopback");

        assertThatThrownBy(() -> create(values)).hasMessageContaining("oci[sandbox].monitoring_endpoint uses plain http://");
    }
}
