package dev.bastion.app.cli;

import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.transport.stdio.StdioTransport;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = "Serve MCP to one client over stdio (the transport MCP clients spawn).")
final class ServeCommand implements Callable<Integer> {

    enum Transport { stdio, http }

    /** How long calls still running when stdin closes may take before they are cancelled. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    @ParentCommand
    BastionCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--transport", defaultValue = "stdio", paramLabel = "stdio|http",
            description = "Transport: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Transport transport;

    @Override
    public Integer call() throws Exception {
        if (transport == Transport.http) {
            spec.commandLine().getErr().println("bastion: the Streamable HTTP transport is not part of this build "
                    + "yet; use --transport stdio");
            return 2;
        }
        // stdout belongs to the protocol: keep the real stream for the transport and send anything
        // else that writes to System.out (a library, a stray print) to stderr instead.
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintStream stderr = System.err;
        System.setOut(stderr);
        try (BastionRuntime runtime = BastionRuntime.start(options.launch(parent.environment()), stderr)) {
            new StdioTransport(runtime.engine(), runtime.server().maxLineBytes(), SHUTDOWN_GRACE)
                    .serve(new FileInputStream(FileDescriptor.in), protocolOut);
        }
        return 0;
    }
}
