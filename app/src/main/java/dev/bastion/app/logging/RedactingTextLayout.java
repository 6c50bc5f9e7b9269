package dev.bastion.app.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The text log format: one pattern-formatted line per event (followed by the stack trace, when
 * there is one), with the whole output passed through the {@link LogRedaction} redactor. Redacting
 * the finished text covers the message, its arguments, the MDC and every line of the stack trace.
 */
public class RedactingTextLayout extends PatternLayout {

    /** ISO-8601 UTC timestamp, level, thread, logger, MDC (when set) and message. */
    public static final String DEFAULT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{36} %replace(%mdc ){'^ $', ''}- %msg%n";

    public RedactingTextLayout() {
        setPattern(DEFAULT_PATTERN);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return LogRedaction.redact(super.doLayout(event));
    }
}
