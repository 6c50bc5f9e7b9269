package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.mcp.McpEngine;
import dev.bastion.core.mcp.McpEngineOptions;
import dev.bastion.core.mcp.McpSession;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.security.audit.AuditInterceptor;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.policy.ApprovalMode;
import dev.bastion.security.policy.GateInterceptor;
import dev.bastion.security.policy.PolicyConfig;
import dev.bastion.security.policy.ToolPolicy;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol 2026-07-28's multi-round-trip requests: the approval gate asks through an
 * input_required result, the answered retry runs the tool once, a decline runs nothing, and a
 * request state that was changed, is another caller's or another request's is refused (and
 * audited by the log). Requests go to the engine as the HTTP and stdio transports send them: each
 * on its own stateless session.
 */
class StatelessRoundsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Principal ALICE = new Principal("alice", Set.of(Principal.ALL_SCOPES));
    private static final Principal BOB = new Principal("bob", Set.of(Principal.ALL_SCOPES));

    private final AtomicInteger runs = new AtomicInteger();
    private final StringWriter auditOut = new StringWriter();
    private final AtomicInteger ids = new AtomicInteger();
    private McpEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private McpEngine gated() {
        ToolCallChain chain = ToolCallChain.of(List.of(new AuditInterceptor(new AuditLog(auditOut, Redactor.NONE)),
                new GateInterceptor(new ToolPolicy(new PolicyConfig(false, ApprovalMode.DESTRUCTIVE, List.of(),
                        List.of(), List.of(), List.of())), Redactor.NONE)));
        engine = EngineFixture.engine(McpEngineOptions.defaults("test"), chain, new GatedWriteProvider(runs));
        return engine;
    }

    private static ObjectNode call(String tool, ObjectNode arguments, boolean elicitation) {
        ObjectNode params = JSON.createObjectNode();
        params.put("name", tool);
        params.set("arguments", arguments);
        ObjectNode meta = params.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        ObjectNode capabilities = meta.putObject("io.modelcontextprotocol/clientCapabilities");
        if (elicitation) {
            capabilities.putObject("elicitation");
        }
        return params;
    }

    /** One stateless request, as a transport sends it; the response message. */
    private JsonNode send(Principal principal, ObjectNode params) throws Exception {
        ObjectNode message = JSON.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("id", ids.incrementAndGet());
        message.put("method", "tools/call");
        message.set("params", params);
        List<JsonNode> out = new CopyOnWriteArrayList<>();
        McpSession session = engine.openStatelessRequest(principal);
        session.handle(message, out::add, message.toString().length()).get(20, TimeUnit.SECONDS);
        session.close();
        return out.stream().filter(m -> m.has("result") || m.has("error")).findFirst().orElseThrow();
    }

    private static ObjectNode answered(ObjectNode params, JsonNode round, String answer) throws Exception {
        ObjectNode retry = params.deepCopy();
        retry.putObject("inputResponses").set("approval", JSON.readTree(answer));
        retry.put("requestState", round.path("result").path("requestState").asText());
        return retry;
    }

    @Test
    void aWriteToolAsksForApprovalThroughAnInputRequiredResultAndRunsOnceAccepted() throws Exception {
        gated();
        ObjectNode params = call("gated_delete", JSON.createObjectNode().put("id", "42"), true);
        JsonNode round = send(ALICE, params);
        JsonNode result = round.path("result");
        assertThat(result.path("resultType").asText()).isEqualTo("input_required");
        JsonNode question = result.path("inputRequests").path("approval");
        assertThat(question.path("method").asText()).isEqualTo("elicitation/create");
        assertThat(question.path("params").path("message").asText()).contains("gated_delete");
        assertThat(result.path("requestState").asText()).contains(".");
        assertThat(runs).as("nothing runs before the answer").hasValue(0);

        JsonNode done = send(ALICE, answered(params, round, "{\"action\":\"accept\",\"content\":{\"confirm\":true}}"));
        assertThat(done.path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(done.path("result").path("content").get(0).path("text").asText()).isEqualTo("deleted");
        assertThat(runs).hasValue(1);
        List<String> records = auditOut.toString().lines().toList();
        assertThat(records).hasSize(2);
        assertThat(JSON.readTree(records.get(0)).path("outcome").asText()).isEqualTo("input_required");
        assertThat(JSON.readTree(records.get(1)).path("outcome").asText()).isEqualTo("ok");
    }

    @Test
    void aDeclinedApprovalRunsNothingAndIsAuditedAsDeclined() throws Exception {
        gated();
        ObjectNode params = call("gated_delete", JSON.createObjectNode().put("id", "42"), true);
        JsonNode round = send(ALICE, params);
        JsonNode declined = send(ALICE, answered(params, round, "{\"action\":\"decline\"}"));
        assertThat(declined.path("result").path("isError").asBoolean()).isTrue();
        assertThat(runs).hasValue(0);
        assertThat(auditOut.toString()).contains("approval_declined");
    }

    @Test
    void aChangedStateIsRefused() throws Exception {
        gated();
        ObjectNode params = call("gated_delete", JSON.createObjectNode().put("id", "42"), true);
        JsonNode round = send(ALICE, params);
        ObjectNode tampered = answered(params, round, "{\"action\":\"accept\",\"content\":{\"confirm\":true}}");
        tampered.put("requestState", tampered.get("requestState").asText() + "-TAMPERED");
        JsonNode refused = send(ALICE, tampered);
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(refused.path("error").path("message").asText()).startsWith("Invalid params: requestState refused");
        String state = round.path("result").path("requestState").asText();
        String payload = state.substring(0, state.indexOf('.'));
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"answers\":{}", "\"answers\":{\"approval\":{\"action\":\"accept\",\"content\":"
                                + "{\"confirm\":true}}}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + state.substring(state.indexOf('.'));
        ObjectNode withForgedAnswers = params.deepCopy();
        withForgedAnswers.put("requestState", forged);
        assertThat(send(ALICE, withForgedAnswers).path("error").path("message").asText())
                .contains("integrity check failed");
        assertThat(runs).hasValue(0);
        List<String> records = auditOut.toString().lines().toList();
        assertThat(records).hasSize(3);
        JsonNode refusal = JSON.readTree(records.get(2));
        assertThat(refusal.path("decision").asText()).isEqualTo("request_state_refused");
        assertThat(refusal.path("outcome").asText()).isEqualTo("denied");
        assertThat(refusal.path("reason").asText()).contains("integrity check failed");
    }

    @Test
    void anotherCallersOrAnotherRequestsStateIsRefused() throws Exception {
        gated();
        ObjectNode params = call("gated_delete", JSON.createObjectNode().put("id", "42"), true);
        JsonNode round = send(ALICE, params);
        String accept = "{\"action\":\"accept\",\"content\":{\"confirm\":true}}";
        JsonNode asBob = send(BOB, answered(params, round, accept));
        assertThat(asBob.path("error").path("message").asText()).contains("issued to another caller");
        assertThat(auditOut.toString().lines().toList().get(1)).contains("\"principal\":\"bob\"")
                .contains("request_state_refused");
        ObjectNode otherArguments = answered(params, round, accept);
        otherArguments.set("arguments", JSON.createObjectNode().put("id", "43"));
        assertThat(send(ALICE, otherArguments).path("error").path("message").asText())
                .contains("issued for another request");
        assertThat(runs).hasValue(0);
    }

    @Test
    void approvalWithoutTheElicitationCapabilityIsRefusedWithoutRunning() throws Exception {
        gated();
        JsonNode refused = send(ALICE, call("gated_delete", JSON.createObjectNode().put("id", "42"), false));
        assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
        assertThat(refused.path("result").path("content").get(0).path("text").asText())
                .contains("does not support elicitation");
        assertThat(runs).hasValue(0);
    }

    @Test
    void aToolThatNeedsAnUndeclaredCapabilityIsMinus32021() throws Exception {
        engine = EngineFixture.conformance();
        JsonNode refused = send(ALICE, call("test_missing_capability", JSON.createObjectNode(), false));
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32021);
        assertThat(refused.path("error").path("data").path("requiredCapabilities").path("sampling").isObject())
                .isTrue();
    }

    @Test
    void aMultiRoundToolCarriesEarlierAnswersInTheStateAndCompletesInTheThirdRound() throws Exception {
        engine = EngineFixture.conformance();
        ObjectNode params = call("test_input_required_result_multi_round", JSON.createObjectNode(), true);
        JsonNode first = send(ALICE, params);
        assertThat(first.path("result").path("inputRequests").has("step1")).isTrue();
        ObjectNode second = params.deepCopy();
        second.putObject("inputResponses").set("step1", JSON.readTree(
                "{\"action\":\"accept\",\"content\":{\"name\":\"Alice\"}}"));
        second.put("requestState", first.path("result").path("requestState").asText());
        JsonNode secondRound = send(ALICE, second);
        assertThat(secondRound.path("result").path("inputRequests").has("step2")).isTrue();
        assertThat(secondRound.path("result").path("requestState").asText())
                .isNotEqualTo(first.path("result").path("requestState").asText());
        ObjectNode third = params.deepCopy();
        third.putObject("inputResponses").set("step2", JSON.readTree(
                "{\"action\":\"accept\",\"content\":{\"color\":\"blue\"}}"));
        third.put("requestState", secondRound.path("result").path("requestState").asText());
        JsonNode done = send(ALICE, third);
        assertThat(done.path("result").path("content").get(0).path("text").asText()).isEqualTo("Alice likes blue");
    }

    @Test
    void anAnswerToAQuestionNeverAskedRunsNothingAndAStateCompletesItsCallOnce() throws Exception {
        gated();
        ObjectNode params = call("gated_delete", JSON.createObjectNode().put("id", "42"), true);
        ObjectNode unasked = params.deepCopy();
        unasked.putObject("inputResponses").set("approval", JSON.readTree(
                "{\"action\":\"accept\",\"content\":{\"confirm\":true}}"));
        JsonNode asked = send(ALICE, unasked);
        assertThat(asked.path("result").path("resultType").asText())
                .as("an approval sent before it was asked is ignored: the gate asks").isEqualTo("input_required");
        assertThat(runs).hasValue(0);
        ObjectNode accepted = answered(params, asked, "{\"action\":\"accept\",\"content\":{\"confirm\":true}}");
        assertThat(send(ALICE, accepted).path("result").path("content").get(0).path("text").asText())
                .isEqualTo("deleted");
        JsonNode replayed = send(ALICE, accepted);
        assertThat(replayed.path("error").path("message").asText()).contains("already used");
        assertThat(runs).as("one approval, one run").hasValue(1);
    }
}
