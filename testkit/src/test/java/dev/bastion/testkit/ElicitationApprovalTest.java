package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.audit.AuditInterceptor;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.policy.ApprovalMode;
import dev.bastion.security.policy.GateInterceptor;
import dev.bastion.security.policy.PolicyConfig;
import dev.bastion.security.policy.ToolPolicy;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 item 20, end to end: the engine reads the client's approval answer, the gate decides on
 * it, and the audit records the decision. Only the answer MCP 2025-11-25 defines runs the tool.
 */
class ElicitationApprovalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger runs = new AtomicInteger();
    private final StringWriter auditOut = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"action\":\"ACCEPT\",\"content\":{\"confirm\":true}}",
            "{\"action\":\"Accept\",\"content\":{\"confirm\":true}}",
            "{\"action\":\"accept\",\"content\":[true]}",
            "{\"action\":\"accept\"}",
            "{\"action\":\"accept\",\"content\":{}}",
            "{\"action\":\"accept\",\"content\":{\"confirm\":\"true\"}}",
            "{\"action\":\"accept\",\"content\":{\"confirm\":[true]}}",
            "{\"action\":\"accept\",\"content\":{\"confirm\":true,\"also\":\"drop tables\"}}",
            "{\"action\":\"yes\"}",
    })
    void aMalformedAnswerDoesNotRunTheToolAndIsAuditedAsApprovalFailed(String answer) throws Exception {
        JsonNode result = callWithAnswer(answer);

        assertThat(runs).as("the tool must not run").hasValue(0);
        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.at("/content/0/text").asText())
                .startsWith("Tool gated_delete was not run: the approval request failed (the client's answer to "
                        + "elicitation/create is malformed: ")
                .endsWith("). Nothing was changed.");
        JsonNode record = onlyAuditRecord();
        assertThat(record.get("decision").asText()).isEqualTo("approval_failed");
        assertThat(record.get("outcome").asText()).isEqualTo("denied");
        assertThat(record.get("reason").asText()).contains("malformed");
    }

    @Test
    void theDefinedAcceptWithConfirmTrueRunsTheTool() throws Exception {
        JsonNode result = callWithAnswer("{\"action\":\"accept\",\"content\":{\"confirm\":true}}");

        assertThat(result.at("/content/0/text").asText()).isEqualTo("deleted");
        assertThat(runs).hasValue(1);
        assertThat(onlyAuditRecord().get("outcome").asText()).isEqualTo("ok");
    }

    @Test
    void aDefinedDeclineIsAuditedAsDeclined() throws Exception {
        callWithAnswer("{\"action\":\"decline\"}");

        assertThat(runs).hasValue(0);
        assertThat(onlyAuditRecord().get("decision").asText()).isEqualTo("approval_declined");
    }

    private JsonNode callWithAnswer(String answer) throws Exception {
        JsonNode parsed = JSON.readTree(answer);
        ToolCallChain chain = ToolCallChain.of(List.of(new AuditInterceptor(new AuditLog(auditOut, Redactor.NONE)),
                new GateInterceptor(new ToolPolicy(new PolicyConfig(false, ApprovalMode.DESTRUCTIVE, List.of(),
                        List.of(), List.of(), List.of())), Redactor.NONE)));
        try (McpEngine engine = EngineFixture.engine(McpEngineOptions.defaults("test"), chain,
                new GatedWriteProvider(runs));
             McpTestClient client = McpTestClient.inProcess(engine).timeout(Duration.ofSeconds(10))) {
            client.onServerRequest(request -> parsed);
            ObjectNode capabilities = JSON.createObjectNode();
            capabilities.putObject("elicitation");
            client.initialize(capabilities);
            return client.callTool("gated_delete", JSON.createObjectNode());
        }
    }

    private JsonNode onlyAuditRecord() throws Exception {
        List<String> lines = auditOut.toString().lines().toList();
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.get(0));
    }
}
