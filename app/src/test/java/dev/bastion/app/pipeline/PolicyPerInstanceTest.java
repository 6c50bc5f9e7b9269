package dev.bastion.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.app.FixtureProvider;
import dev.bastion.app.config.BastionConfig;
import dev.bastion.app.config.ConfigException;
import dev.bastion.app.config.ConfigLoader;
import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.app.runtime.LaunchOptions;
import dev.bastion.app.runtime.ProviderInstances;
import dev.bastion.core.spi.ConfigSpec;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import dev.bastion.security.policy.ApprovalMode;
import dev.bastion.security.policy.InstancePolicy;
import dev.bastion.testkit.McpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy per provider instance through the whole server: an instance's {@code read_only} and
 * {@code approval} in YAML, read by the configuration loader, kept from the provider, honoured by
 * tools/list and the gate, and named in the audit record.
 */
class PolicyPerInstanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path audit() {
        return temp.resolve("audit.jsonl");
    }

    private Path config(String security, String instances) throws Exception {
        Path config = temp.resolve("bastion.yaml");
        Files.writeString(config, "security:\n" + security + "  audit:\n    file: " + audit() + "\n"
                + "providers:\n  fixture:\n    instances:\n" + instances);
        return config;
    }

    private static BastionRuntime start(Path config) {
        return BastionRuntime.start(new LaunchOptions(Optional.of(config), Optional.empty(), false, Map.of()),
                System.err);
    }

    private static ObjectNode arguments(String instance) {
        return JsonNodeFactory.instance.objectNode().put("text", "x").put("instance", instance);
    }

    private List<JsonNode> auditRecords() throws Exception {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(audit())) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    @Test
    void aReadOnlyProdAndAWritableStagingListTheWriteToolRunItOnStagingAndRefuseItOnProd() throws Exception {
        Path config = config("  read_only: true\n  approval: none\n", """
                      - alias: prod
                        read_only: true
                      - alias: staging
                        read_only: false
                """);
        try (BastionRuntime runtime = start(config); McpTestClient client = McpTestClient.inProcess(runtime.engine())) {
            client.initialize();
            assertThat(client.listTools().get("tools").findValuesAsText("name"))
                    .as("a write tool is listed when one of its instances allows writes")
                    .contains("fixture_update", "fixture_delete", "fixture_echo");

            JsonNode staging = client.callTool("fixture_update", arguments("staging"));
            assertThat(staging.get("isError").asBoolean()).as(staging.toString()).isFalse();
            assertThat(staging.at("/content/0/text").asText()).isEqualTo("updated x");

            JsonNode prod = client.callTool("fixture_update", arguments("prod"));
            assertThat(prod.get("isError").asBoolean()).isTrue();
            assertThat(prod.at("/content/0/text").asText()).isEqualTo("Tool fixture_update changes backend state and "
                    + "instance prod of provider fixture is read-only (read_only: true in the configuration of "
                    + "instance prod). Call an instance that allows writes, or set read_only: false on instance prod "
                    + "to enable write tools there.");

            JsonNode read = client.callTool("fixture_echo", arguments("prod"));
            assertThat(read.at("/content/0/text").asText()).as("read tools run on a read-only instance").isEqualTo("echo: x");
        }
        List<JsonNode> records = auditRecords();
        assertThat(records).hasSize(3);
        assertThat(records.get(0).get("instance").asText()).isEqualTo("staging");
        assertThat(records.get(0).get("outcome").asText()).isEqualTo("ok");
        assertThat(records.get(0).get("policy").asText()).isEqualTo("instance staging: read_only=false, approval=none");
        assertThat(records.get(1).get("instance").asText()).isEqualTo("prod");
        assertThat(records.get(1).get("decision").asText()).isEqualTo("read_only");
        assertThat(records.get(1).get("policy").asText()).isEqualTo("instance prod: read_only=true, approval=none");
    }

    @Test
    void whenEveryInstanceIsReadOnlyTheWriteToolsAreHidden() throws Exception {
        Path config = config("  read_only: false\n", """
                      - alias: prod
                        read_only: true
                      - alias: staging
                        read_only: yes
                """);
        try (BastionRuntime runtime = start(config); McpTestClient client = McpTestClient.inProcess(runtime.engine())) {
            client.initialize();
            assertThat(client.listTools().get("tools").findValuesAsText("name"))
                    .contains("fixture_echo").doesNotContain("fixture_update", "fixture_delete");
        }
    }

    @Test
    void approvalFollowsTheInstanceTheCallGoesTo() throws Exception {
        Path config = config("  read_only: false\n  approval: none\n", """
                      - alias: prod
                        approval: writes
                      - alias: staging
                """);
        List<String> questions = new CopyOnWriteArrayList<>();
        try (BastionRuntime runtime = start(config);
             McpTestClient client = McpTestClient.inProcess(runtime.engine()).timeout(Duration.ofSeconds(10))) {
            client.onServerRequest(request -> {
                questions.add(request.at("/params/message").asText());
                return JsonNodeFactory.instance.objectNode().put("action", "accept")
                        .set("content", JsonNodeFactory.instance.objectNode().put("confirm", true));
            });
            ObjectNode capabilities = JsonNodeFactory.instance.objectNode();
            capabilities.putObject("elicitation");
            client.initialize(capabilities);

            assertThat(client.callTool("fixture_update", arguments("staging")).at("/content/0/text").asText())
                    .isEqualTo("updated x");
            assertThat(questions).as("staging keeps the server's approval: none").isEmpty();

            assertThat(client.callTool("fixture_update", arguments("prod")).at("/content/0/text").asText())
                    .isEqualTo("updated x");
            assertThat(questions).as("prod asks before every write").hasSize(1);
            assertThat(questions.get(0)).contains("Tool: fixture_update", "Instance: prod");
        }
        List<JsonNode> records = auditRecords();
        assertThat(records.get(0).get("policy").asText()).isEqualTo("server: read_only=false, approval=none");
        assertThat(records.get(1).get("policy").asText()).isEqualTo("instance prod: read_only=false, approval=writes");
    }

    @Test
    void theInstanceKeysNeverReachTheProvidersConfiguration() throws Exception {
        Path config = config("", """
                      - alias: prod
                        read_only: true
                        approval: ${PROD_APPROVAL:-writes}
                        api_key: fixture-key-prod-0123456789
                      - alias: staging
                        read_only: false
                """);
        try (BastionRuntime runtime = start(config)) {
            List<ProviderInstances.Entry> entries = runtime.providers().entries().stream()
                    .filter(entry -> entry.config().providerId().equals("fixture")).toList();
            assertThat(entries).extracting(entry -> entry.config().alias()).containsExactly("prod", "staging");
            for (ProviderInstances.Entry entry : entries) {
                assertThat(entry.config().values()).doesNotContainKeys("read_only", "approval", "alias");
            }
            assertThat(entries.get(0).config().values()).containsOnlyKeys("api_key");
            BastionConfig loaded = runtime.config();
            assertThat(loaded.instancePolicies().get("fixture")).containsExactly(
                    Map.entry("prod", new InstancePolicy(Optional.of(true), Optional.of(ApprovalMode.WRITES))),
                    Map.entry("staging", new InstancePolicy(Optional.of(false), Optional.empty())));
        }
    }

    @Test
    void aMisspelledInstanceKeyGetsADidYouMeanHintAndABadValueIsNamed() throws Exception {
        Path file = temp.resolve("bad.yaml");
        Files.writeString(file, """
                providers:
                  fixture:
                    instances:
                      - alias: prod
                        read_onyl: true
                      - alias: staging
                        approval: always
                        read_only: maybe
                """);
        ConfigException error = failure(file);

        assertThat(error.problems()).containsExactly(
                "Unknown key providers.fixture.instances[0].read_onyl; did you mean "
                        + "providers.fixture.instances[0].read_only?",
                "providers.fixture.instances[1].read_only has a value that is not a boolean (use true/false, yes/no or 1/0)",
                "providers.fixture.instances[1].approval must be one of destructive, writes, none");
    }

    @Test
    void aProviderConfiguredOnceTakesTheKeysInItsOwnMap() throws Exception {
        Path file = temp.resolve("once.yaml");
        Files.writeString(file, "providers:\n  fixture:\n    read_only: false\n    approval: none\n");
        BastionConfig config = loader().load(Optional.of(file), Map.of());
        assertThat(config.instancePolicies().get("fixture")).containsExactly(Map.entry("default",
                new InstancePolicy(Optional.of(false), Optional.of(ApprovalMode.NONE))));
        assertThat(config.instances("fixture").get(0).values()).doesNotContainKeys("read_only", "approval");

        Files.writeString(file, "providers:\n  fixture:\n    aproval: none\n");
        ConfigException error = failure(file);
        assertThat(error.problems()).containsExactly(
                "Unknown key providers.fixture.aproval; did you mean providers.fixture.approval?");
    }

    @Test
    void aProviderMayNotDeclareAnInstanceKey() throws Exception {
        ProviderFactory clashing = new ProviderFactory() {
            @Override
            public String id() {
                return "clashing";
            }

            @Override
            public ConfigSpec configSpec() {
                return ConfigSpec.of(Setting.builder("read_only", SettingType.BOOLEAN).description("Mine.").build());
            }

            @Override
            public Provider create(ProviderConfig config, ProviderContext context) {
                throw new UnsupportedOperationException("never created");
            }
        };
        Path file = temp.resolve("clash.yaml");
        Files.writeString(file, "providers:\n  clashing: {}\n");
        ConfigLoader loader = ConfigLoader.builder().serverSections(BastionRuntime.SERVER_SECTIONS)
                .providers(List.of(clashing)).build();

        ConfigException error = failure(loader, file);

        assertThat(error.problems()).containsExactly("Provider clashing declares the setting read_only, but "
                + "read_only and approval are reserved on every instance for the server's policy per instance; the "
                + "provider must rename it");
    }

    private static ConfigException failure(Path file) {
        return failure(loader(), file);
    }

    private static ConfigException failure(ConfigLoader loader, Path file) {
        try {
            loader.load(Optional.of(file), Map.of());
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("the configuration was accepted");
    }

    private static ConfigLoader loader() {
        return ConfigLoader.builder().serverSections(BastionRuntime.SERVER_SECTIONS)
                .providers(List.of(new FixtureProvider())).build();
    }
}
