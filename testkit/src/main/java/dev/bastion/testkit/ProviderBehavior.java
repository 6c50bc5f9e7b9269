package dev.bastion.testkit;

/**
 * What a provider does, as its contract test declares it with
 * {@link ProviderContractTest#hasBehavior(ProviderBehavior)} (modelled on Trino's
 * {@code TestingConnectorBehavior}). The contract checks both directions: a declared behaviour must be
 * present, and an undeclared one really absent, each with an exact message.
 */
public enum ProviderBehavior {
    /** It offers tools that change the backend (not {@code readOnlyHint}), each tagged {@code write}. */
    SUPPORTS_WRITES(false),
    /** It offers tools whose descriptor says {@code fanOut}: they run once per instance for {@code ALL}. */
    SUPPORTS_FAN_OUT(false),
    /** Its factory names a {@code callerCredentialHeader()} through which callers send their own credential. */
    SUPPORTS_CALLER_CREDENTIALS(false),
    /** It runs host or device commands: it asks its context for the command runner or a command policy. */
    SUPPORTS_COMMANDS(false),
    /** Its factory starts a loopback sandbox ({@code startSandbox()}), the default working backend. */
    HAS_SANDBOX(true),
    /**
     * Its configuration has secret settings that the backend checks: a wrong value must be refused.
     * Without it, the wrong-credential check is skipped and the spec must declare no secret setting.
     */
    HAS_CREDENTIALS(true);

    private final boolean byDefault;

    ProviderBehavior(boolean byDefault) {
        this.byDefault = byDefault;
    }

    /** Whether a contract test that does not override {@code hasBehavior} declares this behaviour. */
    public boolean byDefault() {
        return byDefault;
    }
}
