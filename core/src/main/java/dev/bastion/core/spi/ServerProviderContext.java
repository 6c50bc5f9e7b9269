package dev.bastion.core.spi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's {@link ProviderContext}: fixed services plus change listeners that are bound once
 * the protocol engine exists (providers are created before the engine that lists their tools).
 */
public final class ServerProviderContext implements ProviderContext {

    /** Receives list changes and resource updates; the engine binds itself here. */
    public interface ChangeListener {
        void listChanged(ListChange change);

        void resourceUpdated(String uri);
    }

    private final ObjectMapper json;
    private final Redactor redactor;
    private final Clock clock;
    private final String serverVersion;
    private final Map<Class<?>, Object> services;
    private final AtomicReference<ChangeListener> listener = new AtomicReference<>();

    public ServerProviderContext(ObjectMapper json, Redactor redactor, Clock clock, String serverVersion,
                                 Map<Class<?>, Object> services) {
        this.json = requireNonNull(json, "json is null");
        this.redactor = requireNonNull(redactor, "redactor is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.serverVersion = requireNonNull(serverVersion, "serverVersion is null");
        this.services = Map.copyOf(requireNonNull(services, "services is null"));
        this.services.forEach((type, service) -> {
            if (!type.isInstance(service)) {
                throw new IllegalArgumentException(service.getClass().getName() + " is not a " + type.getName());
            }
        });
    }

    public void bind(ChangeListener changeListener) {
        listener.set(requireNonNull(changeListener, "changeListener is null"));
    }

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
        return clock;
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }

    @Override
    public void listChanged(ListChange change) {
        ChangeListener current = listener.get();
        if (current != null) {
            current.listChanged(change);
        }
    }

    @Override
    public void resourceUpdated(String uri) {
        ChangeListener current = listener.get();
        if (current != null) {
            current.resourceUpdated(uri);
        }
    }
}
