package dev.bastion.app;

import dev.bastion.app.cli.BastionCommand;
import dev.bastion.app.logging.LogRedaction;
import dev.bastion.app.runtime.StartupException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** The {@code bastion} command line. */
public final class Main {

    /** Exit status for a server that cannot start (configuration, providers). */
    public static final int STARTUP_FAILED = 2;
    /** Exit status for a failure Bastion did not expect; the log has an error id. */
    public static final int INTERNAL_ERROR = 70;

    /**
     * Guice generates classes to call {@code @Provides} methods and to intercept methods. Bastion
     * intercepts no method, and for the few calls made while the server starts reflection is cheaper
     * than generating classes (and a generated class cannot be kept in the class-data archive).
     */
    static final String GUICE_BYTECODE_GENERATION = "guice_bytecode_gen_option";

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(GUICE_BYTECODE_GENERATION) == null) {
            System.setProperty(GUICE_BYTECODE_GENERATION, "DISABLED");
        }
        System.exit(run(args, System.getenv()));
    }

    public static int run(String[] args, Map<String, String> environment) {
        return run(args, environment, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Runs one command with its output and errors going to the given writers. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = BastionCommand.commandLine(environment, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(Main::failed);
        return commandLine.execute(args);
    }

    private static int failed(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        String message = LogRedaction.current().redact(String.valueOf(failure.getMessage()));
        if (failure instanceof StartupException) {
            err.println("bastion: " + message);
            err.flush();
            return STARTUP_FAILED;
        }
        err.println("bastion: unexpected failure: " + message);
        err.flush();
        return INTERNAL_ERROR;
    }
}
