package dev.bastion.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.app.runtime.LaunchOptions;
import dev.bastion.app.runtime.ProviderInstances;
import dev.bastion.provider.dynatrace.managed.sandbox.DynatraceManagedSandbox;
import dev.bastion.testkit.McpTestClient;
import dev.bastion.transport.http.HttpSettings;
import dev.bastion.transport.http.HttpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code X-Dynatrace-Tokens} end to end: an HTTP client sends its own token through the real HTTP
 * server, the engine and its pipeline, to the Dynatrace Managed provider and its sandbox. The
 * configured {@code api_token} is one the sandbox refuses, so a call succeeds only with the caller's.
 */
class CallerTokensOverHttpTest {

    private static final String WRONG_CONFIGURED = "dt0c01.WRONGCONFIGUREDTOKEN2345."
            + "WRONGCONFIGUREDTOKENWRONGCONFIGUREDTOKENWRONGCONFIGUREDTOKEN2345";
    private static final String REFUSED = "The caller's X-Dynatrace-Tokens credential for environment prod was refused;"
            + " send prod=<a valid API token of that environment> in the X-Dynatrace-Tokens header.";

    @TempDir
    Path temp;

    private DynatraceManagedSandbox sandbox;
    private BastionRuntime runtime;
    private HttpTransport http;

    @BeforeEach
    void start() throws Exception {
        sandbox = DynatraceManagedSandbox.start(DynatraceManagedSandbox.Options.defaults().withAliases("prod"));
        Path config = Files.writeString(temp.resolve("bastion.yaml"), "providers:\n  dynatrace-managed:\n"
                + "    instances:\n      - alias: prod\n        url: " + sandbox.url() + "\n        environment_id: "
                + sandbox.environment("prod").environmentId() + "\n        api_token: ${DT_PROD_TOKEN}\n"
                + "        allow_insecure_loopback: true\nsecurity:\n  audit:\n    file: " + temp.resolve("audit.jsonl")
                + "\n");
        runtime = BastionRuntime.start(new LaunchOptions(Optional.of(config), Optional.empty(), false,
                Map.of("DT_PROD_TOKEN", WRONG_CONFIGURED)), System.err);
        // As `bastion serve --transport http` wires it: each factory's declared header.
        Map<String, String> headers = new HashMap<>();
        for (ProviderInstances.Entry entry : runtime.providers().entries()) {
            entry.source().factory().callerCredentialHeader()
                    .ifPresent(header -> headers.put(entry.instance().providerId(), header));
        }
        http = HttpTransport.builder(runtime.engine(), HttpSettings.loopbackDefaults())
                .callerCredentialHeaders(headers).build();
        http.start();
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private JsonNode listProblems(Map<String, String> headers) {
        try (McpTestClient client = McpTestClient.http(http.endpoint(), headers).timeout(Duration.ofSeconds(30))) {
            client.initialize();
            return client.callTool("dynatrace_managed_list_problems", JsonNodeFactory.instance.objectNode());
        }
    }

    private static String text(JsonNode result) {
        return result.path("content").get(0).path("text").asText();
    }

    @Test
    void theCallersTokenFromTheHeaderReachesTheBackendAndIsLookedUpOnce() throws Exception {
        String token = sandbox.environment("prod").token();
        Map<String, String> header = Map.of("X-Dynatrace-Tokens", "staging=dt0c01.NOTUSED;prod=" + token);

        JsonNode first = listProblems(header);
        JsonNode second = listProblems(header);

        assertThat(first.path("isError").asBoolean()).as(first.toString()).isFalse();
        assertThat(second.path("isError").asBoolean()).as(second.toString()).isFalse();
        assertThat(sandbox.requestLog().stream().filter(line -> line.contains("/apiTokens/lookup")))
                .as("the caller's token was looked up once for both calls").hasSize(1);
        assertThat(sandbox.requestLog().stream().filter(line -> line.contains("/api/v2/problems"))).hasSize(2);
        String audit = Files.readString(temp.resolve("audit.jsonl"));
        assertThat(audit + first + second).doesNotContain(token);
    }

    @Test
    void withoutTheHeaderTheConfiguredTokenIsSentAndRefusedByTheBackend() {
        JsonNode result = listProblems(Map.of());

        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(text(result)).contains("rejected the API token (401").contains("Check the api_token setting.")
                .doesNotContain(WRONG_CONFIGURED);
    }

    @Test
    void anUnknownAliasAndABadTokenGetTheSameAnswerOverHttp() {
        String token = sandbox.environment("prod").token();

        JsonNode unknownAlias = listProblems(Map.of("X-Dynatrace-Tokens", "staging=" + token));
        JsonNode badToken = listProblems(Map.of("X-Dynatrace-Tokens", "prod=" + WRONG_CONFIGURED));

        assertThat(text(unknownAlias)).isEqualTo(REFUSED);
        assertThat(text(badToken)).isEqualTo(REFUSED);
        assertThat(unknownAlias.path("isError").asBoolean()).isTrue();
        assertThat(badToken.path("isError").asBoolean()).isTrue();
        assertThat(unknownAlias.toString() + badToken).doesNotContain(token, WRONG_CONFIGURED);
    }

    @Test
    void aMalformedHeaderIsAClearErrorOverHttp() {
        String token = sandbox.environment("prod").token();

        JsonNode result = listProblems(Map.of("X-Dynatrace-Tokens", token));

        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(text(result)).startsWith("The X-Dynatrace-Tokens header is malformed: entry 1 is not alias=token.")
                .doesNotContain(token);
        assertThat(sandbox.requestLog()).isEmpty();
    }
}
