package dev.bastion.security.redact;

import static dev.bastion.security.validate.TestCalls.call;
import static dev.bastion.security.validate.TestCalls.json;
import static dev.bastion.security.validate.TestCalls.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bastion.core.pipeline.Stage;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.tool.Content;
import dev.bastion.core.tool.ResourceContents;
import dev.bastion.core.tool.ToolResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactingInterceptorTest {

    private static final String SECRET = "Planted-Output-Secret-42";

    private final SecretRedactor redactor = SecretRedactor.withSecrets(List.of(SECRET));
    private final ToolResult leaky = new ToolResult(List.of(
            Content.text("config: password=hunter2 key " + SECRET),
            new Content.Image("aGVsbG8=", "image/png", null),
            new Content.EmbeddedResource(new ResourceContents.Text("file:///x", "text/plain", "token=" + SECRET),
                    null)),
            json("{\"items\":[{\"name\":\"a\",\"client_secret\":\"abc\",\"note\":\"" + SECRET + "\"}]}"), false);

    @Test
    void redactsTextBlocksEmbeddedTextAndStructuredContent() throws Exception {
        RedactingInterceptor interceptor = new RedactingInterceptor(redactor);

        ToolResult result = interceptor.intercept(call(tool("t", "{}", null), "{}"), c -> leaky);

        assertThat(interceptor.stage()).isEqualTo(Stage.REDACT);
        assertThat(result.allText()).isEqualTo("config: password=[REDACTED] key [REDACTED]");
        assertThat(result.content().get(1)).isEqualTo(leaky.content().get(1));
        assertThat(((ResourceContents.Text) ((Content.EmbeddedResource) result.content().get(2)).resource()).text())
                .isEqualTo("token=[REDACTED]");
        assertThat(result.structuredContent().toString()).isEqualTo(
                "{\"items\":[{\"name\":\"a\",\"client_secret\":\"[REDACTED]\",\"note\":\"[REDACTED]\"}]}");
        assertThat(result.isError()).isFalse();
    }

    @Test
    void redactsPartialAndCaseChangedFormsOfARegisteredTokenThatABackendEchoes() throws Exception {
        String publicPart = "ECHOEDPUBLIC00000000001";
        String secretPart = "ECHOEDSECRET0000000000000000000000000000000000000000000000000001";
        String token = "vnd1." + publicPart + "." + secretPart;
        SecretRedactor withShape = new SecretRedactor();
        withShape.registerShapes(List.of(SecretRedactorTest.VendorShape.TOKEN));
        withShape.registerSecret(token);
        ToolResult echoing = new ToolResult(List.of(Content.text("title: secret " + secretPart + ", id "
                + publicPart + "." + secretPart + ", upper " + token.toUpperCase(Locale.ROOT))),
                json("{\"problems\":[{\"title\":\"" + secretPart.toLowerCase(Locale.ROOT) + "\"}]}"), false);

        ToolResult result = new RedactingInterceptor(withShape).intercept(call(tool("t", "{}", null), "{}"),
                c -> echoing);

        assertThat(result.allText()).isEqualTo("title: secret [REDACTED], id [REDACTED], upper [REDACTED]");
        assertThat(result.structuredContent().toString()).isEqualTo("{\"problems\":[{\"title\":\"[REDACTED]\"}]}");
    }

    @Test
    void passesResultsThroughWhenTurnedOff() throws Exception {
        RedactingInterceptor interceptor = new RedactingInterceptor(redactor, new RedactionConfig(false));

        assertThat(interceptor.intercept(call(tool("t", "{}", null), "{}"), c -> leaky)).isSameAs(leaky);
    }

    @Test
    void configDefaultsToOnAndMapsTheSetting() {
        assertThat(RedactionConfig.from(new ProviderConfig("security", "default", Map.of())).redactToolOutput())
                .isTrue();
        assertThat(RedactionConfig.from(new ProviderConfig("security", "default",
                Map.of("redact_tool_output", false))).redactToolOutput()).isFalse();
        assertThat(RedactionConfig.settings()).extracting(Setting::key).containsExactly("redact_tool_output");
    }
}
