package dev.bastion.provider.dynatrace.managed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import dev.bastion.core.spi.ListChange;
import dev.bastion.core.spi.ProviderContext;
import dev.bastion.security.outbound.OutboundHttp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A provider context for tests: a real OutboundHttp and a redactor that hides registered secrets. */
final class TestProviderContext implements ProviderContext {

    /** Replaces every registered secret with [REDACTED]; enough to see that secrets are registered and applied. */
    static final class RecordingRedactor implements Redactor {
        final List<String> secrets = new CopyOnWriteArrayList<>();

        @Override
        public String redact(String text) {
            String out = text;
            for (String secret : secrets) {
                out = out.replace(secret, "[REDACTED]");
            }
            return out;
        }

        @Override
        public void registerSecret(String value) {
            secrets.add(value);
        }
    }

    final ObjectMapper json = new ObjectMapper();
    final RecordingRedactor redactor = new RecordingRedactor();
    final OutboundHttp outbound = new OutboundHttp(redactor, "test");

    @Override
    public ObjectMapper json() {
        return json;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public String serverVersion() {
        return "test";
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return type == OutboundHttp.class ? Optional.of(type.cast(outbound)) : Optional.empty();
    }

    @Override
    public void listChanged(ListChange change) {
    }

    @Override
    public void resourceUpdated(String uri) {
    }
}
