package dev.bastion.security.command;

import static java.util.Objects.requireNonNull;

/**
 * What an allowed command produced.
 *
 * @param exitCode the process's exit code; after a timeout, the code of the killed process
 * @param stdout standard output, UTF-8, ending in a truncation marker when it was cut
 * @param stderr standard error, likewise
 * @param stdoutTruncated whether stdout exceeded the entry's {@code max_output_bytes}
 * @param stderrTruncated whether stderr exceeded it
 * @param timedOut whether the command ran past its timeout and its process tree was killed
 */
public record CommandResult(
        int exitCode,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        boolean timedOut) {

    public CommandResult {
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
