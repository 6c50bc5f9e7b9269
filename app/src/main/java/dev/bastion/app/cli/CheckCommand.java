package dev.bastion.app.cli;

import dev.bastion.app.runtime.BastionRuntime;
import dev.bastion.app.runtime.ProviderInstances;
import dev.bastion.app.runtime.SelfTest;
import dev.bastion.core.spi.HealthStatus;
import dev.bastion.security.ratelimit.SharedRateLimits;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true, description = "Self test of every provider instance: DNS, TCP, TLS, authentication and "
        + "one read call. Exits non-zero when any step fails.")
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    BastionCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    @Option(names = "--timeout", defaultValue = "10s", description = "Per-step timeout (default ${DEFAULT-VALUE}).",
            converter = DurationConverter.class)
    Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (BastionRuntime runtime = BastionRuntime.start(options.launch(parent.environment()), System.err)) {
            if (runtime.providers().entries().isEmpty()) {
                out.println("No provider is configured; nothing to check. See `bastion config --reference`.");
                out.flush();
                return 1;
            }
            SelfTest test = new SelfTest(runtime.outbound(), runtime.redactor(), timeout);
            boolean allOk = true;
            for (ProviderInstances.Entry entry : runtime.providers().entries()) {
                SelfTest.Report report = test.run(entry);
                allOk &= report.ok();
                out.println(report.instance() + ": " + (report.ok() ? "ok" : "FAILED"));
                for (SelfTest.Step step : report.steps()) {
                    out.println("  " + step.status().name().toLowerCase(Locale.ROOT) + "  " + step.name() + ": "
                            + step.detail());
                }
            }
            if (runtime.rateLimits() instanceof SharedRateLimits shared) {
                HealthStatus store = shared.health();
                allOk &= store.healthy();
                out.println("rate-limit store " + shared.location() + ": " + (store.healthy() ? "ok" : "FAILED"));
                out.println("  " + (store.healthy() ? "ok" : "failed") + "  reach: " + store.detail());
            }
            out.flush();
            return allOk ? 0 : 1;
        }
    }
}
