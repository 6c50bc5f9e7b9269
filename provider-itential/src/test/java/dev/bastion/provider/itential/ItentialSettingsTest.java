package dev.bastion.provider.itential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Secret;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings: no default credentials, plain http only to loopback, the anchor's variables, curated tools. */
class ItentialSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> values(String url) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("url", URI.create(url));
        return values;
    }

    private static ItentialSettings read(Map<String, Object> values) {
        return ItentialSettings.from(new ProviderConfig("itential", "prod", values));
    }

    @Test
    void thereAreNoDefaultCredentials() {
        assertThatThrownBy(() -> read(values("https://iap.example.com"))).isInstanceOf(ProviderConfigException.class)
                .hasMessage("itential[prod]: no credentials: set username and password (a basic login) or client_id"
                        + " and client_secret (a service account); there are no default credentials");
        Map<String, Object> userOnly = values("https://iap.example.com");
        userOnly.put("username", "admin");
        assertThatThrownBy(() -> read(userOnly)).hasMessage("itential[prod]: password is required with username");
        Map<String, Object> both = values("https://iap.example.com");
        both.put("username", "admin");
        both.put("password", Secret.of("x-secret-1"));
        both.put("client_id", "64f0c0ffee");
        both.put("client_secret", Secret.of("x-secret-2"));
        assertThatThrownBy(() -> read(both)).hasMessageContaining("not both");
    }

    @Test
    void plainHttpIsRefusedWithTheReasonUnlessLoopbackIsAllowed() {
        Map<String, Object> remote = values("http://iap.example.com");
        remote.put("username", "admin");
        remote.put("password", Secret.of("x-secret-1"));
        Map<String, Object> loopback = new LinkedHashMap<>(remote);
        loopback.put("url", URI.create("http://127.0.0.1:3000"));

        assertThatThrownBy(() -> read(remote)).hasMessageContaining("itential[prod].url is plain http")
                .hasMessageContaining("the password and every session token would cross the network unencrypted");
        assertThatThrownBy(() -> read(loopback)).hasMessageContaining("allow_insecure_loopback: true");
        loopback.put("allow_insecure_loopback", true);
        assertThat(read(loopback).backend().url()).hasToString("http://127.0.0.1:3000");
    }

    @Test
    void theAnchorsVariablesBecomeAnInstance() {
        List<Map<String, Object>> instances = AnchorVariables.read(Map.of(
                "ITENTIAL_MCP_PLATFORM_HOST", "iap.example.com", "ITENTIAL_MCP_PLATFORM_PORT", "3443",
                "ITENTIAL_MCP_PLATFORM_USER", "automation", "ITENTIAL_MCP_PLATFORM_PASSWORD", "x-secret-3",
                "ITENTIAL_MCP_PLATFORM_TIMEOUT", "45", "ITENTIAL_MCP_PLATFORM_TTL", "900"));

        assertThat(instances).containsExactly(Map.of("alias", "default", "url", "https://iap.example.com:3443",
                "username", "automation", "password", "x-secret-3", "timeout", "45s", "ttl", "900s"));
        assertThat(AnchorVariables.read(Map.of("ITENTIAL_MCP_PLATFORM_HOST", "localhost",
                "ITENTIAL_MCP_PLATFORM_DISABLE_TLS", "true")).get(0)).containsEntry("url", "http://localhost");
        assertThat(AnchorVariables.read(Map.of())).isEmpty();
        assertThatThrownBy(() -> AnchorVariables.read(Map.of("ITENTIAL_MCP_PLATFORM_HOST", "https://iap/x")))
                .hasMessageContaining("without scheme, port or path");
        assertThatThrownBy(() -> AnchorVariables.read(Map.of("ITENTIAL_MCP_PLATFORM_HOST", "iap",
                "ITENTIAL_MCP_PLATFORM_DISABLE_TLS", "maybe"))).hasMessage("ITENTIAL_MCP_PLATFORM_DISABLE_TLS must be"
                + " true or false");
    }

    @Test
    void curatedWorkflowsAreCheckedEntryByEntry() throws Exception {
        Map<String, Object> values = values("https://iap.example.com");
        values.put("client_id", "64f0c0ffee");
        values.put("client_secret", Secret.of("x-secret-2"));
        values.put("tools", JSON.readTree("[{\"name\":\"provision_vlan\",\"description\":\"Provisions a VLAN.\","
                + "\"trigger\":\"provision-vlan\",\"input_schema\":{\"type\":\"object\",\"required\":[\"vlan\"],"
                + "\"properties\":{\"vlan\":{\"type\":\"integer\"}}},\"annotations\":{\"destructiveHint\":true}}]"));

        assertThat(read(values).curatedWorkflows()).singleElement().satisfies(workflow -> {
            assertThat(workflow.name()).isEqualTo("provision_vlan");
            assertThat(workflow.route()).isEqualTo("provision-vlan");
            assertThat(workflow.destructive()).isTrue();
        });
        values.put("tools", JSON.readTree("[{\"name\":\"x\",\"description\":\"d\",\"trigger\":\"t\",\"tirgger\":1}]"));
        assertThatThrownBy(() -> read(values)).hasMessageContaining("itential[prod].tools[0].tirgger is not a tool"
                + " setting");
        values.put("tools", JSON.readTree("[{\"name\":\"Bad-Name\",\"description\":\"d\",\"trigger\":\"t\"}]"));
        assertThatThrownBy(() -> read(values)).hasMessageContaining("tools[0].name must be lower-case");
        values.put("tools", JSON.readTree("[{\"name\":\"x\",\"description\":\"d\",\"trigger\":\"t\",\"annotations\":"
                + "{\"readOnlyHint\":true}}]"));
        assertThatThrownBy(() -> read(values)).hasMessageContaining("always a write tool that needs approval");
        values.put("tools", JSON.readTree("[{\"name\":\"x\",\"description\":\"d\",\"trigger\":\"t\",\"input_schema\":"
                + "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{}}}]"));
        assertThatThrownBy(() -> read(values)).hasMessageContaining("requires 'a', which is not among its properties");
    }
}
