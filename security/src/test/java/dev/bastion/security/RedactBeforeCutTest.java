package dev.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.limits.ResultSizeInterceptor;
import dev.bastion.security.pipelinesupport.Calls;
import dev.bastion.security.pipelinesupport.TestCallContext;
import dev.bastion.security.redact.RedactingInterceptor;
import dev.bastion.security.redact.SecretRedactor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redaction and the size limit, in their pipeline order: a result whose cut would fall inside a
 * registered secret still shows none of it, because redaction runs before the cut.
 */
class RedactBeforeCutTest {

    private static final String SECRET = "s3cr3t-registered-credential-value-0123456789";

    @Test
    void aSecretAcrossTheCutIsRedactedWhole() throws Exception {
        SecretRedactor redactor = SecretRedactor.withSecrets(List.of(SECRET));
        ToolCallChain chain = ToolCallChain.of(List.of(new ResultSizeInterceptor(new ObjectMapper(), 1024),
                new RedactingInterceptor(redactor)));
        for (int padding = 900; padding < 1000; padding += 7) {
            String text = "x".repeat(padding) + SECRET + "y".repeat(2000);
            ToolResult result = chain.execute(Calls.call(Calls.readTool("t_tool"), TestCallContext.of(dev.bastion.core.auth.Principal.local(), java.time.Instant.now().plusSeconds(30))),
                    call -> ToolResult.text(text));
            String visible = result.allText();
            assertThat(visible).contains("[truncated");
            for (int length = 8; length <= SECRET.length(); length++) {
                assertThat(visible).as("padding %d", padding).doesNotContain(SECRET.substring(0, length));
            }
        }
    }
}
