package dev.bastion.app.cli;

import dev.bastion.app.BastionVersion;
import dev.bastion.core.mcp.ProtocolVersions;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bastion} command and its subcommands. */
@Command(name = "bastion", mixinStandardHelpOptions = true,
        versionProvider = BastionCommand.Version.class,
        description = "Hardened MCP server for operations backends.",
        subcommands = {ServeCommand.class, ToolsCommand.class, ConfigCommand.class, CheckCommand.class,
            CallCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class BastionCommand {

    private final Map<String, String> environment;

    public BastionCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Map<String, String> environment() {
        return environment;
    }

    static String versionLine() {
        return "bastion " + BastionVersion.get() + " (MCP " + ProtocolVersions.LATEST + ", Java "
                + Runtime.version().feature() + ")";
    }

    /** Answers {@code --version}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }
}
