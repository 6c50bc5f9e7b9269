package dev.bastion.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.bastion.core.spi.ProviderFactory;
import dev.bastion.testkit.ProviderBehavior;
import dev.bastion.testkit.ProviderContractTest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The contract fails each deliberately broken provider in exactly the check that is about its
 * mistake (and in the checks that mistake necessarily breaks too), and passes the correct one.
 */
class ContractCatchesEveryMutationTest {

    static class CorrectContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new ItemsProviderFactory();
        }
    }

    static class UnreachableSandboxContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.UnreachableSandbox();
        }
    }

    static class NotFoundOnEveryCallContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.NotFoundOnEveryCall();
        }
    }

    static class BrokenOutputSchemaContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.BrokenOutputSchema();
        }
    }

    static class KeyInRefusalMessageContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.KeyInRefusalMessage();
        }
    }

    static class KeyInLogMessageContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.KeyInLogMessage();
        }
    }

    static class SandboxAcceptsAnyKeyContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.SandboxAcceptsAnyKey();
        }
    }

    static class IgnoresCancellationContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.IgnoresCancellation();
        }
    }

    static class KeyInProgressMessageContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.KeyInProgressMessage();
        }
    }

    static class KeyInOwnHeaderContract extends ProviderContractTest {
        @Override
        protected ProviderFactory factory() {
            return new BrokenProviders.KeyInOwnHeader();
        }
    }

    /** The correct provider, with behaviours declared that it does not have. */
    static class OverclaimingContract extends CorrectContract {
        @Override
        protected boolean hasBehavior(ProviderBehavior behavior) {
            return behavior != ProviderBehavior.HAS_SANDBOX || super.hasBehavior(behavior);
        }
    }

    /** The correct provider, with its sandbox and credentials declared absent. */
    static class UnderclaimingContract extends CorrectContract {
        @Override
        protected boolean hasBehavior(ProviderBehavior behavior) {
            return behavior != ProviderBehavior.HAS_CREDENTIALS && behavior != ProviderBehavior.HAS_SANDBOX
                    && super.hasBehavior(behavior);
        }
    }

    /** Failed checks of {@code contract}, by method name, with their messages; every check must have run. */
    private static Map<String, String> failedChecks(Class<? extends ProviderContractTest> contract) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute();
        assertThat(results.containerEvents().failed().stream().map(ContractCatchesEveryMutationTest::message))
                .as("the contract of %s could not start", contract.getSimpleName()).isEmpty();
        Events tests = results.testEvents();
        long checks = Arrays.stream(ProviderContractTest.class.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(Test.class)).count();
        assertThat(tests.finished().count()).as("checks run for %s", contract.getSimpleName()).isEqualTo(checks);
        Map<String, String> failed = new TreeMap<>();
        tests.failed().stream().forEach(event -> failed.put(
                ((MethodSource) event.getTestDescriptor().getSource().orElseThrow()).getMethodName(), message(event)));
        return failed;
    }

    private static String message(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage)
                .orElse("(no message)");
    }

    @Test
    void passesTheCorrectProvider() {
        assertThat(failedChecks(CorrectContract.class)).isEmpty();
    }

    @Test
    void failsToolsThatCannotReachTheirSandbox() {
        Map<String, String> failed = failedChecks(UnreachableSandboxContract.class);

        // Nothing reaches the backend, so no read succeeds and no wrong credential is ever refused.
        assertThat(failed).containsOnlyKeys("readToolsSucceedAndMatchTheirOutputSchema",
                "readOnlyToolsSendOnlyReadRequestsThatSucceed", "wrongCredentialIsRefused");
        assertThat(failed.get("readToolsSucceedAndMatchTheirOutputSchema"))
                .startsWith("[items_list_items failed against the working backend: Cannot reach the items backend");
        assertThat(failed.get("readOnlyToolsSendOnlyReadRequestsThatSucceed"))
                .startsWith("[read-only tool items_list_items: GET http://127.0.0.1:")
                .contains("/api/items?limit=10 got no response against the working backend]");
        assertThat(failed.get("wrongCredentialIsRefused")).startsWith("[the backend never refused the wrong "
                + "credential (no 401 or 403 was seen): does the sandbox check credentials?]");
    }

    @Test
    void failsAReadToolThatGets404OnEveryCall() {
        Map<String, String> failed = failedChecks(NotFoundOnEveryCallContract.class);

        assertThat(failed).containsOnlyKeys("readOnlyToolsSendOnlyReadRequestsThatSucceed");
        assertThat(failed.get("readOnlyToolsSendOnlyReadRequestsThatSucceed"))
                .startsWith("[read-only tool items_list_items: GET http://127.0.0.1:")
                .contains("/api/item?limit=10 answered 404 against the working backend]");
    }

    @Test
    void failsStructuredContentThatBreaksItsOutputSchema() {
        Map<String, String> failed = failedChecks(BrokenOutputSchemaContract.class);

        assertThat(failed).containsOnlyKeys("readToolsSucceedAndMatchTheirOutputSchema");
        assertThat(failed.get("readToolsSucceedAndMatchTheirOutputSchema"))
                .startsWith("[items_list_items: structuredContent breaks its outputSchema]")
                .contains("name");
    }

    @Test
    void failsTheApiKeyInTheRefusalMessage() {
        Map<String, String> failed = failedChecks(KeyInRefusalMessageContract.class);

        assertThat(failed).containsOnlyKeys("plantedSecretsNeverAppearInAnyOutput");
        assertThat(failed.get("plantedSecretsNeverAppearInAnyOutput"))
                .startsWith("[a planted secret in the wrong-credential items_list_items result of items]");
    }

    @Test
    void failsTheApiKeyInALogMessage() {
        Map<String, String> failed = failedChecks(KeyInLogMessageContract.class);

        assertThat(failed).containsOnlyKeys("plantedSecretsNeverAppearInAnyOutput");
        assertThat(failed.get("plantedSecretsNeverAppearInAnyOutput"))
                .startsWith("[a planted secret in the working items_list_items log messages of items]");
    }

    @Test
    void failsTheApiKeyInAProgressMessage() {
        Map<String, String> failed = failedChecks(KeyInProgressMessageContract.class);

        assertThat(failed).containsOnlyKeys("plantedSecretsNeverAppearInAnyOutput");
        assertThat(failed.get("plantedSecretsNeverAppearInAnyOutput"))
                .startsWith("[a planted secret in the working items_list_items progress messages of items]");
    }

    @Test
    void failsTheApiKeyInAHeaderTheProviderSetsItself() {
        Map<String, String> failed = failedChecks(KeyInOwnHeaderContract.class);

        assertThat(failed).containsOnlyKeys("plantedSecretsNeverAppearInAnyOutput");
        assertThat(failed.get("plantedSecretsNeverAppearInAnyOutput")).startsWith("[a planted secret in the working "
                + "request headers the provider set itself (credentials go in BackendCredentials, whose headers the "
                + "server masks in its request log) of items]");
    }

    @Test
    void failsASandboxThatAcceptsAnyKey() {
        Map<String, String> failed = failedChecks(SandboxAcceptsAnyKeyContract.class);

        assertThat(failed).containsOnlyKeys("wrongCredentialIsRefused");
        assertThat(failed.get("wrongCredentialIsRefused")).startsWith("[the backend never refused the wrong "
                + "credential (no 401 or 403 was seen): does the sandbox check credentials?]");
    }

    @Test
    void failsACallWhoseRequestOutlivesItsCancellation() {
        Map<String, String> failed = failedChecks(IgnoresCancellationContract.class);

        assertThat(failed).containsOnlyKeys("cancelledCallCancelsItsBackendRequest");
        assertThat(failed.get("cancelledCallCancelsItsBackendRequest")).startsWith("[calls cancelled while their "
                + "first backend request was being sent] ").contains("items_list_items: the backend request went on "
                + "after the call was cancelled (it got 200); send it with OutboundHttp.execute(client, request, "
                + "context)");
    }

    @Test
    void failsBehavioursDeclaredButAbsent() {
        Map<String, String> failed = failedChecks(OverclaimingContract.class);

        assertThat(failed).containsOnlyKeys("writeToolsMatchTheDeclaredBehavior", "fanOutMatchesTheDeclaredBehavior",
                "callerCredentialsMatchTheDeclaredBehavior", "commandUseMatchesTheDeclaredBehavior");
        assertThat(failed.get("writeToolsMatchTheDeclaredBehavior"))
                .startsWith("[items declares SUPPORTS_WRITES but offers no write tool]");
        assertThat(failed.get("fanOutMatchesTheDeclaredBehavior"))
                .startsWith("[items declares SUPPORTS_FAN_OUT but offers no fan-out tool]");
        assertThat(failed.get("callerCredentialsMatchTheDeclaredBehavior"))
                .startsWith("[items declares SUPPORTS_CALLER_CREDENTIALS but its factory names no "
                        + "callerCredentialHeader()]");
        assertThat(failed.get("commandUseMatchesTheDeclaredBehavior")).startsWith("[items declares SUPPORTS_COMMANDS "
                + "but never asked its context for [");
    }

    @Test
    void failsBehavioursPresentButNotDeclared() {
        Map<String, String> failed = failedChecks(UnderclaimingContract.class);

        assertThat(failed).containsOnlyKeys("sandboxMatchesTheDeclaredBehavior", "credentialsMatchTheDeclaredBehavior");
        assertThat(failed.get("sandboxMatchesTheDeclaredBehavior"))
                .startsWith("[items has a sandbox but its test does not declare HAS_SANDBOX]");
        assertThat(failed.get("credentialsMatchTheDeclaredBehavior"))
                .startsWith("[items has secret settings but its test does not declare HAS_CREDENTIALS]");
    }
}
