package dev.bastion.app.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the server is started.
 *
 * @param configFile the YAML file, if any
 * @param pluginDirectory an explicit plugin directory; without it {@code plugins/} beside the jar is used when present
 * @param sandbox run every provider that has one against its built-in backend simulator
 * @param environment the process environment (injectable for tests)
 */
public record LaunchOptions(Optional<Path> configFile, Optional<Path> pluginDirectory, boolean sandbox,
                            Map<String, String> environment) {
    public LaunchOptions {
        requireNonNull(configFile, "configFile is null");
        requireNonNull(pluginDirectory, "pluginDirectory is null");
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }
}
