package dev.bastion.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.testkit.ProviderHarness;
import java.io.IOException;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A provider behind the server's own pipeline, against a MockWebServer. */
class ProviderHarnessTest {

    private static final String KEY = "itk_Harness0123456789abcdefghijKLMNOP";
    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private Map<String, Object> instance() {
        return Map.of("alias", "test", "url", server.url("/").toString(), "api_key", KEY,
                "allow_insecure_loopback", true);
    }

    @Test
    void callsAToolThroughThePipelineWithTheConfiguredCredential() throws Exception {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"items\":[{\"name\":\"alpha\"}]}"));

        try (ProviderHarness harness = ProviderHarness.start(new ItemsProviderFactory(), instance())) {
            JsonNode result = harness.call("items_list_items", JsonNodeFactory.instance.objectNode().put("limit", 3));

            assertThat(result.path("isError").asBoolean()).as(result.toString()).isFalse();
            assertThat(result.path("structuredContent").path("items").get(0).path("name").asText()).isEqualTo("alpha");
            RecordedRequest sent = server.takeRequest();
            assertThat(sent.getPath()).isEqualTo("/api/items?limit=3");
            assertThat(sent.getHeader("Authorization")).isEqualTo("Api-Key " + KEY);
            assertThat(harness.instance().exchanges()).extracting(ProviderHarness.Exchange::status).containsExactly(200);
            assertThat(harness.auditLog()).contains("items_list_items");
        }
    }

    @Test
    void theArgumentValidationStageRefusesWhatTheSchemaForbids() {
        try (ProviderHarness harness = ProviderHarness.start(new ItemsProviderFactory(), instance())) {
            JsonNode result = harness.call("items_list_items", JsonNodeFactory.instance.objectNode().put("limit", 500));

            assertThat(result.path("isError").asBoolean()).isTrue();
            assertThat(result.path("content").get(0).path("text").asText()).contains("limit");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    @Test
    void theRedactionStageHidesTheCredentialABackendEchoes() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"items\":[{\"name\":\"" + KEY + "\"}]}"));

        try (ProviderHarness harness = ProviderHarness.start(new ItemsProviderFactory(), instance())) {
            JsonNode result = harness.call("items_list_items", JsonNodeFactory.instance.objectNode());

            assertThat(result.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void bindsWithTheServersRules() {
        assertThatThrownBy(() -> ProviderHarness.bind(new ItemsProviderFactory(), Map.of("url", server.url("/")
                .toString(), "api_kee", KEY))).isInstanceOf(ProviderConfigException.class)
                .hasMessage("Unknown key items.api_kee; did you mean items.api_key?; Missing required setting items.api_key");
    }
}
