package dev.bastion.core.spi;

import java.util.List;
import java.util.Map;

/**
 * A running loopback simulator of a provider's backend. It checks authentication the way the
 * real API does and serves data shaped like the real API's responses. {@link #instances()} gives
 * the configuration (raw values, as a user would write them in YAML) of each provider instance
 * that should point at it, with credentials generated at startup.
 */
public interface Sandbox extends AutoCloseable {

    /** One configuration map per instance, each with an {@code alias} entry. */
    List<Map<String, Object>> instances();

    @Override
    void close();
}
