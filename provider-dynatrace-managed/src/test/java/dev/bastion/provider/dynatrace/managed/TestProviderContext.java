package dev.bastion.provider.dynatrace.managed;

import dev.bastion.core.spi.ServerProviderContext;
import dev.bastion.security.credential.DynatraceCredentialShapes;
import dev.bastion.security.outbound.OutboundHttp;
import dev.bastion.security.redact.SecretRedactor;
import java.time.Clock;
import java.util.Map;

/**
 * The server's own provider context for tests: a real OutboundHttp and the real redactor, which
 * knows the Dynatrace credential shapes as it does in the server.
 */
final class TestProviderContext {

    private TestProviderContext() {
    }

    static ServerProviderContext create() {
        return create(new SecretRedactor());
    }

    static ServerProviderContext create(SecretRedactor redactor) {
        redactor.registerShapes(DynatraceCredentialShapes.ALL);
        return new ServerProviderContext(TestCalls.JSON, redactor, Clock.systemUTC(), "test",
                Map.of(OutboundHttp.class, new OutboundHttp(redactor, "test", Map.of())));
    }
}
