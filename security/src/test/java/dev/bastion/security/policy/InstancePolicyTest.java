package dev.bastion.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.auth.Principal;
import dev.bastion.core.pipeline.CallDecision;
import dev.bastion.core.pipeline.ToolCall;
import dev.bastion.core.pipeline.ToolCallChain;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.tool.ElicitationResult;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.security.audit.AuditInterceptor;
import dev.bastion.security.audit.AuditLog;
import dev.bastion.security.pipelinesupport.TestCallContext;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Policy per provider instance: an instance's read_only and approval replace the server's for its calls. */
class InstancePolicyTest {

    private static final String PROVIDER = "fixture";
    private static final Principal LOCAL = Principal.local();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ToolDescriptor UPDATE = write("fixture_update", false, false);
    private static final ToolDescriptor DELETE = write("fixture_delete", true, false);
    private static final ToolDescriptor BULK_UPDATE = write("fixture_bulk_update", false, true);
    private static final ToolDescriptor ECHO = ToolDescriptor.builder("fixture_echo").description("reads")
            .annotations(ToolAnnotations.readOnly()).fanOut().build();

    private final AtomicInteger runs = new AtomicInteger();
    private final StringWriter auditOut = new StringWriter();

    private static ToolDescriptor write(String name, boolean destructive, boolean fanOut) {
        ToolDescriptor.Builder builder = ToolDescriptor.builder(name).description("writes")
                .annotations(ToolAnnotations.write(destructive, false));
        return fanOut ? builder.fanOut().build() : builder.build();
    }

    private static InstancePolicy policy(Boolean readOnly, ApprovalMode approval) {
        return new InstancePolicy(Optional.ofNullable(readOnly), Optional.ofNullable(approval));
    }

    private static PolicyConfig server(boolean readOnly, ApprovalMode approval) {
        return new PolicyConfig(readOnly, approval, List.of(), List.of(), List.of(), List.of());
    }

    /** Two instances, prod and staging, offering every tool. */
    private static ToolPolicy toolPolicy(PolicyConfig server, InstancePolicy prod, InstancePolicy staging) {
        return new ToolPolicy(server, tool -> Optional.of(new ToolPolicy.Owner(PROVIDER, List.of("prod", "staging"))),
                Map.of(PROVIDER, Map.of("prod", prod, "staging", staging)));
    }

    @Test
    void enabledToolsFollowTheInstancesOwnReadOnlyAndTheFilters() {
        ToolPolicy policy = toolPolicy(server(true, ApprovalMode.DESTRUCTIVE), policy(null, null), policy(false, null));
        ToolPolicy excluding = new ToolPolicy(new PolicyConfig(false, ApprovalMode.DESTRUCTIVE, List.of(),
                List.of("fixture_e*"), List.of(), List.of()));

        assertThat(policy.enabled(PROVIDER, "prod", DELETE)).as("read-only by the server").isFalse();
        assertThat(policy.enabled(PROVIDER, "staging", DELETE)).as("staging allows writes").isTrue();
        assertThat(policy.enabled(PROVIDER, "prod", ECHO)).isTrue();
        assertThat(excluding.enabled(PROVIDER, "prod", ECHO)).as("excluded by a pattern").isFalse();
        assertThat(excluding.enabled(PROVIDER, "prod", DELETE)).isTrue();
    }

    private static ToolCall call(ToolDescriptor tool, String instance, TestCallContext context) {
        return new ToolCall(tool, PROVIDER, instance, JsonNodeFactory.instance.objectNode(), 10, null, "test-client",
                context, new CallDecision());
    }

    private static TestCallContext noElicitation() {
        return TestCallContext.of(LOCAL, Instant.now().plusSeconds(30));
    }

    private static TestCallContext accepting() {
        ObjectNode confirmed = JsonNodeFactory.instance.objectNode().put("confirm", true);
        return new TestCallContext(LOCAL, Instant.now().plusSeconds(30), true,
                (message, schema) -> new ElicitationResult(ElicitationResult.Action.ACCEPT, confirmed));
    }

    private ToolResult run(ToolPolicy policy, ToolCall call) throws Exception {
        ToolCallChain chain = ToolCallChain.of(List.of(new AuditInterceptor(new AuditLog(auditOut, Redactor.NONE), policy),
                new GateInterceptor(policy, Redactor.NONE)));
        return chain.execute(call, c -> {
            runs.incrementAndGet();
            return ToolResult.text("done on " + c.instance());
        });
    }

    private JsonNode lastAuditRecord() throws Exception {
        List<String> lines = auditOut.toString().lines().toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void anInstanceKeyReplacesTheServerValueForThatInstanceOnly() {
        ToolPolicy policy = toolPolicy(server(false, ApprovalMode.NONE), policy(true, null), InstancePolicy.INHERIT);

        assertThat(policy.applied(PROVIDER, "prod").describe()).isEqualTo("instance prod: read_only=true, approval=none");
        assertThat(policy.applied(PROVIDER, "staging").describe()).isEqualTo("server: read_only=false, approval=none");
        assertThat(policy.applied("other", "prod").describe()).isEqualTo("server: read_only=false, approval=none");
    }

    @Test
    void anInstanceMayBeLooserThanTheServer() {
        ToolPolicy policy = toolPolicy(PolicyConfig.defaults(), InstancePolicy.INHERIT, policy(false, ApprovalMode.NONE));

        assertThat(policy.applied(PROVIDER, "staging").describe()).isEqualTo("instance staging: read_only=false, approval=none");
        assertThat(policy.readOnlyDenial(UPDATE, PROVIDER, "staging")).isEmpty();
        assertThat(policy.readOnlyDenial(UPDATE, PROVIDER, "prod")).isPresent();
    }

    @Test
    void aWriteToolIsListedWhenAtLeastOneOfItsInstancesAllowsWrites() {
        ToolPolicy mixed = toolPolicy(PolicyConfig.defaults(), policy(true, null), policy(false, null));
        ToolPolicy bothReadOnly = toolPolicy(server(false, ApprovalMode.NONE), policy(true, null), policy(true, null));
        ToolPolicy inheritReadOnly = toolPolicy(PolicyConfig.defaults(), policy(true, null), policy(null, ApprovalMode.NONE));

        assertThat(mixed.visible(UPDATE, LOCAL)).isTrue();
        assertThat(bothReadOnly.visible(UPDATE, LOCAL)).isFalse();
        assertThat(bothReadOnly.readOnlyDenial(UPDATE)).contains("Tool fixture_update changes backend state and every "
                + "instance of provider fixture that offers it is read-only: prod (read_only: true), staging "
                + "(read_only: true). Set read_only: false on an instance to enable write tools there.");
        assertThat(inheritReadOnly.visible(UPDATE, LOCAL)).isFalse();
        assertThat(inheritReadOnly.readOnlyDenial(UPDATE).orElseThrow())
                .contains("prod (read_only: true), staging (security.read_only: true)");
        assertThat(bothReadOnly.visible(ECHO, LOCAL)).as("read tools are never hidden by read-only mode").isTrue();
    }

    @Test
    void aCallToAReadOnlyInstanceIsRefusedNamingTheInstanceAndTheKey() throws Exception {
        ToolPolicy policy = toolPolicy(server(false, ApprovalMode.NONE), policy(true, null), policy(false, null));

        ToolCall toProd = call(UPDATE, "prod", noElicitation());
        ToolResult refused = run(policy, toProd);

        assertThat(refused.isError()).isTrue();
        assertThat(refused.allText()).isEqualTo("Tool fixture_update changes backend state and instance prod of "
                + "provider fixture is read-only (read_only: true in the configuration of instance prod). Call an "
                + "instance that allows writes, or set read_only: false on instance prod to enable write tools there.");
        assertThat(toProd.decision().decision()).isEqualTo("read_only");
        assertThat(runs).hasValue(0);
        assertThat(lastAuditRecord().get("policy").asText()).isEqualTo("instance prod: read_only=true, approval=none");

        ToolResult allowed = run(policy, call(UPDATE, "staging", noElicitation()));

        assertThat(allowed.allText()).isEqualTo("done on staging");
        assertThat(runs).hasValue(1);
        JsonNode record = lastAuditRecord();
        assertThat(record.get("outcome").asText()).isEqualTo("ok");
        assertThat(record.get("policy").asText()).isEqualTo("instance staging: read_only=false, approval=none");
    }

    @Test
    void aCallToAnInstanceThatKeepsTheServersModeSaysHowToChangeEither() throws Exception {
        ToolPolicy policy = toolPolicy(PolicyConfig.defaults(), InstancePolicy.INHERIT, policy(false, ApprovalMode.NONE));

        ToolResult refused = run(policy, call(UPDATE, "prod", noElicitation()));

        assertThat(refused.allText()).isEqualTo("Tool fixture_update changes backend state and the server is in "
                + "read-only mode. Set security.read_only: false (or BASTION_READ_ONLY=false) to enable write tools. "
                + "Instance prod does not set read_only, so the server's mode applies to it; set read_only: false on "
                + "instance prod to enable write tools there only.");
        assertThat(lastAuditRecord().get("policy").asText()).isEqualTo("server: read_only=true, approval=destructive");
    }

    @Test
    void approvalFollowsTheInstanceTheCallGoesTo() throws Exception {
        ToolPolicy policy = toolPolicy(server(false, ApprovalMode.NONE), policy(null, ApprovalMode.WRITES),
                InstancePolicy.INHERIT);

        TestCallContext prodClient = accepting();
        assertThat(run(policy, call(UPDATE, "prod", prodClient)).allText()).isEqualTo("done on prod");
        assertThat(prodClient.questions()).hasSize(1);
        assertThat(prodClient.questions().get(0)).contains("Instance: prod");
        assertThat(lastAuditRecord().get("policy").asText()).isEqualTo("instance prod: read_only=false, approval=writes");

        TestCallContext stagingClient = accepting();
        assertThat(run(policy, call(DELETE, "staging", stagingClient)).allText()).isEqualTo("done on staging");
        assertThat(stagingClient.questions()).as("the server's approval: none applies to staging").isEmpty();

        ToolResult unavailable = run(policy, call(UPDATE, "prod", noElicitation()));
        assertThat(unavailable.allText()).endsWith("Use a client with elicitation support, or set approval: none on "
                + "instance prod to run it without approval.");
        assertThat(runs).hasValue(2);
    }

    @Test
    void anInstanceMayDropTheApprovalTheServerAsksFor() throws Exception {
        ToolPolicy policy = toolPolicy(server(false, ApprovalMode.DESTRUCTIVE), policy(null, ApprovalMode.NONE),
                InstancePolicy.INHERIT);

        TestCallContext prodClient = accepting();
        run(policy, call(DELETE, "prod", prodClient));
        TestCallContext stagingClient = accepting();
        run(policy, call(DELETE, "staging", stagingClient));

        assertThat(prodClient.questions()).isEmpty();
        assertThat(stagingClient.questions()).hasSize(1);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aFanOutOfAWriteToolToAllIsRefusedWhollyWhenAnyInstanceIsReadOnly() throws Exception {
        ToolPolicy policy = toolPolicy(server(false, ApprovalMode.NONE), policy(true, null), InstancePolicy.INHERIT);

        ToolCall fanOut = call(BULK_UPDATE, "ALL", noElicitation());
        ToolResult refused = run(policy, fanOut);

        assertThat(refused.allText()).isEqualTo("Tool fixture_bulk_update changes backend state and is not run on ALL "
                + "instances of provider fixture, because some are read-only: prod (read_only: true). Nothing was "
                + "changed. Name one instance that allows writes: staging.");
        assertThat(fanOut.decision().decision()).isEqualTo("read_only");
        assertThat(runs).as("no instance runs, not even the writable one").hasValue(0);
        assertThat(lastAuditRecord().get("policy").asText())
                .isEqualTo("ALL (strictest of prod, staging): read_only=true, approval=none");
        assertThat(run(policy, call(BULK_UPDATE, "staging", noElicitation())).allText()).isEqualTo("done on staging");
    }

    @Test
    void aFanOutToAllAsksForApprovalWhenAnyInstanceWould() throws Exception {
        ToolPolicy policy = toolPolicy(server(false, ApprovalMode.NONE), InstancePolicy.INHERIT,
                policy(null, ApprovalMode.WRITES));

        TestCallContext client = accepting();
        assertThat(run(policy, call(BULK_UPDATE, "ALL", client)).allText()).isEqualTo("done on ALL");

        assertThat(client.questions()).hasSize(1);
        assertThat(policy.applied(BULK_UPDATE, PROVIDER, "ALL").approval()).isEqualTo(ApprovalMode.WRITES);
        assertThat(policy.applied(ECHO, PROVIDER, "ALL").readOnly()).isFalse();
    }

    @Test
    void readToolsFanOutToReadOnlyInstancesAsBefore() throws Exception {
        ToolPolicy policy = toolPolicy(PolicyConfig.defaults(), policy(true, ApprovalMode.WRITES), InstancePolicy.INHERIT);

        assertThat(run(policy, call(ECHO, "ALL", noElicitation())).allText()).isEqualTo("done on ALL");
        assertThat(run(policy, call(ECHO, "prod", noElicitation())).allText()).isEqualTo("done on prod");
    }

    @Test
    void withoutInstancePoliciesTheServerPolicyAppliesAsBefore() {
        ToolPolicy policy = new ToolPolicy(PolicyConfig.defaults(), tool -> Optional.of(PROVIDER));

        assertThat(policy.visible(UPDATE, LOCAL)).isFalse();
        assertThat(policy.readOnlyDenial(UPDATE, PROVIDER, "default")).contains("Tool fixture_update changes backend "
                + "state and the server is in read-only mode. Set security.read_only: false (or BASTION_READ_ONLY=false) "
                + "to enable write tools.");
        assertThat(policy.applied(PROVIDER, "default").describe()).isEqualTo("server: read_only=true, approval=destructive");
    }

    @Test
    void theKeysBindFromTheirOwnSpecAndCollideWithNoProviderSetting() {
        assertThat(InstancePolicy.spec().settings()).extracting(setting -> setting.key())
                .containsExactly("read_only", "approval");
        assertThat(InstancePolicy.spec().settings()).allSatisfy(setting -> {
            assertThat(setting.envNames()).as("YAML only").isEmpty();
            assertThat(setting.defaultText()).as("unset keeps the server's value").isEmpty();
        });
        assertThat(InstancePolicy.from(new ProviderConfig(PROVIDER, "prod", Map.of("read_only", true, "approval", "writes"))))
                .isEqualTo(policy(true, ApprovalMode.WRITES));
        assertThat(InstancePolicy.from(new ProviderConfig(PROVIDER, "prod", Map.of()))).isEqualTo(InstancePolicy.INHERIT);
        assertThat(InstancePolicy.INHERIT.overrides()).isFalse();
        assertThatThrownBy(() -> InstancePolicy.from(new ProviderConfig(PROVIDER, "prod", Map.of("approval", "always"))))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("approval must be one of destructive, writes, none, not 'always'");
        assertThat(InstancePolicy.isReserved("read_only")).isTrue();
        assertThat(InstancePolicy.isReserved("approval.mode")).isTrue();
        assertThat(InstancePolicy.isReserved("read_only_mode")).isFalse();
    }

    @Test
    void theStricterApprovalModeAsksMore() {
        assertThat(ApprovalMode.stricter(ApprovalMode.NONE, ApprovalMode.DESTRUCTIVE)).isEqualTo(ApprovalMode.DESTRUCTIVE);
        assertThat(ApprovalMode.stricter(ApprovalMode.WRITES, ApprovalMode.DESTRUCTIVE)).isEqualTo(ApprovalMode.WRITES);
        assertThat(ApprovalMode.stricter(ApprovalMode.NONE, ApprovalMode.NONE)).isEqualTo(ApprovalMode.NONE);
    }
}
