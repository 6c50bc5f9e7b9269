package dev.bastion.security.command;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code security.commands.allowed}: a host command a tool may run, addressed by name.
 *
 * @param name the name tools use to ask for the command
 * @param executable the absolute path that is run; never taken from a tool's input
 * @param argPatterns globs; every argument must match one of them
 * @param maxArgs the most arguments accepted
 * @param timeout how long the command may run before its process tree is killed
 * @param maxOutputBytes the cap on stdout and on stderr, each
 * @param env names of server environment variables passed through to the command
 */
public record AllowedCommand(
        String name,
        Path executable,
        List<String> argPatterns,
        int maxArgs,
        Duration timeout,
        int maxOutputBytes,
        List<String> env) {

    public AllowedCommand {
        requireNonNull(name, "name is null");
        requireNonNull(executable, "executable is null");
        argPatterns = List.copyOf(requireNonNull(argPatterns, "argPatterns is null"));
        requireNonNull(timeout, "timeout is null");
        env = List.copyOf(requireNonNull(env, "env is null"));
    }
}
