package dev.bastion.app.cli;

import dev.bastion.app.config.ConfigReference;
import dev.bastion.app.config.ConfigSection;
import dev.bastion.app.config.EffectiveConfigPrinter;
import dev.bastion.app.plugin.DiscoveredProvider;
import dev.bastion.app.runtime.BastionRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Print the effective configuration (every secret as [REDACTED]) with "
        + "the source of each value, or the configuration reference.")
final class ConfigCommand implements Callable<Integer> {

    enum Format { table, yaml, json }

    @ParentCommand
    BastionCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--format", defaultValue = "table", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--reference", description = "Print the Markdown reference of every setting instead.")
    boolean reference;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (BastionRuntime.Loaded loaded = BastionRuntime.load(options.launch(parent.environment()))) {
            if (reference) {
                List<ConfigSection> sections = new ArrayList<>(BastionRuntime.SERVER_SECTIONS);
                for (DiscoveredProvider provider : loaded.discovered().all()) {
                    sections.add(ConfigSection.forProvider(provider.factory()));
                }
                out.print(ConfigReference.markdown(sections));
            } else {
                out.print(switch (format) {
                    case table -> EffectiveConfigPrinter.table(loaded.config(), loaded.redactor());
                    case yaml -> EffectiveConfigPrinter.yaml(loaded.config(), loaded.redactor());
                    case json -> EffectiveConfigPrinter.json(loaded.config(), loaded.redactor());
                });
            }
            out.flush();
        }
        return 0;
    }
}
