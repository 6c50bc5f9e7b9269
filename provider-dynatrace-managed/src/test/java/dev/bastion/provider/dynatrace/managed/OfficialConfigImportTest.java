package dev.bastion.provider.dynatrace.managed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.spi.ProviderConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official server's DT_CONFIG_FILE and DT_ENVIRONMENT_CONFIGS become instances with our keys. */
class OfficialConfigImportTest {

    private final DynatraceManagedProviderFactory factory = new DynatraceManagedProviderFactory();

    @Test
    void readsDtEnvironmentConfigsJson() {
        List<Map<String, Object>> instances = factory.importInstances(Map.of("DT_ENVIRONMENT_CONFIGS", """
                [{"alias":"prod","apiEndpointUrl":"https://managed.example.com/","environmentId":"abc-123",
                  "apiToken":"dt0c01.X.Y","dynatraceUrl":"https://managed.example.com/e/abc-123",
                  "httpsProxyUrl":"http://proxy:3128"},
                 {"alias":"test","apiEndpointUrl":"https://ag.example.com:9999","environmentId":"def",
                  "apiToken":"dt0c01.Z.W"}]"""));
        assertThat(instances).hasSize(2);
        assertThat(instances.get(0)).containsExactlyInAnyOrderEntriesOf(Map.of("alias", "prod",
                "url", "https://managed.example.com", "environment_id", "abc-123", "api_token", "dt0c01.X.Y",
                "ui_url", "https://managed.example.com/e/abc-123", "proxy", "http://proxy:3128"));
        assertThat(instances.get(1)).doesNotContainKey("proxy").containsEntry("url", "https://ag.example.com:9999");
    }

    @Test
    void configFileWinsAndResolvesPlaceholdersAndHome(@TempDir Path home) throws Exception {
        Path dir = Files.createDirectories(home.resolve(".dynatrace"));
        Files.writeString(dir.resolve("managed-mcp.yaml"), """
                - alias: prod
                  apiEndpointUrl: ${DT_HOST}
                  environmentId: abc
                  apiToken: ${PROD_TOKEN}
                  httpProxyUrl: http://p1:8080
                  httpsProxyUrl: http://p2:8080
                """);
        List<Map<String, Object>> instances = factory.importInstances(Map.of(
                "DT_CONFIG_FILE", "~/.dynatrace/managed-mcp.yaml", "HOME", home.toString(),
                "DT_HOST", "https://managed.example.com", "PROD_TOKEN", "dt0c01.SECRET.VALUE",
                "DT_ENVIRONMENT_CONFIGS", "[{\"alias\":\"ignored\"}]"));
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0)).containsEntry("url", "https://managed.example.com")
                .containsEntry("api_token", "dt0c01.SECRET.VALUE")
                // Both proxies set: the official server uses none, and so do we.
                .doesNotContainKey("proxy");
    }

    @Test
    void undefinedPlaceholderIsAnErrorThatNamesTheVariableOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("envs.json");
        Files.writeString(file, "[{\"alias\":\"a\",\"apiEndpointUrl\":\"https://x\",\"environmentId\":\"e\","
                + "\"apiToken\":\"${MISSING_TOKEN}\"}]");
        assertThatThrownBy(() -> factory.importInstances(Map.of("DT_CONFIG_FILE", file.toString())))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("${MISSING_TOKEN}").hasMessageContaining("apiToken");
    }

    @Test
    void missingFieldsAndBadAliasesAreNamed() {
        assertThatThrownBy(() -> factory.importInstances(Map.of("DT_ENVIRONMENT_CONFIGS",
                "[{\"alias\":\"a\",\"apiEndpointUrl\":\"https://x\",\"apiToken\":\"dt0c01.SECRETPART\"}]")))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("missing required fields: environmentId")
                .hasMessageNotContaining("SECRETPART");
        assertThatThrownBy(() -> factory.importInstances(Map.of("DT_ENVIRONMENT_CONFIGS",
                "[{\"alias\":\"a;b\",\"apiEndpointUrl\":\"https://x\",\"environmentId\":\"e\",\"apiToken\":\"t\"}]")))
                .hasMessageContaining("cannot contain ';'");
        assertThatThrownBy(() -> factory.importInstances(Map.of("DT_ENVIRONMENT_CONFIGS", "{\"alias\":\"a\"}")))
                .hasMessageContaining("must be an array");
        assertThatThrownBy(() -> factory.importInstances(Map.of("DT_ENVIRONMENT_CONFIGS", "[{\"alias\":\"dt0c01.LEAK")))
                .isInstanceOf(ProviderConfigException.class).hasMessageNotContaining("LEAK");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> factory.importInstances(Map.of("DT_CONFIG_FILE", dir.resolve("nope.yaml").toString())))
                .isInstanceOf(ProviderConfigException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> factory.importInstances(Map.of("DT_CONFIG_FILE", dir.resolve("envs.txt").toString())))
                .hasMessageContaining(".json, .yaml or .yml");
    }

    @Test
    void nothingToImportWithoutTheVariables() {
        assertThat(factory.importInstances(Map.of())).isEmpty();
    }
}
