package dev.bastion.security.policy;

import static dev.bastion.security.pipelinesupport.Calls.call;
import static dev.bastion.security.pipelinesupport.Calls.readTool;
import static dev.bastion.security.pipelinesupport.Calls.writeTool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.tool.ClientRequestException;
import dev.bastion.core.tool.ElicitationResult;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.pipelinesupport.TestCallContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GateInterceptorTest {

    private static final String SECRET = "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.SECRETSECRETSECRET";
    private static final Principal LOCAL = Principal.local();

    /** Replaces the planted secret, as the real redactor does for registered secrets. */
    private static final Redactor REDACTOR = new Redactor() {
        @Override
        public String redact(String text) {
            return text.replace(SECRET, "[REDACTED]");
        }

        @Override
        public void registerSecret(String value) {
        }
    };

    private final AtomicInteger toolRuns = new AtomicInteger();

    private ToolResult run(PolicyConfig config, ToolCall call) throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new GateInterceptor(new ToolPolicy(config), REDACTOR)));
        return chain.execute(call, c -> {
            toolRuns.incrementAndGet();
            return ToolResult.text("done");
        });
    }

    private static PolicyConfig writable(ApprovalMode approval) {
        return new PolicyConfig(false, approval, List.of(), List.of(), List.of(), List.of());
    }

    private static TestCallContext answering(ElicitationResult result) {
        return new TestCallContext(LOCAL, Instant.now().plusSeconds(30), true, (m, s) -> result);
    }

    @Test
    void readOnlyModeRefusesWriteTools() throws Exception {
        ToolCall call = call(writeTool("oci_stop_instance", false), TestCallContext.of(LOCAL, Instant.now().plusSeconds(30)));

        ToolResult result = run(PolicyConfig.defaults(), call);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("Tool oci_stop_instance changes backend state and the server is in "
                + "read-only mode. Set security.read_only: false (or BASTION_READ_ONLY=false) to enable write tools.");
        assertThat(call.decision().decision()).isEqualTo("read_only");
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void readToolsPassWithoutApproval() throws Exception {
        TestCallContext context = answering(new ElicitationResult(ElicitationResult.Action.DECLINE, null));

        ToolResult result = run(writable(ApprovalMode.WRITES), call(readTool("oci_list_metrics"), context));

        assertThat(result.allText()).isEqualTo("done");
        assertThat(context.questions()).isEmpty();
    }

    @Test
    void destructiveToolProceedsWhenUserAcceptsAndConfirms() throws Exception {
        ObjectNode confirmed = JsonNodeFactory.instance.objectNode().put("confirm", true);
        TestCallContext context = answering(new ElicitationResult(ElicitationResult.Action.ACCEPT, confirmed));
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("instance_id", "ocid1.instance.x")
                .put("token", SECRET);

        ToolResult result = run(writable(ApprovalMode.DESTRUCTIVE),
                call(writeTool("oci_terminate_instance", true), arguments, context));

        assertThat(result.allText()).isEqualTo("done");
        assertThat(toolRuns).hasValue(1);
        String question = context.questions().get(0);
        assertThat(question).contains("Tool: oci_terminate_instance", "Provider: itential", "Instance: default",
                "ocid1.instance.x", "[REDACTED]");
        assertThat(question).doesNotContain(SECRET);
        assertThat(context.schemas().get(0).at("/properties/confirm/type").asText()).isEqualTo("boolean");
    }

    @Test
    void acceptWithConfirmFalseDoesNotRun() throws Exception {
        ObjectNode unconfirmed = JsonNodeFactory.instance.objectNode().put("confirm", false);
        ToolCall call = call(writeTool("oci_terminate_instance", true),
                answering(new ElicitationResult(ElicitationResult.Action.ACCEPT, unconfirmed)));

        ToolResult result = run(writable(ApprovalMode.DESTRUCTIVE), call);

        assertThat(result.isError()).isTrue();
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void declineRefusesTheCall() throws Exception {
        ToolCall call = call(writeTool("oci_terminate_instance", true),
                answering(new ElicitationResult(ElicitationResult.Action.DECLINE, null)));

        ToolResult result = run(writable(ApprovalMode.DESTRUCTIVE), call);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).isEqualTo("The user declined tool oci_terminate_instance; it was not run and "
                + "nothing was changed.");
        assertThat(call.decision().decision()).isEqualTo("approval_declined");
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void cancelRefusesTheCall() throws Exception {
        ToolCall call = call(writeTool("oci_terminate_instance", true),
                answering(new ElicitationResult(ElicitationResult.Action.CANCEL, null)));

        ToolResult result = run(writable(ApprovalMode.DESTRUCTIVE), call);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("cancelled the approval");
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void clientWithoutElicitationIsRefusedWithHowToProceed() throws Exception {
        ToolCall call = call(writeTool("oci_terminate_instance", true), TestCallContext.of(LOCAL, Instant.now().plusSeconds(30)));

        ToolResult result = run(writable(ApprovalMode.DESTRUCTIVE), call);

        assertThat(result.isError()).isTrue();
        assertThat(result.allText()).contains("does not support elicitation", "security.approval: none");
        assertThat(call.decision().decision()).isEqualTo("approval_unavailable");
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void failedElicitationRefusesTheCall() throws Exception {
        TestCallContext context = new TestCallContext(LOCAL, Instant.now().plusSeconds(30), true, (m, s) -> {
            throw new ClientRequestException("the client did not answer in time");
        });

        ToolResult result = run(writable(ApprovalMode.DESTRUCTIVE), call(writeTool("oci_terminate_instance", true), context));

        assertThat(result.allText()).contains("the client did not answer in time", "Nothing was changed");
        assertThat(toolRuns).hasValue(0);
    }

    @Test
    void approvalModesSelectWhichToolsAsk() throws Exception {
        TestCallContext context = answering(new ElicitationResult(ElicitationResult.Action.DECLINE, null));

        assertThat(run(writable(ApprovalMode.DESTRUCTIVE), call(writeTool("a_write", false), context)).isError()).isFalse();
        assertThat(run(writable(ApprovalMode.WRITES), call(writeTool("a_write", false), context)).isError()).isTrue();
        assertThat(run(writable(ApprovalMode.NONE), call(writeTool("a_destroy", true), context)).isError()).isFalse();
        assertThat(context.questions()).hasSize(1);
    }

    @Test
    void authorizationInterceptorRefusesWithTheRule() throws Exception {
        PolicyConfig config = new PolicyConfig(false, ApprovalMode.NONE, List.of(), List.of("oci_*"), List.of(), List.of());
        ToolCallChain chain = ToolCallChain.of(List.of(new AuthorizationInterceptor(new ToolPolicy(config))));
        ToolCall excluded = call(readTool("oci_list_metrics"), TestCallContext.of(LOCAL, Instant.now().plusSeconds(5)));
        ToolCall unscoped = call(readTool("itential_get_devices"),
                TestCallContext.of(new Principal("eve", Set.of()), Instant.now().plusSeconds(5)));

        assertThat(chain.execute(excluded, c -> ToolResult.text("ran")).allText()).contains("security.tools.exclude");
        assertThat(chain.execute(unscoped, c -> ToolResult.text("ran")).allText()).contains("bastion:read");
        assertThat(unscoped.decision().decision()).isEqualTo("unauthorized");
        assertThat(chain.execute(call(readTool("itential_get_devices"), TestCallContext.of(LOCAL, Instant.now())),
                c -> ToolResult.text("ran")).allText()).isEqualTo("ran");
    }
}
