package com.example.acmestatus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.Provider;
import dev.bastion.core.tool.Tool;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.testkit.ProviderHarness;
import dev.bastion.testkit.TestCallContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact requests the tools send and what they make of the answers, against MockWebServer. */
class AcmeStatusProviderTest {

    private static final String KEY = "acme_test_5e1f0c2d9b";
    private MockWebServer server;
    private ProviderHarness.Instance instance;
    private Provider provider;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        // Configured with the server's own binding rules and services, as the server would.
        instance = ProviderHarness.instance(new AcmeStatusProviderFactory(), Map.of(
                "url", server.url("/").toString(), "api_key", KEY, "allow_insecure_loopback", true));
        provider = instance.provider();
    }

    @AfterEach
    void stop() throws Exception {
        instance.close();
        server.shutdown();
    }

    private Tool tool(String name) {
        return provider.tools().stream().filter(t -> t.descriptor().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theNextPageCursorCarriesTheBackendPageKeyAndNothingElse() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"components\":[{\"id\":\"web\",\"name\":\"Web\","
                + "\"status\":\"operational\"}],\"nextPageKey\":\"o1s1\"}"));
        server.enqueue(new MockResponse().setBody("{\"components\":[]}"));
        ObjectNode first = JsonNodeFactory.instance.objectNode().put("page_size", 1);
        ToolResult page = tool("acme_status_list_components").call(first, new TestCallContext());
        String cursor = page.structuredContent().path("next_page").asText();
        ToolResult next = tool("acme_status_list_components").call(
                JsonNodeFactory.instance.objectNode().put("next_page", cursor), new TestCallContext());

        RecordedRequest firstRequest = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(firstRequest.getRequestUrl().queryParameter("page_size")).isEqualTo("1");
        assertThat(firstRequest.getHeader("X-Api-Key")).isEqualTo(KEY);
        RecordedRequest secondRequest = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(secondRequest.getRequestUrl().encodedPath()).isEqualTo("/api/v1/components");
        assertThat(secondRequest.getRequestUrl().queryParameter("page_key")).isEqualTo("o1s1");
        assertThat(secondRequest.getRequestUrl().queryParameter("page_size")).isNull();
        assertThat(next.structuredContent().has("next_page")).isFalse();
    }

    @Test
    void aForgedCursorIsAnArgumentErrorAndSendsNothing() throws Exception {
        ToolResult result = tool("acme_status_list_components").call(
                JsonNodeFactory.instance.objectNode().put("next_page", "bm90LWEtY3Vyc29y"), new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).startsWith("Invalid argument next_page: is not a cursor that"
                + " acme_status_list_components returned");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anUnknownComponentIsNamedInTheNotFoundMessage() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(404)
                .setBody("{\"error\":{\"code\":404,\"message\":\"Component nope does not exist\"}}"));
        ToolResult result = tool("acme_status_get_component").call(
                JsonNodeFactory.instance.objectNode().put("component", "nope"), new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Component nope not found in Acme Status default.");
    }

    @Test
    void aRefusedKeyNamesTheSettingAndNotTheKey() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401)
                .setBody("{\"error\":{\"code\":401,\"message\":\"Missing or invalid API key\"}}"));
        ToolResult result = tool("acme_status_list_incidents").call(JsonNodeFactory.instance.objectNode(),
                new TestCallContext());
        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("Check the api_key setting").doesNotContain(KEY);
    }
}
