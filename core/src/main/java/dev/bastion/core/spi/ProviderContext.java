package dev.bastion.core.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import java.time.Clock;
import java.util.Optional;

/**
 * The shared services a provider may use. Providers reach backends only through the outbound
 * HTTP client factory of the {@code security} module, obtained with
 * {@code context.require(OutboundHttp.class)}; file access goes through its path policy and host
 * commands through its command policy the same way. This keeps {@code core} free of those
 * libraries while every provider gets the same hardened services.
 */
public interface ProviderContext {

    /** The JSON mapper, configured once for the whole server. */
    ObjectMapper json();

    Redactor redactor();

    Clock clock();

    /** The server's version, for {@code User-Agent} headers and environment info. */
    String serverVersion();

    /** A shared service by type, such as the outbound HTTP client factory or the path policy. */
    <T> Optional<T> service(Class<T> type);

    /** A shared service by type; fails with a clear message when the server did not bind it. */
    default <T> T require(Class<T> type) {
        return service(type).orElseThrow(() -> new IllegalStateException(
                "the server provides no " + type.getSimpleName() + " service"));
    }

    /** Tells connected clients that one of this provider's lists changed. */
    void listChanged(ListChange change);

    /** Tells clients subscribed to {@code uri} that the resource changed. */
    void resourceUpdated(String uri);
}
