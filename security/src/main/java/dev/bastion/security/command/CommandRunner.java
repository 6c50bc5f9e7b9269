package dev.bastion.security.command;

import static java.util.Objects.requireNonNull;

import dev.bastion.security.path.PathPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs host commands from the {@link CommandPolicy} allowlist, and nothing else. The process is
 * started from an argument vector with {@link ProcessBuilder}, never through a shell, so no
 * argument is ever interpreted. Each run has the entry's timeout (the whole process tree is killed
 * when it expires), capped stdout and stderr, stdin closed, and a scrubbed environment: only
 * {@code PATH=/usr/bin:/bin}, {@code LANG=C.UTF-8} and the variables the entry names, so server
 * credentials held in the environment never reach a command.
 */
public final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    static final String PATH = "/usr/bin:/bin";
    static final String LANG = "C.UTF-8";

    /** How long to wait for the output readers once the process is gone. */
    private static final long DRAIN_MILLIS = 2000;

    private final CommandPolicy policy;
    private final PathPolicy paths;
    private final Map<String, String> serverEnvironment;

    /** A runner that passes allowed variables from this process's environment. */
    public CommandRunner(CommandPolicy policy, PathPolicy paths) {
        this(policy, paths, System.getenv());
    }

    /**
     * @param serverEnvironment where the values of an entry's {@code env} variables come from
     */
    public CommandRunner(CommandPolicy policy, PathPolicy paths, Map<String, String> serverEnvironment) {
        this.policy = requireNonNull(policy, "policy is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.serverEnvironment = Map.copyOf(requireNonNull(serverEnvironment, "serverEnvironment is null"));
    }

    /** Runs {@code name} in the first allowed root (or the server's directory when there is none). */
    public CommandResult run(String name, List<String> arguments) throws InterruptedException {
        return run(name, arguments, null);
    }

    /**
     * Runs an allowed command.
     *
     * @param workingDirectory a directory inside an allowed root, or {@code null}
     * @throws CommandPolicyException when the command, an argument or the directory is not allowed
     * @throws CommandRunException when the command could not be started
     */
    public CommandResult run(String name, List<String> arguments, String workingDirectory) throws InterruptedException {
        AllowedCommand command = policy.check(name, arguments);
        Path directory = directory(workingDirectory);

        List<String> argv = new ArrayList<>(arguments.size() + 1);
        argv.add(command.executable().toString());
        argv.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(argv);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", PATH);
        environment.put("LANG", LANG);
        for (String variable : command.env()) {
            String value = serverEnvironment.get(variable);
            if (value != null) {
                environment.put(variable, value);
            }
        }
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);

        // Arguments are not logged: they may carry identifiers the audit log handles with redaction.
        LOG.info("running allowed command {} with {} arguments", command.name(), arguments.size());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandRunException("Command '" + command.name() + "' could not be started.");
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("closing stdin of command {} failed", command.name());
        }
        CappedOutput stdout = new CappedOutput(process.getInputStream(), command.maxOutputBytes());
        CappedOutput stderr = new CappedOutput(process.getErrorStream(), command.maxOutputBytes());
        Thread stdoutReader = reader(stdout, command.name() + "-stdout");
        Thread stderrReader = reader(stderr, command.name() + "-stderr");

        boolean timedOut;
        try {
            timedOut = !process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            destroyTree(process);
            throw e;
        }
        if (timedOut) {
            LOG.warn("command {} ran past its timeout of {} and was killed", command.name(), command.timeout());
            destroyTree(process);
            process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        }
        finish(stdoutReader, process.getInputStream());
        finish(stderrReader, process.getErrorStream());
        int exitCode = process.isAlive() ? -1 : process.exitValue();
        return new CommandResult(exitCode, stdout.text(), stderr.text(), stdout.truncated(), stderr.truncated(),
                timedOut);
    }

    private Path directory(String workingDirectory) {
        if (workingDirectory == null) {
            return paths.roots().isEmpty() ? null : paths.roots().get(0);
        }
        Path resolved = paths.resolve(workingDirectory);
        if (!Files.isDirectory(resolved)) {
            throw new CommandPolicyException("The working directory '" + workingDirectory + "' is not an existing directory.");
        }
        return resolved;
    }

    /** Kills the descendants first: once the parent is gone they are re-parented and out of reach. */
    private static void destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static Thread reader(CappedOutput output, String name) {
        Thread thread = new Thread(output, "bastion-command-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for a reader; a left-over grandchild holding the pipe open must not block the call. */
    private static void finish(Thread reader, InputStream stream) throws InterruptedException {
        reader.join(DRAIN_MILLIS);
        if (reader.isAlive()) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("closing a command output stream failed");
            }
            reader.join(DRAIN_MILLIS);
        }
    }

    /** Reads a stream to its end, keeping at most {@code cap} bytes and discarding the rest. */
    static final class CappedOutput implements Runnable {
        private final InputStream in;
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean truncated;

        CappedOutput(InputStream in, int cap) {
            this.in = in;
            this.cap = cap;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try {
                int read;
                while ((read = in.read(chunk)) != -1) {
                    synchronized (kept) {
                        int room = cap - kept.size();
                        if (read > room) {
                            truncated = true;
                        }
                        if (room > 0) {
                            kept.write(chunk, 0, Math.min(read, room));
                        }
                    }
                }
            } catch (IOException e) {
                // The stream was closed because the process is gone; what was read so far is kept.
            }
        }

        boolean truncated() {
            return truncated;
        }

        String text() {
            byte[] bytes;
            synchronized (kept) {
                bytes = kept.toByteArray();
            }
            if (!truncated) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
            int end = utf8Boundary(bytes, bytes.length);
            return new String(bytes, 0, end, StandardCharsets.UTF_8)
                    + "\n[output truncated: more than " + cap + " bytes]";
        }
    }

    /** The largest cut point at or before {@code end} that does not split a UTF-8 sequence. */
    static int utf8Boundary(byte[] bytes, int end) {
        if (end >= bytes.length) {
            end = bytes.length;
        }
        int start = end;
        // Step back over continuation bytes (10xxxxxx) to the lead byte of the last sequence.
        while (start > 0 && (bytes[start - 1] & 0xC0) == 0x80) {
            start--;
        }
        if (start == 0) {
            return end;
        }
        int lead = bytes[start - 1] & 0xFF;
        int length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return (end - (start - 1)) >= length ? end : start - 1;
    }
}
