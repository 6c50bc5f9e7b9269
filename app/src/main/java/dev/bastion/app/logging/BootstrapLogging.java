package dev.bastion.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.bastion.app.config.LoggingSettings;

/**
 * Logback's start-up configuration, found through {@code ServiceLoader}: INFO, redacted text,
 * standard error only, until {@link LoggingSetup#configure} applies the {@code logging} settings.
 * Standard output belongs to the stdio transport and never carries a log line.
 *
 * <p>Configuring in code instead of with a bundled {@code logback.xml} keeps the XML parser and
 * logback's configuration interpreter out of every start (about a tenth of a stdio cold start). An
 * operator who names a configuration file with {@code -Dlogback.configurationFile} still gets it:
 * this configurator then steps aside for logback's own.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class BootstrapLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        StderrStatusListener statusListener = new StderrStatusListener();
        statusListener.setContext(context);
        if (context.getStatusManager().add(statusListener)) {
            statusListener.start();
        }
        LoggingSetup.apply(LoggingSettings.DEFAULT, context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
