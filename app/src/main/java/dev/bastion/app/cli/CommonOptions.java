package dev.bastion.app.cli;

import dev.bastion.app.runtime.LaunchOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command that starts the server understands. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file (optional; environment variables work alone).")
    Path config;

    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "Directory of provider jars to load, each in its own class loader "
                    + "(default: plugins/ beside bastion.jar, when it exists).")
    Path pluginDir;

    @Option(names = "--sandbox",
            description = "Run every provider that ships a sandbox against its built-in backend simulator: "
                    + "no account or credentials needed.")
    boolean sandbox;

    LaunchOptions launch(Map<String, String> environment) {
        return new LaunchOptions(Optional.ofNullable(config), Optional.ofNullable(pluginDir), sandbox, environment);
    }
}
