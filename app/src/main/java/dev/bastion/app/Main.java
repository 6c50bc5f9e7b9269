package dev.bastion.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.app.cli.BastionCommand;
import dev.bastion.app.logging.LogRedaction;
import dev.bastion.app.runtime.StartupException;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;
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
        Thread preparation = prepareInBackground();
        CommandLine commandLine = commandLine(args, System.getenv(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true));
        CommandLine.IExecutionStrategy execute = commandLine.getExecutionStrategy();
        commandLine.setExecutionStrategy(parsed -> {
            awaitQuietly(preparation);
            return execute.execute(parsed);
        });
        System.exit(commandLine.execute(args));
    }

    /**
     * Starts, beside the parsing of the command line, the two slowest pieces of set-up that every
     * server command needs and that no argument changes: logback's configuration and Jackson's first
     * mapper (its class initialisation loads date formatting and locale data, tens of milliseconds
     * in a cold JVM). The command runs once they are done, so nothing else touches logging while it
     * is being configured (SLF4J hands other threads stand-in loggers meanwhile).
     */
    private static Thread prepareInBackground() {
        Thread preparation = new Thread(() -> {
            LoggerFactory.getILoggerFactory();
            new ObjectMapper();
        }, "bastion-startup");
        preparation.setDaemon(true);
        preparation.start();
        return preparation;
    }

    private static void awaitQuietly(Thread preparation) {
        try {
            preparation.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int run(String[] args, Map<String, String> environment) {
        return run(args, environment, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Runs one command with its output and errors going to the given writers. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        return commandLine(args, environment, out, err).execute(args);
    }

    private static CommandLine commandLine(String[] args, Map<String, String> environment, PrintWriter out,
                                           PrintWriter err) {
        CommandLine commandLine = BastionCommand.commandLine(environment, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(Main::failed);
        return commandLine;
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
