package dev.bastion.app.logging;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.bastion.app.config.LoggingSettings;
import dev.bastion.core.sanitize.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code logging} settings at runtime. Until then {@link BootstrapLogging} logs at INFO
 * as redacted text to standard error. Logs never go to standard output, which belongs to the stdio
 * transport.
 */
public final class LoggingSetup {

    static final String APPENDER_NAME = "stderr";
    /**
     * Libraries that log the values they process at DEBUG (the JSON Schema validator logs a rejected
     * argument value): they stay at INFO whatever the root level, since the value may be a secret
     * whose shape the redactor does not know.
     */
    static final List<String> VALUE_LOGGING_LIBRARIES = List.of("com.networknt");

    private LoggingSetup() {
    }

    /**
     * Installs {@code redactor} for every later log event and replaces the root appender with one
     * writing {@code settings.format()} to standard error at {@code settings.level()}.
     *
     * @throws IllegalStateException when SLF4J is not bound to logback
     */
    public static void configure(LoggingSettings settings, Redactor redactor) {
        requireNonNull(settings, "settings is null");
        requireNonNull(redactor, "redactor is null");
        LogRedaction.use(redactor);
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("logging is not backed by logback; check the classpath for other SLF4J bindings");
        }
        apply(settings, context);
    }

    /** Points the root logger of {@code context} at standard error with {@code settings}. */
    static void apply(LoggingSettings settings, LoggerContext context) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.setTarget("System.err");
        appender.setEncoder(encoder(settings.format(), context));
        appender.start();

        // Attach the new appender before removing the old ones, so no event is lost in between.
        List<Appender<ILoggingEvent>> previous = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            previous.add(it.next());
        }
        root.addAppender(appender);
        for (Appender<ILoggingEvent> old : previous) {
            root.detachAppender(old);
            old.stop();
        }
        root.setLevel(Level.toLevel(settings.level().name(), Level.INFO));
        for (String library : VALUE_LOGGING_LIBRARIES) {
            context.getLogger(library).setLevel(Level.INFO);
        }
    }

    private static Encoder<ILoggingEvent> encoder(LoggingSettings.Format format, LoggerContext context) {
        if (format == LoggingSettings.Format.JSON) {
            JsonLinesEncoder encoder = new JsonLinesEncoder();
            encoder.setContext(context);
            encoder.start();
            return encoder;
        }
        RedactingTextLayout layout = new RedactingTextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }
}
