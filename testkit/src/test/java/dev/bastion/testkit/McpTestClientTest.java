package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bastion.core.mcp.McpEngine;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Accessors of another transport fail loudly: an empty answer would let "nothing happened" assertions pass. */
class McpTestClientTest {

    @Test
    void httpAccessorsOfAnInProcessClientFail() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            assertThatThrownBy(client::sessionId).isInstanceOf(IllegalStateException.class)
                    .hasMessage("sessionId() needs an HTTP client (McpTestClient.http); this one is in-process");
            assertThatThrownBy(client::httpStatuses).isInstanceOf(IllegalStateException.class)
                    .hasMessage("httpStatuses() needs an HTTP client (McpTestClient.http); this one is in-process");
            assertThatThrownBy(client::httpContentTypes).isInstanceOf(IllegalStateException.class)
                    .hasMessage("httpContentTypes() needs an HTTP client (McpTestClient.http); this one is in-process");
            assertThatThrownBy(client::eventIds).isInstanceOf(IllegalStateException.class)
                    .hasMessage("eventIds() needs an HTTP client (McpTestClient.http); this one is in-process");
            assertThatThrownBy(() -> client.openEventStream(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("openEventStream() needs an HTTP client (McpTestClient.http); this one is in-process");
            assertThatThrownBy(client::deleteSession).isInstanceOf(IllegalStateException.class)
                    .hasMessage("deleteSession() needs an HTTP client (McpTestClient.http); this one is in-process");
        }
    }

    @Test
    void stdioAccessorsOfAnInProcessOrHttpClientFail() {
        try (McpEngine engine = EngineFixture.conformance(); McpTestClient client = McpTestClient.inProcess(engine)) {
            assertThatThrownBy(client::rawStdout).isInstanceOf(IllegalStateException.class)
                    .hasMessage("rawStdout() needs a stdio client (McpTestClient.stdio); this one is in-process");
            assertThatThrownBy(client::stderr).isInstanceOf(IllegalStateException.class)
                    .hasMessage("stderr() needs a stdio client (McpTestClient.stdio); this one is in-process");
            assertThatThrownBy(() -> client.closeInputAndWait(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("closeInputAndWait() needs a stdio client (McpTestClient.stdio); this one is in-process");
        }
        // Building an HTTP client sends nothing, so no server is needed to ask it the wrong question.
        try (McpTestClient client = McpTestClient.http(URI.create("http://127.0.0.1:9/mcp"))) {
            assertThatThrownBy(client::rawStdout).isInstanceOf(IllegalStateException.class)
                    .hasMessage("rawStdout() needs a stdio client (McpTestClient.stdio); this one is an HTTP client");
        }
    }
}
