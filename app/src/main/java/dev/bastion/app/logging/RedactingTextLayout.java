package dev.bastion.app.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;

/**
 * The text log format: one pattern-formatted line per event, followed by the stack trace when there
 * is one, all passed through the {@link LogRedaction} redactor. Redacting the finished text covers
 * the message, its arguments, the MDC and every line of the stack trace. Line breaks inside the
 * event line are written as {@code \n} and {@code \r}, so text a client sent cannot forge log lines.
 */
public class RedactingTextLayout extends PatternLayout {

    /** ISO-8601 UTC timestamp, level, thread, logger, MDC (when set) and message; the stack trace is appended separately. */
    public static final String DEFAULT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{36} %replace(%mdc ){'^ $', ''}- %msg%nopex";

    public RedactingTextLayout() {
        setPattern(DEFAULT_PATTERN);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        // Redact before escaping, so a secret spanning lines (a PEM key) is still recognised.
        String line = LogRedaction.redact(super.doLayout(event)).replace("\r", "\\r").replace("\n", "\\n");
        StringBuilder text = new StringBuilder(line).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy throwable = event.getThrowableProxy();
        if (throwable != null) {
            text.append(LogRedaction.redact(ThrowableProxyUtil.asString(throwable))).append(CoreConstants.LINE_SEPARATOR);
        }
        return text.toString();
    }
}
