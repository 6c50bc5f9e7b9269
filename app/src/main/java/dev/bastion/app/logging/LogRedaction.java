package dev.bastion.app.logging;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.sanitize.Redactor;

/**
 * The redactor every log event passes through.
 *
 * <p>A static holder, because logback configures itself ({@link BootstrapLogging}, found through
 * {@code ServiceLoader}) before any dependency injection exists, and a layout configured from a
 * file has no way to be handed a collaborator. The holder starts with {@link Redactor#NONE}, which is harmless because no
 * secret is known before the configuration is loaded; {@link LoggingSetup#configure} installs the
 * server's redactor before the first secret is registered with it.
 */
public final class LogRedaction {

    private static volatile Redactor redactor = Redactor.NONE;

    private LogRedaction() {
    }

    /** Installs the redactor applied to all later log events. */
    public static void use(Redactor value) {
        redactor = requireNonNull(value, "redactor is null");
    }

    public static Redactor current() {
        return redactor;
    }

    /** Redacts text with the installed redactor; {@code null} stays {@code null}. */
    static String redact(String text) {
        return text == null ? null : redactor.redact(text);
    }
}
