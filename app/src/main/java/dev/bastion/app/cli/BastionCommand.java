package dev.bastion.app.cli;

import dev.bastion.app.BastionVersion;
import dev.bastion.core.mcp.ProtocolVersions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bastion} command and its subcommands. */
@Command(name = "bastion", mixinStandardHelpOptions = true,
        versionProvider = BastionCommand.Version.class,
        description = "Hardened MCP server for operations backends.")
public final class BastionCommand {

    private static final String HELP = "help";

    /** The subcommands by name, in the order the usage lists them. */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private final Map<String, String> environment;

    public BastionCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The command line for {@code args}. picocli builds a command's model by reflecting over its
     * class, which is a large part of a cold start, so when the first argument names a subcommand
     * only that one is built: the others could not take part in parsing anyway. Any other first
     * argument ({@code --help}, {@code help}, a typo that deserves a suggestion) gets them all.
     */
    public static CommandLine commandLine(Map<String, String> environment, String... args) {
        CommandLine commandLine = new CommandLine(new BastionCommand(environment));
        Class<?> named = args.length == 0 || args[0].equals(HELP) ? null : SUBCOMMANDS.get(args[0]);
        if (named != null) {
            commandLine.addSubcommand(named);
        } else {
            SUBCOMMANDS.values().forEach(commandLine::addSubcommand);
        }
        return commandLine;
    }

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("serve", ServeCommand.class);
        commands.put("tools", ToolsCommand.class);
        commands.put("config", ConfigCommand.class);
        commands.put("check", CheckCommand.class);
        commands.put("call", CallCommand.class);
        commands.put("version", VersionCommand.class);
        commands.put(HELP, CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(commands);
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
