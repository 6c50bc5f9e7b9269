package dev.bastion.security.errors;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bastion.security.redact.SecretRedactor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Random;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SafeErrorsTest {

    private static final String SECRET = "Planted-Secret-4711-xyz";

    private final SecretRedactor redactor = new SecretRedactor();
    private final SafeErrors errors = new SafeErrors(redactor, new Random(42));
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SafeErrors.class);

    @BeforeEach
    void captureLog() {
        redactor.registerSecret(SECRET);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(appender);
    }

    @Test
    void returnsClientMessageWithErrorIdAndNoDetails() {
        IllegalStateException failure = new IllegalStateException("token " + SECRET + " rejected",
                new IOException("password=" + "hunter2"));

        String message = errors.sanitize("tool test_search", failure);

        assertThat(message).matches("Internal error in tool test_search \\(error id [0-9a-f]{12}\\); "
                + "the server log has details\\.");
        assertThat(message).doesNotContain("IllegalStateException", SECRET, "hunter2", "at ");
    }

    @Test
    void logsTheSameIdWithRedactedMessageAndStackTrace() {
        String message = errors.sanitize("tool test_search",
                new IllegalStateException("token " + SECRET, new IOException("password=hunter2")));
        String id = message.replaceAll(".*error id ([0-9a-f]{12}).*", "$1");

        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getThrowableProxy()).isNull();
            String logged = event.getFormattedMessage();
            assertThat(logged).contains(id, "tool test_search", "token [REDACTED]", "java.lang.IllegalStateException",
                    "Caused by: java.io.IOException: password=[REDACTED]", "\tat dev.bastion.security.errors");
            assertThat(logged).doesNotContain(SECRET, "hunter2");
        });
    }

    @Test
    void givesEachFailureItsOwnId() {
        String first = errors.sanitize("x", new RuntimeException());
        String second = errors.sanitize("x", new RuntimeException());

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void describesExpectedFailureKinds() {
        assertThat(errors.describe(new SocketTimeoutException("Read timed out"))).isEqualTo("timed out");
        assertThat(errors.describe(new InterruptedIOException("timeout"))).isEqualTo("timed out");
        assertThat(errors.describe(new UncheckedIOException(new ConnectException("Connection refused"))))
                .isEqualTo("could not connect");
        assertThat(errors.describe(new UnknownHostException("tenant.example.invalid")))
                .isEqualTo("host not found (tenant.example.invalid)");
        assertThat(errors.describe(new SSLHandshakeException("PKIX path building failed")))
                .isEqualTo("TLS handshake failed");
        assertThat(errors.describe(new CancellationException("stop"))).isEqualTo("cancelled");
    }

    @Test
    void describesOtherFailuresWithoutSecretsOrInternals() {
        assertThat(errors.describe(new IOException("unexpected end of stream on https://u:" + SECRET + "@h/\nmore")))
                .isEqualTo("unexpected end of stream on https://[REDACTED]@h/");
        assertThat(errors.describe(new NullPointerException("Cannot invoke \"String.length()\"")))
                .isEqualTo("unexpected failure");
    }

    @Test
    void rendersCircularCausesWithoutLooping() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(SafeErrors.stackTrace(b)).contains("[circular reference]");
    }
}
