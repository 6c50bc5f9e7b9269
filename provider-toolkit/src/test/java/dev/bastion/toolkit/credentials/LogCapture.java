package dev.bastion.toolkit.credentials;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event of the server's code at TRACE, rendered with message and throwable. */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger bastion = (Logger) LoggerFactory.getLogger("dev.bastion");
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        bastion.setLevel(Level.TRACE);
    }

    /** Every captured line: the formatted message and, when there is one, the throwable's text. */
    List<String> lines() {
        return List.copyOf(appender.list).stream().map(event -> {
            IThrowableProxy thrown = event.getThrowableProxy();
            return event.getFormattedMessage() + (thrown == null ? "" : "\n" + ThrowableProxyUtil.asString(thrown));
        }).toList();
    }

    String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        bastion.setLevel(null);
    }
}
